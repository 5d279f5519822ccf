"""A log of every `/api` request a sandbox answered, kept by the server side (ASGI middleware):
what the tests and `bench/api_budget.py` count, independent of any client's own bookkeeping."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Logged:
    at: float  # time.monotonic() when the answer started
    method: str
    path: str  # under /api
    query: str
    status: int
    body: bytes


class RequestLog:
    """ASGI middleware around the sandbox: every `/api` request as the server saw it."""

    def __init__(self) -> None:
        self.entries: list[Logged] = []
        self._lock = threading.Lock()

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def logged(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not scope["path"].startswith("/api/"):
                await app(scope, receive, send)
                return
            started: dict[str, Any] = {}
            body: list[bytes] = []

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    started["status"], started["at"] = message["status"], time.monotonic()
                elif message["type"] == "http.response.body":
                    body.append(message.get("body", b""))
                await send(message)

            await app(scope, receive, capture)
            with self._lock:
                self.entries.append(
                    Logged(
                        at=started.get("at", time.monotonic()),
                        method=scope["method"],
                        path=scope["path"].removeprefix("/api"),
                        query=scope.get("query_string", b"").decode(),
                        status=int(started.get("status", 0)),
                        body=b"".join(body)[:4096],
                    )
                )

        return logged

    def snapshot(self) -> list[Logged]:
        with self._lock:
            return list(self.entries)

    def matching(self, method: str, prefix: str) -> list[Logged]:
        return [e for e in self.snapshot() if e.method == method and e.path.startswith(prefix)]
