"""Dubbing projects without the network: intake checks, team scoping, views (names, voices,
slot fits), voices and casts, claims against double sends, deletion, subtitles."""

from __future__ import annotations

from pathlib import Path

import pytest
import srt
import webvtt
from sqlmodel import Session

from orangeweb.models import Character, Environment, KeyScope, Role, Tier
from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts, projects, review, views
from orangeweb.services.dubbing import voices as dubbing_voices
from orangeweb.services.dubbing.step_runs import claimed
from orangeweb.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from orangeweb.services.keys.store import add_api_key
from orangeweb.services.media.probe import MediaRejected
from orangeweb.services.media.upload import MediaUploadWriter
from tests.support.media import make_tone_video
from tests.unit.services.support import RecordingVerifier, add_key, fresh_secret, join

TRANSCRIPT = {
    "status": "translated",
    "speakers": [
        {"id": "speaker_1", "label": "Speaker 1", "segmentCount": 2},
        {"id": "speaker_2", "label": "Speaker 2", "segmentCount": 1},
    ],
    "segments": [
        {"id": "seg_1", "speakerId": "speaker_1", "start": 0.5, "end": 2.5, "text": "Hello there.",
         "translatedText": "Hola."},
        {"id": "seg_2", "speakerId": "speaker_2", "start": 3.0, "end": 4.0, "text": "Hi & bye",
         "translatedText": "Una traducción muchísimo más larga que el original"},
        {"id": "seg_3", "speakerId": "speaker_1", "start": 4.5, "end": 6.0, "text": "Fine."},
    ],
    "sourceLanguage": "en",
    "targetLanguage": "es",
}  # fmt: skip


def _stored(data_dir: Path, team_id: int, source: Path) -> Path:
    with MediaUploadWriter(team_id) as writer:
        writer.write(source.read_bytes())
        return writer.finish()


def _project(session: Session, actor: CurrentUser, key_id: int, **fields: object) -> int:
    values: dict[str, object] = {
        "team_id": actor.team_id,
        "created_by_id": actor.user_id,
        "api_key_id": key_id,
        "file_path": f"media/{actor.team_id}/0123456789abcdef0123456789abcdef",
        "original_name": "talk.mp4",
        "container": "mp4",
        "content_type": "video/mp4",
        "media_type": "video",
        "audio_codec": "aac",
        "video_codec": "h264",
        "duration_s": 6.5,
        "size_bytes": 1234,
        "transcript": TRANSCRIPT,
    }
    project = DubbingProject.model_validate({**values, **fields})
    session.add(project)
    session.commit()
    assert project.id is not None
    return project.id


def _character(session: Session, actor: CurrentUser, key_id: int, name: str) -> int:
    character = Character(
        team_id=actor.team_id, api_key_id=key_id, remote_id=f"r-{name}", name=name,
        avatar_style="bottts", created_by_id=actor.user_id,
    )  # fmt: skip
    session.add(character)
    session.commit()
    assert character.id is not None
    return character.id


async def test_intake_accepts_media_of_the_team(
    session: Session, owner: CurrentUser, data_dir: Path, media_dir: Path
) -> None:
    key = await add_key(session, owner)
    stored = _stored(data_dir, owner.team_id, make_tone_video(media_dir / "ok.mp4", 2.0))
    view = await projects.create_project(session, owner, key.id, stored, "../../etc/My Talk.mp4")
    assert (view.original_name, view.status, view.upload_state) == ("My Talk.mp4", "ready", "local")
    assert (view.container, view.media_type, view.estimated_credits) == ("mp4", "video", 1)
    assert view.job_id is None and view.speakers == [] and view.output_url is None
    assert [p.id for p in views.list_projects(session, owner)] == [view.id]
    assert projects.source_media_path(session, owner, view.id) == stored


async def test_intake_refuses_paths_that_are_not_the_teams_uploads(
    session: Session, owner: CurrentUser, data_dir: Path, media_dir: Path
) -> None:
    key = await add_key(session, owner)
    outside = make_tone_video(media_dir / "elsewhere.mp4", 1.0)
    with pytest.raises(ValidationError, match="not one of this team's files"):
        await projects.create_project(session, owner, key.id, outside, "x.mp4")
    assert outside.exists()  # not ours to delete
    other_team = _stored(data_dir, owner.team_id + 1, outside)
    with pytest.raises(ValidationError, match="not one of this team's files"):
        await projects.create_project(session, owner, key.id, other_team, "x.mp4")


async def test_intake_checks_the_tier_of_the_key(
    session: Session, owner: CurrentUser, data_dir: Path, media_dir: Path
) -> None:
    free = await add_api_key(
        session, owner, "Free", fresh_secret(), Environment.SANDBOX, Tier.FREE, KeyScope.TEAM,
        RecordingVerifier(),
    )  # fmt: skip
    project_id = _project(session, owner, free.id, duration_s=121.0)
    with pytest.raises(MediaRejected, match="a Free key dubs at most 2 min"):
        await projects.upload_media(session, owner, project_id)


async def test_projects_stay_inside_their_team(
    session: Session, owner: CurrentUser, rival: CurrentUser, data_dir: Path
) -> None:
    key = await add_key(session, owner)
    project_id = _project(session, owner, key.id)
    assert views.list_projects(session, rival) == []
    for attempt in (
        lambda: views.get_project(session, rival, project_id),
        lambda: review.rename_speaker(session, rival, project_id, "speaker_1", "Boss"),
        lambda: dubbing_voices.subtitles(session, rival, project_id, "srt"),
        lambda: projects.delete_project(session, rival, project_id),
    ):
        with pytest.raises(NotFoundError):
            attempt()


async def test_view_names_voices_and_slot_fits(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    key = await add_key(session, owner)
    alex = _character(session, owner, key.id, "Alex")
    project_id = _project(session, owner, key.id)
    review.rename_speaker(session, owner, project_id, "speaker_1", "  The   Host ")
    view = dubbing_voices.set_voices(session, owner, project_id, {"speaker_1": alex})
    assert [(s.name, s.voice, s.character_name) for s in view.speakers] == [
        ("The Host", "character", "Alex"),
        ("Speaker 2", None, None),
    ]
    fits = {s.id: (s.fit, s.speaker_name) for s in view.segments}
    assert fits == {
        "seg_1": ("ok", "The Host"),
        "seg_2": ("too_long", "Speaker 2"),
        "seg_3": (None, "The Host"),
    }
    assert (
        view.segments[1].fit_message and "Shorten the translation" in view.segments[1].fit_message
    )
    view = dubbing_voices.set_voices(session, owner, project_id, {"speaker_1": None})
    assert view.speakers[0].voice is None
    view = review.rename_speaker(session, owner, project_id, "speaker_1", "   ")
    assert view.speakers[0].name == "Speaker 1"


async def test_voices_must_be_reachable_through_the_projects_key(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    key, other_key = await add_key(session, owner), await add_key(session, owner, "Other")
    stranger = _character(session, owner, other_key.id, "Stranger")
    project_id = _project(session, owner, key.id)
    with pytest.raises(ValidationError, match="made with another API key"):
        dubbing_voices.set_voices(session, owner, project_id, {"speaker_1": stranger})
    with pytest.raises(NotFoundError, match="not in this transcript"):
        dubbing_voices.set_voices(session, owner, project_id, {"speaker_9": "original"})
    with pytest.raises(ValidationError, match="Pick a character or the original"):
        dubbing_voices.set_voices(session, owner, project_id, {"speaker_1": "alex"})  # type: ignore[dict-item]


async def test_a_cast_maps_matching_names_and_skips_other_accounts(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    key, other_key = await add_key(session, owner), await add_key(session, owner, "Other")
    alex = _character(session, owner, key.id, "Alex")
    stranger = _character(session, owner, other_key.id, "Stranger")
    project_id = _project(session, owner, key.id)
    review.rename_speaker(session, owner, project_id, "speaker_1", "Host")
    review.rename_speaker(session, owner, project_id, "speaker_2", "Guest")
    dubbing_voices.set_voices(session, owner, project_id, {"speaker_2": "original"})
    cast = casts.create_cast(session, owner, "Show", {"host ": alex, "GUEST": stranger})
    applied = dubbing_voices.apply_cast(session, owner, project_id, cast.id)
    assert (applied.matched, applied.unmatched, applied.skipped) == (["Host"], ["Guest"], ["GUEST"])
    voices = [(s.name, s.voice, s.character_id) for s in applied.project.speakers]
    assert voices == [("Host", "character", alex), ("Guest", "original", None)]
    assert applied.project.cast_id == cast.id


async def test_one_step_at_a_time(session: Session, owner: CurrentUser, data_dir: Path) -> None:
    key = await add_key(session, owner)
    project_id = _project(session, owner, key.id)
    project = session.get(DubbingProject, project_id)
    assert project is not None
    async with claimed(session, project, "clone"):
        assert project.busy_step == "clone"
        with pytest.raises(ConflictError, match="being sent right now"):
            await projects.upload_media(session, owner, project_id)
        with pytest.raises(ConflictError, match="being sent"):
            projects.delete_project(session, owner, project_id)
    assert project.busy_step is None


async def test_steps_need_a_started_job(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    key = await add_key(session, owner)
    project_id = _project(session, owner, key.id)
    with pytest.raises(ConflictError, match="Start the dubbing first"):
        await review.translate(session, owner, project_id, "es")
    with pytest.raises(ConflictError, match="Start the dubbing first"):
        await review.clone(session, owner, project_id)
    with pytest.raises(ValidationError, match="Pick one of the languages"):
        await review.translate(session, owner, project_id, "xx")
    with pytest.raises(ConflictError, match="Nothing to retry"):
        await projects.retry(session, owner, project_id)


async def test_delete_removes_the_file_creator_or_admin_only(
    session: Session, owner: CurrentUser, data_dir: Path, media_dir: Path
) -> None:
    key = await add_key(session, owner)
    member = join(session, owner, Role.MEMBER, "mia@example.com", "Mia")
    other = join(session, owner, Role.MEMBER, "max@example.com", "Max")
    stored = _stored(data_dir, owner.team_id, make_tone_video(media_dir / "del.mp4", 1.0))
    view = await projects.create_project(session, member, key.id, stored, "del.mp4")
    with pytest.raises(PermissionDenied):
        projects.delete_project(session, other, view.id)
    projects.delete_project(session, owner, view.id)
    assert not stored.exists()
    assert views.list_projects(session, owner) == []


async def test_subtitles_of_the_transcript_and_translation(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    key = await add_key(session, owner)
    project_id = _project(session, owner, key.id)
    review.rename_speaker(session, owner, project_id, "speaker_2", "Ana <B>")
    original = list(
        srt.parse(dubbing_voices.subtitles(session, owner, project_id, "srt", translated=False))
    )
    assert [s.content for s in original] == [
        "Speaker 1: Hello there.",
        "Ana <B>: Hi & bye",
        "Speaker 1: Fine.",
    ]
    vtt = dubbing_voices.subtitles(session, owner, project_id, "vtt")
    captions = list(webvtt.from_string(vtt).captions)
    assert captions[0].text == "Hola." and captions[0].voice == "Speaker 1"
    assert captions[-1].text == "Fine."  # not translated yet: the original line
    assert "<v Ana &lt;B&gt;>" in vtt


async def test_the_trackers_answer_refreshes_the_transcript_without_a_request(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    from orangeweb.models import Job
    from orangeweb.orangeclone.models import DubbingStatus
    from orangeweb.services.jobs.kinds import DUBBING

    key = await add_key(session, owner)
    job = Job(
        team_id=owner.team_id, created_by_id=owner.user_id, api_key_id=key.id, kind="dubbing",
        status="transcribing", submission_key="k1", title="Dubbing talk.mp4", remote_id="dub_1",
    )  # fmt: skip
    session.add(job)
    session.commit()
    project_id = _project(session, owner, key.id, job_id=job.id, transcript={}, step="transcribe")
    remote = DubbingStatus.model_validate(
        {
            "status": "transcribed",
            "speakers": [{"id": "speaker_1", "label": "Speaker 1", "segmentCount": 1}],
            "segments": [
                {"id": "s1", "speakerId": "speaker_1", "start": 0.0, "end": 1.5, "text": "Hi"}
            ],
            "sourceLanguage": "en",
        }
    )
    DUBBING.apply(session, job, remote)  # what the tracker does with each answer
    session.commit()
    view = views.get_project(session, owner, project_id)
    assert [(s.id, s.text) for s in view.segments] == [("s1", "Hi")]
    assert view.source_language == "en" and view.speakers[0].segment_count == 1

    failed = DubbingStatus.model_validate({"status": "failed", "error": "no speech found"})
    DUBBING.apply(session, job, failed)
    session.commit()
    project = session.get(DubbingProject, project_id)
    assert project is not None
    assert (project.failed_step, project.error) == ("transcribe", "no speech found")
    assert [s["id"] for s in project.transcript["segments"]] == ["s1"]  # kept


async def test_a_pseudo_translation_is_flagged_and_its_marker_not_timed(
    session: Session, owner: CurrentUser, data_dir: Path
) -> None:
    # 1.5 s of slot; the body takes about 1.4 s to say; with the marker it would need 1.5x.
    body = "Hola, ¿qué tal estás?"
    transcript = {
        **TRANSCRIPT,
        "segments": [
            {"id": "seg_1", "speakerId": "speaker_1", "start": 0.0, "end": 1.5, "text": "Hi",
             "translatedText": f"[pseudo-es] {body}"},
            {"id": "seg_2", "speakerId": "speaker_2", "start": 2.0, "end": 4.0, "text": "Ok",
             "translatedText": "Vale."},
        ],
    }  # fmt: skip
    key = await add_key(session, owner)
    view = views.get_project(
        session, owner, _project(session, owner, key.id, transcript=transcript)
    )
    first, second = view.segments
    assert first.translated_text == f"[pseudo-es] {body}"  # kept as the API returned it
    assert (first.pseudo, first.fit, first.fit_words) == (True, "ok", "fits")
    assert (second.pseudo, second.fit_words) == (False, "fits")
