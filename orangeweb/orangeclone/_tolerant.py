"""Lenient field types for reading responses ("tolerant in what we read", CONTRACT rule 1).

A field the server sends in a slightly different shape (`"true"` for true, a number as a string,
an epoch instead of an ISO date, an error object instead of a string) is read for what it means;
a value we cannot make sense of becomes None rather than failing the whole response.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from orangeweb.orangeclone.error_body import message_from_json

ModelT = TypeVar("ModelT", bound=BaseModel)

_TRUE_WORDS = frozenset({"true", "1", "yes"})
_FALSE_WORDS = frozenset({"false", "0", "no"})
_EPOCH_MILLISECONDS_THRESHOLD = 1e11  # later than year 5138 in seconds: must be milliseconds


class ApiModel(BaseModel):
    """Base of every result: camelCase on the wire, snake_case in Python, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,  # also accept snake_case keys from the server
        extra="ignore",
        frozen=True,
        coerce_numbers_to_str=True,  # an id or status sent as a number is still readable
    )


def lenient_bool(value: object) -> bool | None:
    """True/False from a bool, "true"/"false" (any case), 1/0; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _lenient_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _lenient_int(value: object) -> int | None:
    number = _lenient_float(value)
    return int(number) if number is not None and number.is_integer() else None


def _lenient_datetime(value: object) -> datetime | None:
    """An ISO 8601 string or Unix epoch (seconds or milliseconds); None if neither."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    epoch = _lenient_float(value)
    if epoch is None:
        return None
    if abs(epoch) > _EPOCH_MILLISECONDS_THRESHOLD:
        epoch /= 1000.0
    try:
        return datetime.fromtimestamp(epoch, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _lenient_text(value: object) -> str | None:
    """A string, or the message inside an error object (`{"message": ...}`)."""
    if value is None or isinstance(value, str):
        return value
    return message_from_json(value)


def _lenient_str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


LenientBool = Annotated[bool | None, BeforeValidator(lenient_bool)]
LenientFloat = Annotated[float | None, BeforeValidator(_lenient_float)]
LenientDatetime = Annotated[datetime | None, BeforeValidator(_lenient_datetime)]
LenientText = Annotated[str | None, BeforeValidator(_lenient_text)]
LenientStr = Annotated[str | None, BeforeValidator(_lenient_str)]
LenientInt = Annotated[int | None, BeforeValidator(_lenient_int)]


def valid_items(model: type[ModelT]) -> BeforeValidator:
    """A list validator that keeps the items that validate and drops the rest: one malformed
    segment must not hide a whole transcript."""

    def keep_valid(value: Any) -> list[ModelT]:
        if not isinstance(value, list):
            return []
        kept: list[ModelT] = []
        for item in value:
            try:
                kept.append(model.model_validate(item))
            except ValidationError:
                continue
        return kept

    return BeforeValidator(keep_valid)


def unwrap(payload: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The first of `payload[key]` that is an object, else `payload` itself (no wrapper)."""
    for key in keys:
        inner = payload.get(key)
        if isinstance(inner, dict):
            return inner
    return payload
