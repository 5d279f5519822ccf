"""Signed file and upload URLs: expiry, tampering, missing files, limits while streaming."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx

from tests.integration.sandbox.helpers import api_client, assert_rejected, create_character
from tests.support.sandbox_server import SandboxFactory, SandboxServer, poll_until


def _voice_url(sandbox: SandboxServer, voice: Path) -> str:
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as client:
        character_id = create_character(client, voice)
        return str(client.get(f"/characters/{character_id}").json()["data"]["voiceUrl"])


def test_download_url_expires(sandbox_factory: SandboxFactory, voice_wav: Path) -> None:
    # Expiry is whole unix seconds: a 2 s lifetime leaves at least 1 s to use the URL.
    short_lived = sandbox_factory(signed_url_ttl_seconds=2)
    url = _voice_url(short_lived, voice_wav)
    issued = time.monotonic()
    assert httpx.get(url).status_code == 200

    def refused() -> httpx.Response | None:
        response = httpx.get(url)
        return response if response.status_code == 403 else None

    expired = poll_until(refused, timeout=10, message="the URL to expire")
    assert_rejected(expired, 403, "expired")
    assert time.monotonic() - issued >= 0.9


def test_upload_url_expires(sandbox_factory: SandboxFactory, tone_video: Path) -> None:
    short_lived = sandbox_factory(signed_url_ttl_seconds=2)
    with api_client(short_lived, short_lived.issue_key(tier="enterprise")) as client:
        grant = client.post(
            "/dubbing_transcribe",
            params={"action": "get_upload_url"},
            json={"fileName": "tone.mp4", "contentType": "video/mp4"},
        ).json()["data"]

    def refused() -> httpx.Response | None:
        response = httpx.put(
            grant["uploadUrl"], content=b"late bytes", headers={"Content-Type": "video/mp4"}
        )
        return response if response.status_code == 403 else None

    expired = poll_until(refused, timeout=10, message="the upload URL to expire")
    assert_rejected(expired, 403, "expired")


def test_tampered_urls_are_403(sandbox: SandboxServer, voice_wav: Path) -> None:
    url = _voice_url(sandbox, voice_wav)
    prefix, token, name = url.rsplit("/", 2)
    payload, signature = token.split(".")
    changed_signature = f"{prefix}/{payload}.{signature[::-1]}/{name}"
    assert_rejected(httpx.get(changed_signature), 403, "invalid")
    # Point the payload at another file, keeping the old signature.
    padded = payload + "=" * (-len(payload) % 4)
    claims = json.loads(base64.urlsafe_b64decode(padded))
    claims["f"] = "sandbox.db"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert_rejected(httpx.get(f"{prefix}/{forged}.{signature}/{name}"), 403, "invalid")
    assert_rejected(httpx.get(f"{prefix}/not-a-token/{name}"), 403)
    # The name is cosmetic: renaming does not matter, the token does.
    assert httpx.get(f"{prefix}/{token}/renamed.wav").status_code == 200


def test_head_request_on_a_download(sandbox: SandboxServer, voice_wav: Path) -> None:
    response = httpx.head(_voice_url(sandbox, voice_wav))
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == voice_wav.stat().st_size
    assert response.headers["accept-ranges"] == "bytes"


def test_upload_over_the_cap_is_413(sandbox_factory: SandboxFactory, tone_video: Path) -> None:
    small = sandbox_factory(media_upload_max_bytes=20_000)
    content = tone_video.read_bytes()
    assert len(content) > 20_000
    with api_client(small, small.issue_key(tier="enterprise")) as client:

        def fresh_upload_url() -> str:
            return str(
                client.post(
                    "/dubbing_transcribe",
                    params={"action": "get_upload_url"},
                    json={"fileName": "tone.mp4", "contentType": "video/mp4"},
                ).json()["data"]["uploadUrl"]
            )

        headers = {"Content-Type": "video/mp4"}
        declared = httpx.put(fresh_upload_url(), content=content, headers=headers)
        assert_rejected(declared, 413, "upload limit")
        # Chunked (no Content-Length): the cap is enforced while the body streams in.
        chunks = (content[i : i + 8192] for i in range(0, len(content), 8192))
        streamed = httpx.put(fresh_upload_url(), content=chunks, headers=headers)
        assert "content-length" not in {name.lower() for name in streamed.request.headers}
        assert_rejected(streamed, 413, "upload limit")
        # Nothing of the refused uploads was kept.
        leftovers = [p for p in (small.data_dir / "uploads").rglob("*") if p.is_file()]
        assert leftovers == []
