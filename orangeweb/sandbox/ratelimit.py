"""Per-key requests-per-minute limits over a sliding 60 s window (in memory: a restart resets)."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 60.0


class SlidingWindowLimiter:
    def __init__(self) -> None:
        self._requests: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()  # admin functions may call reset() from another thread

    def check(self, key_id: str, limit: int | None) -> int | None:
        """Count one request; None when allowed, else the seconds to wait (Retry-After)."""
        if limit is None:
            return None
        now = time.monotonic()
        with self._lock:
            recent = self._requests[key_id]
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= limit:
                return max(1, math.ceil(recent[0] + WINDOW_SECONDS - now))
            recent.append(now)
            return None

    def reset(self, key_id: str | None = None) -> None:
        with self._lock:
            if key_id is None:
                self._requests.clear()
            else:
                self._requests.pop(key_id, None)
