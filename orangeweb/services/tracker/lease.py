"""The tracker's lease: one row in the database says which worker polls, until when.

The holder renews it well before it expires; another worker takes it over only once it has
lapsed. Taking and renewing are one conditional UPDATE (or the first INSERT), so two workers
racing for it can never both win, on SQLite or PostgreSQL.

Timing (`LeaseKeeper`, defaults): the lease lasts 8 s and its holder renews it every 2 s, so
three renewals in a row can fail before it lapses. A worker that does not hold it tries again
every 2 s, or right after the expiry it last read if that is sooner, so a dead holder is replaced
6-8 s after it died, and a released lease within 2 s. Load: the holder writes one row 30 times a
minute; every other worker sends 30 attempts a minute, each a no-op UPDATE and a primary-key
SELECT, writing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from orangeweb.db import open_session
from orangeweb.models import TrackerLease
from orangeweb.orangeclone.clock import Clock

logger = logging.getLogger(__name__)

LEASE_NAME = "jobs-tracker"
LEASE_TTL_SECONDS = 8.0
RENEWALS_PER_TTL = 4  # renew (and retry to take it) every TTL/4: 2 s
# The holder stops polling this long after its last renewal, well before the lease can lapse.
POLLING_SHARE_OF_TTL = 0.75
TAKEOVER_MARGIN_SECONDS = 0.05  # try just after the expiry: it is compared with "<"
_LAPSED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class LeaseClaim:
    held: bool  # the caller holds the lease now
    expires_at: datetime | None  # when the current lease (anyone's) lapses; None: no row


def claim_lease(
    session: Session, holder: str, now: datetime, ttl: timedelta, name: str = LEASE_NAME
) -> LeaseClaim:
    """Take or renew the lease for `holder` until `now + ttl`; says who won and until when."""
    result = session.execute(
        update(TrackerLease)
        .where(
            col(TrackerLease.name) == name,
            or_(col(TrackerLease.holder) == holder, col(TrackerLease.expires_at) < now),
        )
        .values(holder=holder, expires_at=now + ttl, renewed_at=now)
    )
    session.commit()
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return LeaseClaim(True, now + ttl)
    lease = session.get(TrackerLease, name, populate_existing=True)
    if lease is not None:
        return LeaseClaim(False, lease.expires_at)
    session.add(TrackerLease(name=name, holder=holder, expires_at=now + ttl, renewed_at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another worker created it first
        return LeaseClaim(False, None)
    return LeaseClaim(True, now + ttl)


def hold_lease(
    session: Session, holder: str, now: datetime, ttl: timedelta, name: str = LEASE_NAME
) -> bool:
    """Take or renew the lease for `holder` until `now + ttl`; False if another holds it."""
    return claim_lease(session, holder, now, ttl, name).held


def release_lease(session: Session, holder: str, name: str = LEASE_NAME) -> None:
    """Let the lease lapse at once (a clean shutdown), if `holder` still has it."""
    session.execute(
        update(TrackerLease)
        .where(col(TrackerLease.name) == name, col(TrackerLease.holder) == holder)
        .values(expires_at=_LAPSED)
    )
    session.commit()


def lease_holder(session: Session, now: datetime, name: str = LEASE_NAME) -> str | None:
    """Who holds the lease now (None when nobody does)."""
    lease = session.get(TrackerLease, name, populate_existing=True)
    if lease is None or lease.expires_at <= now:
        return None
    return lease.holder


class LeaseKeeper:
    """One tracker's side of the lease: when to renew it or try to take it, and whether it may
    poll. `now` (wall) stamps the row and compares expiries; `clock` (monotonic) times renewals."""

    def __init__(
        self,
        holder: str,
        *,
        ttl: float,
        now: Callable[[], datetime],
        clock: Clock,
        engine: Engine | None = None,
    ) -> None:
        self.holder = holder
        self.ttl = ttl
        self.is_leader = False
        self._now = now
        self._clock = clock
        self._engine = engine
        self._renewed_at = 0.0  # monotonic: the last successful renewal
        self._next_attempt = 0.0  # monotonic: the next renewal, or the next takeover attempt
        self._lapses_at: datetime | None = None  # wall: the other holder's lease, as last read

    @property
    def interval(self) -> float:
        return self.ttl / RENEWALS_PER_TTL

    def due_in(self) -> float:
        """Seconds until `keep` has work to do."""
        wait = self._next_attempt - self._clock.monotonic()
        if self._lapses_at is not None:
            wait = min(wait, (self._lapses_at - self._now()).total_seconds())
        return max(0.0, wait)

    def keep(self) -> bool:
        """Renew or try to take the lease if that is due. Returns True only when this call
        made the tracker the holder (it then resumes from the database)."""
        if self.due_in() > 0:
            return False
        mono, now = self._clock.monotonic(), self._now()
        with open_session(self._engine) as session:
            claim = claim_lease(session, self.holder, now, timedelta(seconds=self.ttl))
        self._next_attempt = mono + self.interval
        if not claim.held:
            if self.is_leader:
                logger.warning("job tracker %s lost its lease", self.holder)
            self.is_leader = False
            # The holder renews long before this expiry; if it has died, the lease is free then.
            expiry = claim.expires_at or now
            self._lapses_at = expiry + timedelta(seconds=TAKEOVER_MARGIN_SECONDS)
            return False
        self._renewed_at, self._lapses_at = mono, None
        gained = not self.is_leader
        self.is_leader = True
        return gained

    def may_poll(self) -> bool:
        """Whether the lease is certainly still ours (renewed recently enough)."""
        return self.is_leader and (
            self._clock.monotonic() < self._renewed_at + self.ttl * POLLING_SHARE_OF_TTL
        )

    def stop(self, *, release: bool) -> None:
        """Stop holding: `release` lets the lease lapse now, else it runs out (like a crash)."""
        if release and self.is_leader:
            with open_session(self._engine) as session:
                release_lease(session, self.holder)
        self.is_leader = False
        self._next_attempt, self._lapses_at = 0.0, None
