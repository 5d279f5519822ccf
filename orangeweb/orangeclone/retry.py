"""When to retry a failed call, and how long to wait first.

The rules (CONTRACT + DESIGN):

- Only connection problems, 429, 502, 503 and 504 are worth retrying; everything else is an
  answer that will not change.
- A call that creates a job or charges credits is *not* idempotent: once it may have reached the
  server (read timeout, dropped connection, 502-504 from a proxy that may have forwarded it),
  sending it again could run it twice. Such calls are retried only when the request provably
  never left (connect error, pool timeout) or was rejected before processing (429).
- Waits: capped exponential backoff with jitter, or the server's `Retry-After` (seconds or an
  HTTP date), capped so a misbehaving server cannot park us for an hour.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime

from orangeweb.orangeclone.errors import RateLimited, ServerError, TransportError

RETRYABLE_SERVER_STATUSES = frozenset({502, 503, 504})
_DELAY_SECONDS = re.compile(r"^\d{1,10}(\.\d{1,6})?$")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently the client retries. `jitter` returns a float in [0, 1)."""

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def should_retry(self, error: BaseException, *, idempotent: bool) -> bool:
        """Whether `error` from one attempt justifies another attempt."""
        if isinstance(error, TransportError):
            return error.retryable and (idempotent or not error.may_have_reached_server)
        if isinstance(error, RateLimited):
            return True  # a 429 is refused before any processing, so even a paid call is safe
        if isinstance(error, ServerError):
            return idempotent and error.status_code in RETRYABLE_SERVER_STATUSES
        return False

    def delay_before_retry(self, error: BaseException | None, retry_number: int) -> float:
        """Seconds to wait before retry number `retry_number` (1 = the first retry)."""
        retry_after = error.retry_after if isinstance(error, RateLimited | ServerError) else None
        if retry_after is not None:
            return self.cap_retry_after(retry_after)
        return self.backoff(retry_number)

    def backoff(self, retry_number: int) -> float:
        """Exponential backoff, capped, with "equal jitter": between half and all of the step,
        so retries from many clients spread out but never fire instantly."""
        exponent = min(max(retry_number - 1, 0), 30)
        step = min(self.max_delay, self.base_delay * 2.0**exponent)
        return step / 2 + step / 2 * self.jitter()

    def cap_retry_after(self, seconds: float) -> float:
        return min(max(seconds, 0.0), self.max_retry_after)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header: delay-seconds or an HTTP date.

    `now` is the wall clock (Unix seconds), needed for the date form. Returns None for a missing
    or unreadable header; a date in the past yields 0.
    """
    if value is None:
        return None
    text = value.strip()
    if _DELAY_SECONDS.match(text):
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # RFC 9110 dates are always GMT
    try:
        seconds = moment.timestamp() - now
    except (OverflowError, OSError, ValueError):
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None
