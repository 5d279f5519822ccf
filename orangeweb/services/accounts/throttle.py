"""Sign-in throttling that an attacker cannot turn into a lock-out of someone else.

Three rules, all from the rows of `failed_sign_ins` (so they hold across workers and restarts):

- per (account, address) pair: a few free failures, then every further failure doubles the wait
  before the pair may try again (capped). Only the attacker's own pairs slow down, so the owner's
  address is never held up by someone else's guesses;
- per address, across accounts: a hard limit in a sliding window (one address guessing many
  accounts);
- per account, from every address: past a ceiling of failures in the window, attempts from
  addresses the account has not signed in from lately are spaced out account-wide. That only slows
  distributed guessing (a wait of seconds, never a lock), and the addresses the owner signed in
  from (`known_sign_in_addresses`) skip it.

Unknown emails are counted exactly like known ones: the throttle must not tell which accounts
exist (an unknown email never signs in, so it never has a known address).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from orangeweb.models import FailedSignIn, KnownSignInAddress, as_utc
from orangeweb.services.errors import ThrottledError


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    # Per (account, address): after this many failures, wait first_pair_delay, then twice that
    # after each further failure, up to longest_pair_delay. Failures count for pair_memory, which
    # outlasts the longest wait so that the doubling is not undone by failures ageing out.
    free_failures_per_pair: int = 5
    first_pair_delay: timedelta = timedelta(seconds=30)
    longest_pair_delay: timedelta = timedelta(hours=1)
    pair_memory: timedelta = timedelta(hours=24)
    # Per address, across accounts: at most this many failures in the sliding window.
    window: timedelta = timedelta(minutes=15)
    failures_per_address: int = 20
    # Per account, across addresses: past this many failures in the window, unknown addresses
    # get one attempt per account_slowdown (counted from the account's latest failure).
    account_slowdown_after: int = 20
    account_slowdown: timedelta = timedelta(seconds=10)
    # How long a successful sign-in makes its address known to the account.
    known_address_memory: timedelta = timedelta(days=30)

    @property
    def failure_memory(self) -> timedelta:
        """How long a failure row matters to any rule."""
        return max(self.window, self.pair_memory)

    def pair_delay(self, failures: int) -> timedelta | None:
        """The wait after the pair's latest failure, given its failure count (None: no wait)."""
        extra = failures - self.free_failures_per_pair
        if extra < 0:
            return None
        # Capping the exponent first keeps a huge count from overflowing the multiplication.
        doublings = min(extra, 32)
        return min(self.first_pair_delay * (2**doublings), self.longest_pair_delay)


DEFAULT_POLICY = ThrottlePolicy()


def _seconds_until(moment: datetime, now: datetime) -> int | None:
    if moment <= now:
        return None
    return max(1, math.ceil((moment - now).total_seconds()))


def _count_and_latest(session: Session, condition: Any, since: datetime) -> tuple[int, datetime]:
    count, latest = session.exec(
        select(func.count(), func.max(FailedSignIn.attempted_at)).where(
            condition, col(FailedSignIn.attempted_at) > since
        )
    ).one()
    return int(count), as_utc(latest) if latest is not None else since


def _pair_wait(
    session: Session, email: str, ip_address: str, now: datetime, policy: ThrottlePolicy
) -> int | None:
    failures, latest = _count_and_latest(
        session,
        (col(FailedSignIn.email) == email) & (col(FailedSignIn.ip_address) == ip_address),
        now - policy.pair_memory,
    )
    delay = policy.pair_delay(failures)
    return None if delay is None else _seconds_until(latest + delay, now)


def _address_wait(
    session: Session, ip_address: str, now: datetime, policy: ThrottlePolicy
) -> int | None:
    """Seconds until fewer than the limit of failures from this address remain in the window."""
    recent = session.exec(
        select(FailedSignIn.attempted_at)
        .where(
            FailedSignIn.ip_address == ip_address, FailedSignIn.attempted_at > now - policy.window
        )
        .order_by(col(FailedSignIn.attempted_at).desc())
        .limit(policy.failures_per_address)
    ).all()
    if len(recent) < policy.failures_per_address:
        return None
    # Once the limit-th most recent failure ages out, fewer than the limit remain.
    return _seconds_until(as_utc(recent[-1]) + policy.window, now)


def _is_known_address(
    session: Session, email: str, ip_address: str, now: datetime, policy: ThrottlePolicy
) -> bool:
    """Whether this account signed in successfully from this address lately."""
    return (
        session.exec(
            select(KnownSignInAddress.id).where(
                KnownSignInAddress.email == email,
                KnownSignInAddress.ip_address == ip_address,
                KnownSignInAddress.signed_in_at > now - policy.known_address_memory,
            )
        ).first()
        is not None
    )


def _account_wait(
    session: Session, email: str, ip_address: str, now: datetime, policy: ThrottlePolicy
) -> int | None:
    failures, latest = _count_and_latest(
        session, col(FailedSignIn.email) == email, now - policy.window
    )
    if failures < policy.account_slowdown_after:
        return None
    if _is_known_address(session, email, ip_address, now, policy):
        return None
    return _seconds_until(latest + policy.account_slowdown, now)


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        amount, unit = seconds, "second"
    else:
        amount, unit = math.ceil(seconds / 60), "minute"
    return f"Too many failed sign-ins. Try again in {amount} {unit}{'s' if amount > 1 else ''}."


def check_sign_in_allowed(
    session: Session,
    email: str,
    ip_address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> None:
    """Raise `ThrottledError` (with the longest wait) if any rule holds this attempt back."""
    waits = [
        _pair_wait(session, email, ip_address, now, policy),
        _account_wait(session, email, ip_address, now, policy),
    ]
    if ip_address:
        waits.append(_address_wait(session, ip_address, now, policy))
    longest_wait = max((wait for wait in waits if wait is not None), default=None)
    if longest_wait is not None:
        raise ThrottledError(_wait_message(longest_wait), retry_after=longest_wait)


def record_failure(
    session: Session,
    email: str,
    ip_address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> None:
    """Remember a failed sign-in (and forget the ones that no longer count). Commits."""
    session.exec(
        delete(FailedSignIn).where(col(FailedSignIn.attempted_at) <= now - policy.failure_memory)
    )
    session.add(FailedSignIn(email=email, ip_address=ip_address, attempted_at=now))
    session.commit()


def record_success(
    session: Session,
    email: str,
    ip_address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> None:
    """A successful sign-in: reset this pair's count and make the address known. No commit.

    Only this pair's failures go: an owner signing in must not hand an attacker's pairs (or the
    attacker's address) a fresh allowance.
    """
    session.exec(
        delete(FailedSignIn).where(
            col(FailedSignIn.email) == email, col(FailedSignIn.ip_address) == ip_address
        )
    )
    session.exec(
        delete(KnownSignInAddress).where(
            col(KnownSignInAddress.email) == email,
            col(KnownSignInAddress.signed_in_at) <= now - policy.known_address_memory,
        )
    )
    known = session.exec(
        select(KnownSignInAddress).where(
            KnownSignInAddress.email == email, KnownSignInAddress.ip_address == ip_address
        )
    ).first()
    if known is None:
        session.add(KnownSignInAddress(email=email, ip_address=ip_address, signed_in_at=now))
    else:
        known.signed_in_at = now
