"""The base state every page state inherits: who is signed in, resolved on the server.

The user comes from the HttpOnly session cookie that the browser sends with the websocket
handshake (`router.headers.cookie`, which Reflex keeps server-side and never sends to the
browser). Reflex's client token is not identity. Every handler touching team data checks the
user again (`_off_loop`, `_off_loop_async`, `_act`): a session revoked mid-visit stops working at
the next event. Database work never runs on the event loop, which serves every tab.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx
from reflex_base.registry import RegistrationContext
from sqlmodel import Session

from orangeweb.db import open_session
from orangeweb.services.accounts.cookies import session_id_from_cookie_header
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.sessions import resolve_session
from orangeweb.services.errors import DomainError, PermissionDenied
from orangeweb.states.event_arguments import check_event_arguments, checked, refusal

logger = logging.getLogger(__name__)
T = TypeVar("T")


class NotSignedIn(PermissionDenied):
    """The session cookie is missing, unknown or expired."""

    def __init__(self) -> None:
        super().__init__("Your session has ended. Sign in again.")


async def _setvar(self: AppState, var_name: str, value: Any) -> Any:
    setter = type(self).event_handlers.get(f"set_{var_name}")
    if setter is None or not setter.fn.__module__.startswith("orangeweb."):
        return refusal(_setvar, f"there is no “{var_name}” to set")
    result = setter.fn(self, value)
    # Setters that touch the database are async (they work off the event loop).
    return await result if inspect.isawaitable(result) else result


def _signed_in(session: Session, cookie: str) -> CurrentUser:
    actor = resolve_session(session, session_id_from_cookie_header(cookie))
    if actor is None:
        raise NotSignedIn()
    return actor


def as_signed_in_user(
    cookie: str, work: Callable[[Session, CurrentUser], T]
) -> tuple[CurrentUser, T]:
    with open_session() as session:
        actor = _signed_in(session, cookie)
        return actor, work(session, actor)


# Service coroutines that await the network (submissions, calls to OrangeClone, uploads) run
# in these threads, each on its thread's own event loop: their synchronous database work never
# blocks the app's loop, and their long waits (a key's rate budget, a big upload) never tie up
# the default executor that `_off_loop` reads share.
SERVICE_THREADS = 32
_service_threads = ThreadPoolExecutor(SERVICE_THREADS, thread_name_prefix="orangeweb-service")
_this_thread = threading.local()


def _thread_runner() -> asyncio.Runner:
    """The worker thread's event loop, kept for the thread's life (not one per call): what is
    made once per loop (the Redis notice bus's client) is then made once per thread."""
    runner: asyncio.Runner | None = getattr(_this_thread, "runner", None)
    if runner is None:
        runner = _this_thread.runner = asyncio.Runner()
    return runner


async def as_signed_in_user_async(
    cookie: str, work: Callable[[Session, CurrentUser], Awaitable[T]]
) -> tuple[CurrentUser, T]:
    """`as_signed_in_user` for a service coroutine, awaited on a service thread's loop. The
    services are loop-agnostic: per-call HTTP clients, a thread-safe rate budget, a notice bus
    and a tracker `wake` that hand over to the app's loop thread-safely. The work runs to its
    end even if the awaiting handler is cancelled (the service records its own outcome)."""

    async def run() -> tuple[CurrentUser, T]:
        with open_session() as session:
            actor = _signed_in(session, cookie)
            return actor, await work(session, actor)

    context = contextvars.copy_context()  # as `asyncio.to_thread` does
    return await asyncio.get_running_loop().run_in_executor(
        _service_threads, lambda: _thread_runner().run(run(), context=context)
    )


class AppState(rx.State):
    """Signed-in user facts the shell shows (no secrets, no ids an attacker could use).

    Every page state (and mixin) below it has its event handlers' arguments checked against
    their annotations before they run (`event_arguments`)."""

    def __init_subclass__(cls, mixin: bool = False, **kwargs: Any) -> None:
        check_event_arguments(cls)
        super().__init_subclass__(mixin=mixin, **kwargs)
        if not mixin:
            # Reflex's generic `setvar(var_name, value)` event, limited to our own (checked)
            # `set_<name>` handlers: any other name gets a specific refusal, not an exception.
            setvar = cls._create_event_handler(checked(_setvar))
            cls.setvar = cls.event_handlers["setvar"] = setvar  # type: ignore[method-assign]
            RegistrationContext.register_event_handler(setvar, states=(cls,))

    user_name: str = ""
    user_email: str = ""
    user_role: str = ""

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role in ("owner", "admin")

    def _actor(self) -> CurrentUser:
        """The signed-in user, checked against the database now; raises `NotSignedIn`. Blocks:
        for background tasks and worker threads; event handlers use `_off_loop`."""
        actor, _ = as_signed_in_user(self.router.headers.cookie, lambda _s, _a: None)
        return actor

    @contextmanager
    def _db(self) -> Iterator[Session]:
        with open_session() as session:
            yield session

    async def _off_loop(self, work: Callable[[Session, CurrentUser], T]) -> tuple[CurrentUser, T]:
        """Check the signed-in user and run `work` with a database session, in a worker thread:
        the event loop keeps serving every other tab meanwhile. (The engine stays synchronous:
        the services are plain functions, tested without an event loop, on SQLite and
        PostgreSQL alike.) Raises `NotSignedIn`; `work` must not touch the state."""
        cookie = self.router.headers.cookie
        return await asyncio.to_thread(as_signed_in_user, cookie, work)

    async def _off_loop_async(
        self, work: Callable[[Session, CurrentUser], Awaitable[T]]
    ) -> tuple[CurrentUser, T]:
        """`_off_loop` for a service coroutine (one that awaits the network): the whole
        coroutine, its database work included, runs on a service thread's own event loop."""
        return await as_signed_in_user_async(self.router.headers.cookie, work)

    async def _actor_off_loop(self) -> CurrentUser:
        actor, _ = await self._off_loop(lambda _session, _actor: None)
        return actor

    def _sign_in_redirect(self) -> rx.event.EventSpec:
        return rx.redirect(f"/sign-in?next={quote(self.router.url.path or '/')}")

    @rx.event
    async def load_user(self) -> rx.event.EventSpec | None:
        """`on_load` of every private page: resolve the user or send them to sign in."""
        try:
            actor = await self._actor_off_loop()
        except NotSignedIn:
            return self._sign_in_redirect()
        self.user_name = actor.display_name
        self.user_email = actor.email
        self.user_role = actor.role.value
        return None

    def _words(self, error: Exception) -> str:
        """What to tell the user about `error`: domain errors speak for themselves; anything else
        is a bug, logged on the server and summarised."""
        if isinstance(error, DomainError):
            return str(error)
        logger.exception("Unexpected error in %s", type(self).__name__, exc_info=error)
        return "Something went wrong on the server. Try again; if it persists, tell an admin."

    def _read_page(self, session: Session, actor: CurrentUser) -> Any:
        """What the page shows, read in a worker thread after a change (`_act`); page states
        that use `_act` override it together with `_show_page`. Reads state vars, never sets."""
        return None

    def _show_page(self, data: Any) -> None:
        """Put what `_read_page` read into the state (on the event loop)."""

    async def _act(
        self, change: Callable[[Session, CurrentUser], object], done: str | None = None
    ) -> rx.event.EventSpec | None:
        """Make one change to team data as the signed-in user and re-read the page, off the
        event loop; then show it. A toast says `done`, or what went wrong."""

        def change_and_read(session: Session, actor: CurrentUser) -> Any:
            change(session, actor)
            return self._read_page(session, actor)

        try:
            _, data = await self._off_loop(change_and_read)
        except Exception as error:
            return self._fail(error)
        self._show_page(data)
        return rx.toast.success(done) if done else None

    def _fail(self, error: Exception) -> rx.event.EventSpec:
        """Show an error as a toast (or send a signed-out user to sign in)."""
        if isinstance(error, NotSignedIn):
            return self._sign_in_redirect()
        return rx.toast.error(self._words(error))
