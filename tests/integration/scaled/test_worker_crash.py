"""kill -9 of one worker of the scaled set-up (`make serve-workers`: 3 granian workers, Redis,
PostgreSQL): the others keep answering, the worker is replaced, the tracker lease moves to a live
worker within 10 s, and a job submitted before the kill still finishes.

The worker killed is the lease holder (its id is host:pid:random), the one that matters most.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb import db
from orangeweb.models import Environment, Job, KeyScope, Tier, TrackerLease
from orangeweb.services import characters, jobs
from orangeweb.services.accounts import auth
from orangeweb.services.jobs.notices import _bus_for
from orangeweb.services.keys.store import add_api_key, open_client
from orangeweb.services.tracker.lease import LEASE_NAME
from orangeweb.settings import get_settings
from tests.support.media import make_speech
from tests.support.sandbox_server import SandboxFactory, SandboxServer, poll_until
from tests.unit.services.support import PASSWORD, RecordingVerifier

from .deployment import REDIS_URL, Deployment, Pinger, fresh_database, migrate

pytestmark = pytest.mark.postgres

WORKERS = 3
TAKEOVER_LIMIT_SECONDS = 10.0


@dataclass(frozen=True)
class Scaled:
    sandbox: SandboxServer
    engine: Engine
    app_env: dict[str, str]


@pytest.fixture
def scaled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_factory: SandboxFactory
) -> Iterator[Scaled]:
    """A fresh database, a standalone sandbox, and the environment the workers and this test
    share (so this test writes the rows and key file the workers read)."""
    sandbox = sandbox_factory()
    with fresh_database() as db_url:
        migrate(db_url)
        monkeypatch.setenv("REFLEX_DB_URL", db_url)
        monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("ORANGEWEB_SANDBOX_URL", sandbox.base_url)
        for name in ("ORANGEWEB_SECRET_KEYS", "ORANGEWEB_PUBLIC_URL", "REFLEX_REDIS_URL"):
            monkeypatch.delenv(name, raising=False)
        get_settings.cache_clear()
        db.get_engine.cache_clear()
        _bus_for.cache_clear()
        app_env = {
            **os.environ,
            "REFLEX_REDIS_URL": REDIS_URL,
            "ORANGEWEB_SANDBOX_ENABLED": "false",  # one sandbox for every worker: this one
        }
        try:
            yield Scaled(sandbox, db.get_engine(), app_env)
        finally:
            db.get_engine().dispose()
            db.get_engine.cache_clear()
            get_settings.cache_clear()
            _bus_for.cache_clear()


def lease(engine: Engine) -> TrackerLease | None:
    with Session(engine) as session:
        return session.get(TrackerLease, LEASE_NAME)


def live_holder(engine: Engine) -> str | None:
    current = lease(engine)
    return current.holder if current and current.expires_at > datetime.now().astimezone() else None


def holder_pid(holder: str) -> int:
    return int(holder.split(":")[1])


def job_status(engine: Engine, job_id: int) -> str:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status


async def submit_before_the_kill(scaled: Scaled, tmp_path: Path) -> int:
    with Session(scaled.engine, expire_on_commit=False) as session:
        owner = auth.sign_up_first(session, "Scaled Team", "ops@example.com", "Ops", PASSWORD)
        secret = scaled.sandbox.issue_key(tier="enterprise", credits=1000)
        key = await add_api_key(
            session,
            owner,
            "team key",
            secret,
            Environment.SANDBOX,
            Tier.ENTERPRISE,
            KeyScope.TEAM,
            RecordingVerifier(),
        )
        text = "Hello there, this is my voice. I am reading a short sample for the dashboard."
        sample = make_speech(tmp_path / "voice.wav", text)
        alex = await characters.create_character(
            session, owner, key.id, "Alex", "adventurer", sample, opener=open_client
        )
        scaled.sandbox.hold_jobs(True)  # it stays running on the server until after the kill
        view = await jobs.submit_voice(
            session, owner, key.id, "Submitted before the crash.", [alex.id], submission_key="s1"
        )
    assert view.status == "queued", view.error
    return view.id


async def test_a_killed_worker_is_replaced_and_the_lease_moves_within_ten_seconds(
    scaled: Scaled, tmp_path: Path
) -> None:
    deployment = Deployment(scaled.app_env, WORKERS, tmp_path / "serve-workers.log")
    pinger = Pinger(deployment.url)
    renewals: set[datetime] = set()
    try:
        job_id = await submit_before_the_kill(scaled, tmp_path)  # while the workers start
        deployment.wait_until_serving()
        holder = poll_until(lambda: live_holder(scaled.engine), 30, message="a lease holder")
        victim = holder_pid(holder)
        workers_before = deployment.worker_pids()
        assert victim in workers_before  # the holder id names a worker process

        pinger.start()
        poll_until(lambda: len(pinger.answers) >= 10, 10, message="pings before the kill")
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        successor = poll_until(
            lambda: (h := live_holder(scaled.engine)) and h != holder and h,
            TAKEOVER_LIMIT_SECONDS + 5,
            interval=0.05,
            message="a new lease holder",
        )
        takeover = time.monotonic() - killed_at
        # A live worker: one of the others, or already the replacement.
        assert holder_pid(successor) in deployment.worker_pids() - {victim}

        scaled.sandbox.hold_jobs(False)

        def renewed_times() -> int:
            current = lease(scaled.engine)
            if current is not None and current.holder == successor:
                renewals.add(current.renewed_at)  # sampled every 0.1 s: each renewal seen
            return len(renewals)

        def settled() -> bool:
            renewed_times()
            replaced = len(deployment.worker_pids() - workers_before) == 1
            return replaced and job_status(scaled.engine, job_id) == "completed"

        poll_until(settled, 60, interval=0.1, message="the job done and the worker replaced")
        respawned_in = time.monotonic() - killed_at
        poll_until(lambda: renewed_times() >= 3, 15, interval=0.1, message="three renewals")
        pings = pinger.stop()
    except BaseException:
        print(deployment.log()[-6000:])
        raise
    finally:
        pinger.stop()
        deployment.stop()

    assert takeover <= TAKEOVER_LIMIT_SECONDS, takeover
    log = deployment.log()
    assert "Respawning worker" in log and log.count("Started worker-") > WORKERS, log[-3000:]
    failed = [at - killed_at for at, answered in pings if not answered]
    # Only a request the killed worker was serving at that instant can fail.
    assert all(-1.0 <= offset <= 1.0 for offset in failed), failed
    answered = [at for at, ok in pings if ok]
    assert answered[-1] - killed_at > takeover  # answered all along, after the takeover too
    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(answered))
    assert longest_gap < 2.0, longest_gap
    moments = sorted(renewals)
    interval = (moments[-1] - moments[0]).total_seconds() / (len(moments) - 1)
    assert 1.5 <= interval <= 3.0, interval
    print(
        f"\nlease taken over {takeover:.1f} s after kill -9 of its holder; worker replaced and "
        f"job completed {respawned_in:.1f} s after; {len(pings)} pings, {len(failed)} failed "
        f"(longest gap {longest_gap:.2f} s); renewals every {interval:.2f} s "
        f"= {60 / interval:.0f} lease writes/min"
    )
