"""Voice cloning: `/voices_clone` and `/voices/{jobId}`, statuses, credits and rejections."""

from __future__ import annotations

import math
from pathlib import Path

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    api_client,
    assert_rejected,
    create_character,
    wait_for_voice_job,
)
from tests.support.sandbox_server import SandboxFactory, SandboxServer, poll_until

DIALOGUE = "Speaker 1: Hello, how are you?\nSpeaker 2: I'm doing great, thanks!\nSpeaker 1: Good."


@pytest.fixture
def alex(client: httpx.Client, voice_wav: Path) -> str:
    return create_character(client, voice_wav, name="Alex")


@pytest.fixture
def jordan(client: httpx.Client, voice_wav_high: Path) -> str:
    return create_character(client, voice_wav_high, name="Jordan")


def test_single_voice_job_completes_and_settles_credits(
    sandbox: SandboxServer, key: str, client: httpx.Client, alex: str
) -> None:
    response = client.post(
        "/voices_clone", json={"text": "Hello, this is my cloned voice!", "character_ids": [alex]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert set(body["data"]) == {"jobId", "status", "speakerCount", "estimatedCost"}
    assert body["data"]["status"] == "queued"
    assert body["data"]["speakerCount"] == 1
    assert body["data"]["estimatedCost"] == 1
    job_id = body["data"]["jobId"]

    data = wait_for_voice_job(client, job_id)
    assert data["status"] == "completed", data
    assert set(data) == {"status", "audioUrl", "duration", "cost", "createdAt", "completedAt"}
    assert 0.5 < data["duration"] < 10
    assert data["cost"] == math.ceil(data["duration"] / 10)
    assert sandbox.credits(key) == 500 - data["cost"]
    info = sandbox.job_info(job_id)
    assert info["statusHistory"] == ["queued", "processing", "completed"]
    assert info["heldCredits"] == 0

    audio = httpx.get(data["audioUrl"])
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    assert len(audio.content) > 1000
    ranged = httpx.get(data["audioUrl"], headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100


def test_dialogue_uses_both_voices_at_double_rate(
    sandbox: SandboxServer, key: str, client: httpx.Client, alex: str, jordan: str
) -> None:
    response = client.post(
        "/voices_clone", json={"text": DIALOGUE, "character_ids": [alex, jordan]}
    )
    data = response.json()["data"]
    assert data["speakerCount"] == 2
    assert data["estimatedCost"] % 2 == 0 and data["estimatedCost"] >= 2
    result = wait_for_voice_job(client, data["jobId"])
    assert result["status"] == "completed", result
    assert result["cost"] == 2 * math.ceil(result["duration"] / 10)
    assert sandbox.credits(key) == 500 - result["cost"]


def test_status_sequence_is_observable(sandbox_factory: SandboxFactory, voice_wav: Path) -> None:
    server = sandbox_factory()
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        alex = create_character(client, voice_wav)
        job_id = start_held_job(server, client, alex)
        processing = poll_until(
            lambda: client.get(f"/voices/{job_id}").json()["data"]["status"] == "processing",
            timeout=10,
        )
        assert processing
        assert "audioUrl" not in client.get(f"/voices/{job_id}").json()["data"]
        server.hold_jobs(False)
        assert wait_for_voice_job(client, job_id)["status"] == "completed"


def test_failed_job_reports_error_and_refunds(
    sandbox: SandboxServer, key: str, client: httpx.Client, alex: str
) -> None:
    sandbox.fail_next_jobs(1, message="the voice engine gave up", key=key)
    response = client.post("/voices_clone", json={"text": "Hello there.", "character_ids": [alex]})
    job_id = response.json()["data"]["jobId"]
    data = wait_for_voice_job(client, job_id)
    assert data["status"] == "failed"
    assert data["error"] == "the voice engine gave up"
    assert "audioUrl" not in data
    assert data["cost"] == 0
    assert sandbox.credits(key) == 500
    assert sandbox.job_info(job_id)["statusHistory"] == ["queued", "processing", "failed"]


def test_credits_are_held_while_the_job_runs(
    sandbox_factory: SandboxFactory, voice_wav: Path
) -> None:
    server = sandbox_factory()
    key = server.issue_key(tier="enterprise", credits=50)
    with api_client(server, key) as client:
        alex = create_character(client, voice_wav)
        server.hold_jobs(True)
        data = client.post(
            "/voices_clone", json={"text": "Hello.", "character_ids": [alex]}
        ).json()["data"]
        assert server.credits(key) == 50 - data["estimatedCost"]
        assert server.job_info(data["jobId"])["heldCredits"] == data["estimatedCost"]
        server.hold_jobs(False)
        result = wait_for_voice_job(client, data["jobId"])
        assert server.credits(key) == 50 - result["cost"]


def test_402_when_the_balance_cannot_cover_the_estimate(
    sandbox: SandboxServer, key: str, client: httpx.Client, alex: str
) -> None:
    sandbox.set_credits(key, 0)
    response = client.post("/voices_clone", json={"text": "Hello.", "character_ids": [alex]})
    assert_rejected(response, 402, "not enough credits")
    assert sandbox.credits(key) == 0


def test_speaker_without_matching_id_is_400(client: httpx.Client, alex: str, jordan: str) -> None:
    text = "Speaker 1: Hi.\nSpeaker 2: Hello.\nSpeaker 3: And me?"
    response = client.post("/voices_clone", json={"text": text, "character_ids": [alex, jordan]})
    assert_rejected(response, 400, "Speaker 3")
    zero = client.post("/voices_clone", json={"text": "Speaker 0: Hi", "character_ids": [alex]})
    assert_rejected(zero, 400, "Speaker 0")


def test_unprefixed_line_continues_the_previous_speaker(
    client: httpx.Client, alex: str, jordan: str
) -> None:
    text = "Speaker 2: Hello there,\nhow are you today?\nSpeaker 2: Fine."
    data = client.post("/voices_clone", json={"text": text, "character_ids": [alex, jordan]}).json()
    # Only Speaker 2 talks: one voice, single-speaker pricing.
    assert data["data"]["speakerCount"] == 1
    assert wait_for_voice_job(client, data["data"]["jobId"])["status"] == "completed"


def test_validation(client: httpx.Client, alex: str) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({"text": "", "character_ids": [alex]}, "text"),
        ({"text": "   \n ", "character_ids": [alex]}, "text"),
        ({"text": "x " * 3000, "character_ids": [alex]}, "longer than"),
        ({"text": "Hi", "character_ids": []}, "character_ids"),
        ({"text": "Hi", "character_ids": alex}, "character_ids"),
        ({"text": "Hi", "character_ids": [1]}, "character_ids"),
        ({"text": 5, "character_ids": [alex]}, "text"),
        ({"character_ids": [alex]}, "text"),
    ]
    for body, fragment in cases:
        assert_rejected(client.post("/voices_clone", json=body), 400, fragment)


def test_unknown_and_foreign_ids_are_404(
    sandbox: SandboxServer, client: httpx.Client, alex: str, voice_wav: Path
) -> None:
    unknown = client.post("/voices_clone", json={"text": "Hi", "character_ids": ["char_nope"]})
    assert_rejected(unknown, 404, "char_nope")
    job_id = client.post("/voices_clone", json={"text": "Hi.", "character_ids": [alex]}).json()[
        "data"
    ]["jobId"]
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as other:
        foreign = other.post("/voices_clone", json={"text": "Hi", "character_ids": [alex]})
        assert_rejected(foreign, 404, alex)
        assert_rejected(other.get(f"/voices/{job_id}"), 404, job_id)
    assert_rejected(client.get("/voices/job_nope"), 404)
    wait_for_voice_job(client, job_id)


def test_deleting_a_character_does_not_break_an_accepted_job(
    sandbox_factory: SandboxFactory, voice_wav: Path
) -> None:
    server = sandbox_factory()
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        alex = create_character(client, voice_wav)
        job_id = start_held_job(server, client, alex)
        client.request("DELETE", "/characters/delete", json={"characterId": alex})
        server.hold_jobs(False)
        assert wait_for_voice_job(client, job_id)["status"] == "completed"


def start_held_job(server: SandboxServer, client: httpx.Client, character: str) -> str:
    """The id of a one-line voice job that the server holds once it is running."""
    server.hold_jobs(True)
    answer = client.post("/voices_clone", json={"text": "Hi.", "character_ids": [character]})
    return str(answer.json()["data"]["jobId"])
