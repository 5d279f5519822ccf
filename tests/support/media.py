"""Test media, generated on demand (no committed binaries): speech, silence, test-pattern videos
and a two-speaker conversation, for tests and benches across the project.

Speech comes from the sandbox engine's eSpeak NG voices; containers and codecs from the ffmpeg
binary of imageio-ffmpeg. Outputs are chosen by suffix: .wav .mp3 .m4a .ogg .opus .flac for
audio; .mp4 .mov (H.264/AAC), .mkv (H.264/Opus), .webm (VP8/Opus) for video.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from orangeweb.sandbox.engine.ffmpeg import encode_samples, run_ffmpeg
from orangeweb.sandbox.engine.media import ANALYSIS_RATE, decode_audio
from orangeweb.sandbox.engine.speech import render_speech, sample_rate
from orangeweb.sandbox.engine.voice import VoiceProfile

DEFAULT_WPM = 160
MALE_PITCH_HZ = 105.0
FEMALE_PITCH_HZ = 215.0

# A small picture keeps video encoding fast on a 2-core machine.
_VIDEO_SIZE = "320x240"
_VIDEO_FPS = 15
_VIDEO_CODEC_ARGS: dict[str, list[str]] = {
    ".mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".mov": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".webm": ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"],
}
_VIDEO_AUDIO_ARGS: dict[str, list[str]] = {
    ".mp4": ["-c:a", "aac", "-b:a", "96k"],
    ".mov": ["-c:a", "aac", "-b:a", "96k"],
    ".mkv": ["-c:a", "libopus", "-b:a", "64k"],
    ".webm": ["-c:a", "libopus", "-b:a", "64k"],
}


@dataclass(frozen=True)
class Turn:
    speaker: int  # 1-based
    text: str


@dataclass(frozen=True)
class SpokenTurn:
    speaker: int
    text: str
    start: float  # seconds into the track
    end: float


# Real English sentences PocketSphinx recognizes in part from eSpeak's voices.
TWO_SPEAKER_TURNS: tuple[Turn, ...] = (
    Turn(1, "Good morning everyone, thank you for coming today."),
    Turn(2, "Thank you. The weather is lovely and the garden looks beautiful."),
    Turn(1, "Please open the door and bring me a cup of coffee."),
    Turn(2, "I think we should start the meeting now."),
)
TWO_SPEAKER_PITCHES: dict[int, float] = {1: MALE_PITCH_HZ, 2: FEMALE_PITCH_HZ}
# One speaker, three sentences (~10 s at 160 wpm).
ENGLISH_PARAGRAPH = (
    "Good morning everyone, thank you for coming today. The weather is lovely and the garden "
    "looks beautiful. Please open the door and bring me a cup of coffee."
)
_LEAD_SECONDS = 0.5
_TURN_PAUSE_SECONDS = 0.7


def speech_samples(
    text: str, pitch_hz: float = MALE_PITCH_HZ, language: str = "en", wpm: int = DEFAULT_WPM
) -> np.ndarray:
    """Mono int16 speech at `sample_rate()`."""
    return render_speech(text, VoiceProfile(pitch_hz, wpm), language)


def make_speech(
    path: Path,
    text: str,
    pitch_hz: float = MALE_PITCH_HZ,
    language: str = "en",
    wpm: int = DEFAULT_WPM,
) -> Path:
    """eSpeak speech of `text`, as WAV, MP3, M4A, ... by the suffix of `path`."""
    encode_samples(speech_samples(text, pitch_hz, language, wpm), sample_rate(), path)
    return path


def make_silence(path: Path, seconds: float) -> Path:
    """Digital silence, encoded by suffix."""
    encode_samples(np.zeros(int(seconds * sample_rate()), dtype=np.int16), sample_rate(), path)
    return path


def make_tone_video(path: Path, duration_s: float, frequency_hz: float = 440.0) -> Path:
    """A test-pattern video with a sine tone, `duration_s` long (MP4 H.264/AAC by default)."""
    suffix = _video_suffix(path)
    run_ffmpeg(
        [
            *_test_pattern_input(duration_s),
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={frequency_hz}:sample_rate=44100:duration={duration_s}",
            *_VIDEO_CODEC_ARGS[suffix],
            *_VIDEO_AUDIO_ARGS[suffix],
            "-t",
            f"{duration_s}",
            str(path),
        ]
    )
    return path


def make_video_with_audio(path: Path, samples: np.ndarray, rate: int) -> Path:
    """A test-pattern video whose (stereo) audio track is the given mono int16 samples."""
    suffix = _video_suffix(path)
    duration_s = len(samples) / rate
    run_ffmpeg(
        [
            *_test_pattern_input(duration_s),
            *["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"],
            *["-map", "0:v", "-map", "1:a", "-ac", "2"],
            *_VIDEO_CODEC_ARGS[suffix],
            *_VIDEO_AUDIO_ARGS[suffix],
            "-t",
            f"{duration_s}",
            str(path),
        ],
        np.ascontiguousarray(samples, dtype="<i2").tobytes(),
    )
    return path


def render_dialogue(
    turns: tuple[Turn, ...] | list[Turn],
    pitches: dict[int, float],
    pause_s: float = _TURN_PAUSE_SECONDS,
    lead_s: float = _LEAD_SECONDS,
) -> tuple[np.ndarray, list[SpokenTurn]]:
    """Speakers taking turns with pauses between them, plus where each turn lies."""
    rate = sample_rate()
    lead = np.zeros(int(lead_s * rate), dtype=np.int16)
    pause = np.zeros(int(pause_s * rate), dtype=np.int16)
    pieces: list[np.ndarray] = [lead]
    timeline: list[SpokenTurn] = []
    position = len(lead)
    for index, turn in enumerate(turns):
        if index:
            pieces.append(pause)
            position += len(pause)
        speech = speech_samples(turn.text, pitches[turn.speaker])
        pieces.append(speech)
        timeline.append(
            SpokenTurn(turn.speaker, turn.text, position / rate, (position + len(speech)) / rate)
        )
        position += len(speech)
    pieces.append(lead)
    return np.concatenate(pieces), timeline


@cache
def _two_speaker_dialogue() -> tuple[np.ndarray, tuple[SpokenTurn, ...]]:
    samples, timeline = render_dialogue(TWO_SPEAKER_TURNS, TWO_SPEAKER_PITCHES)
    samples.setflags(write=False)
    return samples, tuple(timeline)


def two_speaker_timeline() -> list[SpokenTurn]:
    """Where each turn of `make_two_speaker_video`'s conversation lies (ground truth)."""
    return list(_two_speaker_dialogue()[1])


def make_two_speaker_audio(path: Path) -> Path:
    """The two-speaker conversation alone (~14 s), encoded by suffix."""
    encode_samples(_two_speaker_dialogue()[0], sample_rate(), path)
    return path


def make_two_speaker_video(path: Path) -> Path:
    """A test-pattern video whose audio is two eSpeak voices of clearly different pitch
    (105 Hz and 215 Hz) taking turns with real English sentences: ~14 s."""
    return make_video_with_audio(path, _two_speaker_dialogue()[0], sample_rate())


def make_dialogue_video(
    path: Path, seconds: float, pitches: dict[int, float] | None = None
) -> list[SpokenTurn]:
    """A longer two-speaker video (for benches): the conversation's turns repeated until it
    lasts about `seconds`. Returns the timeline of its turns."""
    turns: list[Turn] = []
    words_needed = seconds * DEFAULT_WPM / 60 * 0.8  # pauses take the remaining ~20%
    while sum(len(turn.text.split()) for turn in turns) < words_needed:
        turns.extend(TWO_SPEAKER_TURNS)
    samples, timeline = render_dialogue(turns, pitches or TWO_SPEAKER_PITCHES)
    make_video_with_audio(path, samples, sample_rate())
    return timeline


def rms(samples: np.ndarray) -> float:
    """Root-mean-square level of float or int samples (0.0 for no samples)."""
    if len(samples) == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def decode_mono(path: Path, rate: int = ANALYSIS_RATE) -> np.ndarray:
    """The audio of any media file as mono float32 samples (16 kHz by default)."""
    return decode_audio(path, rate)


def _test_pattern_input(duration_s: float) -> list[str]:
    return [
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={_VIDEO_SIZE}:rate={_VIDEO_FPS}:duration={duration_s}",
    ]


def _video_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _VIDEO_CODEC_ARGS:
        raise ValueError(
            f"unsupported video suffix {suffix!r}; use one of {list(_VIDEO_CODEC_ARGS)}"
        )
    return suffix
