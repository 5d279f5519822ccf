"""Every page but sign-in, sign-up and invite acceptance needs a signed-in user.

An ASGI middleware around the whole app checks full page loads on the server, before any HTML is
sent; states re-check on every event (client-side navigation never reaches this middleware).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from orangeweb.db import open_session
from orangeweb.services.accounts.auth import needs_first_account

from .web import current_user

PUBLIC_PAGES = ("/sign-in", "/sign-up", "/invite")
# Not pages: Reflex's own endpoints, our HTTP routes (each checks the user itself), the sandbox
# (its own API keys), static build output.
NOT_PAGES = ("/_", "/ping", "/auth/", "/media/", "/sandbox", "/assets/", "/favicon")


def _is_page_request(scope: Scope) -> bool:
    path: str = scope["path"]
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if path.startswith(NOT_PAGES):
        return False
    last_segment = path.rstrip("/").rsplit("/", 1)[-1]
    return "." not in last_segment  # files (.js, .css, .html, .png) are build output


def _is_public(path: str) -> bool:
    return any(path == page or path.startswith(page + "/") for page in PUBLIC_PAGES)


class PageGuard:
    """Redirects page loads: signed out -> /sign-in (or /sign-up on a fresh install)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_page_request(scope):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        path = scope["path"]
        user = current_user(connection)
        target: str | None = None
        if user is None and not _is_public(path):
            with open_session() as session:
                fresh_install = needs_first_account(session)
            target = "/sign-up" if fresh_install else f"/sign-in?next={quote(path)}"
        elif user is None and path.startswith("/sign-in"):
            with open_session() as session:
                if needs_first_account(session):
                    target = "/sign-up"
        elif user is not None and path.startswith(("/sign-in", "/sign-up")):
            target = "/"
        if target is None:
            await self.app(scope, receive, send)
            return
        response = RedirectResponse(target, status_code=303)
        response.headers["cache-control"] = "no-store"
        await response(scope, receive, send)
