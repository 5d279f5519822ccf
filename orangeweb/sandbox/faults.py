"""Injected faults for tests: answer API requests with an error for a while, then recover.

A fault answers either the next `count` matching API requests or every matching request for
`seconds`, with `status` (5xx, or 429 with Retry-After). Matching is by path prefix under
`/api` ("" = every API request). Faults run before authentication, as an outage would.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Fault:
    status: int
    remaining_requests: int | None
    until_monotonic: float | None
    path_prefix: str
    retry_after_seconds: int | None

    def active(self, now: float) -> bool:
        if self.remaining_requests is not None and self.remaining_requests <= 0:
            return False
        return self.until_monotonic is None or now < self.until_monotonic

    def describe(self, now: float) -> dict[str, object]:
        return {
            "status": self.status,
            "remainingRequests": self.remaining_requests,
            "remainingSeconds": None
            if self.until_monotonic is None
            else max(0.0, round(self.until_monotonic - now, 3)),
            "pathPrefix": self.path_prefix,
        }


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        status: int,
        *,
        count: int | None = None,
        seconds: float | None = None,
        path_prefix: str = "",
        retry_after_seconds: int | None = None,
    ) -> None:
        if (count is None) == (seconds is None):
            raise ValueError("give exactly one of count and seconds")
        fault = Fault(
            status=status,
            remaining_requests=count,
            until_monotonic=None if seconds is None else time.monotonic() + seconds,
            path_prefix=path_prefix,
            retry_after_seconds=retry_after_seconds,
        )
        with self._lock:
            self._faults.append(fault)

    def take(self, api_path: str) -> Fault | None:
        """The fault that answers this request, if any (consuming one of its requests)."""
        now = time.monotonic()
        with self._lock:
            self._faults = [fault for fault in self._faults if fault.active(now)]
            for fault in self._faults:
                if api_path.startswith(fault.path_prefix):
                    if fault.remaining_requests is not None:
                        fault.remaining_requests -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def describe(self) -> list[dict[str, object]]:
        now = time.monotonic()
        with self._lock:
            return [fault.describe(now) for fault in self._faults if fault.active(now)]
