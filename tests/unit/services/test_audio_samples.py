"""Voice samples are judged by their content: format, codec, duration and size."""

from __future__ import annotations

from pathlib import Path

import pytest

from orangeweb.services.media.samples import MAX_SAMPLE_BYTES, SampleRejected, prepare_voice_sample

from .audio_files import make_silent_video, make_tone


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "work"
    directory.mkdir()
    return directory


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [(".wav", "audio/wav"), (".mp3", "audio/mpeg"), (".m4a", "audio/mp4")],
)
def test_api_formats_are_accepted_as_they_are(
    tmp_path: Path, work_dir: Path, suffix: str, content_type: str
) -> None:
    source = make_tone(tmp_path / f"voice{suffix}", 4)
    sample = prepare_voice_sample(source, work_dir)
    assert sample.path == source
    assert (sample.extension, sample.content_type) == (suffix[1:], content_type)
    assert sample.duration_s == pytest.approx(4, abs=0.1)
    assert sample.size_bytes == source.stat().st_size


@pytest.mark.parametrize("suffix", [".webm", ".ogg"])
def test_browser_recordings_become_wav(tmp_path: Path, work_dir: Path, suffix: str) -> None:
    source = make_tone(tmp_path / f"recording{suffix}", 4)
    sample = prepare_voice_sample(source, work_dir)
    assert sample.path.parent == work_dir and sample.path.read_bytes()[:4] == b"RIFF"
    assert (sample.extension, sample.content_type) == ("wav", "audio/wav")
    assert sample.duration_s == pytest.approx(4, abs=0.1)


def test_the_file_name_is_not_trusted(tmp_path: Path, work_dir: Path) -> None:
    # An MP3 called .wav is checked and sent as what it is.
    source = make_tone(tmp_path / "voice.mp3", 4).rename(tmp_path / "voice.wav")
    assert prepare_voice_sample(source, work_dir).extension == "mp3"


def test_too_short(tmp_path: Path, work_dir: Path) -> None:
    with pytest.raises(SampleRejected, match=r"lasts 2\.0 s; it needs at least 3 s"):
        prepare_voice_sample(make_tone(tmp_path / "short.wav", 2), work_dir)


def test_a_short_recording_is_refused_after_conversion(tmp_path: Path, work_dir: Path) -> None:
    with pytest.raises(SampleRejected, match="at least 3 s"):
        prepare_voice_sample(make_tone(tmp_path / "short.webm", 1.5), work_dir)


def test_text_renamed_to_wav(tmp_path: Path, work_dir: Path) -> None:
    fake = tmp_path / "voice.wav"
    fake.write_text("this is not audio at all, just words\n" * 50)
    with pytest.raises(SampleRejected, match="not audio we can use"):
        prepare_voice_sample(fake, work_dir)


def test_damaged_wav(tmp_path: Path, work_dir: Path) -> None:
    damaged = tmp_path / "damaged.wav"
    damaged.write_bytes(b"RIFF\xff\xff\x00\x00WAVEfmt " + b"\x00" * 64)
    with pytest.raises(SampleRejected):
        prepare_voice_sample(damaged, work_dir)


def test_empty_and_oversized_files(tmp_path: Path, work_dir: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.touch()
    with pytest.raises(SampleRejected, match="empty"):
        prepare_voice_sample(empty, work_dir)
    huge = make_tone(tmp_path / "huge.wav", 4)
    with huge.open("r+b") as file:
        file.truncate(MAX_SAMPLE_BYTES + 1)
    with pytest.raises(SampleRejected, match="over 20 MB"):
        prepare_voice_sample(huge, work_dir)


def test_formats_outside_the_allow_list(tmp_path: Path, work_dir: Path) -> None:
    with pytest.raises(SampleRejected, match="WAV, MP3 or M4A"):
        prepare_voice_sample(make_tone(tmp_path / "voice.flac", 4), work_dir)


def test_a_recording_without_sound(tmp_path: Path, work_dir: Path) -> None:
    with pytest.raises(SampleRejected, match="no sound"):
        prepare_voice_sample(make_silent_video(tmp_path / "camera.webm"), work_dir)
