"""A tiny local HTTP server on a free 127.0.0.1 port that records the JSON bodies POSTed to it:
the receiver of the sandbox's batch callbacks in the suites (test servers allow loopback
callbacks, see sandbox_server.py).

`fail_first` answers that many requests with 500 first (to see the sender retry); `redirect_to`
answers every request with a 307 to that URL instead. Each accepted request's body, path and
Content-Type are recorded; `hosts` has the Host header of every request.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class CallbackReceiver:
    def __init__(
        self, path: str = "/hooks/batch", fail_first: int = 0, redirect_to: str | None = None
    ) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.content_types: list[str] = []
        self.hosts: list[str] = []
        self.attempts = 0
        self._path = path
        self._fail_first = fail_first
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length))
                with receiver._lock:
                    receiver.attempts += 1
                    receiver.hosts.append(str(self.headers.get("Host")))
                    failing = receiver.attempts <= receiver._fail_first
                    if not failing and redirect_to is None:
                        receiver.bodies.append(payload)
                        receiver.paths.append(self.path)
                        receiver.content_types.append(self.headers.get("Content-Type", ""))
                if redirect_to is not None:
                    self.send_response(307)
                    self.send_header("Location", redirect_to)
                else:
                    self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self._path}"

    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.bodies)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
