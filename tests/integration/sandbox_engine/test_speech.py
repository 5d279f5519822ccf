import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from orangeweb.sandbox.engine import (
    LANGUAGES,
    DialogueLine,
    VoiceProfile,
    analyse_voice,
    probe_media,
    synthesize,
    synthesize_dialogue,
)
from orangeweb.sandbox.engine.speech import SAMPLE_SENTENCES, distinct_voices
from orangeweb.sandbox.engine.voice import profile_from_samples
from tests.support.media import decode_mono, rms

PARAGRAPH = (
    "Good evening and welcome to the show. Tonight we talk about gardening, cooking, and the "
    "simple pleasures of a quiet weekend at home with friends."
)


def test_synthesize_writes_a_decodable_mono_mp3(tmp_path: Path) -> None:
    out = tmp_path / "speech.mp3"

    duration = synthesize(PARAGRAPH, VoiceProfile(120.0, 160), out)

    info = probe_media(out)
    assert info.format_name == "mp3" and info.audio_codec == "mp3" and not info.has_video
    assert info.duration == pytest.approx(duration, abs=0.1)
    samples = decode_mono(out)
    assert rms(samples) > 0.02  # clearly audible, not near-silence


@pytest.mark.parametrize("words_per_minute", [110, 160, 220])
def test_duration_follows_the_speaking_rate(tmp_path: Path, words_per_minute: int) -> None:
    expected_seconds = len(PARAGRAPH.split()) / words_per_minute * 60

    duration = synthesize(PARAGRAPH, VoiceProfile(140.0, words_per_minute), tmp_path / "s.mp3")

    assert duration == pytest.approx(expected_seconds, rel=0.15)


@pytest.mark.parametrize("pitch_hz", [90.0, 125.0, 170.0, 220.0, 280.0])
def test_output_pitch_follows_the_profile(tmp_path: Path, pitch_hz: float) -> None:
    out = tmp_path / "pitch.mp3"
    synthesize(PARAGRAPH, VoiceProfile(pitch_hz, 160), out)

    measured = analyse_voice(out)

    assert measured.pitch_hz == pytest.approx(pitch_hz, rel=0.15)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_language_speaks(tmp_path: Path, language: str) -> None:
    out = tmp_path / f"{language}.mp3"

    duration = synthesize(SAMPLE_SENTENCES[language], VoiceProfile(200.0, 170), out, language)

    assert duration > 1.0
    samples = decode_mono(out)
    assert rms(samples) > 0.02
    # Voiced speech, at (about) the requested pitch, in every language's voice.
    assert profile_from_samples(samples, 16_000).pitch_hz == pytest.approx(200.0, rel=0.2)


def test_all_fifteen_api_languages_are_named() -> None:
    documented = ["en", "es", "fr", "de", "it", "pt", "ru", "ja", "ko", "zh", "ar", "hi"]
    assert set(LANGUAGES) == {*documented, "nl", "pl", "tr"}
    assert LANGUAGES["zh"] == "Chinese" and LANGUAGES["pt"] == "Portuguese"


def test_synthesize_rejects_blank_text_and_unknown_languages(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no text"):
        synthesize("  \n", VoiceProfile(120.0, 160), tmp_path / "blank.mp3")
    with pytest.raises(ValueError, match="unsupported language"):
        synthesize("Hello", VoiceProfile(120.0, 160), tmp_path / "xx.mp3", language="xx")


def test_dialogue_voices_are_distinct_even_for_alike_profiles(tmp_path: Path) -> None:
    alike = VoiceProfile(120.0, 160)
    lines = [
        DialogueLine(1, "Hello, how are you today?"),
        DialogueLine(2, "I'm doing great, thanks for asking!"),
        DialogueLine(1, "That's wonderful to hear."),
    ]
    out = tmp_path / "dialogue.mp3"

    duration = synthesize_dialogue(lines, {1: alike, 2: alike}, out)

    samples = decode_mono(out)
    assert len(samples) / 16_000 == pytest.approx(duration, abs=0.1)
    # Split the turns at the pauses and measure each voice.
    turns = _split_at_silences(samples)
    assert len(turns) == 3
    pitches = [profile_from_samples(turn, 16_000).pitch_hz for turn in turns]
    assert pitches[0] == pytest.approx(pitches[2], rel=0.1)  # the same speaker twice
    assert abs(math.log2(pitches[1] / pitches[0])) > 0.25  # > 3 semitones apart


def test_dialogue_keeps_distinct_profiles_as_they_are() -> None:
    low, high = VoiceProfile(100.0, 150), VoiceProfile(210.0, 170)

    assert distinct_voices({1: low, 2: high}) == {1: low, 2: high}


def test_dialogue_needs_a_profile_for_every_speaker(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Speaker 2"):
        synthesize_dialogue(
            [DialogueLine(1, "Hi."), DialogueLine(2, "Hello.")],
            {1: VoiceProfile(120.0, 160)},
            tmp_path / "d.mp3",
        )


def _split_at_silences(samples: np.ndarray, rate: int = 16_000) -> list[np.ndarray]:
    """Stretches of sound separated by at least 0.25 s of near-silence."""
    frame = rate // 100
    loud = np.array(
        [rms(samples[i : i + frame]) > 0.003 for i in range(0, len(samples) - frame, frame)]
    )
    pieces: list[np.ndarray] = []
    start: int | None = None
    quiet_run = 0
    for index, is_loud in enumerate(loud):
        if is_loud:
            if start is None:
                start = index
            quiet_run = 0
        elif start is not None:
            quiet_run += 1
            if quiet_run >= 25:
                pieces.append(samples[start * frame : (index - quiet_run + 1) * frame])
                start, quiet_run = None, 0
    if start is not None:
        pieces.append(samples[start * frame :])
    return pieces


def test_concurrent_synthesis_keeps_each_voice(tmp_path: Path) -> None:
    # eSpeak's state is process-global: calls from several threads must not mix settings.
    pitches = [100.0, 230.0, 100.0, 230.0]
    outputs = [tmp_path / f"voice{index}.mp3" for index in range(len(pitches))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda job: synthesize(PARAGRAPH, VoiceProfile(job[0], 160), job[1], "fr"),
                zip(pitches, outputs, strict=True),
            )
        )

    for pitch, out in zip(pitches, outputs, strict=True):
        assert analyse_voice(out).pitch_hz == pytest.approx(pitch, rel=0.15)
