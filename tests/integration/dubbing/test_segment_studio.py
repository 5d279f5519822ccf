"""The segment studio against the real sandbox, with the real tracker: a generated two-speaker
video is transcribed and translated, every line voiced and rendered here; then segments are
merged, split, retimed and reassigned and two translations edited, and "Render changed" makes
takes only for the changed lines (counted at the sandbox), keeping every other slot's audio."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import numpy as np
from sqlmodel import Session

from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import projects, review, segment_edits, takes, voices
from orangeweb.services.dubbing.render_plans import render_plan
from orangeweb.services.dubbing.render_runs import run_render, start_render
from orangeweb.services.dubbing.review import SegmentChange
from orangeweb.services.dubbing.views import DubbingProjectView, SegmentView, get_project
from orangeweb.services.tracker.loop import Tracker
from tests.integration.sdk.helpers import container_seconds, video_digest
from tests.support.media import decode_mono
from tests.support.sandbox_server import SandboxServer

from .conftest import add_sandbox_key, store_upload, wait_for

RATE = 16_000


async def _render(
    session: Session, actor: CurrentUser, project_id: int, key: str, data_dir: Path
) -> DubbingProjectView:
    """Start a render and run it to its end here (the app runs it on a thread of its own)."""
    runs: list[Coroutine[Any, Any, None]] = []
    await start_render(
        session, actor, project_id, submission_key=key, data_dir=data_dir,
        runner=lambda run: runs.append(run_render(run)),
    )  # fmt: skip
    (run,) = runs
    await asyncio.wait_for(run, 300)
    view = get_project(session, actor, project_id)
    assert view.render.state == "rendered", view.render.error
    return view


def _render_path(session: Session, project_id: int, data_dir: Path) -> Path:
    from orangeweb.models.dubbing import DubbingProject

    project = session.get(DubbingProject, project_id, populate_existing=True)
    assert project is not None and project.render_path
    return data_dir / project.render_path


def _slot(audio: np.ndarray, segment: SegmentView) -> np.ndarray:
    return audio[int(segment.start * RATE) + 800 : int(segment.end * RATE) - 800]


def _correlation(first: np.ndarray, second: np.ndarray) -> float:
    size = min(len(first), len(second))
    a, b = first[:size], second[:size]
    if not a.any() and not b.any():
        return 1.0
    return float(np.corrcoef(a, b)[0, 1])


async def test_render_changed_makes_takes_only_for_changed_lines_and_keeps_the_rest(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    tracker: Tracker,
    two_speaker_video: Path,
    voice_wav: Path,
    voice_wav_high: Path,
    data_dir: Path,
) -> None:
    key_id, secret = await add_sandbox_key(session, owner, sandbox, "enterprise", credits=5000)
    alex = await characters.create_character(
        session, owner, key_id, "Alex", "adventurer", voice_wav
    )
    bea = await characters.create_character(
        session, owner, key_id, "Bea", "lorelei", voice_wav_high
    )
    stored = store_upload(two_speaker_video, owner.team_id)
    created = await projects.create_project(session, owner, key_id, stored, "Talk.mp4")
    await projects.start_dubbing(session, owner, created.id, lambda _sent, _total: None)
    view = await wait_for(session, owner, created.id, "transcribed")
    assert view.status == "transcribed", view.error
    voices.set_voices(session, owner, created.id, {"speaker_1": alex.id, "speaker_2": bea.id})
    await review.translate(session, owner, created.id, "es")
    view = await wait_for(session, owner, created.id, "translated")
    assert view.status == "translated", view.error
    # The sandbox hears this clip as a few phrases: the editor splits the longest ones first.
    while len(view.segments) < 10:
        longest = max(view.segments, key=lambda s: s.end - s.start)
        middle = (longest.start + longest.end) / 2
        view = await segment_edits.split_segment(
            session, owner, created.id, view.revision, longest.id, at=middle
        )
    lines = len(view.segments)

    # The first render: a take for every line.
    before = sandbox.job_counts(secret)["voice"]
    first = await _render(session, owner, created.id, "first", data_dir)
    assert sandbox.job_counts(secret)["voice"] - before == lines
    first_path = _render_path(session, created.id, data_dir)
    assert video_digest(first_path) == video_digest(two_speaker_video)
    assert abs(container_seconds(first_path) - container_seconds(two_speaker_video)) <= 0.1
    first_audio = decode_mono(first_path, RATE)
    assert render_plan(session, owner, created.id).needed_ids == []

    # Edits: merge two neighbours of one speaker, split one, retime one, reassign one, and
    # edit two translations; each on a different line.
    segments = sorted(first.segments, key=lambda s: s.start)
    pair = next((a, b) for a, b in itertools.pairwise(segments) if a.speaker_id == b.speaker_id)
    rest = [s for s in segments if s.id not in (pair[0].id, pair[1].id)]
    longest = max(rest, key=lambda s: s.end - s.start)
    rest = [s for s in rest if s.id != longest.id]
    retimed, reassigned, edited_a, edited_b, *unchanged = rest
    revision = first.revision
    view = await segment_edits.merge_segments(
        session, owner, created.id, revision, [pair[0].id, pair[1].id]
    )
    middle = (longest.start + longest.end) / 2
    view = await segment_edits.split_segment(
        session, owner, created.id, view.revision, longest.id, at=middle
    )
    view = await segment_edits.retime_segment(
        session, owner, created.id, view.revision, retimed.id, retimed.start + 0.05, retimed.end
    )
    other = "speaker_1" if reassigned.speaker_id == "speaker_2" else "speaker_2"
    view = await review.reassign_segment(session, owner, created.id, reassigned.id, other)
    view = await review.edit_segments(
        session,
        owner,
        created.id,
        [
            SegmentChange(edited_a.id, translated_text="Una línea nueva del todo."),
            SegmentChange(edited_b.id, translated_text="Otra frase cambiada aquí."),
        ],
    )
    changed = 1 + 2 + 1 + 1 + 2  # merged, the two halves, retimed, reassigned, two edited
    plan = render_plan(session, owner, created.id)
    assert len(plan.needed_ids) == changed == view.stale_count + 1  # (the new half has no take)
    assert plan.take_credits > 0 and "Render changed: 7 new takes" in plan.words

    before = sandbox.job_counts(secret)["voice"]
    second = await _render(session, owner, created.id, "second", data_dir)
    assert sandbox.job_counts(secret)["voice"] - before == changed  # none for unchanged lines
    assert second.stale_count == 0
    second_path = _render_path(session, created.id, data_dir)
    assert video_digest(second_path) == video_digest(two_speaker_video)
    assert abs(container_seconds(second_path) - container_seconds(two_speaker_video)) <= 0.1
    second_audio = decode_mono(second_path, RATE)
    for segment in unchanged:
        assert _correlation(_slot(first_audio, segment), _slot(second_audio, segment)) >= 0.99
    for segment in (edited_a, edited_b):
        assert _correlation(_slot(first_audio, segment), _slot(second_audio, segment)) < 0.9
    by_id = {s.id: s for s in second.segments}
    for segment_id in (edited_a.id, edited_b.id, retimed.id, reassigned.id, pair[0].id):
        assert len(by_id[segment_id].takes) == 2

    # Revert one edited line to its first take: no new take, its first audio is back.
    old_take = by_id[edited_a.id].takes[-1]
    reverted = await takes.revert_to_take(session, owner, created.id, second.revision, old_take.id)
    assert {s.id: s for s in reverted.segments}[edited_a.id].stale is False
    before = sandbox.job_counts(secret)["voice"]
    await _render(session, owner, created.id, "third", data_dir)
    assert sandbox.job_counts(secret)["voice"] == before
    third_audio = decode_mono(_render_path(session, created.id, data_dir), RATE)
    assert _correlation(_slot(first_audio, edited_a), _slot(third_audio, edited_a)) >= 0.99
    assert _correlation(_slot(second_audio, edited_b), _slot(third_audio, edited_b)) >= 0.99
    assert not first_path.exists() and not second_path.exists()  # a render replaces the last
