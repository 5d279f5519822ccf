"""Voice analysis: what a character's sample sounds like, as the two numbers eSpeak can follow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from orangeweb.sandbox.engine import dsp
from orangeweb.sandbox.engine.errors import MediaError
from orangeweb.sandbox.engine.media import ANALYSIS_RATE, decode_audio

MIN_WPM = 80
MAX_WPM = 350
DEFAULT_WPM = 160
_MIN_VOICED_SECONDS = 0.25

# Words per minute from syllable nuclei per minute of speech: wpm = A * rate ** B, fitted by
# least squares on eSpeak English (three voices, 100-250 wpm, three paragraphs; ~16% RMS error).
# A power law rather than a fixed syllables-per-word ratio, because fast speech blurs nuclei.
_RATE_FIT_SCALE = 0.178
_RATE_FIT_EXPONENT = 1.263


@dataclass(frozen=True)
class VoiceProfile:
    pitch_hz: float  # median F0 measured from the sample
    words_per_minute: int  # speaking rate estimate

    def to_dict(self) -> dict[str, float | int]:
        return {"pitch_hz": self.pitch_hz, "words_per_minute": self.words_per_minute}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VoiceProfile:
        pitch_hz = float(d["pitch_hz"])
        words_per_minute = int(d["words_per_minute"])
        if not (pitch_hz > 0 and words_per_minute > 0):
            raise ValueError(f"not a voice profile: {d!r}")
        return cls(pitch_hz=pitch_hz, words_per_minute=words_per_minute)


def analyse_voice(path: Path) -> VoiceProfile:
    """Measure the pitch and speaking rate of the voice in any decodable audio (or video) file.

    Raises MediaError when the file is not decodable or holds no voiced sound.
    """
    samples = decode_audio(path, ANALYSIS_RATE)
    return profile_from_samples(samples, ANALYSIS_RATE)


def profile_from_samples(samples: np.ndarray, sample_rate: int) -> VoiceProfile:
    f0 = dsp.pitch_track(samples, sample_rate)
    voiced_f0 = f0[~np.isnan(f0)]
    if len(voiced_f0) * dsp.HOP_SECONDS < _MIN_VOICED_SECONDS:
        raise MediaError("no voiced speech found in the audio")
    return VoiceProfile(
        pitch_hz=round(float(np.median(voiced_f0)), 1),
        words_per_minute=estimate_words_per_minute(samples, sample_rate, f0),
    )


def estimate_words_per_minute(samples: np.ndarray, sample_rate: int, f0: np.ndarray) -> int:
    speech_seconds = sum(region.duration for region in dsp.speech_regions(samples, sample_rate))
    syllables = dsp.syllable_nuclei_count(samples, sample_rate, f0)
    if speech_seconds <= 0 or syllables == 0:
        return DEFAULT_WPM
    syllables_per_minute = syllables / speech_seconds * 60.0
    words_per_minute = _RATE_FIT_SCALE * syllables_per_minute**_RATE_FIT_EXPONENT
    return round(min(max(words_per_minute, MIN_WPM), MAX_WPM))
