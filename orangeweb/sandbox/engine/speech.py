"""Speech synthesis with eSpeak NG in the 15 API languages, matched to a VoiceProfile.

eSpeak's pitch knob is a 0-100 setting relative to each voice, not Hz, so each (language,
variant) pair is calibrated once, lazily: speak its sample sentence at a few settings, measure
the median F0 back with the same YIN tracker that analyses samples, and interpolate.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orangeweb.sandbox.engine import dsp
from orangeweb.sandbox.engine.espeak import ESPEAK, MAX_RATE_WPM, MIN_RATE_WPM, VoiceSettings
from orangeweb.sandbox.engine.ffmpeg import encode_samples
from orangeweb.sandbox.engine.voice import VoiceProfile

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
    "ar": "Arabic",
    "hi": "Hindi",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
}

# API language code -> eSpeak NG voice. Chinese is Mandarin; Portuguese is Brazilian, the
# variety most dubbing audiences expect.
ESPEAK_VOICES: dict[str, str] = {
    "en": "en-us",
    "es": "es",
    "fr": "fr",
    "de": "de",
    "it": "it",
    "pt": "pt-br",
    "ru": "ru",
    "ja": "ja",
    "ko": "ko",
    "zh": "cmn",
    "ar": "ar",
    "hi": "hi",
    "nl": "nl",
    "pl": "pl",
    "tr": "tr",
}

# One natural sentence per language, in its own script (eSpeak's Japanese reads kana only).
SAMPLE_SENTENCES: dict[str, str] = {
    "en": "Hello and welcome. Today we will talk about the weather and the news.",
    "es": "Hola y bienvenidos. Hoy hablaremos del tiempo y de las noticias.",
    "fr": "Bonjour et bienvenue. Aujourd'hui, nous parlons de la météo et des nouvelles.",
    "de": "Hallo und willkommen. Heute sprechen wir über das Wetter und die Nachrichten.",
    "it": "Ciao e benvenuti. Oggi parliamo del tempo e delle notizie.",
    "pt": "Olá e bem-vindos. Hoje vamos falar sobre o tempo e as notícias.",
    "ru": "Здравствуйте и добро пожаловать. Сегодня мы поговорим о погоде и новостях.",  # noqa: RUF001 (native script)
    "ja": "こんにちは、ようこそ。きょうは てんきと ニュースに ついて はなします。",
    "ko": "안녕하세요, 환영합니다. 오늘은 날씨와 뉴스에 대해 이야기하겠습니다.",
    "zh": "你好，欢迎收听。今天我们来谈谈天气和新闻。",  # noqa: RUF001 (native script)
    "ar": "مرحبا وأهلا بكم. اليوم نتحدث عن الطقس والأخبار.",
    "hi": "नमस्ते और स्वागत है। आज हम मौसम और समाचार के बारे में बात करेंगे।",
    "nl": "Hallo en welkom. Vandaag praten we over het weer en het nieuws.",
    "pl": "Dzień dobry i witamy. Dzisiaj porozmawiamy o pogodzie i wiadomościach.",
    "tr": "Merhaba ve hoş geldiniz. Bugün hava durumu ve haberler hakkında konuşacağız.",  # noqa: RUF001 (native script)
}

# eSpeak's default voices are male (~105 Hz); the "+f3" variant is a female voice (~215 Hz).
_VARIANTS = ("", "+f3")
_CALIBRATION_SETTINGS = (0, 25, 50, 75, 100)
# eSpeak speaks ~11% faster than its rate setting once pauses are counted (measured on English
# paragraphs at 100-300 wpm: words / total duration vs the setting).
_ESPEAK_RATE_OVERSHOOT = 1.11
DIALOGUE_PAUSE_SECONDS = 0.35
# Two dialogue voices closer than this pitch ratio (4 semitones) are pushed apart.
_MIN_DIALOGUE_PITCH_RATIO = 1.26
_DIALOGUE_PITCH_BOUNDS_HZ = (70.0, 330.0)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class DialogueLine:
    speaker: int  # 1-based, "Speaker N"
    text: str


@dataclass(frozen=True)
class _PitchCalibration:
    """Median F0 (Hz) measured at each of _CALIBRATION_SETTINGS for one eSpeak voice."""

    voice_name: str
    measured_hz: tuple[float, ...]

    def setting_for(self, pitch_hz: float) -> int:
        log_measured = np.log(self.measured_hz)
        # np.interp clamps outside the measured range: eSpeak cannot go further anyway.
        return round(np.interp(math.log(pitch_hz), log_measured, _CALIBRATION_SETTINGS))

    def distance_octaves(self, pitch_hz: float) -> float:
        low, middle, high = self.measured_hz[0], self.measured_hz[2], self.measured_hz[-1]
        outside = max(math.log2(low / pitch_hz), math.log2(pitch_hz / high), 0.0)
        # Prefer the variant whose own voice (setting 50) is nearest; heavily penalize
        # targets it cannot reach at all.
        return abs(math.log2(pitch_hz / middle)) + 4.0 * outside


_calibrations: dict[str, _PitchCalibration] = {}
_calibration_lock = threading.Lock()


def check_language(language: str) -> str:
    if language not in ESPEAK_VOICES:
        raise ValueError(f"unsupported language {language!r}; use one of {sorted(LANGUAGES)}")
    return ESPEAK_VOICES[language]


def voice_settings(profile: VoiceProfile, language: str) -> VoiceSettings:
    """The eSpeak voice and settings that best match `profile` in `language`."""
    base_voice = check_language(language)
    calibrations = [_calibration(language, base_voice + variant) for variant in _VARIANTS]
    best = min(calibrations, key=lambda calibration: calibration.distance_octaves(profile.pitch_hz))
    rate = round(profile.words_per_minute / _ESPEAK_RATE_OVERSHOOT)
    return VoiceSettings(
        voice_name=best.voice_name,
        rate_wpm=min(max(rate, MIN_RATE_WPM), MAX_RATE_WPM),
        pitch_param=best.setting_for(profile.pitch_hz),
    )


def render_speech(text: str, profile: VoiceProfile, language: str = "en") -> np.ndarray:
    """Speak `text` as `profile` would; mono int16 samples at `sample_rate()`."""
    settings = voice_settings(profile, language)
    return ESPEAK.synthesize(clean_text(text), settings)


def sample_rate() -> int:
    return ESPEAK.sample_rate


def synthesize(text: str, profile: VoiceProfile, out_path: Path, language: str = "en") -> float:
    """Write `text` spoken with `profile` as a mono MP3; returns its duration in seconds."""
    if not clean_text(text).strip():
        raise ValueError("there is no text to speak")
    samples = render_speech(text, profile, language)
    encode_samples(samples, sample_rate(), out_path)
    return len(samples) / sample_rate()


def synthesize_dialogue(
    lines: list[DialogueLine],
    profiles: dict[int, VoiceProfile],
    out_path: Path,
    language: str = "en",
) -> float:
    """Write the lines, in order, as one mono MP3 with a short pause between turns; every
    speaker sounds distinct even when two profiles are alike. Returns the duration."""
    spoken = [line for line in lines if clean_text(line.text).strip()]
    if not spoken:
        raise ValueError("there is no text to speak")
    missing = sorted({line.speaker for line in spoken} - profiles.keys())
    if missing:
        raise ValueError(f"no voice profile for Speaker {missing[0]}")
    voices = distinct_voices({line.speaker: profiles[line.speaker] for line in spoken})
    pause = np.zeros(int(DIALOGUE_PAUSE_SECONDS * sample_rate()), dtype=np.int16)
    pieces: list[np.ndarray] = []
    for index, line in enumerate(spoken):
        if index:
            pieces.append(pause)
        pieces.append(render_speech(line.text, voices[line.speaker], language))
    samples = np.concatenate(pieces)
    encode_samples(samples, sample_rate(), out_path)
    return len(samples) / sample_rate()


def distinct_voices(profiles: dict[int, VoiceProfile]) -> dict[int, VoiceProfile]:
    """Nudge pitches apart, in speaker order, so no two voices are within 4 semitones.

    The first speaker keeps their pitch; each later one moves the least distance (up or down,
    within a speaking range) that keeps them clear of everyone already placed.
    """
    low_hz, high_hz = _DIALOGUE_PITCH_BOUNDS_HZ
    placed: dict[int, VoiceProfile] = {}
    for speaker in sorted(profiles):
        profile = profiles[speaker]
        candidates = [profile.pitch_hz]
        for step in range(1, 8):
            candidates += [
                profile.pitch_hz * _MIN_DIALOGUE_PITCH_RATIO**step,
                profile.pitch_hz / _MIN_DIALOGUE_PITCH_RATIO**step,
            ]
        in_range = [pitch for pitch in candidates if low_hz <= pitch <= high_hz] or candidates
        chosen = next(
            (
                pitch
                for pitch in in_range
                if all(
                    abs(math.log(pitch / other.pitch_hz))
                    >= math.log(_MIN_DIALOGUE_PITCH_RATIO) - 1e-9
                    for other in placed.values()
                )
            ),
            in_range[0],
        )
        placed[speaker] = VoiceProfile(round(chosen, 1), profile.words_per_minute)
    return placed


def clean_text(text: str) -> str:
    """Text eSpeak can read: control characters become spaces."""
    return _CONTROL_CHARACTERS.sub(" ", text)


def _calibration(language: str, voice_name: str) -> _PitchCalibration:
    with _calibration_lock:
        cached = _calibrations.get(voice_name)
        if cached is not None:
            return cached
        rate = sample_rate()
        measured: list[float] = []
        for setting in _CALIBRATION_SETTINGS:
            samples = ESPEAK.synthesize(
                SAMPLE_SENTENCES[language], VoiceSettings(voice_name, 160, setting)
            )
            f0 = dsp.pitch_track(samples.astype(np.float32) / 32768.0, rate)
            measured.append(float(np.nanmedian(f0)))
        # Keep the curve strictly increasing so interpolation is well defined.
        for index in range(1, len(measured)):
            measured[index] = max(measured[index], measured[index - 1] * 1.01)
        calibration = _PitchCalibration(voice_name, tuple(measured))
        _calibrations[voice_name] = calibration
        return calibration
