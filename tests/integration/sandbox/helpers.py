"""Small HTTP helpers for the sandbox suite: an authorised client, characters, uploads, and
waiting for jobs (bounded polling, never sleeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import httpx

from tests.integration.sandbox.schema_check import documented_answers
from tests.support.sandbox_server import SandboxServer, poll_until

VOICE_DONE = ("completed", "failed")


def api_client(sandbox: SandboxServer, key: str | None) -> httpx.Client:
    """A client of the sandbox's API; every answer it gets is checked against the sandbox's
    OpenAPI schema (schema_check.py)."""
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    checker = documented_answers(sandbox.root_url)
    return httpx.Client(
        base_url=sandbox.base_url,
        headers=headers,
        timeout=60,
        event_hooks={"response": [checker.check]},
    )


def create_character(
    client: httpx.Client,
    voice: Path,
    name: str = "Alex Voice",
    avatar_style: str = "adventurer",
    content_type: str = "audio/wav",
) -> str:
    response = client.post(
        "/characters/create",
        data={"name": name, "avatarStyle": avatar_style},
        files={"voiceFile": (voice.name, voice.read_bytes(), content_type)},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["characterId"])


def wait_for_voice_job(client: httpx.Client, job_id: str, timeout: float = 60) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        data: dict[str, Any] = client.get(f"/voices/{job_id}").json()["data"]
        return data if data["status"] in VOICE_DONE else None

    return poll_until(finished, timeout=timeout, interval=0.1, message=f"voice job {job_id}")


def wait_for_batch(client: httpx.Client, batch_id: str, timeout: float = 60) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        body: dict[str, Any] = client.get(
            "/batch_tts_status", params={"batchJobId": batch_id}
        ).json()
        return body if body["status"] in ("completed", "partial", "failed") else None

    return poll_until(finished, timeout=timeout, interval=0.1, message=f"batch {batch_id}")


def wait_for_dubbing(
    client: httpx.Client, job_id: str, statuses: tuple[str, ...], timeout: float = 120
) -> dict[str, Any]:
    def reached() -> dict[str, Any] | None:
        data: dict[str, Any] = client.get(f"/dubbing/{job_id}").json()["data"]
        return data if data["status"] in statuses else None

    return poll_until(reached, timeout=timeout, interval=0.1, message=f"dubbing job {job_id}")


def upload_media(client: httpx.Client, media: Path, content_type: str) -> str:
    """get_upload_url + PUT; returns the mediaPath."""
    response = client.post(
        "/dubbing_transcribe",
        params={"action": "get_upload_url"},
        json={"fileName": media.name, "contentType": content_type},
    )
    assert response.status_code == 200, response.text
    grant = response.json()["data"]
    put = httpx.put(
        grant["uploadUrl"], content=media.read_bytes(), headers={"Content-Type": content_type}
    )
    assert put.status_code == 200, put.text
    return str(grant["mediaPath"])


def transcribe_body(
    media_path: str, media: Path, duration: float, media_type: str = "video"
) -> dict[str, Any]:
    return {
        "mediaPath": media_path,
        "mediaType": media_type,
        "duration": duration,
        "fileSizeMB": media.stat().st_size / 1_000_000,
    }


def assert_rejected(response: httpx.Response, status: int, *fragments: str) -> str:
    """The response is the sandbox's error shape with `status`; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert set(body) == {"success", "error"}
    message = str(body["error"])
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    return message


TONE_SECONDS = 3.0


def start_transcription(client: httpx.Client, media: Path, duration: float) -> str:
    """Upload `media` as video/mp4 and start its transcription; returns the job id."""
    media_path = upload_media(client, media, "video/mp4")
    response = client.post("/dubbing_transcribe", json=transcribe_body(media_path, media, duration))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {"success": True, "data": {"jobId": body["data"]["jobId"]}}
    return str(body["data"]["jobId"])


def transcribed_job(client: httpx.Client, media: Path, duration: float) -> str:
    job_id = start_transcription(client, media, duration)
    assert wait_for_dubbing(client, job_id, ("transcribed", "failed"))["status"] == "transcribed"
    return job_id


def probe_seconds(media: Path) -> float:
    """The media's duration by PyAV: an independent measurement, not the sandbox's probe."""
    with av.open(str(media)) as container:
        assert container.duration is not None
        return float(container.duration / av.time_base)
