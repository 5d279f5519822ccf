"""The base state every page state inherits: who is signed in, resolved on the server.

The user comes from the HttpOnly session cookie that the browser sends with the websocket
handshake (`router.headers.cookie`, which Reflex keeps server-side and never sends to the
browser). Reflex's client token is not identity. Every handler touching team data calls
`_actor()` again: a session revoked mid-visit stops working at the next event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import reflex as rx
from reflex_base.registry import RegistrationContext
from sqlmodel import Session

from orangeweb.db import open_session
from orangeweb.routes.web import session_id_from_cookie_header
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.sessions import resolve_session
from orangeweb.services.errors import DomainError, PermissionDenied
from orangeweb.states.event_arguments import check_event_arguments, checked, refusal

logger = logging.getLogger(__name__)


class NotSignedIn(PermissionDenied):
    """The session cookie is missing, unknown or expired."""

    def __init__(self) -> None:
        super().__init__("Your session has ended. Sign in again.")


def _setvar(self: AppState, var_name: str, value: Any) -> Any:
    setter = type(self).event_handlers.get(f"set_{var_name}")
    if setter is None or not setter.fn.__module__.startswith("orangeweb."):
        return refusal(_setvar, f"there is no “{var_name}” to set")
    return setter.fn(self, value)


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
        """The signed-in user, checked against the database now; raises `NotSignedIn`."""
        raw_session_id = session_id_from_cookie_header(self.router.headers.cookie)
        with open_session() as session:
            user = resolve_session(session, raw_session_id)
        if user is None:
            raise NotSignedIn()
        return user

    @contextmanager
    def _db(self) -> Iterator[Session]:
        with open_session() as session:
            yield session

    def _sign_in_redirect(self) -> rx.event.EventSpec:
        return rx.redirect(f"/sign-in?next={quote(self.router.url.path or '/')}")

    @rx.event
    def load_user(self) -> rx.event.EventSpec | None:
        """`on_load` of every private page: resolve the user or send them to sign in."""
        try:
            actor = self._actor()
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

    def _refresh(self) -> None:
        """Re-read what the page shows; page states that use `_act` override it."""

    def _act(
        self, change: Callable[[Session, CurrentUser], object], done: str | None = None
    ) -> rx.event.EventSpec | None:
        """Make one change to team data as the signed-in user, then refresh the page's data;
        a toast says `done`, or what went wrong."""
        try:
            actor = self._actor()
            with self._db() as session:
                change(session, actor)
            self._refresh()
        except Exception as error:
            return self._fail(error)
        return rx.toast.success(done) if done else None

    def _fail(self, error: Exception) -> rx.event.EventSpec:
        """Show an error as a toast (or send a signed-out user to sign in)."""
        if isinstance(error, NotSignedIn):
            return self._sign_in_redirect()
        return rx.toast.error(self._words(error))
