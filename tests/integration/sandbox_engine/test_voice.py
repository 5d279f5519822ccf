from pathlib import Path

import numpy as np
import pytest

from orangeweb.sandbox.engine import MediaError, VoiceProfile, analyse_voice
from orangeweb.sandbox.engine.ffmpeg import encode_samples
from tests.support.media import ENGLISH_PARAGRAPH, make_silence, make_speech, make_tone_video


def _write_voice_like_signal(path: Path, f0_hz: float, seconds: float = 3.0) -> Path:
    """A harmonic-rich, syllable-modulated tone with a little vibrato: known F0, no eSpeak, so
    the pitch tracker is checked against ground truth rather than against itself."""
    rate = 16_000
    t = np.arange(int(seconds * rate)) / rate
    instantaneous_f0 = f0_hz * (1 + 0.02 * np.sin(2 * np.pi * 5 * t))
    phase = 2 * np.pi * np.cumsum(instantaneous_f0) / rate
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)  # 4 "syllables" a second
    samples = (harmonics * syllables * 0.25 * 32767).astype(np.int16)
    encode_samples(samples, rate, path)
    return path


@pytest.mark.parametrize("f0_hz", [85.0, 140.0, 230.0, 320.0])
def test_pitch_of_a_known_signal(tmp_path: Path, f0_hz: float) -> None:
    path = _write_voice_like_signal(tmp_path / "voice.wav", f0_hz)

    assert analyse_voice(path).pitch_hz == pytest.approx(f0_hz, rel=0.03)


def test_low_and_high_speech_voices(tmp_path: Path) -> None:
    low = analyse_voice(make_speech(tmp_path / "low.m4a", ENGLISH_PARAGRAPH, pitch_hz=100.0))
    high = analyse_voice(make_speech(tmp_path / "high.mp3", ENGLISH_PARAGRAPH, pitch_hz=220.0))

    assert low.pitch_hz == pytest.approx(100.0, rel=0.15)
    assert high.pitch_hz == pytest.approx(220.0, rel=0.15)


def test_speaking_rate_estimate(tmp_path: Path) -> None:
    slow = analyse_voice(make_speech(tmp_path / "slow.wav", ENGLISH_PARAGRAPH, wpm=110))
    fast = analyse_voice(make_speech(tmp_path / "fast.wav", ENGLISH_PARAGRAPH, wpm=220))

    assert slow.words_per_minute == pytest.approx(110, rel=0.3)
    assert fast.words_per_minute == pytest.approx(220, rel=0.3)
    assert fast.words_per_minute > slow.words_per_minute * 1.4


def test_voice_of_a_video_file(tmp_path: Path) -> None:
    profile = analyse_voice(make_tone_video(tmp_path / "tone.mp4", 1.5, frequency_hz=180.0))

    assert profile.pitch_hz == pytest.approx(180.0, rel=0.03)


def test_silence_has_no_voice(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no voiced speech"):
        analyse_voice(make_silence(tmp_path / "silence.wav", 3.0))


def test_white_noise_has_no_voice(tmp_path: Path) -> None:
    noise = (np.random.default_rng(7).normal(0, 0.2, 3 * 16_000) * 32767).astype(np.int16)
    path = tmp_path / "noise.wav"
    encode_samples(noise, 16_000, path)

    with pytest.raises(MediaError, match="no voiced speech"):
        analyse_voice(path)


def test_a_text_file_is_not_audio(tmp_path: Path) -> None:
    path = tmp_path / "sample.txt"
    path.write_text("hello, this is not audio\n" * 20)

    with pytest.raises(MediaError, match="not a decodable audio file"):
        analyse_voice(path)


def test_profile_round_trips_through_a_dict() -> None:
    profile = VoiceProfile(pitch_hz=123.4, words_per_minute=155)

    assert profile.to_dict() == {"pitch_hz": 123.4, "words_per_minute": 155}
    assert VoiceProfile.from_dict(profile.to_dict()) == profile
    with pytest.raises(ValueError):
        VoiceProfile.from_dict({"pitch_hz": -1, "words_per_minute": 150})
