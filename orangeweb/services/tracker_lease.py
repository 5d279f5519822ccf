"""The tracker's lease: one row in the database says which worker polls, until when.

The holder renews it well before it expires; another worker takes it over only once it has
lapsed. Taking and renewing are one conditional UPDATE (or the first INSERT), so two workers
racing for it can never both win, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from orangeweb.models import TrackerLease

LEASE_NAME = "jobs-tracker"
_LAPSED = datetime(1970, 1, 1, tzinfo=UTC)


def hold_lease(
    session: Session, holder: str, now: datetime, ttl: timedelta, name: str = LEASE_NAME
) -> bool:
    """Take or renew the lease for `holder` until `now + ttl`; False if another holds it."""
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
        return True
    if session.get(TrackerLease, name) is not None:
        return False
    session.add(TrackerLease(name=name, holder=holder, expires_at=now + ttl, renewed_at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another worker created it first
        return False
    return True


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
