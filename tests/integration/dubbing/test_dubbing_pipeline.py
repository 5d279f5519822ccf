"""The whole dubbing pipeline through the dashboard's services, over real HTTP to the sandbox,
with the real tracker following the job: a generated two-speaker video is stored by the chunk
writer, probed, uploaded, transcribed, reviewed, cast, translated to Spanish and dubbed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import srt
from sqlmodel import Session, select

from orangeweb.models import JobEvent
from orangeweb.models.dubbing import DubbingProject
from orangeweb.services import characters, jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import (
    casts,
    projects,
    review,
    speaker_characters,
    speaker_repair,
)
from orangeweb.services.dubbing import voices as dubbing_voices
from orangeweb.services.dubbing.review import SegmentChange
from orangeweb.services.dubbing.views import get_project
from orangeweb.services.errors import ValidationError
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import get_settings
from tests.integration.sdk.helpers import container_seconds, video_digest
from tests.support.media import decode_mono
from tests.support.sandbox_server import SandboxServer

from .conftest import add_sandbox_key, store_upload, wait_for


def _same_bytes(first: Path, second: Path) -> bool:
    return first.read_bytes() == second.read_bytes()


async def test_two_speakers_one_cast_to_a_character_one_original_dubbed_to_spanish(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    tracker: Tracker,
    two_speaker_video: Path,
    voice_wav: Path,
) -> None:
    key_id, secret = await add_sandbox_key(session, owner, sandbox, "enterprise")
    alex = await characters.create_character(
        session, owner, key_id, "Alex", "adventurer", voice_wav
    )
    stored = store_upload(two_speaker_video, owner.team_id)
    assert _same_bytes(stored, two_speaker_video)
    created = await projects.create_project(session, owner, key_id, stored, "Our talk.mp4")
    seconds = container_seconds(two_speaker_video)
    assert (created.status, created.media_type, created.container) == ("ready", "video", "mp4")
    assert created.duration_s == pytest.approx(seconds, abs=0.05)
    assert created.estimated_credits == math.ceil(seconds / 10)

    progress: list[tuple[int, int]] = []
    started = await projects.start_dubbing(
        session, owner, created.id, lambda sent, total: progress.append((sent, total))
    )
    size = stored.stat().st_size
    assert progress[0] == (0, size) and progress[-1] == (size, size)
    assert started.upload_state == "submitted" and started.job_id is not None
    assert started.status in ("transcribing", "transcribed")

    view = await wait_for(session, owner, created.id, "transcribed")
    assert view.status == "transcribed", view.error
    assert [s.id for s in view.speakers] == ["speaker_1", "speaker_2"]
    assert all(s.segment_count >= 1 for s in view.speakers)
    assert len(view.segments) >= 4 and view.can_review

    # Review: names, a corrected segment, a segment moved away and back.
    review.rename_speaker(session, owner, created.id, "speaker_1", "Host")
    review.rename_speaker(session, owner, created.id, "speaker_2", "  guest ")
    first, second = view.segments[0], view.segments[1]
    view = await review.edit_segment_text(
        session, owner, created.id, first.id, "Good morning everyone."
    )
    assert view.segments[0].text == "Good morning everyone."
    assert view.segments[0].speaker_name == "Host"
    other = "speaker_1" if second.speaker_id == "speaker_2" else "speaker_2"
    moved = await review.reassign_segment(session, owner, created.id, second.id, other)
    assert moved.segments[1].speaker_id == other
    assert sum(s.segment_count for s in moved.speakers) == len(moved.segments)
    await review.edit_segments(
        session, owner, created.id, [SegmentChange(second.id, speaker_id=second.speaker_id)]
    )

    # A cast made for another video: matched by name, whatever the case and spaces.
    cast = casts.create_cast(session, owner, "Morning show", {"HOST": alex.id, "Guest": "original"})
    applied = dubbing_voices.apply_cast(session, owner, created.id, cast.id)
    assert (applied.matched, applied.unmatched, applied.skipped) == (["Host", "guest"], [], [])
    voices = {s.id: (s.voice, s.character_name) for s in applied.project.speakers}
    assert voices == {"speaker_1": ("character", "Alex"), "speaker_2": ("original", None)}

    await review.translate(session, owner, created.id, "es")
    view = await wait_for(session, owner, created.id, "translated")
    assert view.status == "translated" and view.target_language == "es", view.error
    assert all(s.translated_text for s in view.segments)
    assert "Good morning everyone." in (view.segments[0].translated_text or "")
    assert all(s.fit in ("ok", "sped_up", "too_long") for s in view.segments)

    await review.clone(session, owner, created.id)
    view = await wait_for(session, owner, created.id, "completed")
    assert view.status == "completed", view.error
    await tracker.idle()  # the tracker archives the dubbed file
    view = get_project(session, owner, created.id)
    assert view.output_url == f"/media/jobs/{view.job_id}/output"
    project = session.get(DubbingProject, created.id)
    assert project is not None and project.output_path
    dubbed = get_settings().data_path / project.output_path
    assert dubbed.is_file() and dubbed.suffix == ".mp4"

    # The same video stream, the same length, a different audio track.
    assert video_digest(dubbed) == video_digest(two_speaker_video)
    assert container_seconds(dubbed) == pytest.approx(seconds, abs=0.1)
    before, after = decode_mono(two_speaker_video), decode_mono(dubbed)
    length = min(len(before), len(after))
    assert not np.allclose(before[:length], after[:length], atol=0.01)
    assert sandbox.credits(secret) == 500 - math.ceil(seconds / 10)

    # Every step went through one tracked job.
    detail = jobs.get_job(session, owner, view.job_id)
    assert (detail.job.kind, detail.job.status, detail.job.succeeded) == (
        "dubbing",
        "completed",
        True,
    )
    statuses = [event.status for event in detail.events]
    for step in ("submitting", "transcribing", "transcribed", "translating", "translated"):
        assert step in statuses
    assert statuses[-1] == "completed" and "cloning" in statuses
    assert jobs.job_output_path(session, owner, view.job_id) == dubbed
    events = session.exec(select(JobEvent).where(JobEvent.job_id == view.job_id)).all()
    assert not any(secret in (event.detail or "") for event in events)

    # Subtitles of the translation, with the speakers' names.
    parsed = list(srt.parse(dubbing_voices.subtitles(session, owner, created.id, "srt")))
    assert len(parsed) >= len(view.segments)
    assert parsed[0].content.startswith("Host: ")

    # The project's voices become a cast for the next episode.
    saved = dubbing_voices.save_cast_from_project(session, owner, created.id, "Episode 2")
    assert saved.mapping == {"Host": alex.id, "guest": "original"}

    # The guest keeps their own voice: a character made of their segments, cut from the source.
    guest = [s for s in view.segments if s.speaker_id == "speaker_2"]
    shortest = min(guest, key=lambda s: s.end - s.start)
    with pytest.raises(ValidationError, match="at least 3 s"):
        await speaker_characters.character_from_speaker(
            session, owner, created.id, "speaker_2", "Too Short", "micah", segment_ids=[shortest.id]
        )
    recast = await speaker_characters.character_from_speaker(
        session, owner, created.id, "speaker_2", "Guest Voice", "micah"
    )
    guest_voice = {s.id: (s.voice, s.character_name) for s in recast.speakers}["speaker_2"]
    assert guest_voice == ("character", "Guest Voice")
    made = next(c for c in characters.list_characters(session, owner) if c.name == "Guest Voice")
    assert made.sample_duration_s == pytest.approx(sum(s.end - s.start for s in guest), abs=0.3)

    # Speaker repair after the dub: segments moved in one request, then the guest merged
    # into the host (every segment moved; the emptied speaker's voice choice dropped).
    some = [segment.id for segment in view.segments if segment.speaker_id == "speaker_2"][:2]
    moved = await speaker_repair.move_segments(session, owner, created.id, some, "speaker_1")
    assert {s.speaker_id for s in moved.segments if s.id in some} == {"speaker_1"}
    merged = await speaker_repair.merge_speakers(
        session, owner, created.id, "speaker_2", "speaker_1"
    )
    assert {s.speaker_id for s in merged.segments} == {"speaker_1"}
    counts = {s.id: s.segment_count for s in merged.speakers}
    assert counts == {"speaker_1": len(merged.segments), "speaker_2": 0}
    assert {s.id: s.voice for s in merged.speakers} == {
        "speaker_1": "character",
        "speaker_2": None,  # Guest Voice no longer needed: nobody left to speak it
    }
    with pytest.raises(ValidationError):
        await speaker_repair.merge_speakers(session, owner, created.id, "speaker_1", "speaker_1")
