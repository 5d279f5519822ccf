"""Render changed vs a full re-dub: a 60 s two-speaker video, every line voiced and rendered
once in the dashboard, then 3 lines' translations edited. Printed side by side, for the same
project: "Render changed" (a take for each of the 3 lines, then the local ffmpeg mix), the
mix alone (a render with nothing changed), against a full re-dub through OrangeClone's
`dubbing_clone` (the whole media again): each way's wall time (from the click to the file
being there) and the credits the sandbox charged.

A real sandbox over HTTP and the dashboard's own services and tracker on a fresh SQLite
database, as the page runs them (the render's runner is the one the page uses, awaited here).

Run from the repository root:
    .venv/bin/python -m bench.segment_render
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from orangeweb import db  # noqa: E402
from orangeweb.models import Environment, KeyScope, Tier  # noqa: E402
from orangeweb.models.dubbing import DubbingProject  # noqa: E402
from orangeweb.services import characters  # noqa: E402
from orangeweb.services.accounts.identity import CurrentUser  # noqa: E402
from orangeweb.services.dubbing import projects, review, voices  # noqa: E402
from orangeweb.services.dubbing.render_plans import render_plan  # noqa: E402
from orangeweb.services.dubbing.render_runs import run_render, start_render  # noqa: E402
from orangeweb.services.dubbing.review import SegmentChange  # noqa: E402
from orangeweb.services.dubbing.views import DubbingProjectView, get_project  # noqa: E402
from orangeweb.services.jobs.notices import get_notice_bus  # noqa: E402
from orangeweb.services.keys.store import add_api_key  # noqa: E402
from orangeweb.services.media.upload import MediaUploadWriter  # noqa: E402
from orangeweb.services.tracker.loop import Tracker  # noqa: E402
from orangeweb.services.tracker.policy import Pace, PollPolicy  # noqa: E402
from tests.support.database import sign_up_owner  # noqa: E402
from tests.support.media import make_dialogue_video, make_speech  # noqa: E402
from tests.support.sandbox_server import SandboxServer  # noqa: E402
from tests.unit.services.support import RecordingVerifier  # noqa: E402

SECONDS = 60.0
CHANGED = 3
FAST = Pace(shortest=0.2, growth=0.1, longest=1.0)
POLICY = PollPolicy(
    paces={"voice": FAST, "dubbing": FAST}, awaiting_input_seconds=0.5, error_base_seconds=0.5
)


async def _until(session: Session, actor: CurrentUser, project_id: int, *statuses: str) -> None:
    async with asyncio.timeout(600), get_notice_bus().subscribe(actor.team_id) as notices:
        while get_project(session, actor, project_id).status not in (*statuses, "failed"):
            await anext(notices)


async def _archived(session: Session, actor: CurrentUser, project_id: int) -> None:
    async with asyncio.timeout(600), get_notice_bus().subscribe(actor.team_id) as notices:
        while True:
            project = session.get(DubbingProject, project_id, populate_existing=True)
            if project is not None and project.output_path:
                return
            await anext(notices)


async def _render(session: Session, actor: CurrentUser, project_id: int, key: str) -> float:
    started = time.perf_counter()
    runs: list = []
    await start_render(session, actor, project_id, submission_key=key, runner=runs.append)
    await run_render(runs[0])
    view = get_project(session, actor, project_id)
    assert view.render.state == "rendered", view.render.error
    return time.perf_counter() - started


async def _measure(session: Session, sandbox: SandboxServer, workdir: Path) -> None:
    owner = sign_up_owner(session)
    secret = sandbox.issue_key(tier="enterprise", credits=100_000)
    key = await add_api_key(
        session, owner, "bench", secret, Environment.SANDBOX, Tier.ENTERPRISE, KeyScope.TEAM,
        RecordingVerifier(),
    )  # fmt: skip
    names = {"speaker_1": ("Host", 110.0), "speaker_2": ("Guest", 210.0)}
    made = {}
    for speaker, (name, pitch) in names.items():
        sample = make_speech(
            workdir / f"{name}.wav",
            "Hello there, this is how my voice sounds when I read a few sentences aloud today.",
            pitch,
        )
        made[speaker] = (
            await characters.create_character(session, owner, key.id, name, "adventurer", sample)
        ).id
    video = workdir / "talk.mp4"
    make_dialogue_video(video, SECONDS)
    with MediaUploadWriter(owner.team_id) as writer:
        writer.write(video.read_bytes(), offset=0)
        stored = writer.finish()
    created = await projects.create_project(session, owner, key.id, stored, "talk.mp4")
    await projects.start_dubbing(session, owner, created.id, lambda _sent, _total: None)
    await _until(session, owner, created.id, "transcribed")
    voices.set_voices(session, owner, created.id, made)
    await review.translate(session, owner, created.id, "es")
    await _until(session, owner, created.id, "translated")
    view: DubbingProjectView = get_project(session, owner, created.id)
    lines = len(view.segments)
    first_s = await _render(session, owner, created.id, "first")

    view = get_project(session, owner, created.id)
    chosen = view.segments[:: max(1, lines // CHANGED)][:CHANGED]
    await review.edit_segments(
        session, owner, created.id,
        [SegmentChange(s.id, translated_text=f"Una frase nueva, la número {n}.") for n, s in enumerate(chosen)],  # noqa: E501
    )  # fmt: skip
    plan = render_plan(session, owner, created.id)
    credits_before = sandbox.credits(secret)
    changed_s = await _render(session, owner, created.id, "changed")
    changed_credits = credits_before - sandbox.credits(secret)

    mix_s = await _render(session, owner, created.id, "again")  # nothing changed: the mix alone

    credits_before = sandbox.credits(secret)
    started = time.perf_counter()
    await review.clone(session, owner, created.id)
    await _until(session, owner, created.id, "completed")
    await _archived(session, owner, created.id)
    full_s = time.perf_counter() - started
    full_credits = credits_before - sandbox.credits(secret)

    rows = [
        (f"render changed ({CHANGED} takes + mix)", changed_s, changed_credits, plan.take_credits),
        ("re-render, nothing changed (mix)", mix_s, 0, 0),
        ("full re-dub (dubbing_clone)", full_s, full_credits, plan.full_redub_credits),
    ]
    print(f"{SECONDS:.0f} s video, {lines} lines, {CHANGED} changed")
    print(f"first render of every line: {first_s:.1f} s")
    print(f"{'way':<34}{'wall time':>12}{'credits':>10}{'estimated':>11}")
    for way, seconds, charged, estimated in rows:
        print(f"{way:<34}{seconds:>10.1f} s{charged:>10}{estimated:>11}")
    time_ratio = full_s / changed_s
    credit_ratio = full_credits / max(changed_credits, 1)
    print(f"full / changed: time {time_ratio:.1f}x, credits {credit_ratio:.1f}x")


async def run(workdir: Path) -> None:
    os.environ["ORANGEWEB_DATA_DIR"] = str(workdir / "data")
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    with SandboxServer(workdir / "sandbox") as sandbox:
        os.environ["ORANGEWEB_SANDBOX_URL"] = sandbox.base_url
        db.create_tables()
        tracker = Tracker(engine=db.get_engine(), data_dir=workdir / "data", policy=POLICY)
        await tracker.start()
        try:
            with db.open_session() as session:
                await _measure(session, sandbox, workdir)
        finally:
            await tracker.stop()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="orangeweb-bench-render-") as folder:
        asyncio.run(run(Path(folder)))
