"""The dubbing pipeline with real media: upload, transcribe, translate, segments, settings,
clone and status, with the documented status sequences and credits."""

from __future__ import annotations

import math
from pathlib import Path

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    TONE_SECONDS,
    api_client,
    assert_rejected,
    create_character,
    probe_seconds,
    start_transcription,
    transcribed_job,
    wait_for_dubbing,
)
from tests.support.sandbox_server import SandboxFactory, SandboxServer


@pytest.fixture
def tone_job(client: httpx.Client, tone_video: Path) -> str:
    """A transcribed dubbing job of the 3 s tone video."""
    return transcribed_job(client, tone_video, TONE_SECONDS)


def test_full_pipeline_on_a_two_speaker_video(
    sandbox: SandboxServer,
    key: str,
    client: httpx.Client,
    two_speaker_video: Path,
    voice_wav: Path,
    voice_wav_high: Path,
) -> None:
    alex = create_character(client, voice_wav, name="Alex")
    jordan = create_character(client, voice_wav_high, name="Jordan")
    duration = float(probe_seconds(two_speaker_video))
    job_id = start_transcription(client, two_speaker_video, duration)

    data = wait_for_dubbing(client, job_id, ("transcribed", "failed"))
    assert data["status"] == "transcribed", data
    assert set(data) == {
        "status",
        "speakers",
        "segments",
        "sourceLanguage",
        "targetLanguage",
        "duration",
        "mediaType",
    }
    assert data["sourceLanguage"] == "en" and data["mediaType"] == "video"
    assert data["duration"] == pytest.approx(duration, abs=0.1)
    speakers = {speaker["id"]: speaker for speaker in data["speakers"]}
    assert len(speakers) == 2
    for speaker in data["speakers"]:
        assert set(speaker) == {"id", "label", "segmentCount"}
        assert speaker["segmentCount"] == sum(
            1 for segment in data["segments"] if segment["speakerId"] == speaker["id"]
        )
    segments = data["segments"]
    assert len(segments) >= 2
    for segment in segments:
        assert set(segment) == {"id", "speakerId", "start", "end", "text"}
        assert 0 <= segment["start"] < segment["end"] <= duration + 0.1
        assert segment["speakerId"] in speakers

    # Translate one segment only (beta endpoint), then edit segments before cloning.
    first, second = segments[0]["id"], segments[1]["id"]
    translate_one = client.post(
        "/dubbing_segments", json={"jobId": job_id, "targetLanguage": "es", "segmentIds": [first]}
    )
    assert translate_one.json()["data"]["status"] == "translating"
    data = wait_for_dubbing(client, job_id, ("translated", "failed"))
    assert data["status"] == "translated"
    assert "translatedText" in data["segments"][0]
    assert all("translatedText" not in segment for segment in data["segments"][1:])

    other_speaker = next(s for s in speakers if s != segments[1]["speakerId"])
    edit = client.post(
        "/dubbing_segments",
        json={
            "jobId": job_id,
            "segments": [
                {"id": first, "translatedText": "Buenos días a todos."},
                {"id": second, "text": "Thank you.", "speakerId": other_speaker},
            ],
        },
    )
    assert edit.status_code == 200, edit.text
    data = client.get(f"/dubbing/{job_id}").json()["data"]
    assert data["segments"][0]["translatedText"] == "Buenos días a todos."
    assert data["segments"][1]["text"] == "Thank you."
    assert data["segments"][1]["speakerId"] == other_speaker

    settings = client.put(
        f"/dubbing/{job_id}",
        json={
            "targetLanguage": "es",
            "translateAll": True,
            "voiceMapping": {
                "speaker_1": {"type": "character", "characterId": alex},
                "speaker_2": {"type": "character", "characterId": jordan},
            },
        },
    )
    assert settings.json() == {"success": True}

    clone = client.post("/dubbing_clone", json={"jobId": job_id}).json()
    expected_cost = math.ceil(duration / 10)
    assert clone == {
        "success": True,
        "data": {"jobId": job_id, "status": "cloning", "estimatedCost": expected_cost},
    }
    data = wait_for_dubbing(client, job_id, ("completed", "failed"))
    assert data["status"] == "completed", data
    assert data["targetLanguage"] == "es"
    # translateAll: the segments nobody translated were translated while cloning.
    assert all(segment.get("translatedText") for segment in data["segments"] if segment["text"])
    assert data["segments"][0]["translatedText"] == "Buenos días a todos."

    dubbed = httpx.get(data["dubbedUrl"])
    assert dubbed.status_code == 200
    assert dubbed.headers["content-type"] == "video/mp4"
    assert _probe_seconds_of_bytes(dubbed.content, two_speaker_video.parent) == pytest.approx(
        duration, abs=0.5
    )
    ranged = httpx.get(data["dubbedUrl"], headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100

    info = sandbox.job_info(job_id)
    assert info["statusHistory"] == [
        "transcribing",
        "transcribed",
        "translating",
        "translated",
        "cloning",
        "completed",
    ]
    assert info["cost"] == expected_cost
    assert sandbox.credits(key) == 500 - expected_cost


def _probe_seconds_of_bytes(content: bytes, directory: Path) -> float:
    path = directory / "dubbed-download.mp4"
    path.write_bytes(content)
    return probe_seconds(path)


def test_translate_whole_transcript_and_dub_in_original_language(
    sandbox: SandboxServer, key: str, client: httpx.Client, tone_job: str, voice_wav: Path
) -> None:
    response = client.post("/dubbing_translate", json={"jobId": tone_job, "targetLanguage": "fr"})
    assert response.json() == {
        "success": True,
        "data": {"jobId": tone_job, "status": "translating"},
    }
    data = wait_for_dubbing(client, tone_job, ("translated", "failed"))
    assert data["status"] == "translated" and data["targetLanguage"] == "fr"
    assert all("translatedText" in segment for segment in data["segments"])

    alex = create_character(client, voice_wav)
    settings = {
        "targetLanguage": "",
        "translateAll": False,
        "voiceMapping": {"speaker_1": {"type": "character", "characterId": alex}},
    }
    assert client.put(f"/dubbing/{tone_job}", json=settings).json() == {"success": True}
    assert client.post("/dubbing_clone", json={"jobId": tone_job}).status_code == 200
    data = wait_for_dubbing(client, tone_job, ("completed", "failed"))
    assert data["status"] == "completed" and data["targetLanguage"] == ""
    assert httpx.get(data["dubbedUrl"]).headers["content-type"] == "video/mp4"
    assert sandbox.credits(key) == 500 - 1  # 3 s of media: one started 10 s unit


def test_failed_clone_is_refunded_and_can_be_retried(
    sandbox: SandboxServer, key: str, client: httpx.Client, tone_job: str
) -> None:
    sandbox.fail_next_jobs(1, message="dubbing engine failure", key=key)
    client.post("/dubbing_clone", json={"jobId": tone_job})
    data = wait_for_dubbing(client, tone_job, ("completed", "failed"))
    assert data["status"] == "failed"
    assert data["error"] == "dubbing engine failure"
    assert "dubbedUrl" not in data
    assert sandbox.credits(key) == 500
    # The transcript survived: cloning again works.
    client.post("/dubbing_clone", json={"jobId": tone_job})
    assert wait_for_dubbing(client, tone_job, ("completed", "failed"))["status"] == "completed"
    assert sandbox.credits(key) == 499


def test_steps_wait_for_the_running_one(sandbox_factory: SandboxFactory, tone_video: Path) -> None:
    server = sandbox_factory()
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        server.hold_jobs(True)
        job_id = start_transcription(client, tone_video, TONE_SECONDS)
        assert client.get(f"/dubbing/{job_id}").json()["data"]["status"] == "transcribing"
        while_transcribing = [
            client.post("/dubbing_translate", json={"jobId": job_id, "targetLanguage": "es"}),
            client.put(f"/dubbing/{job_id}", json={"translateAll": True}),
            client.post("/dubbing_clone", json={"jobId": job_id}),
        ]
        for response in while_transcribing:
            assert_rejected(response, 400, "transcribing")
        server.hold_jobs(False)
        assert wait_for_dubbing(client, job_id, ("transcribed",))["status"] == "transcribed"
        server.hold_jobs(True)
        client.post("/dubbing_translate", json={"jobId": job_id, "targetLanguage": "de"})
        assert client.get(f"/dubbing/{job_id}").json()["data"]["status"] == "translating"
        assert_rejected(client.post("/dubbing_clone", json={"jobId": job_id}), 400, "translating")
        server.hold_jobs(False)
        assert wait_for_dubbing(client, job_id, ("translated",))["status"] == "translated"
