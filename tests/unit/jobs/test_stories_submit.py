"""Stories: one /batch_tts per submission, the callback URL, per-scene state, resubmitting
failed scenes alone."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from orangeweb.models import Job, Story
from orangeweb.orangeclone.models import BatchStatus
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ConflictError, ValidationError
from orangeweb.services.jobs import SceneInput, stories
from orangeweb.services.jobs.callbacks import hash_callback_token
from orangeweb.services.jobs.kinds import BATCH
from orangeweb.settings import get_settings

from .conftest import OPENER

ACCEPTED = {"success": True, "data": {"batchJobId": "batch_1", "status": "queued"}}


async def public_resolver(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


async def private_resolver(host: str, port: int) -> list[str]:
    return ["93.184.216.34", "10.0.0.7"]  # one private answer is enough to refuse


def _scenes(alex: int, bea: int) -> list[SceneInput]:
    return [
        SceneInput("Once upon a time.", alex),
        SceneInput("There was a voice.", bea),
        SceneInput("The end.", alex),
    ]


async def test_one_batch_per_story_with_the_dashboard_hook_when_public(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    bea: int,
    api: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORANGEWEB_PUBLIC_URL", "https://voices.example.com/")
    get_settings.cache_clear()
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    view = await jobs.submit_story(
        session,
        owner,
        team_key,
        "  A  tale ",
        _scenes(alex, bea),
        submission_key="s1",
        opener=OPENER,
    )
    body = json.loads(route.calls[0].request.content)
    assert body["storyId"].startswith("story_")
    assert body["scenes"] == [
        {"index": 0, "text": "Once upon a time.", "characterId": "char_alex"},
        {"index": 1, "text": "There was a voice.", "characterId": "char_bea"},
        {"index": 2, "text": "The end.", "characterId": "char_alex"},
    ]
    prefix = "https://voices.example.com/hooks/batch/"
    assert body["callbackUrl"].startswith(prefix)
    token = body["callbackUrl"].removeprefix(prefix)
    assert len(token) >= 40  # 256 random bits
    job = session.get(Job, view.id)
    assert job is not None and job.callback_token_hash == hash_callback_token(token)
    assert token not in json.dumps(view.request)  # the request record shows no token
    assert view.request["callback"] == "dashboard"
    assert (view.kind, view.title, view.remote_id, view.status) == (
        "batch",
        "A tale",
        "batch_1",
        "queued",
    )
    assert [(s.index, s.character_name, s.status) for s in view.scenes] == [
        (0, "Alex", "queued"),
        (1, "Bea", "queued"),
        (2, "Alex", "queued"),
    ]
    assert view.character_names == ["Alex", "Bea"]

    again = await jobs.submit_story(
        session, owner, team_key, "A tale", _scenes(alex, bea), submission_key="s1", opener=OPENER
    )
    assert again.id == view.id and route.call_count == 1
    assert len(session.exec(select(Story)).all()) == 1


async def test_without_a_public_url_no_callback_is_sent(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    await jobs.submit_story(
        session, owner, team_key, "Tale", _scenes(alex, bea), submission_key="s", opener=OPENER
    )
    assert "callbackUrl" not in json.loads(route.calls[0].request.content)


async def test_a_user_callback_must_be_https_and_public(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/batch_tts").respond(200, json=ACCEPTED)
    for url, resolver in [
        ("http://hooks.example.com/x", public_resolver),
        ("https://hooks.example.com/x", private_resolver),
        ("https://127.0.0.1/x", public_resolver),
        ("https://[64:ff9b::7f00:1]/x", public_resolver),  # NAT64 of 127.0.0.1
        ("https://[64:ff9b::a9fe:a9fe]/x", public_resolver),  # NAT64 of 169.254.169.254
        ("https://[::7f00:1]/x", public_resolver),  # IPv4-compatible 127.0.0.1
    ]:
        with pytest.raises(ValidationError):
            await jobs.submit_story(
                session,
                owner,
                team_key,
                "Tale",
                _scenes(alex, bea),
                submission_key=url,
                user_callback_url=url,
                opener=OPENER,
                resolver=resolver,
            )
    assert route.call_count == 0 and session.exec(select(Story)).all() == []
    view = await jobs.submit_story(
        session,
        owner,
        team_key,
        "Tale",
        _scenes(alex, bea),
        submission_key="ok",
        user_callback_url="https://hooks.example.com/story-done",
        opener=OPENER,
        resolver=public_resolver,
    )
    assert json.loads(route.calls[0].request.content)["callbackUrl"] == (
        "https://hooks.example.com/story-done"
    )
    assert view.request["callback"] == "https://hooks.example.com/story-done"


async def test_failed_scenes_are_resubmitted_alone_and_tracked_per_scene(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/batch_tts").mock(
        side_effect=[
            httpx.Response(200, json=ACCEPTED),
            httpx.Response(200, json={"success": True, "data": {"batchJobId": "batch_2"}}),
        ]
    )
    first = await jobs.submit_story(
        session, owner, team_key, "Tale", _scenes(alex, bea), submission_key="1", opener=OPENER
    )
    with pytest.raises(ConflictError):  # still running
        await jobs.resubmit_failed_scenes(session, owner, first.id, submission_key="2")
    job = session.get(Job, first.id)
    assert job is not None
    BATCH.apply(
        session,
        job,
        BatchStatus.model_validate(
            {
                "status": "partial",
                "scenes": [
                    {"sceneIndex": 0, "status": "completed", "audioUrl": "https://x/0.mp3"},
                    {"sceneIndex": 1, "status": "failed", "error": "voice broke"},
                    {"sceneIndex": 2, "status": "completed", "audioUrl": "https://x/2.mp3"},
                ],
            }
        ),
    )
    session.commit()
    view = jobs.get_job(session, owner, first.id).job
    assert [(s.status, s.error) for s in view.scenes] == [
        ("completed", None),
        ("failed", "voice broke"),
        ("completed", None),
    ]
    assert view.scenes[0].output_url == f"/media/jobs/{first.id}/scenes/0"
    assert "https://x" not in repr(view)  # signed URLs stay on the server
    assert view.error == "1 of 3 scenes failed."

    again = await jobs.resubmit_failed_scenes(
        session, owner, first.id, submission_key="2", opener=OPENER
    )
    body = json.loads(route.calls[1].request.content)
    assert body["scenes"] == [{"index": 0, "text": "There was a voice.", "characterId": "char_bea"}]
    assert body["storyId"] == json.loads(route.calls[0].request.content)["storyId"]
    assert again.parent_job_id == first.id and [s.index for s in again.scenes] == [1]
    story = session.get(Story, view.request["story_id"])
    assert story is not None
    states = stories.scene_states(session, story)
    assert {index: state.status for index, state in states.items()} == {
        0: "completed",
        1: "queued",
        2: "completed",
    }
    assert stories.scene_indexes_to_redo(session, story) == []


async def test_a_scene_that_came_back_silent_is_redone_with_the_failed_ones(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/batch_tts").mock(
        side_effect=[
            httpx.Response(200, json=ACCEPTED),
            httpx.Response(200, json={"success": True, "data": {"batchJobId": "batch_2"}}),
        ]
    )
    first = await jobs.submit_story(
        session, owner, team_key, "Tale", _scenes(alex, bea), submission_key="1", opener=OPENER
    )
    job = session.get(Job, first.id)
    assert job is not None
    BATCH.apply(
        session,
        job,
        BatchStatus.model_validate(
            {
                "status": "completed",
                "scenes": [
                    {"sceneIndex": 0, "status": "completed", "audioUrl": "https://x/0.mp3"},
                    {"sceneIndex": 1, "status": "completed"},  # no audio came back
                    {"sceneIndex": 2, "status": "completed", "audioUrl": "https://x/2.mp3"},
                ],
            }
        ),
    )
    session.commit()
    assert jobs.get_job(session, owner, first.id).job.scenes[1].warning
    again = await jobs.resubmit_failed_scenes(
        session, owner, first.id, submission_key="2", opener=OPENER
    )
    assert [scene["index"] for scene in json.loads(route.calls[1].request.content)["scenes"]] == [0]
    assert [s.index for s in again.scenes] == [1]


async def test_a_story_needs_scenes_with_text(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    with pytest.raises(ValidationError, match="at least one scene"):
        await jobs.submit_story(session, owner, team_key, "Tale", [], submission_key="a")
    with pytest.raises(ValidationError, match="Scene 2 has no text"):
        await jobs.submit_story(
            session,
            owner,
            team_key,
            "Tale",
            [SceneInput("Hi", alex), SceneInput("  ", alex)],
            submission_key="b",
        )
    with pytest.raises(ValidationError, match="title"):
        await jobs.submit_story(
            session, owner, team_key, " ", [SceneInput("Hi", alex)], submission_key="c"
        )
