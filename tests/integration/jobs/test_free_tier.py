"""20 jobs on one Free-tier key (10 requests a minute) with 5 pages open: no 429, every job
final, and the pages cost no request at all (counted by the sandbox itself).

This takes real minutes: 1 character + 20 submissions + at least one poll per job is over
40 requests, four sliding minutes at 10 a minute. Nothing is slept: the test waits on
conditions, the tracker and the pacing wait on the key's window.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import JobNotice, NoticeBus
from tests.support.sandbox_server import SandboxServer

from .conftest import (
    RequestLog,
    StartTracker,
    add_character,
    add_key,
    all_final,
    job_rows,
    wait_until,
)

JOBS = 20
PAGES = 5
WINDOW = 60.0


async def test_twenty_jobs_on_a_free_key_with_five_pages_open(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    request_log: RequestLog,
    trackers: StartTracker,
    bus: NoticeBus,
    voice_sample: Path,
) -> None:
    key = await add_key(session, owner, sandbox, "free", credits=1000)
    alex = await add_character(session, owner, key.id, voice_sample)
    seen: list[list[JobNotice]] = [[] for _ in range(PAGES)]
    subscribed = asyncio.Semaphore(0)

    async def page(number: int) -> None:
        """What a page does with a notice: re-read its rows from the database, nothing else."""
        async with bus.subscribe(owner.team_id) as notices:
            subscribed.release()
            async for notice in notices:
                seen[number].append(notice)
                with Session(engine) as fresh:
                    jobs.list_jobs(fresh, owner)
                    jobs.get_job(fresh, owner, notice.job_id)

    pages = [asyncio.create_task(page(number)) for number in range(PAGES)]
    for _ in range(PAGES):
        await asyncio.wait_for(subscribed.acquire(), 5)
    tracker = await trackers()
    started = time.monotonic()
    ids: list[int] = []
    for number in range(JOBS):
        view = await jobs.submit_voice(
            session, owner, key.id, f"Line {number}.", [alex], submission_key=f"free-{number}"
        )
        assert view.status == "queued", view.error
        ids.append(view.id)
    await wait_until(lambda: all_final(engine, ids), 480, "twenty jobs on a free key", 0.5)
    elapsed = time.monotonic() - started

    def finals(number: int) -> set[int]:
        return {n.job_id for n in seen[number] if n.is_final}

    await wait_until(lambda: all(finals(n) == set(ids) for n in range(PAGES)), 10, "pages")
    for task in pages:
        task.cancel()
    await asyncio.gather(*pages, return_exceptions=True)

    log = request_log.snapshot()
    assert [entry for entry in log if entry.status == 429] == []
    assert all(row.status == "completed" for row in job_rows(engine, ids))
    creates = [e for e in log if e.method == "POST" and e.path == "/characters/create"]
    posts = [e for e in log if e.method == "POST" and e.path == "/voices_clone"]
    polls = [e for e in log if e.method == "GET" and e.path.startswith("/voices/")]
    assert (len(creates), len(posts), len(polls)) == (1, JOBS, tracker.polls_sent)
    # Everything the sandbox saw is the character, the submissions and the tracker's polls:
    # five open pages added nothing.
    assert len(log) == 1 + JOBS + tracker.polls_sent
    busiest = max(sum(1 for e in log if first.at <= e.at < first.at + WINDOW) for first in log)
    assert busiest <= 10
    print(
        f"\n{JOBS} jobs, {PAGES} pages, free key: {len(log)} API requests "
        f"({tracker.polls_sent} polls, {tracker.polls_sent / JOBS:.2f} per job) "
        f"in {elapsed:.0f} s; busiest minute {busiest}; 429s: 0"
    )
