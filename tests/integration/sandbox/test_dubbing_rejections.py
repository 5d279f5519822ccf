"""Every rejection of the dubbing steps: upload URL, PUT, transcribe, tier cap, later steps."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    TONE_SECONDS,
    api_client,
    assert_rejected,
    create_character,
    probe_seconds,
    transcribe_body,
    transcribed_job,
    upload_media,
    wait_for_dubbing,
)
from tests.support.sandbox_server import SandboxServer


@pytest.fixture
def tone_job(client: httpx.Client, tone_video: Path) -> str:
    """A transcribed dubbing job of the 3 s tone video."""
    return transcribed_job(client, tone_video, TONE_SECONDS)


def test_get_upload_url_rejections(client: httpx.Client) -> None:
    url = "/dubbing_transcribe"
    params = {"action": "get_upload_url"}
    good = {"fileName": "video.mp4", "contentType": "video/mp4"}
    assert_rejected(
        client.post(url, params=params, json={**good, "contentType": "text/plain"}), 415
    )
    assert_rejected(client.post(url, params=params, json={"fileName": "v.mp4"}), 400, "contentType")
    assert_rejected(client.post(url, params=params, json={**good, "fileName": ""}), 400, "fileName")
    assert_rejected(client.post(url, params={"action": "upload"}, json=good), 400, "action")
    grant = client.post(url, params=params, json={**good, "fileName": "../../etc/v.mp4"}).json()
    assert grant["data"]["mediaPath"].endswith("/v.mp4")
    assert ".." not in grant["data"]["mediaPath"]


def test_upload_put_rejections(client: httpx.Client, tone_video: Path) -> None:
    grant = client.post(
        "/dubbing_transcribe",
        params={"action": "get_upload_url"},
        json={"fileName": "tone.mp4", "contentType": "video/mp4"},
    ).json()["data"]
    upload_url: str = grant["uploadUrl"]
    content = tone_video.read_bytes()
    wrong_type = httpx.put(upload_url, content=content, headers={"Content-Type": "video/webm"})
    assert_rejected(wrong_type, 400, "video/mp4")
    token_start = upload_url.rindex("/") + 1
    tampered = upload_url[:token_start] + "x" + upload_url[token_start + 1 :]
    forged = httpx.put(tampered, content=content, headers={"Content-Type": "video/mp4"})
    assert_rejected(forged, 403, "signed URL")
    empty = httpx.put(upload_url, content=b"", headers={"Content-Type": "video/mp4"})
    assert_rejected(empty, 400, "empty")
    # Not uploaded yet: transcription cannot start.
    body = transcribe_body(grant["mediaPath"], tone_video, TONE_SECONDS)
    assert_rejected(client.post("/dubbing_transcribe", json=body), 400, "PUT the file first")
    assert httpx.put(upload_url, content=content, headers={"Content-Type": "video/mp4"}).is_success
    assert client.post("/dubbing_transcribe", json=body).status_code == 200
    # Once submitted, the upload is used up.
    assert_rejected(client.post("/dubbing_transcribe", json=body), 400, "already")
    late = httpx.put(upload_url, content=content, headers={"Content-Type": "video/mp4"})
    assert_rejected(late, 409, "already")


def test_transcribe_rejections(
    sandbox: SandboxServer,
    client: httpx.Client,
    tone_video: Path,
    text_as_wav: Path,
    silent_video: Path,
    voice_wav: Path,
) -> None:
    media_path = upload_media(client, tone_video, "video/mp4")
    good = transcribe_body(media_path, tone_video, TONE_SECONDS)
    cases: list[tuple[dict[str, object], str]] = [
        ({**good, "mediaType": "image"}, "mediaType"),
        ({**good, "duration": "3"}, "duration"),
        ({**good, "duration": 0}, "duration"),
        ({**good, "duration": 3000}, "send the duration in seconds"),
        ({**good, "fileSizeMB": tone_video.stat().st_size}, "megabytes"),
        ({key: value for key, value in good.items() if key != "fileSizeMB"}, "fileSizeMB"),
        ({**good, "language": "en"}, "unknown field"),
    ]
    for body, fragment in cases:
        assert_rejected(client.post("/dubbing_transcribe", json=body), 400, fragment)
    unknown = {**good, "mediaPath": "uploads/upl_nope/x.mp4"}
    assert_rejected(client.post("/dubbing_transcribe", json=unknown), 404, "mediaPath")
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as other:
        assert_rejected(other.post("/dubbing_transcribe", json=good), 404, "mediaPath")

    not_media = upload_media(client, text_as_wav, "audio/wav")
    body = transcribe_body(not_media, text_as_wav, 3.0, media_type="audio")
    assert_rejected(client.post("/dubbing_transcribe", json=body), 415, "not a supported")

    mute = upload_media(client, silent_video, "video/mp4")
    body = transcribe_body(mute, silent_video, 3.0)
    assert_rejected(client.post("/dubbing_transcribe", json=body), 400, "no audio track")

    audio_only = upload_media(client, voice_wav, "audio/wav")
    body = transcribe_body(audio_only, voice_wav, probe_seconds(voice_wav), media_type="video")
    assert_rejected(client.post("/dubbing_transcribe", json=body), 400, "no video track")
    body["mediaType"] = "audio"
    job_id = client.post("/dubbing_transcribe", json=body).json()["data"]["jobId"]
    data = wait_for_dubbing(client, job_id, ("transcribed", "failed"))
    assert data["mediaType"] == "audio" and data["status"] == "transcribed"


def test_free_tier_duration_cap_is_403(sandbox: SandboxServer, long_audio: Path) -> None:
    seconds = probe_seconds(long_audio)
    assert seconds > 120
    with api_client(sandbox, sandbox.issue_key(tier="free")) as free:
        declared_long = upload_media(free, long_audio, "audio/mpeg")
        body = transcribe_body(declared_long, long_audio, seconds, media_type="audio")
        assert_rejected(free.post("/dubbing_transcribe", json=body), 403, "free", "2 minutes")
        # Declaring less does not help: the real duration is measured.
        body["duration"] = 60
        assert_rejected(free.post("/dubbing_transcribe", json=body), 403, "free")
    with api_client(sandbox, sandbox.issue_key(tier="pro")) as pro:
        allowed = upload_media(pro, long_audio, "audio/mpeg")
        body = transcribe_body(allowed, long_audio, seconds, media_type="audio")
        assert pro.post("/dubbing_transcribe", json=body).status_code == 200


def test_step_rejections(
    sandbox: SandboxServer, client: httpx.Client, tone_job: str, voice_wav: Path
) -> None:
    job = tone_job
    cases: list[tuple[str, str, dict[str, object], str]] = [
        ("POST", "/dubbing_translate", {"jobId": job, "targetLanguage": "xx"}, "targetLanguage"),
        ("POST", "/dubbing_translate", {"jobId": job, "targetLanguage": ""}, "targetLanguage"),
        ("POST", "/dubbing_translate", {"jobId": job}, "targetLanguage"),
        ("POST", "/dubbing_segments", {"jobId": job}, "segments"),
        (
            "POST",
            "/dubbing_segments",
            {"jobId": job, "targetLanguage": "es", "segmentIds": ["seg_9999"]},
            "unknown segment",
        ),
        ("POST", "/dubbing_segments", {"jobId": job, "segmentIds": ["seg_0001"]}, "both"),
        (
            "POST",
            "/dubbing_segments",
            {"jobId": job, "segments": [{"id": "seg_0001"}]},
            "give text",
        ),
        (
            "POST",
            "/dubbing_segments",
            {"jobId": job, "segments": [{"id": "seg_0001", "speakerId": "speaker_9"}]},
            "unknown speakerId",
        ),
        ("PUT", f"/dubbing/{job}", {}, "at least one"),
        ("PUT", f"/dubbing/{job}", {"targetLanguage": "klingon"}, "targetLanguage"),
        ("PUT", f"/dubbing/{job}", {"translateAll": "yes"}, "translateAll"),
        (
            "PUT",
            f"/dubbing/{job}",
            {"voiceMapping": {"speaker_9": {"type": "original"}}},
            "unknown speaker",
        ),
        (
            "PUT",
            f"/dubbing/{job}",
            {"voiceMapping": {"speaker_1": {"type": "robot"}}},
            "voiceMapping",
        ),
        (
            "PUT",
            f"/dubbing/{job}",
            {"voiceMapping": {"speaker_1": {"type": "character"}}},
            "characterId",
        ),
        ("POST", "/dubbing_clone", {}, "jobId"),
    ]
    for method, path, body, fragment in cases:
        assert_rejected(client.request(method, path, json=body), 400, fragment)

    missing_character = {
        "voiceMapping": {"speaker_1": {"type": "character", "characterId": "char_nope"}}
    }
    assert_rejected(client.put(f"/dubbing/{job}", json=missing_character), 404, "char_nope")
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as other:
        foreign_character = create_character(other, voice_wav)
        mapping = {
            "voiceMapping": {"speaker_1": {"type": "character", "characterId": foreign_character}}
        }
        assert_rejected(client.put(f"/dubbing/{job}", json=mapping), 404, foreign_character)
        foreign_calls: list[tuple[str, str, dict[str, object] | None]] = [
            ("GET", f"/dubbing/{job}", None),
            ("PUT", f"/dubbing/{job}", {"translateAll": True}),
            ("POST", "/dubbing_translate", {"jobId": job, "targetLanguage": "es"}),
            (
                "POST",
                "/dubbing_segments",
                {"jobId": job, "targetLanguage": "es", "segmentIds": ["seg_0001"]},
            ),
            ("POST", "/dubbing_clone", {"jobId": job}),
        ]
        for method, path, call_body in foreign_calls:
            assert_rejected(other.request(method, path, json=call_body), 404, job)
    assert_rejected(client.get("/dubbing/dub_nope"), 404)


def test_clone_needs_credits(
    sandbox: SandboxServer, key: str, client: httpx.Client, tone_job: str
) -> None:
    sandbox.set_credits(key, 0)
    assert_rejected(client.post("/dubbing_clone", json={"jobId": tone_job}), 402, "credits")
    assert client.get(f"/dubbing/{tone_job}").json()["data"]["status"] == "transcribed"
