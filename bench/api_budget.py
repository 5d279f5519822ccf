"""API budget of the job tracker: N jobs watched by M open pages, against the sandbox.

The tracker's figures are counted by the sandbox itself (every `/api` request it answered).
Beside them: what the vendor's snippet style (every open tab polls every running job every 3 s
until it is done) would send for the same jobs, from each job's own lifetime as the sandbox
reports it (createdAt -> completedAt), printed as a ratio.

The sandbox renders a short line in a fraction of a second; real jobs take longer. With
`--job-seconds S` the sandbox holds every job for S seconds (its test hook) before finishing
it, standing in for real processing time. "Noticed after" is how long after the sandbox
finished a job the tracker saw it: the price of polling less.

Run from the repository root:
    .venv/bin/python -m bench.api_budget --jobs 6 --pages 4 --tier pro --job-seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

NAIVE_INTERVAL_S = 3.0


def _setup_environment(work: Path, sandbox_url: str) -> None:
    os.environ["ORANGEWEB_DATA_DIR"] = str(work / "data")
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{work / 'bench.db'}"
    os.environ["ORANGEWEB_SANDBOX_URL"] = sandbox_url
    for name in ("ORANGEWEB_PUBLIC_URL", "REFLEX_REDIS_URL", "ORANGEWEB_SECRET_KEYS"):
        os.environ.pop(name, None)


async def _run(jobs_count: int, pages: int, tier: str, hold: float, work: Path) -> None:
    import tests.support.sandbox_server as sandbox_server
    from orangeweb.sandbox import create_app
    from tests.integration.jobs.request_log import RequestLog

    log = RequestLog()
    sandbox_server.create_app = lambda config: log.wrap(create_app(config))  # type: ignore[attr-defined]
    with sandbox_server.SandboxServer(work / "sandbox") as sandbox:
        _setup_environment(work, sandbox.base_url)
        await _measure(sandbox, log, jobs_count, pages, tier, hold)


async def _measure(
    sandbox: object, log: object, jobs_count: int, pages: int, tier: str, hold: float
) -> None:
    from sqlmodel import Session

    from orangeweb import db
    from orangeweb.models import Environment, KeyScope, Tier
    from orangeweb.services import characters, jobs
    from orangeweb.services.accounts import auth
    from orangeweb.services.jobs.notices import get_notice_bus
    from orangeweb.services.keys.store import add_api_key, open_client
    from orangeweb.services.tracker.loop import Tracker
    from tests.integration.jobs.request_log import RequestLog
    from tests.support.media import make_speech
    from tests.support.sandbox_server import SandboxServer

    assert isinstance(sandbox, SandboxServer) and isinstance(log, RequestLog)
    engine = db.get_engine()
    db.create_tables(engine)

    async def accept(secret: str, environment: Environment, key_tier: Tier) -> None:
        return None  # issued by the sandbox a moment ago: no verification request to count

    with Session(engine, expire_on_commit=False) as session:
        owner = auth.sign_up_first(
            session, "Bench", "bench@example.com", "Bench", "a long password"
        )
        secret = sandbox.issue_key(tier=tier, credits=100_000)
        key = await add_api_key(
            session, owner, "bench", secret, Environment.SANDBOX, Tier(tier), KeyScope.TEAM, accept
        )
        sample = make_speech(
            sandbox.data_dir / "voice.wav",
            "Hello there, this is the voice of the benchmark, reading a sample aloud.",
        )
        character = await characters.create_character(
            session, owner, key.id, "Bench Voice", "adventurer", sample, opener=open_client
        )
        bus = get_notice_bus()
        refreshes = [0] * pages

        async def page(number: int) -> None:  # a page re-reads rows on each notice: no API call
            async with bus.subscribe(owner.team_id) as notices:
                async for _ in notices:
                    with Session(engine) as fresh:
                        jobs.list_jobs(fresh, owner)
                    refreshes[number] += 1

        page_tasks = [asyncio.create_task(page(number)) for number in range(pages)]
        tracker = Tracker(engine=engine, bus=bus)
        await tracker.start()
        before = len(log.snapshot())
        started = time.monotonic()
        if hold > 0:
            sandbox.hold_jobs(True)
        ids = []
        for number in range(jobs_count):
            text = f"Scene {number}: the benchmark reads a sentence of ordinary length aloud."
            view = await jobs.submit_voice(
                session, owner, key.id, text, [character.id], submission_key=f"bench-{number}"
            )
            ids.append(view.id)
        if hold > 0:
            await asyncio.sleep(hold)  # the stand-in for processing time, not a wait for a result
            sandbox.hold_jobs(False)
        while True:  # bounded by the jobs finishing (the tracker has its own pacing)
            with Session(engine) as fresh:
                if all(jobs.get_job(fresh, owner, job_id).job.is_final for job_id in ids):
                    break
            if time.monotonic() - started > 1800:
                raise TimeoutError("jobs did not finish within 30 minutes")
            await asyncio.sleep(0.2)
        elapsed = time.monotonic() - started
        with Session(engine) as fresh:
            seen_at = {
                view.remote_id: view.completed_at
                for view in (jobs.get_job(fresh, owner, job_id).job for job_id in ids)
            }
        await tracker.stop()
        for task in page_tasks:
            task.cancel()
        await asyncio.gather(*page_tasks, return_exceptions=True)
    _report(log.snapshot()[before:], jobs_count, pages, tier, elapsed, refreshes, seen_at)


def _finished(entries: list[object]) -> dict[str, tuple[datetime, datetime]]:
    """Remote job id -> (createdAt, completedAt), from each job's final status answer."""
    times: dict[str, tuple[datetime, datetime]] = {}
    for entry in entries:
        path = getattr(entry, "path", "")
        if getattr(entry, "method", "") != "GET" or not path.startswith("/voices/"):
            continue
        data = json.loads(getattr(entry, "body", b"{}") or b"{}").get("data", {})
        if data.get("completedAt") and data.get("createdAt"):
            times[path.removeprefix("/voices/")] = (
                datetime.fromisoformat(data["createdAt"].replace("Z", "+00:00")),
                datetime.fromisoformat(data["completedAt"].replace("Z", "+00:00")),
            )
    return times


def _row(label: str, tracked: float, naive: float, digits: int = 0) -> None:
    print(f"  {label:28}{tracked:>10.{digits}f}{naive:>16.{digits}f}")


def _report(
    entries: list[object],
    jobs_count: int,
    pages: int,
    tier: str,
    elapsed: float,
    refreshes: list[int],
    seen_at: dict[str | None, datetime | None],
) -> None:
    statuses = [getattr(e, "status", 0) for e in entries]
    polls = sum(1 for e in entries if getattr(e, "path", "").startswith("/voices/"))
    submits = sum(1 for e in entries if getattr(e, "path", "") == "/voices_clone")
    finished = _finished(entries)
    lifetimes = [(end - start).total_seconds() for start, end in finished.values()]
    lags = [
        (seen - end).total_seconds()
        for remote_id, (_, end) in finished.items()
        if (seen := seen_at.get(remote_id)) is not None
    ]
    naive_polls = pages * sum(max(1, math.ceil(life / NAIVE_INTERVAL_S)) for life in lifetimes)
    minutes = elapsed / 60
    tracked_total, naive_total = polls + submits, naive_polls + submits
    print(f"api budget: {jobs_count} jobs x {pages} open pages, {tier} key, {elapsed:.1f} s")
    print(f"  job lifetime (sandbox): mean {sum(lifetimes) / max(len(lifetimes), 1):.1f} s; "
          f"noticed after: mean {sum(lags) / max(len(lags), 1):.1f} s, "
          f"max {max(lags, default=0):.1f} s")  # fmt: skip
    print(f"  429 answers: {statuses.count(429)}; page refreshes (DB only): {sum(refreshes)}")
    print(f"  {'':28}{'tracker':>10}{'naive 3 s/tab':>16}")
    _row("status requests", polls, naive_polls)
    _row("all API requests", tracked_total, naive_total)
    _row("requests per minute", tracked_total / minutes, naive_total / minutes, 1)
    _row("requests per completed job", tracked_total / jobs_count, naive_total / jobs_count, 2)
    print(f"  naive / tracker: {naive_total / tracked_total:.1f}x all requests, "
          f"{naive_polls / max(polls, 1):.1f}x status requests")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--tier", choices=["free", "pro", "enterprise"], default="pro")
    parser.add_argument("--job-seconds", type=float, default=60.0)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory(prefix="orangeweb-bench-") as work:
        asyncio.run(_run(args.jobs, args.pages, args.tier, args.job_seconds, Path(work)))


if __name__ == "__main__":
    main()
