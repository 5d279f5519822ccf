"""Sign-in throttling: at most N failures per account and M per address in a sliding window.

Failures are rows in `failed_sign_ins`, so the limit holds across workers and restarts. Unknown
emails are counted exactly like known ones: the throttle must not tell which accounts exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from orangeweb.models import FailedSignIn, as_utc
from orangeweb.services.errors import ThrottledError


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    failures_per_account: int = 5
    failures_per_address: int = 20


DEFAULT_POLICY = ThrottlePolicy()


def _retry_after(
    session: Session, condition: object, limit: int, window: timedelta, now: datetime
) -> int | None:
    """Seconds until fewer than `limit` failures match `condition` in the window, or None."""
    recent = session.exec(
        select(FailedSignIn.attempted_at)
        .where(condition, FailedSignIn.attempted_at > now - window)
        .order_by(col(FailedSignIn.attempted_at).desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    # Once the limit-th most recent failure ages out, fewer than `limit` remain.
    frees_at = as_utc(recent[-1]) + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def check_sign_in_allowed(
    session: Session,
    email: str,
    ip_address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> None:
    """Raise `ThrottledError` if this account or this address failed too often lately."""
    waits = [
        _retry_after(
            session, FailedSignIn.email == email, policy.failures_per_account, policy.window, now
        )
    ]
    if ip_address:
        waits.append(
            _retry_after(
                session,
                FailedSignIn.ip_address == ip_address,
                policy.failures_per_address,
                policy.window,
                now,
            )
        )
    longest_wait = max((wait for wait in waits if wait is not None), default=None)
    if longest_wait is not None:
        minutes = math.ceil(longest_wait / 60)
        raise ThrottledError(
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            retry_after=longest_wait,
        )


def record_failure(
    session: Session,
    email: str,
    ip_address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> None:
    """Remember a failed sign-in (and forget the ones that no longer count). Commits."""
    session.exec(delete(FailedSignIn).where(col(FailedSignIn.attempted_at) <= now - policy.window))
    session.add(FailedSignIn(email=email, ip_address=ip_address, attempted_at=now))
    session.commit()


def clear_account_failures(session: Session, email: str) -> None:
    """A successful sign-in resets the account's count (the address keeps its own). No commit."""
    session.exec(delete(FailedSignIn).where(col(FailedSignIn.email) == email))
