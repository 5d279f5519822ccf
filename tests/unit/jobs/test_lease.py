"""The tracker lease: one holder at a time, renewed by it, taken over once it lapses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.services.tracker_lease import hold_lease, lease_holder, release_lease

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


def test_one_holder_at_a_time_until_the_lease_lapses(engine: Engine) -> None:
    with Session(engine) as a, Session(engine) as b:
        assert hold_lease(a, "worker-a", T0, TTL)
        assert not hold_lease(b, "worker-b", T0 + timedelta(seconds=1), TTL)
        assert hold_lease(a, "worker-a", T0 + timedelta(seconds=20), TTL)  # renewed
        assert not hold_lease(b, "worker-b", T0 + timedelta(seconds=40), TTL)  # still valid
        assert lease_holder(b, T0 + timedelta(seconds=40)) == "worker-a"
        # worker-a stops renewing (it died): once the lease lapses, worker-b takes over.
        later = T0 + timedelta(seconds=51)
        assert hold_lease(b, "worker-b", later, TTL)
        assert not hold_lease(a, "worker-a", later + timedelta(seconds=1), TTL)
        assert lease_holder(a, later) == "worker-b"


def test_a_clean_stop_releases_the_lease_at_once(engine: Engine) -> None:
    with Session(engine) as a, Session(engine) as b:
        assert hold_lease(a, "worker-a", T0, TTL)
        release_lease(b, "worker-b")  # not the holder: no effect
        assert lease_holder(b, T0) == "worker-a"
        release_lease(a, "worker-a")
        assert lease_holder(b, T0) is None
        assert hold_lease(b, "worker-b", T0 + timedelta(seconds=1), TTL)
