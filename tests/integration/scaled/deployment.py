"""The scaled set-up as a test runs it: a fresh PostgreSQL database, and the dashboard's backend
started by `make serve-workers` (granian, several workers, Redis), backend only, on a free port
with its own data directory. Nothing here builds or touches the shared frontend (`.web/`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from tests.support.database import fresh_postgres_database
from tests.support.sandbox_server import poll_until

REPO = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database number of its own for Reflex's states


def fresh_database() -> AbstractContextManager[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped afterwards."""
    return fresh_postgres_database("orangeweb_scaled")


def migrate(db_url: str) -> None:
    """The alembic migrations, as `reflex db migrate` applies them (in a child process: alembic
    reconfigures logging)."""
    script = (
        "import sys; from alembic import command; from alembic.config import Config; "
        "c = Config('alembic.ini'); c.set_main_option('sqlalchemy.url', sys.argv[1]); "
        "command.upgrade(c, 'head')"
    )
    subprocess.run(
        [sys.executable, "-c", script, db_url], cwd=REPO, check=True, capture_output=True
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Deployment:
    """`make serve-workers` in a process group of its own; `stop()` ends the whole group."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "serve-workers",
                f"PORT={self.port}",
                "BIND_HOST=127.0.0.1",
                f"GRANIAN_WORKERS={workers}",
                "MOUNT_FRONTEND=false",
            ],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def supervisor(self) -> psutil.Process | None:
        """Granian's main process (make runs it in the recipe's shell, by `exec`)."""
        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return None
        return children[0] if children else None

    def worker_pids(self) -> set[int]:
        supervisor = self.supervisor()
        if supervisor is None:
            return set()
        try:
            return {child.pid for child in supervisor.children() if child.is_running()}
        except psutil.NoSuchProcess:
            return set()

    def wait_until_serving(self, timeout: float = 90.0) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"the deployment exited:\n{self.log()[-4000:]}")
            started = self.log().count("Started worker-")
            return started >= self.workers and len(self.worker_pids()) == self.workers

        poll_until(ready, timeout=timeout, interval=0.2, message="every worker to start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        # Workers are in the same group; any left over (a hung shutdown) go too.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()


@dataclass
class Pinger:
    """GET /ping on a fresh connection every 50 ms, in a thread: which ones were answered."""

    url: str
    answers: list[tuple[float, bool]] = field(default_factory=list)  # (monotonic, answered)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="pinger")
        self._thread.start()

    def stop(self) -> list[tuple[float, bool]]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        return list(self.answers)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            at = time.monotonic()
            try:
                response = httpx.get(f"{self.url}/ping", timeout=2.0)
                answered = response.status_code == 200
            except httpx.HTTPError:
                answered = False
            self.answers.append((at, answered))
