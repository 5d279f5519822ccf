"""Every event handler's arguments checked against its annotations before it runs.

Events come from the browser, so their payload is whatever a tab (or someone with a websocket
client) sends. Reflex converts strings to the annotated number types where it can and passes
anything else through, so a handler annotated `page: int` can receive `"NaN"`, `None` or
`2**80`. `checked` wraps a handler so that such a call answers with a specific toast instead,
and logs one line (no traceback): the handler body only ever sees values of its declared types.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin

import reflex as rx

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000  # longer than any script, story or transcript the pages accept
MAX_ITEMS = 10_000
INT64 = 2**63
CHECKED_MARKER = "_orangeweb_checked"


def _fits(value: object, hint: Any) -> bool:
    """Whether `value` is of the annotated type (JSON-shaped values only, as events carry)."""
    if hint is Any or hint is object or hint is inspect.Parameter.empty:
        return True
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(_fits(value, member) for member in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool) and -INT64 <= value < INT64
    if hint is float:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and abs(value) < 1e15
        )
    if hint is str:
        return isinstance(value, str) and len(value) <= MAX_TEXT_CHARS
    if hint is list or origin is list:
        (item_hint,) = get_args(hint) or (Any,)
        return (
            isinstance(value, list)
            and len(value) <= MAX_ITEMS
            and all(_fits(item, item_hint) for item in value)
        )
    if hint is dict or origin is dict:
        key_hint, value_hint = get_args(hint) or (Any, Any)
        return (
            isinstance(value, dict)
            and len(value) <= MAX_ITEMS
            and all(_fits(k, key_hint) and _fits(v, value_hint) for k, v in value.items())
        )
    return True  # Reflex's own types (uploads, chunk iterators) are built by Reflex itself


@functools.cache
def _signature_and_hints(fn: Callable[..., Any]) -> tuple[inspect.Signature, dict[str, Any]]:
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # an annotation only importable for type checkers: no check for it
        hints = {}
    return inspect.signature(fn), hints


def _problem(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """What is wrong with this call, in words, or None."""
    signature, hints = _signature_and_hints(fn)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return "it sent the wrong number of values"
    for name, value in list(bound.arguments.items())[1:]:  # [0] is the state
        if not _fits(value, hints.get(name, Any)):
            return f"its “{name}” value is not one it can take"
    return None


def refusal(fn: Callable[..., Any], problem: str) -> rx.event.EventSpec:
    logger.warning("Refused %s: %s", fn.__qualname__, problem)
    return rx.toast.error(f"That action was refused: {problem}. Reload the page and try again.")


def checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn`, refusing calls whose arguments do not fit its annotations (same kind of callable,
    same signature and markers, so Reflex treats it exactly as `fn`)."""
    if getattr(fn, CHECKED_MARKER, False):
        return fn
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def async_generator(*args: Any, **kwargs: Any) -> Any:
            if (problem := _problem(fn, args, kwargs)) is not None:
                yield refusal(fn, problem)
                return
            async for item in fn(*args, **kwargs):
                yield item

        wrapper: Callable[..., Any] = async_generator
    elif inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            if (problem := _problem(fn, args, kwargs)) is not None:
                return refusal(fn, problem)
            return await fn(*args, **kwargs)

        wrapper = coroutine
    elif inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args: Any, **kwargs: Any) -> Any:
            if (problem := _problem(fn, args, kwargs)) is not None:
                yield refusal(fn, problem)
                return
            yield from fn(*args, **kwargs)

        wrapper = generator
    else:

        @functools.wraps(fn)
        def plain(*args: Any, **kwargs: Any) -> Any:
            if (problem := _problem(fn, args, kwargs)) is not None:
                return refusal(fn, problem)
            return fn(*args, **kwargs)

        wrapper = plain
    setattr(wrapper, CHECKED_MARKER, True)
    return wrapper


def check_event_arguments(cls: type) -> None:
    """Wrap the public event handlers `cls` itself defines (before Reflex registers them)."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        setattr(cls, name, checked(member))
