"""The tracker lease: one holder at a time, renewed by it, taken over soon after it lapses."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.services.tracker.lease import (
    LEASE_TTL_SECONDS,
    LeaseKeeper,
    hold_lease,
    lease_holder,
    release_lease,
)
from orangeweb.services.tracker.loop import Tracker

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


class Clocks:
    """Wall and monotonic time that move together, only when told to (a `Clock`)."""

    def __init__(self) -> None:
        self.at = T0
        self.mono = 1000.0

    def now(self) -> datetime:
        return self.at

    def monotonic(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.at.timestamp()

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)
        self.mono += seconds


def test_a_dead_holder_is_replaced_within_ten_seconds_at_a_low_write_rate(engine: Engine) -> None:
    clocks = Clocks()

    def keeper(holder: str) -> LeaseKeeper:
        return LeaseKeeper(
            holder, ttl=LEASE_TTL_SECONDS, now=clocks.now, clock=clocks, engine=engine
        )

    alive = {"worker-a": keeper("worker-a"), "worker-b": keeper("worker-b")}
    attempts = {name: 0 for name in alive}  # lease statements sent, per worker
    step, killed_at, took_over_at = 0.05, 61.3, None
    elapsed, per_minute = 0.0, {}
    while took_over_at is None and elapsed < 120:
        if elapsed >= killed_at:
            alive.pop("worker-a", None)  # kill -9: it stops renewing, releases nothing
        for name, lease in alive.items():
            if lease.due_in() == 0:
                attempts[name] += 1
            lease.keep()
        if "worker-a" not in alive and alive["worker-b"].is_leader:
            took_over_at = elapsed
        clocks.advance(step)
        elapsed += step
        if round(elapsed, 2) == 60.0:
            per_minute = dict(attempts)

    assert took_over_at is not None
    takeover = took_over_at - killed_at
    assert 5.9 <= takeover <= 8.2, takeover  # the lease's 8 s, less what had run since renewal
    # One renewal (a single-row UPDATE) every 2 s by the holder; the standby's attempts write
    # nothing (a no-op UPDATE and a primary-key SELECT each).
    assert 30 <= per_minute["worker-a"] <= 31 and 30 <= per_minute["worker-b"] <= 31, per_minute


def test_the_holder_id_names_the_process(engine: Engine) -> None:
    host, pid, _token = Tracker(engine=engine).holder.split(":")
    assert pid == str(os.getpid()) and host
