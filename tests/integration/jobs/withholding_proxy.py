"""An HTTP proxy in front of a sandbox that forwards every request but withholds the answer to
each `POST /api/voices_clone` until its caller hangs up: the server accepts the job, the
dashboard never hears so. Seen from the server, that is a dashboard killed mid-POST."""

from __future__ import annotations

import threading

import httpx
from starlette.types import Message, Receive, Scope, Send

WITHHELD_PATH = "/api/voices_clone"
_HOP_BY_HOP = {b"host", b"content-length", b"connection", b"transfer-encoding"}
_NOT_FORWARDED_BACK = {"content-length", "content-encoding", "transfer-encoding", "connection"}


class WithholdingProxy:
    """ASGI app; `withheld` counts the submissions the server accepted and nobody heard of."""

    def __init__(self, upstream_root: str) -> None:
        self.upstream_root = upstream_root.rstrip("/")
        self._withheld = 0
        self._lock = threading.Lock()

    @property
    def withheld(self) -> int:
        with self._lock:
            return self._withheld

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        query = scope.get("query_string", b"").decode()
        url = f"{self.upstream_root}{scope['path']}" + (f"?{query}" if query else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.request(scope["method"], url, headers=headers, content=body)
        if scope["method"] == "POST" and scope["path"] == WITHHELD_PATH:
            with self._lock:
                self._withheld += 1
            await _until_disconnected(receive)
            return
        kept = [
            (k.encode(), v.encode())
            for k, v in answer.headers.items()
            if k.lower() not in _NOT_FORWARDED_BACK
        ]
        kept.append((b"content-length", str(len(answer.content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": kept})
        await send({"type": "http.response.body", "body": answer.content})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    message: Message = {"more_body": True}
    while message.get("more_body", False):
        message = await receive()
        chunks.append(message.get("body", b""))
    return b"".join(chunks)


async def _until_disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
