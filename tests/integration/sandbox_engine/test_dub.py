from pathlib import Path

import av
import numpy as np
import pytest

from orangeweb.sandbox.engine import DubSegment, VoiceProfile, dub_media, probe_media
from orangeweb.sandbox.engine.dub import DUCK_GAIN
from orangeweb.sandbox.engine.ffmpeg import run_ffmpeg
from orangeweb.sandbox.engine.voice import profile_from_samples
from tests.support.media import (
    decode_mono,
    make_tone_video,
    make_two_speaker_audio,
    rms,
    two_speaker_timeline,
)

RATE = 16_000
NEW_VOICE = VoiceProfile(pitch_hz=240.0, words_per_minute=170)


def _speaker_1_revoiced() -> list[DubSegment]:
    """Speaker 1's turns get a new, high voice; speaker 2 keeps the original."""
    return [
        DubSegment(
            turn.start,
            turn.end,
            f"[pseudo-es] {turn.text}",
            NEW_VOICE if turn.speaker == 1 else None,
        )
        for turn in two_speaker_timeline()
    ]


@pytest.fixture(scope="module")
def dubbed_video(two_speaker_video: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dub_media(two_speaker_video, _speaker_1_revoiced(), "es", tmp_path_factory.mktemp("dub"))


def _video_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(packet) for packet in container.demux(video=0) if packet.size]


def _slot(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    return samples[int(start * RATE) : int(end * RATE)]


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    length = min(len(a), len(b))
    a, b = a[:length], b[:length]
    return float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b)))


def test_dubbed_video_is_an_mp4_with_the_same_video_stream(
    two_speaker_video: Path, dubbed_video: Path
) -> None:
    original, dubbed = probe_media(two_speaker_video), probe_media(dubbed_video)

    assert dubbed_video.suffix == ".mp4"
    assert dubbed.has_video and dubbed.has_audio
    assert (dubbed.video_codec, dubbed.audio_codec) == ("h264", "aac")
    assert dubbed.duration == pytest.approx(original.duration, abs=0.1)
    original_packets = _video_packets(two_speaker_video)
    assert len(original_packets) > 100
    assert _video_packets(dubbed_video) == original_packets  # copied bit for bit


def test_revoiced_slots_change_and_original_slots_stay(
    two_speaker_video: Path, dubbed_video: Path
) -> None:
    before, after = decode_mono(two_speaker_video), decode_mono(dubbed_video)

    for turn in two_speaker_timeline():
        old, new = _slot(before, turn.start, turn.end), _slot(after, turn.start, turn.end)
        new_pitch = profile_from_samples(new, RATE).pitch_hz
        if turn.speaker == 1:  # re-voiced: a different, higher voice over the ducked original
            assert _correlation(old, new) < 0.5
            assert new_pitch == pytest.approx(NEW_VOICE.pitch_hz, rel=0.15)
        else:  # kept: the very same audio
            assert _correlation(old, new) > 0.95
            assert new_pitch == pytest.approx(profile_from_samples(old, RATE).pitch_hz, rel=0.03)


def test_original_audio_is_ducked_under_revoiced_slots_only(tmp_path: Path) -> None:
    # An 80 Hz hum: below the new voice, so the voice adds nothing at that frequency.
    tone_video = make_tone_video(tmp_path / "tone.mp4", 4.0, frequency_hz=80.0)
    # Blank text keeps the original, like a None profile.
    segments = [
        DubSegment(1.0, 2.5, "Hello there.", NEW_VOICE),
        DubSegment(3.0, 3.8, "   ", NEW_VOICE),
    ]

    dubbed = decode_mono(dub_media(tone_video, segments, "en", tmp_path / "out"))

    def tone_level(start: float, end: float) -> float:
        window = _slot(dubbed, start, end)
        spectrum = np.abs(np.fft.rfft(window))
        frequencies = np.fft.rfftfreq(len(window), 1 / RATE)
        return float(spectrum[np.abs(frequencies - 80.0) < 3].max()) / len(window)

    outside, inside, kept = tone_level(0.2, 0.9), tone_level(1.2, 2.3), tone_level(3.0, 3.8)
    # Turned down by more than 10 dB (to DUCK_GAIN, plus the new voice's own low end), but
    # not removed: music and effects stay faintly audible under the new voice.
    assert DUCK_GAIN * 0.8 < inside / outside < 0.3
    assert kept / outside == pytest.approx(1.0, rel=0.1)


def test_audio_only_input_gives_an_mp3(tmp_path: Path) -> None:
    source = make_two_speaker_audio(tmp_path / "talk.m4a")

    out = dub_media(source, _speaker_1_revoiced(), "fr", tmp_path / "out")

    info = probe_media(out)
    assert out.suffix == ".mp3" and info.format_name == "mp3" and not info.has_video
    assert info.duration == pytest.approx(probe_media(source).duration, abs=0.1)


def test_webm_stays_webm_with_its_video_copied(tmp_path: Path) -> None:
    source = make_tone_video(tmp_path / "clip.webm", 2.0)

    out = dub_media(source, [DubSegment(0.3, 1.7, "Hello there.", NEW_VOICE)], "en", tmp_path)

    info = probe_media(out)
    assert out.suffix == ".webm" and info.format_name == "matroska,webm"
    assert (info.video_codec, info.audio_codec) == ("vp8", "opus")
    assert _video_packets(out) == _video_packets(source)
    assert info.duration == pytest.approx(2.0, abs=0.1)


def test_silent_video_gets_a_voice_track(tmp_path: Path) -> None:
    source = tmp_path / "silent.mp4"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64:rate=10:duration=2",
            "-c:v",
            "libx264",
            str(source),
        ]
    )

    out = dub_media(source, [DubSegment(0.2, 1.8, "Hello there.", NEW_VOICE)], "en", tmp_path / "o")

    info = probe_media(out)
    assert info.has_audio and info.duration == pytest.approx(2.0, abs=0.1)
    assert rms(_slot(decode_mono(out), 0.2, 1.8)) > 0.02


def test_segments_past_the_end_are_clamped(tmp_path: Path) -> None:
    source = make_tone_video(tmp_path / "short.mp4", 1.5)

    out = dub_media(source, [DubSegment(1.0, 9.0, "A long sentence.", NEW_VOICE)], "en", tmp_path)

    assert probe_media(out).duration == pytest.approx(1.5, abs=0.1)
