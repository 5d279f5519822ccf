"""The real sandbox app under uvicorn, on a free 127.0.0.1 port, in a background thread.

    with SandboxServer(tmp_path / "sandbox") as sandbox:
        key = sandbox.issue_key(tier="pro", credits=500)
        httpx.get(f"{sandbox.base_url}/voices/job_x", headers={"Authorization": f"Bearer {key}"})
        sandbox.inject_fault(503, seconds=2)      # answer every API request with 503 for 2 s
        sandbox.restart()                         # same data dir, same port: jobs resume

`base_url` is the OrangeClone base URL (`http://127.0.0.1:PORT/api`). Admin helpers talk to
the sandbox's admin HTTP API with its admin token. `poll_until` waits for a condition with a
bounded deadline (the suites' only way of waiting).

Test servers allow batch callbacks over http to loopback (`allow_loopback_callbacks=True`):
the suites' callback receivers listen on 127.0.0.1. Pass `allow_loopback_callbacks=False` for
a server with the production policy (public https hosts only).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
import uvicorn
from starlette.types import ASGIApp

from orangeweb.sandbox import SandboxConfig, create_app

T = TypeVar("T")

STARTUP_TIMEOUT_SECONDS = 30.0


def poll_until(
    condition: Callable[[], T | None],
    timeout: float = 30.0,
    interval: float = 0.05,
    message: str = "condition",
) -> T:
    """Call `condition` until it returns a truthy value (returned), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {message}")
        time.sleep(interval)


class UvicornThread:
    """Any ASGI app served by uvicorn in a daemon thread; start() returns once it listens."""

    def __init__(self, app: ASGIApp, port: int = 0) -> None:
        self.app = app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
        # proto says TCP; with proto 0 every keep-alive response waits ~40 ms for delayed ACKs.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        # Reuse the port of a server just stopped (restart keeps URLs valid).
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=5
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listener]}, daemon=True, name="sandbox-server"
        )
        thread.start()
        self._server, self._thread = server, thread
        poll_until(
            lambda: server.started or not thread.is_alive(),
            timeout=STARTUP_TIMEOUT_SECONDS,
            message="the server to start",
        )
        if not server.started:
            raise RuntimeError("the server failed to start (see the log above)")

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=30)
        if self._thread.is_alive():
            raise RuntimeError("the server did not stop within 30 s")
        self._server = self._thread = None


class SandboxServer:
    """A sandbox on a data dir, with the admin helpers later suites need."""

    def __init__(self, data_dir: Path, **config: Any) -> None:
        self.data_dir = data_dir
        # Explicitly on for tests (see the module docstring); off in production.
        config.setdefault("allow_loopback_callbacks", True)
        self.config = SandboxConfig(data_dir=data_dir, **config)
        self.admin_token = self.config.resolved_admin_token()
        self._server: UvicornThread | None = None
        self._port = 0
        self._admin: httpx.Client | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        self._server = UvicornThread(create_app(self.config), port=self._port)
        self._server.start()
        self._port = self._server.port
        self._admin = httpx.Client(
            base_url=f"{self.root_url}/admin",
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )
        return self

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    def restart(self) -> None:
        """A new app and server on the same data dir and port (state in memory is lost)."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """The OrangeClone base URL of this sandbox."""
        return f"{self.root_url}/api"

    # -- admin API ---------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        if self._admin is None:
            raise RuntimeError("the sandbox is not running")
        response = self._admin.request(method, path, **kwargs)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def issue_key(self, tier: str = "free", credits: int = 500, label: str | None = None) -> str:
        """A new API key of `tier` with `credits`."""
        body = {"tier": tier, "credits": credits, "label": label}
        return str(self._call("POST", "/keys", json=body)["key"])

    def key_info(self, key: str) -> dict[str, Any]:
        """`{"keyId", "tier", "credits", "label", "createdAt"}` of a key."""
        return self._call("POST", "/keys/lookup", json={"key": key})

    def credits(self, key: str) -> int:
        return int(self.key_info(key)["credits"])

    def job_counts(self, key: str) -> dict[str, int]:
        """{"voice", "batch", "dubbing"}: how many jobs of each kind `key` made."""
        return self._call("GET", f"/keys/{self.key_info(key)['keyId']}/job-counts")

    def set_credits(self, key: str, credits: int) -> None:
        self._call("PATCH", f"/keys/{self.key_info(key)['keyId']}", json={"credits": credits})

    def inject_fault(
        self,
        status: int = 503,
        *,
        count: int | None = None,
        seconds: float | None = None,
        path_prefix: str = "",
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `count` API requests (or all for `seconds`) under `/api{path_prefix}`
        with `status`; 429 faults carry Retry-After (`retry_after`, default 1)."""
        body: dict[str, Any] = {"status": status, "pathPrefix": path_prefix}
        if count is not None:
            body["count"] = count
        if seconds is not None:
            body["seconds"] = seconds
        if retry_after is not None:
            body["retryAfter"] = retry_after
        self._call("POST", "/faults", json=body)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def hold_jobs(self, held: bool = True) -> None:
        """While held, jobs stop right after entering their running status."""
        self._call("PUT", "/jobs/hold", json={"held": held})

    def fail_next_jobs(
        self, count: int = 1, message: str = "injected failure", key: str | None = None
    ) -> None:
        """Make the next `count` jobs (of `key`, or of any key) fail with `message` once they
        start; in a batch each scene counts as a job."""
        body: dict[str, Any] = {"count": count, "message": message}
        if key is not None:
            body["keyId"] = self.key_info(key)["keyId"]
        self._call("POST", "/jobs/fail-next", json=body)

    def reset_test_hooks(self) -> None:
        """Clear faults and injected job failures, release held jobs."""
        self.clear_faults()
        self._call("DELETE", "/jobs/fail-next")
        self.hold_jobs(False)

    def job_info(self, job_id: str) -> dict[str, Any]:
        """`{"kind", "keyId", "status", "statusHistory", "estimatedCost", "heldCredits",
        "cost"}` of any job (voice, batch or dubbing); batches add `callbackStatus`."""
        return self._call("GET", f"/jobs/{job_id}")


# The `sandbox_factory` fixture: `sandbox_factory(data_dir=None, **config) -> SandboxServer`.
SandboxFactory = Callable[..., SandboxServer]
