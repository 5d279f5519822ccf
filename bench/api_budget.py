"""API budget of the job tracker: N jobs watched by M open pages, against the sandbox, per key
tier, with the old poll schedule (by age alone) beside the new one (around each job's expected
finish), in one run.

The tracker's figures are counted by the sandbox itself (every `/api` request it answered).
Beside them: what the vendor's snippet style (every open tab polls every running job every 3 s
until it is done) would send for the same jobs, from each job's own lifetime as the sandbox
reports it (createdAt -> completedAt), printed as a ratio.

The sandbox renders a short line in a fraction of a second; real jobs take longer. With
`--job-seconds S` the sandbox holds every job for S seconds (its test hook) before finishing
it, standing in for real processing time. "Noticed after" is how long after the sandbox
finished a job (its `completedAt`) the dashboard's row turned final (its `completed_at`): the
price of polling less.

Each (tier, schedule) runs in a process of its own (its own sandbox, database and tracker), in
`--rounds` rounds of `--jobs` jobs on one key and one tracker; a round starts once the key's
minute has room for all its jobs. Round 1: nothing learned yet (a new key, or a restarted
tracker); later rounds: the tracker has seen the earlier rounds finish (the steady state of a
deployment). The age schedule learns nothing, so its rounds only repeat. The runs go one after
another by default (about 15 minutes): on a small machine, runs side by side (`--parallel`)
slow the sandboxes' rendering, and every figure with it.

Run from the repository root:
    .venv/bin/python -m bench.api_budget --jobs 6 --pages 4 --job-seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

NAIVE_INTERVAL_S = 3.0
REPO = Path(__file__).resolve().parents[1]
TIERS = ("free", "pro", "enterprise")
SCHEDULES = ("age", "finish")  # PollPolicy(finish=None), and the default policy
RESULT = "RESULT "


def _setup_environment(work: Path, sandbox_url: str) -> None:
    os.environ["ORANGEWEB_DATA_DIR"] = str(work / "data")
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{work / 'bench.db'}"
    os.environ["ORANGEWEB_SANDBOX_URL"] = sandbox_url
    for name in ("ORANGEWEB_PUBLIC_URL", "REFLEX_REDIS_URL", "ORANGEWEB_SECRET_KEYS"):
        os.environ.pop(name, None)


async def _run(options: argparse.Namespace, tier: str, schedule: str, work: Path) -> list[dict]:
    import tests.support.sandbox_server as sandbox_server
    from orangeweb.sandbox import create_app
    from tests.integration.jobs.request_log import RequestLog

    log = RequestLog()
    sandbox_server.create_app = lambda config: log.wrap(create_app(config))  # type: ignore[attr-defined]
    with sandbox_server.SandboxServer(work / "sandbox") as sandbox:
        _setup_environment(work, sandbox.base_url)
        return await _measure(sandbox, log, options, tier, schedule)


async def _measure(
    sandbox: Any, log: Any, options: argparse.Namespace, tier: str, schedule: str
) -> list[dict]:
    from sqlmodel import Session

    from orangeweb import db
    from orangeweb.models import Environment, KeyScope, Tier
    from orangeweb.services import characters, jobs
    from orangeweb.services.accounts import auth
    from orangeweb.services.jobs.notices import get_notice_bus
    from orangeweb.services.keys.store import add_api_key, open_client
    from orangeweb.services.tracker.loop import Tracker
    from orangeweb.services.tracker.policy import DEFAULT_POLICY, PollPolicy
    from tests.support.media import make_speech

    engine = db.get_engine()
    db.create_tables(engine)

    async def accept(secret: str, environment: Environment, key_tier: Tier) -> None:
        return None  # issued by the sandbox a moment ago: no verification request to count

    policy = DEFAULT_POLICY if schedule == "finish" else PollPolicy(finish=None)
    results: list[dict] = []
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
        refreshes = [0] * options.pages

        async def page(number: int) -> None:  # a page re-reads rows on each notice: no API call
            async with bus.subscribe(owner.team_id) as notices:
                async for _ in notices:
                    with Session(engine) as fresh:
                        jobs.list_jobs(fresh, owner)
                    refreshes[number] += 1

        page_tasks = [asyncio.create_task(page(number)) for number in range(options.pages)]
        tracker = Tracker(engine=engine, bus=bus, policy=policy)
        await tracker.start()
        for round_number in range(1, options.rounds + 1):
            async with open_client(session, owner, key.id) as client:
                # Like a person, send the round's jobs at once: once the key's minute has room
                # for all of them (the earlier round's polls may still fill a Free key's).
                await asyncio.sleep(client.budget.wait_time(keep_free=options.jobs - 1))
            before = len(log.snapshot())
            started = time.monotonic()
            if options.job_seconds > 0:
                sandbox.hold_jobs(True)
            ids = []
            for number in range(options.jobs):
                text = f"Scene {number}: the benchmark reads a sentence of ordinary length aloud."
                view = await jobs.submit_voice(
                    session,
                    owner,
                    key.id,
                    text,
                    [character.id],
                    submission_key=f"bench-{round_number}-{number}",
                )
                ids.append(view.id)
            if options.job_seconds > 0:
                await asyncio.sleep(options.job_seconds)  # the stand-in for processing time
                sandbox.hold_jobs(False)
            while True:  # bounded by the jobs finishing (the tracker has its own pacing)
                with Session(engine) as fresh:
                    if all(jobs.get_job(fresh, owner, job_id).job.is_final for job_id in ids):
                        break
                if time.monotonic() - started > 1800:
                    raise TimeoutError("jobs did not finish within 30 minutes")
                await asyncio.sleep(0.05)
            elapsed = time.monotonic() - started
            with Session(engine) as fresh:
                seen_at = {
                    view.remote_id: view.completed_at
                    for view in (jobs.get_job(fresh, owner, job_id).job for job_id in ids)
                }
            entries = log.snapshot()[before:]
            results.append(_figures(entries, options, round_number, elapsed, seen_at))
        await tracker.stop()
        for task in page_tasks:
            task.cancel()
        await asyncio.gather(*page_tasks, return_exceptions=True)
    return results


def _finished(entries: list[Any]) -> dict[str, tuple[datetime, datetime]]:
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


def _figures(
    entries: list[Any],
    options: argparse.Namespace,
    round_number: int,
    elapsed: float,
    seen_at: dict[str | None, datetime | None],
) -> dict:
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
    naive_polls = options.pages * sum(
        max(1, math.ceil(life / NAIVE_INTERVAL_S)) for life in lifetimes
    )
    return {
        "round": round_number,
        "elapsed": elapsed,
        "lifetime": sum(lifetimes) / max(len(lifetimes), 1),
        "lags": sorted(lags),
        "polls": polls,
        "submits": submits,
        "naive_polls": naive_polls,
        "rate_limited": statuses.count(429),
    }


def quantile(values: list[float], q: float) -> float:
    """The q-quantile, interpolated between order statistics (numpy's "linear")."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _report(options: argparse.Namespace, rows: list[tuple[str, str, dict]]) -> None:
    print(
        f"api budget: {options.jobs} jobs x {options.pages} open pages, "
        f"{options.job_seconds:g} s jobs, {options.rounds} rounds per tier and schedule "
        "(round 1: nothing learned yet; later: learned from the rounds before)"
    )
    header = (
        f"  {'tier':<11}{'schedule':<9}{'round':>5}{'lifetime':>9}  {'noticed after (s)':>20}"
        f"{'req/job':>9}{'status/job':>11}{'naive/job':>10}{'naive/tracker':>14}{'429':>5}"
    )
    print(header)
    print(f"  {'':<34}{'p50   p95   max':>20}")
    for tier, schedule, figures in rows:
        lags, jobs_count = figures["lags"], options.jobs
        tracked = figures["polls"] + figures["submits"]
        naive = figures["naive_polls"] + figures["submits"]
        noticed = " ".join(f"{quantile(lags, q):5.2f}" for q in (0.5, 0.95, 1.0))
        print(
            f"  {tier:<11}{schedule:<9}{figures['round']:>5}{figures['lifetime']:>8.1f}s"
            f"  {noticed:>20}{tracked / jobs_count:>9.2f}{figures['polls'] / jobs_count:>11.2f}"
            f"{naive / jobs_count:>10.1f}{naive / max(tracked, 1):>13.1f}x"
            f"{figures['rate_limited']:>5}"
        )


def _child(options: argparse.Namespace) -> None:
    tier, schedule = options.child
    with tempfile.TemporaryDirectory(prefix="orangeweb-bench-") as work:
        results = asyncio.run(_run(options, tier, schedule, Path(work)))
    print(RESULT + json.dumps({"tier": tier, "schedule": schedule, "rounds": results}))


def _spawn(options: argparse.Namespace, tier: str, schedule: str) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.api_budget",
        *("--jobs", str(options.jobs), "--pages", str(options.pages)),
        *("--job-seconds", str(options.job_seconds), "--rounds", str(options.rounds)),
        *("--child", tier, schedule),
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line.removeprefix(RESULT))
    raise RuntimeError(f"{tier}/{schedule} failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--job-seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tiers", default=",".join(TIERS), help="comma-separated")
    parser.add_argument("--schedules", default=",".join(SCHEDULES), help="comma-separated")
    parser.add_argument("--parallel", type=int, default=1, help="runs at once")
    parser.add_argument("--child", nargs=2, metavar=("TIER", "SCHEDULE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if options.child:
        _child(options)
        return
    runs = [
        (tier, schedule)
        for tier in options.tiers.split(",")
        for schedule in options.schedules.split(",")
    ]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, options.parallel)) as pool:
        results = list(pool.map(lambda run: _spawn(options, *run), runs))
    rows = [(r["tier"], r["schedule"], figures) for r in results for figures in r["rounds"]]
    _report(options, rows)
    print(f"  ({len(runs)} runs, {options.parallel} at a time, {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
