"""The `duration` and `fileSizeMB` declared to `POST /dubbing_transcribe`: round values a
real client sends are accepted, values that dodge the measurement or use the wrong unit are
refused, and the job carries the measured duration (see orangeweb/sandbox/declared_media.py)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    api_client,
    assert_rejected,
    probe_seconds,
    upload_media,
)
from tests.support.media import make_silence
from tests.support.sandbox_server import SandboxFactory, SandboxServer

MB = 1_000_000
MIB = 1024**2


@pytest.fixture
def held_client(sandbox_factory: SandboxFactory) -> Iterator[httpx.Client]:
    """A client of a sandbox of its own whose jobs never run: these tests only submit."""
    server = sandbox_factory()
    server.hold_jobs(True)
    with api_client(server, server.issue_key(tier="enterprise")) as client:
        yield client


@pytest.fixture(scope="session")
def three_mb_wav(media_dir: Path) -> Path:
    """75 s of silence: 3.3 MB, 3.15 MiB."""
    return make_silence(media_dir / "three-mb.wav", 75.0)


@pytest.fixture(scope="session")
def two_minute_wav(media_dir: Path) -> Path:
    """A "2-minute" recording that measures 120.3 s."""
    return make_silence(media_dir / "two-minutes.wav", 120.3)


def _submit(
    client: httpx.Client, media_path: str, duration: float, size_mb: float, media_type: str
) -> httpx.Response:
    body = {
        "mediaPath": media_path,
        "mediaType": media_type,
        "duration": duration,
        "fileSizeMB": size_mb,
    }
    return client.post("/dubbing_transcribe", json=body)


def _accepted(
    client: httpx.Client, media: Path, content_type: str, duration: float, size_mb: float
) -> float:
    """Submit a fresh upload of `media` with the declared values; the job's duration."""
    media_type = "video" if content_type.startswith("video/") else "audio"
    response = _submit(
        client, upload_media(client, media, content_type), duration, size_mb, media_type
    )
    assert response.status_code == 200, (duration, size_mb, response.text)
    job = client.get(f"/dubbing/{response.json()['data']['jobId']}").json()["data"]
    return float(job["duration"])


def test_round_declarations_are_accepted(held_client: httpx.Client, tone_video: Path) -> None:
    measured = probe_seconds(tone_video)
    assert tone_video.stat().st_size < 0.5 * MB  # rounds up to 1, and to 0 at the nearest
    declarations = [
        (round(measured), 1),  # rounded to the second, size rounded up to whole megabytes
        (math.ceil(measured), 1),
        (math.floor(measured), 1),
        (measured - 0.9, 0.1),  # within a second's rounding; a tenth of a megabyte
        (round(measured), 0),  # 0.08 MB rounded to the nearest whole megabyte
        (120, 1),  # the documented example's 120 s, for a shorter file
    ]
    for duration, size_mb in declarations:
        job_duration = _accepted(held_client, tone_video, "video/mp4", duration, size_mb)
        # The job carries (and is billed on) the measured duration, never the declared one.
        assert job_duration == pytest.approx(measured, abs=0.1)


def test_round_sizes_of_a_larger_file_are_accepted(
    held_client: httpx.Client, three_mb_wav: Path
) -> None:
    size = three_mb_wav.stat().st_size
    assert (math.floor(size / MIB), math.ceil(size / MB)) == (3, 4)
    duration = round(probe_seconds(three_mb_wav))
    for size_mb in (3, round(size / MIB, 1), round(size / MB, 2), 4, 50):  # 50: the docs
        _accepted(held_client, three_mb_wav, "audio/wav", duration, size_mb)


def test_dodging_and_wrong_unit_declarations_are_refused(
    held_client: httpx.Client, tone_video: Path, three_mb_wav: Path
) -> None:
    measured = probe_seconds(tone_video)
    tone = upload_media(held_client, tone_video, "video/mp4")
    size = tone_video.stat().st_size
    cases: list[tuple[str, float, float, str, str]] = [
        # Shorter than the media by more than a rounding: it would dodge the cap and the bill.
        (tone, measured - 1.2, 1, "video", "shorter than the media"),
        (tone, 0.5, 1, "video", "shorter than the media"),
        # Milliseconds for seconds, bytes or kilobytes for megabytes.
        (tone, measured * 1000, 1, "video", "send the duration in seconds"),
        (tone, round(measured), size, "video", "send the size in megabytes"),
        (tone, round(measured), size / 1000, "video", "send the size in megabytes"),
    ]
    big = upload_media(held_client, three_mb_wav, "audio/wav")
    big_seconds = round(probe_seconds(three_mb_wav))
    for size_mb in (2.9, 2, 1):  # below the 3.15 MiB file truncated to whole megabytes
        cases.append((big, big_seconds, size_mb, "audio", "fileSizeMB"))
    kib = three_mb_wav.stat().st_size / 1024
    cases.append((big, big_seconds, kib, "audio", "megabytes"))  # KiB for MB
    for media_path, duration, size_mb, media_type, fragment in cases:
        response = _submit(held_client, media_path, duration, size_mb, media_type)
        assert_rejected(response, 400, fragment)
    # A refusal does not use the upload up: the honest declaration still goes through.
    assert _submit(held_client, tone, round(measured), 1, "video").status_code == 200


def test_the_free_tier_cap_is_judged_on_the_measured_duration(
    sandbox: SandboxServer, tone_video: Path, long_audio: Path, two_minute_wav: Path
) -> None:
    with api_client(sandbox, sandbox.issue_key(tier="free")) as free:
        sandbox.hold_jobs(True)  # only the answers matter; no transcription needs to run
        # The documented example's 120 s for a 3 s file: at the cap, and the file is short.
        short = upload_media(free, tone_video, "video/mp4")
        assert _submit(free, short, 120, 1, "video").status_code == 200
        # 125 s of media declared as the 120 s the tier allows: the measurement decides.
        long = upload_media(free, long_audio, "audio/mpeg")
        response = _submit(free, long, 120, 2, "audio")
        assert_rejected(response, 403, "free tier", "2 minutes")
        # 120.3 s is 2 minutes once rounded to the second, as its maker would say.
        seconds = probe_seconds(two_minute_wav)
        assert 120 < seconds < 120.5
        at_cap = upload_media(free, two_minute_wav, "audio/wav")
        response = _submit(free, at_cap, 120, 6, "audio")
        assert response.status_code == 200, response.text
