"""Every documented error status, through the SDK's typed errors, from the real sandbox:
401 AuthError, 402 InsufficientCredits, 403 Forbidden, 404 NotFound, 400/415 InvalidRequest
with the server's message, 429 RateLimited with retry_after, and 5xx ServerError / recovery
through the SDK's retries (the sandbox's fault injection)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from orangeweb.orangeclone import (
    AuthError,
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    OrangeClone,
    RateLimited,
    RetryPolicy,
    ServerError,
)
from tests.integration.sdk.conftest import ClientFactory
from tests.integration.sdk.helpers import container_seconds, free_key, size_mb, wait_voice
from tests.support.sandbox_server import SandboxServer

NO_RETRIES = RetryPolicy(max_retries=0)


async def test_bad_key_is_an_auth_error(make_client: ClientFactory, voice_wav: Path) -> None:
    bad_key = "ocsb_definitely-not-a-key"
    client = make_client(bad_key)
    with pytest.raises(AuthError) as error:
        await client.characters.get("char_anything")
    assert error.value.status_code == 401
    assert error.value.message == "invalid API key"
    with pytest.raises(AuthError):
        await client.characters.create("Alex", "adventurer", voice_wav)
    with pytest.raises(AuthError):
        await client.voices.clone("Hello there.", ["char_anything"])
    assert bad_key not in str(error.value)


async def test_zero_credits_is_insufficient_credits(
    sandbox: SandboxServer, make_client: ClientFactory, voice_wav: Path
) -> None:
    client = make_client(sandbox.issue_key(tier="enterprise", credits=0))
    alex = await client.characters.create("Alex", "adventurer", voice_wav)  # free of charge

    with pytest.raises(InsufficientCredits) as error:
        await client.voices.clone("Hello there, how are you today?", [alex.character_id])
    assert error.value.status_code == 402
    assert "not enough credits" in error.value.message
    with pytest.raises(InsufficientCredits):
        await client.scripts.generate("single", "A coffee advert", [{"id": "1", "name": "Alex"}])
    with pytest.raises(InsufficientCredits):
        await client.batch.create(
            "story_broke", [{"text": "Welcome!", "characterId": alex.character_id}]
        )


async def test_media_over_the_free_tier_cap_is_forbidden(
    sandbox: SandboxServer, make_client: ClientFactory, long_video: Path
) -> None:
    seconds = container_seconds(long_video)
    assert seconds > 120
    client = make_client(free_key(sandbox), tier="free")
    target = await client.dubbing.get_upload_url(long_video.name, "video/mp4")
    await client.dubbing.upload(target.upload_url, long_video, "video/mp4")

    with pytest.raises(Forbidden) as error:
        await client.dubbing.transcribe(target.media_path, "video", seconds, size_mb(long_video))
    assert error.value.status_code == 403
    assert "free tier allows at most 2 minutes" in error.value.message


async def test_unknown_ids_are_not_found(client: OrangeClone) -> None:
    calls = {
        "char_missing": client.characters.get("char_missing"),
        "job_missing": client.voices.status("job_missing"),
        "batch_missing": client.batch.status("batch_missing"),
        "dub_missing": client.dubbing.status("dub_missing"),
        "dub_gone": client.dubbing.translate("dub_gone", "es"),
        "uploads/upl_missing/a.mp4": client.dubbing.transcribe(
            "uploads/upl_missing/a.mp4", "video", 3.0, 0.1
        ),
    }
    for identifier, call in calls.items():
        with pytest.raises(NotFound) as error:
            await call
        assert error.value.status_code == 404
        assert identifier in error.value.message, error.value.message


async def test_rejected_input_is_invalid_request_with_the_servers_message(
    client: OrangeClone, voice_wav: Path, short_voice_wav: Path, tone_video: Path, tmp_path: Path
) -> None:
    with pytest.raises(InvalidRequest) as error:
        await client.characters.create("Alex", "watercolor", voice_wav)
    assert error.value.status_code == 400
    assert error.value.message.startswith("avatarStyle must be one of adventurer, avataaars")
    assert "'watercolor'" in error.value.message
    assert "(HTTP 400)" in str(error.value)

    with pytest.raises(InvalidRequest) as error:
        await client.characters.create("Alex", "adventurer", short_voice_wav)
    assert error.value.status_code == 400
    assert "voiceFile must be at least 3 seconds long" in error.value.message

    notes = tmp_path / "notes.wav"
    notes.write_text("These are meeting notes, not audio.\n" * 20)
    with pytest.raises(InvalidRequest) as error:
        await client.characters.create("Alex", "adventurer", notes)
    assert error.value.status_code == 415
    assert "voiceFile must be a WAV, MP3 or M4A audio file" in error.value.message

    # A duration in milliseconds instead of seconds: the server names the mistake.
    target = await client.dubbing.get_upload_url(tone_video.name, "video/mp4")
    await client.dubbing.upload(target.upload_url, tone_video, "video/mp4")
    milliseconds = container_seconds(tone_video) * 1000
    with pytest.raises(InvalidRequest) as error:
        await client.dubbing.transcribe(
            target.media_path, "video", milliseconds, size_mb(tone_video)
        )
    assert error.value.status_code == 400
    assert "does not match the media" in error.value.message
    assert "send the duration in seconds" in error.value.message


async def test_eleventh_request_of_a_free_key_is_rate_limited(
    sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    # A key of its own; the local budget is set far above the server's limit and retries are
    # off, so the SDK sends the 11th request and surfaces the server's 429 instead of waiting.
    client = make_client(free_key(sandbox), tier="free", requests_per_minute=1000, retry=NO_RETRIES)
    started = time.monotonic()
    for _ in range(10):
        with pytest.raises(NotFound):
            await client.voices.status("job_missing")
    with pytest.raises(RateLimited) as error:
        await client.voices.status("job_missing")
    assert time.monotonic() - started < 10  # nothing was waited out locally

    assert error.value.status_code == 429
    assert "10 requests per minute" in error.value.message
    assert error.value.retry_after is not None and 1 <= error.value.retry_after <= 60
    # The SDK now holds every caller of this key back until the server's Retry-After.
    assert 0 < client.budget.wait_time() <= error.value.retry_after


async def test_free_tier_budget_agrees_with_the_servers_limit(
    sandbox: SandboxServer, make_client: ClientFactory
) -> None:
    """The SDK's default free-tier budget is meant to keep a key under the server's limit
    ("never together exceed the tier's limit", client.py), so after a burst of 10 requests it
    must not expect to send again before the server will accept it."""
    api_key = free_key(sandbox)
    client = make_client(api_key, tier="free", retry=NO_RETRIES)  # the tier's own 10/min
    for _ in range(10):
        with pytest.raises(NotFound):
            await client.voices.status("job_missing")
    sdk_wait = client.budget.wait_time()

    # Ask the server directly (outside the SDK's budget) when it will take the next request.
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as raw:
        answer = await raw.get(
            "/voices/job_missing", headers={"Authorization": f"Bearer {api_key}"}
        )
    assert answer.status_code == 429
    server_wait = float(answer.headers["Retry-After"])
    assert server_wait > 50  # a sliding 60 s window: ~a minute after the burst
    assert sdk_wait >= server_wait - 1.0, (
        f"after 10 requests the SDK would send the 11th in {sdk_wait:.1f} s, "
        f"but the server refuses it for {server_wait:.0f} s more (429)"
    )


async def test_injected_429_is_retried_after_retry_after_even_for_a_paid_call(
    sandbox: SandboxServer, key: str, make_client: ClientFactory, voice_wav: Path
) -> None:
    waits: list[float] = []
    client = make_client(key, on_wait=waits.append)
    alex = await client.characters.create("Alex", "adventurer", voice_wav)

    # A 429 is refused before any processing, so even a paid call is safely sent again.
    sandbox.inject_fault(429, count=1, path_prefix="/voices_clone", retry_after=1)
    job = await client.voices.clone("Hello there.", [alex.character_id])
    assert waits[0] == 1.0  # the server's Retry-After, not the backoff
    assert sum(waits[1:]) < 0.1
    assert (await wait_voice(client, job.job_id)).status == "completed"


async def test_server_errors_are_retried_for_reads_and_surface_when_they_persist(
    sandbox: SandboxServer, key: str, make_client: ClientFactory, voice_wav: Path
) -> None:
    waits: list[float] = []
    client = make_client(key, on_wait=waits.append)
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    path = f"/characters/{alex.character_id}"

    # 503 for the next two requests: the SDK's retries ride it out.
    sandbox.inject_fault(503, count=2, path_prefix=path)
    character = await client.characters.get(alex.character_id)
    assert character.name == "Alex"
    assert len(waits) == 2

    # An outage longer than the retries: ServerError with the server's message.
    waits.clear()
    sandbox.inject_fault(503, count=10, path_prefix=path)
    with pytest.raises(ServerError) as error:
        await client.characters.get(alex.character_id)
    assert error.value.status_code == 503
    assert "service unavailable" in error.value.message
    assert len(waits) == 3  # max_retries=3: four attempts in all
    sandbox.clear_faults()
    assert (await client.characters.get(alex.character_id)).name == "Alex"  # recovered


async def test_a_paid_call_is_not_retried_after_a_503(
    sandbox: SandboxServer, key: str, make_client: ClientFactory, voice_wav: Path
) -> None:
    waits: list[float] = []
    client = make_client(key, on_wait=waits.append)
    alex = await client.characters.create("Alex", "adventurer", voice_wav)

    sandbox.inject_fault(503, count=1, path_prefix="/voices_clone")
    with pytest.raises(ServerError) as error:
        await client.voices.clone("Hello there.", [alex.character_id])
    assert error.value.status_code == 503
    assert waits == []  # not sent twice: it might have run once already
    # The fault is spent; the next call goes through.
    job = await client.voices.clone("Hello there.", [alex.character_id])
    assert (await wait_voice(client, job.job_id)).status == "completed"
