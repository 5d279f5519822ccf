"""The waveform the segment editor draws, the pauses it finds, and cuts snapped onto them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.waveform import (
    fold_peaks,
    silences,
    snap_to_silence,
    waveform_peaks,
)

# tone 1 s | digital silence 0.1 s (too short to count) | tone 1 s | noise at -54 dBFS 0.8 s |
# tone 1 s | digital silence 0.5 s, to the end: 4.4 s in all.
_PIECES = [
    "sine=frequency=440:sample_rate=16000:duration=1",
    "anullsrc=r=16000:cl=mono:d=0.1",
    "sine=frequency=440:sample_rate=16000:duration=1",
    "anoisesrc=r=16000:color=white:amplitude=0.002:seed=3:duration=0.8",
    "sine=frequency=440:sample_rate=16000:duration=1",
    "anullsrc=r=16000:cl=mono:d=0.5",
]
DURATION_S = 4.4


def _ffmpeg(*args: str) -> None:
    subprocess.run([get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", *args], check=True)


def _pauses_input(first: int = 0) -> list[str]:
    """ffmpeg inputs and the graph joining them into `[a]`; `first`: the first input's number."""
    inputs = [arg for piece in _PIECES for arg in ("-f", "lavfi", "-i", piece)]
    labels = "".join(f"[{first + number}:a]" for number in range(len(_PIECES)))
    return [*inputs, "-filter_complex", f"{labels}concat=n={len(_PIECES)}:v=0:a=1[a]"]


@pytest.fixture(scope="module")
def pauses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("waveform") / "pauses.wav"
    _ffmpeg(*_pauses_input(), "-map", "[a]", str(path))
    return path


def test_peaks_are_high_where_it_is_loud_and_low_where_it_is_quiet(pauses: Path) -> None:
    peaks = waveform_peaks(pauses, buckets=44)  # 0.1 s each
    assert len(peaks) == 44 and max(peaks) == 1.0
    assert all(0.0 <= peak <= 1.0 for peak in peaks)
    tone = [*peaks[0:10], *peaks[12:20], *peaks[30:38]]
    assert min(tone) > 0.9
    assert max(peaks[22:29]) < 0.05  # the faint noise
    assert max(peaks[40:]) < 0.01  # digital silence


def test_a_video_s_sound_gives_its_peaks(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=15:duration=4.4", *_pauses_input(1),
            "-map", "0:v", "-map", "[a]", "-c:v", "libx264", "-preset", "ultrafast",
            "-pix_fmt", "yuv420p", "-c:a", "aac", str(video))  # fmt: skip
    peaks = waveform_peaks(video, buckets=22)  # 0.2 s each
    assert min(peaks[0:5]) > 0.8 and max(peaks[12:14]) < 0.1 and max(peaks[-2:]) < 0.05


def test_peaks_fold_into_any_number_of_buckets() -> None:
    fine = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    assert fold_peaks(fine, 2) == [0.5, 1.0]
    assert fold_peaks(fine, 1) == [1.0]
    assert fold_peaks(fine, 8) == [0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1.0, 1.0]
    assert fold_peaks(np.zeros(3, dtype=np.float32), 3) == [0.0, 0.0, 0.0]
    assert fold_peaks(np.zeros(0, dtype=np.float32), 2) == [0.0, 0.0]
    with pytest.raises(ValueError):
        waveform_peaks(Path("unused.wav"), buckets=0)


def test_silences_are_found_where_the_input_was_silent(pauses: Path) -> None:
    found = silences(pauses)
    assert len(found) == 2  # the 0.1 s gap is shorter than min_silence_s
    (first_start, first_end), (last_start, last_end) = found
    assert first_start == pytest.approx(2.1, abs=0.03) and first_end == pytest.approx(2.9, abs=0.03)
    assert last_start == pytest.approx(3.9, abs=0.03) and last_end == pytest.approx(4.4, abs=0.03)
    short = silences(pauses, min_silence_s=0.05)
    assert len(short) == 3 and short[0][0] == pytest.approx(1.0, abs=0.03)
    strict = silences(pauses, noise_db=-60)  # the noise (-54 dB) is sound at this threshold
    assert len(strict) == 1 and strict[0][0] == pytest.approx(3.9, abs=0.03)


def test_unreadable_sound_is_refused_in_words(tmp_path: Path) -> None:
    silent_video = tmp_path / "mute.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=15:duration=1", "-c:v", "libx264",
            "-preset", "ultrafast", str(silent_video))  # fmt: skip
    with pytest.raises(ValidationError, match="The waveform could not be drawn"):
        waveform_peaks(silent_video)
    with pytest.raises(ValidationError, match="The pauses could not be found"):
        silences(silent_video)


def test_a_cut_snaps_to_the_nearest_point_inside_a_silence() -> None:
    quiet = [(1.0, 1.5), (2.0, 2.2)]
    assert snap_to_silence(1.2, quiet) == 1.2  # already inside
    assert snap_to_silence(0.8, quiet) == 1.0  # the near edge, not the middle
    assert snap_to_silence(1.7, quiet) == 1.5  # 0.2 s from 1.5, 0.3 s from 2.0
    assert snap_to_silence(1.75, quiet) == 1.5  # a tie keeps the first
    assert snap_to_silence(2.45, quiet) == 2.2
    assert snap_to_silence(3.0, quiet) == 3.0  # nothing within 0.3 s
    assert snap_to_silence(0.5, quiet, within_s=0.5) == 1.0
    assert snap_to_silence(0.5, []) == 0.5
