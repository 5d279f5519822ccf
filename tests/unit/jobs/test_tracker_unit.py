"""The tracker against a mocked API, one pass at a time (`run_once`), with an injected clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.models import ApiKey, Job, utcnow
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import InProcessBus, JobNotice
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import Settings
from tests.support.jobs import add_submitting_row

from .conftest import OPENER, Now

ACCEPTED = {"success": True, "data": {"jobId": "job_1", "status": "queued"}}


async def submitted(
    session: Session, owner: CurrentUser, key: int, alex: int, api: Any, now: Now
) -> int:
    api.post("/voices_clone").respond(200, json=ACCEPTED)
    view = await jobs.submit_voice(
        session, owner, key, "Hello", [alex], submission_key="k", opener=OPENER
    )
    now.value = utcnow()  # the submission stamped its rows with the real time
    return view.id


@pytest.fixture
async def voice_job(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any, now: Now
) -> int:
    """A voice job accepted by the mocked API as "job_1", `now` set to its submission."""
    return await submitted(session, owner, team_key, alex, api, now)


async def next_notice(notices: AsyncIterator[JobNotice]) -> JobNotice:
    return await asyncio.wait_for(anext(notices), 5)


async def test_a_row_left_submitting_by_a_crash_becomes_unknown_on_start(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    bus: InProcessBus,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    def row(key: str, minutes_ago: float) -> int:
        moment = now() - timedelta(minutes=minutes_ago)
        return add_submitting_row(
            session, owner, team_key, key, created_at=moment, updated_at=moment
        )

    crashed, in_flight = row("crashed", 10), row("in-flight", 0.1)
    async with bus.subscribe(owner.team_id) as notices:
        await make_tracker().run_once()
        notice: JobNotice = await next_notice(notices)
    assert (notice.job_id, notice.status, notice.is_final) == (crashed, "unknown", True)
    views = {view.id: view for view in jobs.list_jobs(session, owner).items}
    assert views[crashed].status == "unknown" and "stopped while submitting" in (
        views[crashed].error or ""
    )
    assert views[in_flight].status == "submitting"  # maybe still being sent by another worker


async def test_a_completed_job_is_archived_and_announced(
    voice_job: int,
    session: Session,
    owner: CurrentUser,
    api: Any,
    settings: Settings,
    bus: InProcessBus,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    job_id = voice_job
    signed = f"{settings.sandbox_api_url}/files/tok_secret/job_1.mp3"
    status = api.get("/voices/job_1").mock(
        side_effect=[
            httpx.Response(200, json={"success": True, "data": {"status": "processing"}}),
            httpx.Response(
                200,
                json={
                    "success": True,
                    "data": {"status": "completed", "audioUrl": signed, "duration": 1.5, "cost": 1},
                },
            ),
        ]
    )
    api.get("/files/tok_secret/job_1.mp3").respond(200, content=b"ID3fake-mp3")
    tracker = make_tracker()
    await tracker.run_once()
    assert status.call_count == 0  # not due yet: the first poll comes 2 s after acceptance
    async with bus.subscribe(owner.team_id) as notices:
        now.advance(2)
        await tracker.run_once()
        assert (await next_notice(notices)).status == "processing"
        await tracker.run_once()
        assert status.call_count == 1  # polled once, next one due later
        now.advance(2)
        await tracker.run_once()
        assert (await next_notice(notices)).status == "completed"
        await tracker.idle()
        assert (await next_notice(notices)).job_id == job_id  # archived: pages refresh again
    assert tracker.polls_sent == status.call_count == 2
    view = jobs.get_job(session, owner, job_id).job
    assert (view.status, view.duration_s, view.charged_credits) == ("completed", 1.5, 1)
    path = jobs.job_output_path(session, owner, job_id)
    assert path is not None and path.read_bytes() == b"ID3fake-mp3"
    assert path.parent.parts[-3:] == ("archive", str(owner.team_id), str(job_id))
    now.advance(3600)
    await tracker.run_once()
    assert status.call_count == 2  # a final job is never polled again


async def test_no_archive_when_the_team_turned_it_off(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
    settings: Settings,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    from orangeweb.services.media.archive import set_archive_outputs

    set_archive_outputs(session, owner, False)
    job_id = await submitted(session, owner, team_key, alex, api, now)
    signed = f"{settings.sandbox_api_url}/files/tok/job_1.mp3"
    api.get("/voices/job_1").respond(
        200, json={"success": True, "data": {"status": "completed", "audioUrl": signed}}
    )
    download = api.get("/files/tok/job_1.mp3").respond(200, content=b"ID3")
    tracker = make_tracker()
    now.advance(5)
    await tracker.run_once()
    await tracker.idle()
    assert download.call_count == 0
    assert jobs.job_output_path(session, owner, job_id) is None
    assert jobs.get_job(session, owner, job_id).job.output_url == f"/media/jobs/{job_id}/output"


async def test_a_rate_limited_key_is_postponed_not_waited_for(
    voice_job: int,
    session: Session,
    api: Any,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    job_id = voice_job
    status = api.get("/voices/job_1").respond(
        429, json={"success": False, "error": "slow down"}, headers={"Retry-After": "30"}
    )
    tracker = make_tracker()
    now.advance(5)
    delay = await tracker.run_once()
    assert status.call_count == 1 and delay <= 2.0  # returned at once, nothing slept
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None and job.next_poll_at is not None
    assert (job.next_poll_at - now()).total_seconds() == pytest.approx(30, abs=1)
    assert job.error_streak == 0 and not job.is_final  # a 429 is not the job's fault
    now.advance(60)  # the row is due again, but the key's pause has not run out in real time
    await tracker.run_once()
    assert status.call_count == 1


async def test_server_errors_back_off_and_a_lost_job_fails(
    voice_job: int,
    session: Session,
    owner: CurrentUser,
    api: Any,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    job_id = voice_job
    status = api.get("/voices/job_1").mock(
        side_effect=[
            httpx.Response(503, json={"success": False, "error": "maintenance"}),
            httpx.Response(404, json={"success": False, "error": "no such job"}),
        ]
    )
    tracker = make_tracker()
    now.advance(5)
    await tracker.run_once()
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None and job.error_streak == 1
    assert job.next_poll_at is not None and (job.next_poll_at - now()).total_seconds() >= 5
    tracker._key_ready.clear()  # skip the key's real-time pause (covered by the outage test)
    now.advance(10)
    await tracker.run_once()
    session.expire_all()  # the tracker wrote through its own session
    view = jobs.get_job(session, owner, job_id).job
    assert (view.status, view.is_final) == ("failed", True)
    assert "no longer knows" in (view.error or "")
    assert status.call_count == 2


async def test_a_revoked_key_leaves_its_jobs_unknown(
    voice_job: int,
    session: Session,
    owner: CurrentUser,
    team_key: int,
    api: Any,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    job_id = voice_job
    status = api.get("/voices/job_1").respond(200, json={"success": True, "data": {}})
    key = session.get(ApiKey, team_key)
    assert key is not None
    key.revoked_at = utcnow()
    session.commit()
    now.advance(5)
    await make_tracker().run_once()
    view = jobs.get_job(session, owner, job_id).job
    assert view.status == "unknown" and "revoked" in (view.error or "")
    assert status.call_count == 0


async def test_only_the_lease_holder_polls(
    voice_job: int,
    api: Any,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    status = api.get("/voices/job_1").respond(
        200, json={"success": True, "data": {"status": "processing"}}
    )
    first, second = make_tracker(holder="a"), make_tracker(holder="b")
    now.advance(5)
    await first.run_once()
    await second.run_once()
    assert (first.is_leader, second.is_leader) == (True, False)
    assert (first.polls_sent, second.polls_sent) == (1, 0) and status.call_count == 1
    await first.stop()  # a clean stop releases the lease: the other takes over at once
    now.advance(60)
    await second.run_once()
    assert second.is_leader and second.polls_sent == 1


async def test_a_poll_slower_than_the_lease_does_not_let_it_lapse(
    voice_job: int,
    engine: Engine,
    api: Any,
    bus: InProcessBus,
    data_dir: Path,
) -> None:
    job_id = voice_job

    async def slow_server(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(1.0)  # the server, not the test, takes its time: 2.5 leases
        return httpx.Response(200, json={"success": True, "data": {"status": "processing"}})

    status = api.get("/voices/job_1").mock(side_effect=slow_server)

    def tracker(holder: str) -> Tracker:  # the real wall clock: leases really lapse
        return Tracker(engine=engine, bus=bus, holder=holder, lease_ttl=0.4, data_dir=data_dir)

    polling, standby = tracker("polling"), tracker("standby")
    try:
        await polling.start()
        await eventually(lambda: polling.is_leader, "the first tracker to take the lease")
        await standby.start()
        polling.wake(job_id)
        await eventually(lambda: polled(engine, job_id), "the slow answer to be stored")
        assert status.call_count == 1
        assert polling.is_leader and not standby.is_leader
        assert (polling.polls_sent, standby.polls_sent) == (1, 0)
    finally:
        await standby.stop()
        await polling.stop()


def polled(engine: Engine, job_id: int) -> bool:
    with Session(engine) as fresh:
        job = fresh.get(Job, job_id)
        return job is not None and job.status == "processing"


async def eventually(condition: Callable[[], object], what: str, within: float = 10.0) -> None:
    """Bounded condition polling (the suites' only way of waiting)."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"timed out after {within:g} s waiting for {what}")
        await asyncio.sleep(0.02)
