"""The state one sandbox app carries: config, store, signer, limits, faults and its job queue."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from orangeweb.sandbox.config import SandboxConfig
from orangeweb.sandbox.faults import FaultInjector
from orangeweb.sandbox.ratelimit import SlidingWindowLimiter
from orangeweb.sandbox.signing import UrlSigner
from orangeweb.sandbox.store import Store


class JobKind(StrEnum):
    VOICE = "voice"
    BATCH = "batch"
    CALLBACK = "callback"
    TRANSCRIBE = "transcribe"
    TRANSLATE = "translate"
    CLONE = "clone"


@dataclass(frozen=True)
class JobRef:
    kind: JobKind
    id: str


class InjectedJobFailure(Exception):
    """A failure injected through the admin API; the message is shown as the job's error."""


@dataclass(frozen=True)
class InjectedFailure:
    message: str
    key_id: str | None  # None: whichever job comes first


class JobSink(Protocol):
    def enqueue(self, ref: JobRef) -> None: ...


class SandboxRuntime:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config)
        self.signer = UrlSigner(config.signing_secret(), config.signed_url_ttl_seconds)
        self.admin_token = config.resolved_admin_token()
        self.limiter = SlidingWindowLimiter()
        self.faults = FaultInjector()
        self._worker: JobSink | None = None
        # Test hook (admin API): while held, jobs stop right after entering their running
        # status, so tests can observe it and stop a server in the middle of a job.
        self._jobs_held = False
        self._release: asyncio.Event | None = None
        # Test hook (admin API): make the next jobs (of one key, or any) fail with a message.
        self._injected_failures: list[InjectedFailure] = []

    def attach_worker(self, worker: JobSink) -> None:
        self._worker = worker
        self._release = asyncio.Event()  # bound to the running loop: made here, not in __init__
        self._apply_hold()

    def detach_worker(self) -> None:
        self._worker = None
        self._release = None

    def enqueue(self, ref: JobRef) -> None:
        """Hand a job to the worker. Without a running worker the job simply waits in the
        database: the worker picks up every queued job when it starts."""
        if self._worker is not None:
            self._worker.enqueue(ref)

    @property
    def jobs_held(self) -> bool:
        return self._jobs_held

    def hold_jobs(self, held: bool) -> None:
        self._jobs_held = held
        self._apply_hold()

    async def job_checkpoint(self, key_id: str) -> None:
        """Where a job that has entered its running status honours the test hooks: wait while
        jobs are held, then raise InjectedJobFailure if a failure was injected for this key."""
        if self._release is not None:
            await self._release.wait()
        message = self.take_injected_failure(key_id)
        if message is not None:
            raise InjectedJobFailure(message)

    def inject_job_failures(self, count: int, message: str, key_id: str | None = None) -> None:
        self._injected_failures += [InjectedFailure(message, key_id) for _ in range(count)]

    def clear_injected_failures(self) -> None:
        self._injected_failures.clear()

    def take_injected_failure(self, key_id: str) -> str | None:
        """The message of an injected failure for this key's job, consumed; None if none."""
        for failure in self._injected_failures:
            if failure.key_id in (None, key_id):
                self._injected_failures.remove(failure)
                return failure.message
        return None

    def _apply_hold(self) -> None:
        if self._release is None:
            return
        if self._jobs_held:
            self._release.clear()
        else:
            self._release.set()
