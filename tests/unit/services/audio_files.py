"""Small audio files for the sample checks, made by imageio-ffmpeg's ffmpeg (none committed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from imageio_ffmpeg import get_ffmpeg_exe

# Output suffix -> encoder arguments. WebM and Ogg with Opus are what MediaRecorder produces.
_ENCODERS: dict[str, list[str]] = {
    ".wav": ["-c:a", "pcm_s16le"],
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    ".m4a": ["-c:a", "aac", "-b:a", "64k"],
    ".webm": ["-c:a", "libopus", "-b:a", "48k"],
    ".ogg": ["-c:a", "libopus", "-b:a", "48k"],
    ".flac": ["-c:a", "flac"],
}


def make_tone(path: Path, seconds: float) -> Path:
    """A 220 Hz tone of `seconds`, in the container and codec `path`'s suffix names."""
    subprocess.run(
        [
            get_ffmpeg_exe(),
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}",
            *_ENCODERS[path.suffix], str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def make_silent_video(path: Path) -> Path:
    """A one-second WebM with a picture and no sound."""
    subprocess.run(
        [
            get_ffmpeg_exe(),
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "color=c=orange:size=64x64:rate=10:duration=1",
            "-c:v", "libvpx", "-deadline", "realtime", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path
