"""Media probing: real containers and codecs by content, refusals in words, tier caps."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.media.probe import (
    MediaRejected,
    check_tier_duration,
    dubbing_estimate,
    probe_media,
)
from tests.support.media import make_speech, make_tone_video


def _ffmpeg(*args: str) -> None:
    subprocess.run([get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", *args], check=True)


@pytest.mark.parametrize(
    ("name", "container", "content_type", "video_codec", "audio_codec"),
    [
        ("clip.mp4", "mp4", "video/mp4", "h264", "aac"),
        ("clip.mov", "mov", "video/quicktime", "h264", "aac"),
        ("clip.mkv", "mkv", "video/x-matroska", "h264", "opus"),
        ("clip.webm", "webm", "video/webm", "vp8", "opus"),
    ],
)
def test_videos_are_probed_by_content(
    media_dir: Path,
    name: str,
    container: str,
    content_type: str,
    video_codec: str,
    audio_codec: str,
) -> None:
    path = make_tone_video(media_dir / name, 2.0)
    # The name lies on purpose: only the bytes count.
    disguised = path.rename(path.with_suffix(".bin"))
    facts = probe_media(disguised)
    assert (facts.container, facts.content_type, facts.media_type) == (
        container,
        content_type,
        "video",
    )
    assert (facts.video_codec, facts.audio_codec) == (video_codec, audio_codec)
    assert facts.has_video
    assert facts.duration_s == pytest.approx(2.0, abs=0.05)
    assert facts.size_bytes == disguised.stat().st_size


@pytest.mark.parametrize(
    ("name", "container", "content_type", "audio_codec"),
    [
        ("speech.mp3", "mp3", "audio/mpeg", "mp3float"),
        ("speech.wav", "wav", "audio/wav", "pcm_s16le"),
        ("speech.m4a", "m4a", "audio/mp4", "aac"),
    ],
)
def test_audio_files_are_probed_by_content(
    media_dir: Path, name: str, container: str, content_type: str, audio_codec: str
) -> None:
    path = make_speech(media_dir / name, "Hello there, this is a short test.")
    facts = probe_media(path)
    assert (facts.container, facts.content_type, facts.media_type) == (
        container,
        content_type,
        "audio",
    )
    assert facts.audio_codec == audio_codec and facts.video_codec is None
    assert 1.0 < facts.duration_s < 5.0


def test_mp3_cover_art_is_not_video(media_dir: Path) -> None:
    speech = make_speech(media_dir / "plain.mp3", "A song with a cover picture.")
    cover = media_dir / "cover.png"
    _ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", str(cover))
    tagged = media_dir / "tagged.mp3"
    _ffmpeg(
        *("-i", str(speech), "-i", str(cover), "-map", "0:a", "-map", "1:v"),
        *("-c", "copy", "-id3v2_version", "3", "-disposition:v", "attached_pic", str(tagged)),
    )
    facts = probe_media(tagged)
    assert (facts.media_type, facts.video_codec, facts.content_type) == (
        "audio",
        None,
        "audio/mpeg",
    )


def test_a_text_file_named_mp4_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "movie.mp4"
    fake.write_text("This is not a video at all.\n" * 50)
    with pytest.raises(MediaRejected, match=r"not audio or video we can dub\. Use an MP4, MOV"):
        probe_media(fake)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(MediaRejected, match="empty"):
        probe_media(empty)


def test_a_video_without_sound_is_refused(tmp_path: Path) -> None:
    silent = tmp_path / "silent.mp4"
    _ffmpeg(
        *("-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=1"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p", str(silent)),
    )
    with pytest.raises(MediaRejected, match="no sound track"):
        probe_media(silent)


@pytest.mark.parametrize("name", ["speech.ogg", "speech.flac"])
def test_formats_outside_the_allow_list_are_refused(media_dir: Path, name: str) -> None:
    path = make_speech(media_dir / name, "Not one of the accepted formats.")
    with pytest.raises(MediaRejected, match="not audio or video we can dub"):
        probe_media(path)


def test_a_damaged_file_is_refused(media_dir: Path, tmp_path: Path) -> None:
    original = make_tone_video(media_dir / "whole.mp4", 2.0).read_bytes()
    # Keep the first bytes (the type still says MP4) and cut the rest away.
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(original[:64])
    with pytest.raises(MediaRejected, match="damaged"):
        probe_media(damaged)


def test_the_size_cap_applies_before_probing(media_dir: Path) -> None:
    path = make_tone_video(media_dir / "capped.mp4", 1.0)
    with pytest.raises(MediaRejected, match="over the 1 KB upload limit"):
        probe_media(path, max_bytes=1024)


@pytest.mark.parametrize(
    ("tier", "seconds", "allowed"),
    [
        ("free", 120.0, True),
        ("free", 120.5, False),
        ("pro", 30 * 60, True),
        ("pro", 30 * 60 + 1, False),
        ("enterprise", 10 * 3600, True),
    ],
)
def test_duration_is_checked_against_the_tier(tier: str, seconds: float, allowed: bool) -> None:
    if allowed:
        check_tier_duration(seconds, tier)
    else:
        with pytest.raises(MediaRejected, match="key dubs at most"):
            check_tier_duration(seconds, tier)


def test_tier_refusal_says_both_lengths() -> None:
    with pytest.raises(MediaRejected) as caught:
        check_tier_duration(180.0, "free")
    assert caught.value.message.startswith("This media lasts 3 min; a Free key dubs at most 2 min.")


def test_estimate_uses_the_sdk_price_list(media_dir: Path) -> None:
    facts = probe_media(make_tone_video(media_dir / "priced.mp4", 2.0))
    assert dubbing_estimate(facts).credits == 1
    assert dubbing_estimate(facts, target_languages=3).credits == 3
