"""Batch TTS: `/batch_tts`, `/batch_tts_status`, per-scene statuses, credits and the callback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    api_client,
    assert_rejected,
    create_character,
    wait_for_batch,
)
from tests.support.callbacks import CallbackReceiver
from tests.support.sandbox_server import SandboxFactory, SandboxServer, poll_until


@pytest.fixture
def characters(client: httpx.Client, voice_wav: Path, voice_wav_high: Path) -> tuple[str, str]:
    return create_character(client, voice_wav), create_character(client, voice_wav_high)


def _scenes(characters: tuple[str, str]) -> list[dict[str, object]]:
    return [
        {"index": 0, "text": "Welcome to our story!", "characterId": characters[0]},
        {"index": 1, "text": "Today we explore the ocean.", "characterId": characters[1]},
    ]


def test_batch_completes_and_calls_back(
    sandbox: SandboxServer, key: str, client: httpx.Client, characters: tuple[str, str]
) -> None:
    with CallbackReceiver() as receiver:
        response = client.post(
            "/batch_tts",
            json={
                "storyId": "story_123",
                "scenes": _scenes(characters),
                "callbackUrl": receiver.url,
            },
        )
        assert response.status_code == 200
        data = response.json()["data"]
        assert response.json()["success"] is True
        batch_id = data["batchJobId"]
        assert data["status"] == "queued" and data["estimatedCost"] >= 2

        status = wait_for_batch(client, batch_id)
        # Documented: top level, no wrapper.
        assert set(status) == {"status", "scenes"}
        assert status["status"] == "completed"
        assert [scene["sceneIndex"] for scene in status["scenes"]] == [0, 1]
        for scene in status["scenes"]:
            assert set(scene) == {"sceneIndex", "status", "audioUrl"}
            assert scene["status"] == "completed"
            audio = httpx.get(scene["audioUrl"])
            assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"

        poll_until(lambda: receiver.bodies, timeout=15, message="the batch callback")
        assert receiver.bodies == [
            {"batchJobId": batch_id, "storyId": "story_123", "status": "completed"}
        ]
    info = sandbox.job_info(batch_id)
    assert info["callbackStatus"] == "delivered"
    assert info["statusHistory"] == ["queued", "processing", "completed"]
    assert sandbox.credits(key) == 500 - info["cost"]
    assert info["cost"] >= 2


def test_callback_is_retried(sandbox_factory: SandboxFactory, voice_wav: Path) -> None:
    server = sandbox_factory(callback_backoff_seconds=0.05)
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        alex = create_character(client, voice_wav)
        scenes = [{"index": 0, "text": "Hello.", "characterId": alex}]
        with CallbackReceiver(fail_first=2) as receiver:
            batch_id = client.post(
                "/batch_tts", json={"storyId": "s", "scenes": scenes, "callbackUrl": receiver.url}
            ).json()["data"]["batchJobId"]
            poll_until(lambda: receiver.bodies, timeout=15, message="the third try")
        assert receiver.attempts == 3
        assert server.job_info(batch_id)["callbackStatus"] == "delivered"


def test_partial_batch_charges_only_completed_scenes(
    sandbox: SandboxServer, key: str, client: httpx.Client, characters: tuple[str, str]
) -> None:
    sandbox.fail_next_jobs(1, message="scene engine failure", key=key)
    batch_id = client.post(
        "/batch_tts", json={"storyId": "s", "scenes": _scenes(characters)}
    ).json()["data"]["batchJobId"]
    status = wait_for_batch(client, batch_id)
    assert status["status"] == "partial"
    first, second = status["scenes"]
    assert first == {"sceneIndex": 0, "status": "failed", "error": "scene engine failure"}
    assert second["status"] == "completed"
    info = sandbox.job_info(batch_id)
    # Two short scenes were held (1 credit each); only the completed one is charged.
    assert (info["estimatedCost"], info["cost"], info["heldCredits"]) == (2, 1, 0)
    assert sandbox.credits(key) == 499


def test_all_scenes_failing_is_failed_and_refunded(
    sandbox: SandboxServer, key: str, client: httpx.Client, characters: tuple[str, str]
) -> None:
    sandbox.fail_next_jobs(2, key=key)
    batch_id = client.post(
        "/batch_tts", json={"storyId": "s", "scenes": _scenes(characters)}
    ).json()["data"]["batchJobId"]
    assert wait_for_batch(client, batch_id)["status"] == "failed"
    assert sandbox.credits(key) == 500


def test_per_scene_statuses_while_processing(
    sandbox_factory: SandboxFactory, voice_wav: Path
) -> None:
    server = sandbox_factory()
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        alex = create_character(client, voice_wav)
        scenes = [
            {"index": 3, "text": "Third.", "characterId": alex},
            {"index": 1, "text": "First.", "characterId": alex},
        ]
        server.hold_jobs(True)
        batch_id = client.post("/batch_tts", json={"storyId": "s", "scenes": scenes}).json()[
            "data"
        ]["batchJobId"]

        def processing() -> dict[str, Any] | None:
            body: dict[str, Any] = client.get(
                "/batch_tts_status", params={"batchJobId": batch_id}
            ).json()
            return body if body["status"] == "processing" else None

        held = poll_until(processing, timeout=10, message="the batch to start")
        assert held["scenes"] == [
            {"sceneIndex": 1, "status": "processing"},
            {"sceneIndex": 3, "status": "queued"},
        ]
        server.hold_jobs(False)
        assert wait_for_batch(client, batch_id)["status"] == "completed"


def test_validation(client: httpx.Client, characters: tuple[str, str]) -> None:
    alex = characters[0]
    scene = {"index": 0, "text": "Hi.", "characterId": alex}
    cases: list[tuple[dict[str, object], str]] = [
        ({"scenes": [scene]}, "storyId"),
        ({"storyId": "", "scenes": [scene]}, "storyId"),
        ({"storyId": "s", "scenes": []}, "scenes"),
        ({"storyId": "s", "scenes": [scene, {**scene, "text": "Again."}]}, "unique"),
        ({"storyId": "s", "scenes": [{**scene, "index": -1}]}, "index"),
        ({"storyId": "s", "scenes": [{**scene, "index": "0"}]}, "index"),
        ({"storyId": "s", "scenes": [{**scene, "text": ""}]}, "text"),
        ({"storyId": "s", "scenes": [{"index": 0, "text": "Hi."}]}, "characterId"),
        ({"storyId": "s", "scenes": [scene], "callbackUrl": "ftp://example.com/x"}, "http(s)"),
        ({"storyId": "s", "scenes": [scene], "callbackUrl": "javascript:alert(1)"}, "http(s)"),
        ({"storyId": "s", "scenes": [scene], "callbackUrl": "/relative"}, "http(s)"),
    ]
    for body, fragment in cases:
        assert_rejected(client.post("/batch_tts", json=body), 400, fragment)
    unknown = {"storyId": "s", "scenes": [{**scene, "characterId": "char_nope"}]}
    assert_rejected(client.post("/batch_tts", json=unknown), 404, "char_nope")


def test_whole_number_indexes_are_accepted(
    client: httpx.Client, characters: tuple[str, str]
) -> None:
    # `1.0` is how many JSON serialisers write the integer 1: an honest index.
    scenes: list[dict[str, object]] = [
        {"index": 0.0, "text": "Welcome to our story!", "characterId": characters[0]},
        {"index": 1.0, "text": "Today we explore the ocean.", "characterId": characters[1]},
    ]
    response = client.post("/batch_tts", json={"storyId": "s", "scenes": scenes})
    assert response.status_code == 200, response.text
    status = wait_for_batch(client, response.json()["data"]["batchJobId"])
    assert [scene["sceneIndex"] for scene in status["scenes"]] == [0, 1]
    for index in (0.5, True, "1"):
        fractional = [{**scenes[0], "index": index}]
        response = client.post("/batch_tts", json={"storyId": "s", "scenes": fractional})
        assert_rejected(response, 400, "index")


def test_status_rejections(
    sandbox: SandboxServer, client: httpx.Client, characters: tuple[str, str]
) -> None:
    assert_rejected(client.get("/batch_tts_status"), 400, "batchJobId")
    assert_rejected(client.get("/batch_tts_status", params={"batchJobId": "batch_x"}), 404)
    batch_id = client.post(
        "/batch_tts", json={"storyId": "s", "scenes": _scenes(characters)}
    ).json()["data"]["batchJobId"]
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as other:
        foreign = other.get("/batch_tts_status", params={"batchJobId": batch_id})
        assert_rejected(foreign, 404)
    wait_for_batch(client, batch_id)


def test_402_for_a_batch_over_the_balance(
    sandbox: SandboxServer, key: str, client: httpx.Client, characters: tuple[str, str]
) -> None:
    sandbox.set_credits(key, 1)
    response = client.post("/batch_tts", json={"storyId": "s", "scenes": _scenes(characters)})
    assert_rejected(response, 402, "not enough credits")
    assert sandbox.credits(key) == 1
