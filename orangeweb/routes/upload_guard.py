"""Reflex's `/_upload` route, guarded before it reads a byte of the body.

Reflex's upload route needs no session: it trusts the client token header, and its buffered path
parses the whole multipart body (spooling it to a temporary file) before any handler runs. This
ASGI middleware sits in front of it and, from the headers alone, refuses:

- a request without a valid signed-in session (401);
- a handler that is not one of ours that take files (404);
- a session that is not the one of the tab it acts for (403): the client token names a tab
  whose state resolves its user from the cookie of its websocket; both must be the same user;
- a `Content-Length` over that handler's cap (413).

Then it caps the body while it streams: past the cap the handler sees the client go away (so
Reflex drops what it parsed, and our handlers delete what they wrote) and the client gets 413.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orangeweb.db import open_session
from orangeweb.services.accounts.cookies import SESSION_COOKIE, session_id_from_cookie_header
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.sessions import resolve_session
from orangeweb.services.media.upload_rules import TabSessionReader, UploadRule

UPLOAD_PATH = "/_upload"  # Reflex's `constants.Endpoint.UPLOAD` (no backend path prefix)


def _resolve(raw_session_id: str | None) -> CurrentUser | None:
    if not raw_session_id:
        return None
    with open_session() as session:
        return resolve_session(session, raw_session_id)


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _declared_length(connection: HTTPConnection) -> int | None:
    value = connection.headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # malformed: refused like an oversize body


class UploadGuard:
    """ASGI middleware around the whole backend; only `/_upload` requests are looked at."""

    def __init__(
        self, app: ASGIApp, *, rules: Mapping[str, UploadRule], tab_session: TabSessionReader
    ) -> None:
        self.app = app
        self.rules = rules
        self.tab_session = tab_session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (
            path == UPLOAD_PATH or path.startswith(UPLOAD_PATH + "/")
        ):
            await self.app(scope, receive, send)
            return
        refusal = await self._check_headers(scope)
        if refusal is not None:
            await _refuse(send, *refusal)
            return
        handler = HTTPConnection(scope).headers["reflex-event-handler"]
        await self._capped(scope, receive, send, self.rules[handler].max_body_bytes())

    async def _check_headers(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) to refuse with, decided before the body is read; None to go on."""
        connection = HTTPConnection(scope)
        # Reflex's files mount under /_upload is never used: files live in the data directory.
        if scope["method"] != "POST" or scope["path"] != UPLOAD_PATH:
            return 404, "Not found."
        user = await asyncio.to_thread(_resolve, connection.cookies.get(SESSION_COOKIE))
        if user is None:
            return 401, "Sign in to upload files."
        rule = self.rules.get(connection.headers.get("reflex-event-handler", ""))
        if rule is None:
            return 404, "No such upload."
        token = connection.headers.get("reflex-client-token", "")
        handler = connection.headers["reflex-event-handler"]
        tab_cookie = await self.tab_session(token, handler) if token else None
        tab_user = await asyncio.to_thread(_resolve, session_id_from_cookie_header(tab_cookie))
        if tab_user is None or (tab_user.user_id, tab_user.team_id) != (
            user.user_id,
            user.team_id,
        ):
            return 403, "This upload does not belong to your open page. Reload it and try again."
        declared = _declared_length(connection)
        if declared is not None and not 0 <= declared <= rule.max_body_bytes():
            return 413, "The file is over the upload limit."
        return None

    async def _capped(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        cut = False
        response_started = False

        async def capped_receive() -> Message:
            nonlocal received, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    if not response_started:
                        await _refuse(send, 413, "The file is over the upload limit.")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if cut:
                return  # the 413 is the answer; the handler's own reply is dropped
            response_started = True
            await send(message)

        await self.app(scope, capped_receive, guarded_send)
