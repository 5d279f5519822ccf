"""The tracker against the sandbox over real HTTP: restart, two trackers, an outage, the
archive and the output route."""

from __future__ import annotations

import itertools
import json
import logging
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette

from orangeweb.models import utcnow
from orangeweb.routes import jobs as job_routes
from orangeweb.services import jobs
from orangeweb.services.accounts import sessions
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.media import archive
from tests.support.database import add_rival_team
from tests.support.jobs import add_submitting_row
from tests.support.sandbox_server import SandboxServer

from .conftest import (
    Key,
    RequestLog,
    StartTracker,
    add_character,
    add_key,
    all_final,
    job_rows,
    wait_until,
)


async def submit(session: Session, owner: CurrentUser, key: int, character: int, n: int) -> int:
    view = await jobs.submit_voice(
        session, owner, key, f"Job number {n} speaks.", [character], submission_key=f"job-{n}"
    )
    assert view.status == "queued", view.error
    return view.id


def polls_by_job(log: RequestLog, engine: Engine, since: float = 0.0) -> dict[int, list[str]]:
    """Job id -> the statuses the sandbox answered to each GET /voices/{id} after `since`."""
    remote_to_local = {row.remote_id: row.id for row in job_rows(engine) if row.id}
    answered: dict[int, list[str]] = {}
    for entry in log.matching("GET", "/voices/"):
        if entry.at < since:
            continue
        job_id = remote_to_local[entry.path.removeprefix("/voices/")]
        status = json.loads(entry.body)["data"]["status"] if entry.status == 200 else "error"
        answered.setdefault(job_id, []).append(status)
    return answered


async def test_restart_in_the_middle_of_jobs(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    request_log: RequestLog,
    trackers: StartTracker,
    enterprise_key: Key,
    alex: int,
) -> None:
    key = enterprise_key
    first = await trackers(holder="before", lease_ttl=2.0)
    early = [await submit(session, owner, key.id, alex, n) for n in range(2)]
    await wait_until(lambda: all_final(engine, early), 60, "the early jobs")

    sandbox.hold_jobs(True)  # the next jobs stay queued/processing until released
    late = [await submit(session, owner, key.id, alex, n) for n in range(2, 6)]
    await wait_until(
        lambda: all(row.poll_count >= 1 for row in job_rows(engine, late)), 30, "a first poll"
    )
    # A submission cut short by the crash: its row was written, its POST never answered.
    ten_minutes_ago = utcnow() - timedelta(minutes=10)
    stuck = add_submitting_row(
        session,
        owner,
        key.id,
        "cut-short",
        title="cut short",
        created_at=ten_minutes_ago,
        updated_at=ten_minutes_ago,
    )

    await first.stop(release=False)  # a crash: the lease stays until it lapses
    restarted_at = time.monotonic()
    second = await trackers(holder="after", lease_ttl=2.0)
    sandbox.hold_jobs(False)
    await wait_until(lambda: all_final(engine, [*late, stuck]), 60, "every job after restart")

    rows = {row.id: row for row in job_rows(engine)}
    assert all(rows[job_id].status == "completed" for job_id in early + late)
    assert rows[stuck].status == "unknown"
    assert "stopped while submitting" in (rows[stuck].error or "")
    after = polls_by_job(request_log, engine, since=restarted_at)
    assert not any(job_id in after for job_id in early)  # finished before: never polled again
    for job_id in late:
        answers = after[job_id]
        # Polled until final, and not once more: the final answer is the last one.
        assert answers[-1] == "completed" and answers.count("completed") == 1, answers
    assert sum(len(answers) for answers in after.values()) == second.polls_sent
    before = polls_by_job(request_log, engine)
    for job_id in early:
        assert before[job_id].count("completed") == 1 and before[job_id][-1] == "completed"


async def test_two_trackers_at_once_only_one_polls(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    request_log: RequestLog,
    trackers: StartTracker,
    enterprise_key: Key,
    alex: int,
) -> None:
    key = enterprise_key
    one = await trackers(holder="worker-1", lease_ttl=2.0)
    two = await trackers(holder="worker-2", lease_ttl=2.0)
    batch = [await submit(session, owner, key.id, alex, n) for n in range(5)]
    await wait_until(lambda: all_final(engine, batch), 60, "five jobs")
    leader, standby = (one, two) if one.polls_sent else (two, one)
    assert leader.polls_sent > 0 and standby.polls_sent == 0
    assert len(request_log.matching("GET", "/voices/")) == leader.polls_sent
    assert not standby.is_leader

    await leader.stop(release=False)  # the polling worker dies
    more = [await submit(session, owner, key.id, alex, n) for n in range(5, 7)]
    await wait_until(lambda: all_final(engine, more), 60, "jobs after the leader died")
    assert standby.is_leader and standby.polls_sent > 0
    assert all(row.status == "completed" for row in job_rows(engine, batch + more))


async def test_an_outage_is_backed_off_and_recovered_from(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    request_log: RequestLog,
    trackers: StartTracker,
    enterprise_key: Key,
    alex: int,
) -> None:
    key = enterprise_key
    batch = [await submit(session, owner, key.id, alex, n) for n in range(3)]
    sandbox.inject_fault(503, seconds=12, path_prefix="/voices/")
    await trackers()
    await wait_until(lambda: all_final(engine, batch), 90, "recovery")

    polls = request_log.matching("GET", "/voices/")
    failures = [entry for entry in polls if entry.status == 503]
    # Three jobs due every 2 s would be ~18 requests in 12 s; the key backs off instead.
    assert 1 <= len(failures) <= 3
    gaps = [b.at - a.at for a, b in itertools.pairwise(failures)]
    assert all(gap >= 4.5 for gap in gaps), gaps
    assert gaps == sorted(gaps)  # growing
    rows = job_rows(engine, batch)
    assert all(row.status == "completed" and row.error_streak == 0 for row in rows)
    assert sum(1 for entry in polls if entry.status == 200) == 3  # one answer each, final


def signed_in(raw_session: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={raw_session}"}


def _rival_session(session: Session) -> str:
    rival = add_rival_team(session)
    return sessions.start_session(session, rival.user_id, rival.team_id, "127.0.0.1", "pytest")


async def test_a_completed_output_is_archived_and_served(
    caplog: pytest.LogCaptureFixture,
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    trackers: StartTracker,
    voice_sample: Path,
    data_dir: Path,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything httpx, the SDK and the tracker log
    key = await add_key(session, owner, sandbox, "enterprise")
    alex = await add_character(session, owner, key.id, voice_sample)
    tracker = await trackers()
    archived_id = await submit(session, owner, key.id, alex, 1)
    await wait_until(
        lambda: job_rows(engine, [archived_id])[0].output_path, 60, "the archived output"
    )
    [row] = job_rows(engine, [archived_id])
    path = data_dir / str(row.output_path)
    assert path.parent == data_dir / "archive" / str(owner.team_id) / str(archived_id)
    duration = archive.probe_duration(path)
    assert duration is not None and duration > 0.5
    assert row.duration_s is not None and abs(row.duration_s - duration) < 0.5

    raw_session = sessions.start_session(session, owner.user_id, owner.team_id, "::1", "pytest")
    rival_session = _rival_session(session)
    app = Starlette(routes=job_routes.routes)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://dashboard.test"
    ) as browser:
        url = f"/media/jobs/{archived_id}/output"
        assert (await browser.get(url)).status_code == 401
        answer = await browser.get(url, headers=signed_in(raw_session))
        assert answer.status_code == 200 and answer.content == path.read_bytes()
        assert answer.headers["content-type"] == "audio/mpeg"
        assert (await browser.get(url, headers=signed_in(rival_session))).status_code == 404

        # With the archive off, the output is streamed from the sandbox through the server.
        archive.set_archive_outputs(session, owner, False)
        streamed_id = await submit(session, owner, key.id, alex, 2)
        await wait_until(lambda: all_final(engine, [streamed_id]), 60, "the second job")
        await tracker.idle()
        [streamed_row] = job_rows(engine, [streamed_id])
        assert streamed_row.output_path is None and streamed_row.remote_output_url
        answer = await browser.get(
            f"/media/jobs/{streamed_id}/output", headers=signed_in(raw_session)
        )
        assert answer.status_code == 200 and len(answer.content) > 1000
        assert answer.headers["content-type"] == "audio/mpeg"
        assert sandbox.base_url.split("/api")[0] not in json.dumps(dict(answer.headers))
        assert not (data_dir / "archive" / str(owner.team_id) / str(streamed_id)).exists()

    # No secret reached a log: not the key, not a signed URL's token.
    tokens = [
        str(r.remote_output_url).split("/files/")[1].split("/")[0] for r in (row, streamed_row)
    ]
    assert key.secret not in caplog.text
    assert not any(token in caplog.text for token in tokens)
    assert "/files/[redacted]/" in caplog.text  # httpx did log the downloads, redacted
