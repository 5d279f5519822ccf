"""Issue 11: what a story or a voice text must be before it is sent (speakable, within the key's
tier cap), and scenes that complete without audio shown as warnings, not successes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from orangeweb.models import Environment, Job, KeyScope, Story, Tier
from orangeweb.orangeclone.models import BatchStatus
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ValidationError
from orangeweb.services.jobs import SceneInput, speech_rates, stories
from orangeweb.services.jobs.kinds import BATCH
from orangeweb.services.keys.store import add_api_key
from orangeweb.states.job_rows import job_row
from tests.unit.services.support import RecordingVerifier, fresh_secret

from .conftest import OPENER, make_character

ACCEPTED = {"success": True, "data": {"batchJobId": "batch_1", "status": "queued"}}
VOICE_ACCEPTED = {"success": True, "data": {"jobId": "job_1", "status": "queued"}}


def _words(count: int) -> str:
    return " ".join(["word"] * count) + "."


@pytest.fixture
async def free_key(session: Session, owner: CurrentUser) -> int:
    view = await add_api_key(
        session,
        owner,
        "Free key",
        fresh_secret(),
        Environment.SANDBOX,
        Tier.FREE,
        KeyScope.TEAM,
        RecordingVerifier(),
    )
    return view.id


@pytest.mark.parametrize("text", ["...", " ?! … ", "—", ". , ;"])
async def test_a_scene_of_only_punctuation_is_refused_before_any_call(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any, text: str
) -> None:
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    with pytest.raises(ValidationError) as refused:
        await jobs.submit_story(
            session,
            owner,
            team_key,
            "Tale",
            [SceneInput("Hello there.", alex), SceneInput(text, alex)],
            submission_key="p",
            opener=OPENER,
        )
    assert refused.value.message == (
        "Scene 2 has nothing to say: write words, not only punctuation."
    )
    assert not route.called
    assert session.exec(select(Story)).all() == [] and session.exec(select(Job)).all() == []


async def test_a_voice_text_or_dialogue_turn_of_only_punctuation_is_refused(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/voices_clone").respond(200, json=VOICE_ACCEPTED)
    with pytest.raises(ValidationError, match=r"^The text has nothing to say: write words"):
        await jobs.submit_voice(session, owner, team_key, "?!...", [alex], submission_key="v1")
    with pytest.raises(ValidationError, match=r"^Line 2 has nothing to say: write words"):
        await jobs.submit_voice(
            session,
            owner,
            team_key,
            "Speaker 1: Hello, Bea.\nSpeaker 2: ...",
            [alex, bea],
            submission_key="v2",
        )
    assert not route.called and session.exec(select(Job)).all() == []
    # Numbers are words too: "42." is something to say.
    await jobs.submit_voice(
        session, owner, team_key, "42.", [alex], submission_key="v3", opener=OPENER
    )
    assert route.call_count == 1


async def test_a_free_key_refuses_a_story_longer_than_two_minutes(
    session: Session, owner: CurrentUser, free_key: int, api: Any
) -> None:
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    voice = make_character(session, owner, free_key, "Cleo")
    # Cleo's takes so far: 0.1 s per timed character. The cap is held to her learned rate:
    # 3 x 1206 + 238 characters (4 letters a word, 6 for the end) = 385.6 s, "6 min 26 s".
    speech_rates.record_take(session, voice, 1000, 100.0)
    session.commit()
    scenes = [SceneInput(_words(300), voice)] * 3 + [SceneInput(_words(58), voice)]
    with pytest.raises(ValidationError) as refused:
        await jobs.submit_story(
            session, owner, free_key, "Epic", scenes, submission_key="f1", opener=OPENER
        )
    assert refused.value.message == (
        "This story would last about 6 min 26 s; a Free key allows up to 2 min per job. "
        "Split it, or use a Pro key."
    )
    assert not route.called and session.exec(select(Story)).all() == []
    # Within the cap (280 words, 112.6 s) the same key sends it.
    view = await jobs.submit_story(
        session,
        owner,
        free_key,
        "Short",
        [SceneInput(_words(280), voice)],
        submission_key="f2",
        opener=OPENER,
    )
    assert route.call_count == 1 and view.remote_id == "batch_1"


async def test_a_pro_key_sends_the_story_a_free_key_refuses(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    scenes = [SceneInput(_words(300), alex)] * 3 + [SceneInput(_words(58), alex)]
    await jobs.submit_story(
        session, owner, team_key, "Epic", scenes, submission_key="p1", opener=OPENER
    )
    assert route.call_count == 1  # the test keys are Pro: 30 min allowed


async def test_a_free_key_refuses_a_voice_text_longer_than_two_minutes(
    session: Session, owner: CurrentUser, free_key: int, api: Any
) -> None:
    route = api.post("/voices_clone").respond(200, json=VOICE_ACCEPTED)
    voice = make_character(session, owner, free_key, "Cleo")
    speech_rates.record_take(session, voice, 1000, 100.0)  # Cleo: 0.1 s per timed character
    session.commit()
    with pytest.raises(ValidationError) as refused:  # 400 words, 1606 characters: 160.6 s
        await jobs.submit_voice(session, owner, free_key, _words(400), [voice], submission_key="t")
    assert refused.value.message == (
        "This text would last about 2 min 41 s; a Free key allows up to 2 min per job. "
        "Shorten it, or use a Pro key."
    )
    assert not route.called


async def _completed_story(
    session: Session, owner: CurrentUser, team_key: int, alex: int, scenes: list[dict[str, Any]]
) -> Job:
    await jobs.submit_story(
        session,
        owner,
        team_key,
        "Tale",
        [SceneInput("Once upon a time.", alex), SceneInput("The end.", alex)],
        submission_key="w",
        opener=OPENER,
    )
    job = session.exec(select(Job)).one()
    BATCH.apply(session, job, BatchStatus.model_validate({"status": "completed", "scenes": scenes}))
    session.commit()
    return job


async def test_a_scene_completed_without_audio_is_a_warning_not_a_success(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    api.post("/batch_tts").respond(200, json=ACCEPTED)
    job = await _completed_story(
        session,
        owner,
        team_key,
        alex,
        [
            {"sceneIndex": 0, "status": "completed", "audioUrl": "https://files.example.com/0.mp3"},
            {"sceneIndex": 1, "status": "completed"},  # no audioUrl
        ],
    )
    assert job.id is not None
    view = jobs.get_job(session, owner, job.id).job
    assert [(s.status, s.warning) for s in view.scenes] == [
        ("completed", None),
        ("completed", "OrangeClone returned no audio for this scene."),
    ]
    assert view.scenes[1].output_url is None  # nothing to play or download
    rows = job_row(view, owner).scenes
    assert (rows[0].warning, rows[1].warning) == ("", stories.NO_AUDIO)
    assert [s["index"] for s in job.scenes if s.get("warning")] == [1]


def _serve(body: bytes) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "audio/mpeg"})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("body", "warning"),
    [(b"", stories.EMPTY_AUDIO), (b"\xff\xfb" + bytes(64), stories.EMPTY_AUDIO)],
    ids=["no-bytes", "unreadable"],
)
async def test_a_scene_whose_audio_is_empty_gets_a_warning_in_the_archive(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
    data_dir: Path,
    body: bytes,
    warning: str,
) -> None:
    api.post("/batch_tts").respond(200, json=ACCEPTED)
    job = await _completed_story(
        session,
        owner,
        team_key,
        alex,
        [
            {"sceneIndex": 0, "status": "completed", "audioUrl": "https://files.example.com/0.mp3"},
            {"sceneIndex": 1, "status": "completed", "audioUrl": "https://files.example.com/1.mp3"},
        ],
    )
    assert BATCH.needs_archive(job)
    async with _serve(body) as http:
        assert await BATCH.archive(session, job, http, data_dir)
    assert job.id is not None
    view = jobs.get_job(session, owner, job.id).job
    assert [s.warning for s in view.scenes] == [warning, warning]
    assert [s.output_url for s in view.scenes] == [None, None]
    assert not BATCH.needs_archive(job)  # not fetched again and again
