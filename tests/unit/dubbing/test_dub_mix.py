"""Rendering a dub: takes fitted into their slots over the ducked source, video copied as is.

The source is a 12 s test pattern whose sound is a 440 Hz tone over pink noise (so a shifted
or re-timed region would not correlate); takes are tones of other frequencies.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.dub_mix import (
    FIT_SHARE,
    DubSlot,
    RenderReport,
    RenderStopped,
    render_dub,
)
from tests.support.media import decode_mono

RATE = 16_000  # the tests' analysis rate: enough for every tone used here
SOURCE_S = 12.0


def _ffmpeg(*args: str) -> None:
    subprocess.run([get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", *args], check=True)


def _sound(seconds: float) -> list[str]:
    return [
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}",
        "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.1:seed=7:duration={seconds}",
    ]  # fmt: skip


def _tone(path: Path, frequency: float, seconds: float) -> Path:
    _ffmpeg("-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=24000:duration={seconds}",
            str(path))  # fmt: skip
    return path


def _part(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    return samples[round(start * RATE) : round(end * RATE)]


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    size = min(len(a), len(b))
    return float(np.corrcoef(a[:size], b[:size])[0, 1])


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * RATE / len(samples))


def _left_channel(path: Path) -> np.ndarray:
    """The first channel as it is in the file (a mono downmix would rescale a stereo voice)."""
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        frames = [
            out.to_ndarray()[0]
            for frame in container.decode(container.streams.audio[0])
            for out in resampler.resample(frame)
        ]
    return np.concatenate(frames)


def _video_packets(path: Path) -> list[tuple[str, int | None]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [
            (hashlib.sha256(bytes(packet)).hexdigest(), packet.pts)
            for packet in container.demux(stream)
            if packet.size
        ]


def _cache(work_dir: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in work_dir.glob("take-*.wav")}


@dataclass
class Dub:
    source: Path
    slots: list[DubSlot]
    work_dir: Path
    target: Path
    report: RenderReport
    progress: list[float]


@pytest.fixture(scope="module")
def dub(tmp_path_factory: pytest.TempPathFactory) -> Dub:
    folder = tmp_path_factory.mktemp("dub_mix")
    source = folder / "source.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size=160x120:rate=15:duration={SOURCE_S}",
        *_sound(SOURCE_S), "-filter_complex", "[1:a][2:a]amix=inputs=2:normalize=0,volume=2[a]",
        "-map", "0:v", "-map", "[a]", "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", str(source),
    )  # fmt: skip
    slots = [
        DubSlot(1.0, 3.0, _tone(folder / "a.wav", 1000, 1.5), "a"),  # fits: not slowed
        DubSlot(4.0, 6.0, _tone(folder / "b.wav", 1500, 3.6), "b"),  # needs 1.8x
        DubSlot(6.0, 8.0, None, "kept"),  # keeps the source, not ducked (right after b)
        DubSlot(9.0, 10.5, _tone(folder / "d.wav", 2000, 1.2), "d"),
    ]
    progress: list[float] = []
    target = folder / "dubbed.mp4"
    report = render_dub(
        source, slots, target, work_dir=folder / "work", on_progress=progress.append
    )
    return Dub(source, slots, folder / "work", target, report, progress)


def test_the_video_is_copied_packet_for_packet(dub: Dub) -> None:
    assert _video_packets(dub.target) == _video_packets(dub.source)
    with av.open(str(dub.target)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        assert abs(container.duration / av.time_base - SOURCE_S) < 0.1
    assert abs(dub.report.duration_s - SOURCE_S) < 0.1
    assert not [path for path in dub.target.parent.iterdir() if ".part" in path.name]


def test_takes_play_in_their_slots_over_the_ducked_source(dub: Dub) -> None:
    source, output = decode_mono(dub.source, RATE), decode_mono(dub.target, RATE)
    assert _dominant_hz(_part(output, 1.05, 2.45)) == pytest.approx(1000, abs=10)
    assert _dominant_hz(_part(output, 4.05, 5.95)) == pytest.approx(1500, abs=10)  # pitch kept
    assert _dominant_hz(_part(output, 9.05, 10.15)) == pytest.approx(2000, abs=10)
    # After take a ends (2.5 s) its slot is the source alone, at the duck gain.
    ducked = _rms(_part(output, 2.6, 2.95)) / _rms(_part(source, 2.6, 2.95))
    assert ducked == pytest.approx(0.15, abs=0.03)
    assert _correlation(_part(output, 2.6, 2.95), _part(source, 2.6, 2.95)) > 0.99
    for start, end in [(0.1, 0.95), (3.05, 3.95), (6.05, 8.95), (10.55, 11.9)]:
        assert _correlation(_part(output, start, end), _part(source, start, end)) >= 0.99
    for start, end in [(6.0, 6.1), (6.1, 8.0)]:  # the source-kept slot is not ducked at all
        kept = _rms(_part(output, start, end)) / _rms(_part(source, start, end))
        assert kept == pytest.approx(1.0, abs=0.05)


def test_the_voice_is_mixed_at_its_own_level(dub: Dub) -> None:
    """amix without normalisation, and the mono take in each channel at full level."""
    take_rms = _rms(decode_mono(dub.slots[0].take, RATE))  # type: ignore[arg-type]
    source, output = _left_channel(dub.source), _left_channel(dub.target)
    expected = np.hypot(take_rms, 0.15 * _rms(_part(source, 1.05, 2.45)))
    assert _rms(_part(output, 1.05, 2.45)) == pytest.approx(expected, rel=0.05)


def test_a_too_long_take_is_sped_to_the_limit_and_cut(dub: Dub) -> None:
    a, b, kept, d = dub.report.slots
    assert (a.label, a.speed, a.cut_s, a.warning) == ("a", 1.0, 0.0, None)
    assert a.take_s == pytest.approx(1.5, abs=0.01) and a.needed_speed == pytest.approx(0.75, 0.01)
    assert b.speed == 1.4 and b.needed_speed == pytest.approx(1.8, abs=0.01)
    assert b.cut_s == pytest.approx(3.6 / 1.4 - 2.0, abs=0.02)
    assert b.warning == "needs 1.8\u00d7 to fit, sped up 1.4\u00d7 (the limit); 0.6 s cut off"
    assert (kept.take_s, kept.speed, kept.warning) == (0.0, 1.0, None)
    assert d.warning is None


def test_progress_rises_to_one(dub: Dub) -> None:
    assert dub.progress[0] == 0.0 and dub.progress[-1] == 1.0
    assert dub.progress == sorted(dub.progress)
    assert any(0 < value < FIT_SHARE for value in dub.progress)  # fitting counts


def test_a_re_render_reuses_the_fitted_takes_and_is_identical(dub: Dub, tmp_path: Path) -> None:
    cached = _cache(dub.work_dir)
    assert len(cached) == 4  # a, b and d decoded, and b sped up
    again = tmp_path / "again.mp4"
    render_dub(dub.source, dub.slots, again, work_dir=dub.work_dir)
    assert _cache(dub.work_dir) == cached  # nothing re-fitted
    first, second = decode_mono(dub.target, RATE), decode_mono(again, RATE)
    assert _correlation(first, second) >= 0.999


def test_changing_one_take_changes_only_its_slot(dub: Dub, tmp_path: Path) -> None:
    take = tmp_path / "a.wav"
    _tone(take, 1000, 1.5)
    slots = [DubSlot(1.0, 3.0, take, "a"), *dub.slots[1:]]
    work_dir = tmp_path / "work"
    render_dub(dub.source, slots, tmp_path / "before.mp4", work_dir=work_dir)
    before_cache = _cache(work_dir)
    _tone(take, 600, 1.5)  # the same path and size: a new mtime
    stat = take.stat()
    os.utime(take, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    render_dub(dub.source, slots, tmp_path / "after.mp4", work_dir=work_dir)
    after_cache = _cache(work_dir)
    assert set(before_cache) < set(after_cache) and len(after_cache) == len(before_cache) + 1
    assert all(after_cache[name] == mtime for name, mtime in before_cache.items())
    before = decode_mono(tmp_path / "before.mp4", RATE)
    after = decode_mono(tmp_path / "after.mp4", RATE)
    assert _dominant_hz(_part(after, 1.05, 2.45)) == pytest.approx(600, abs=10)
    assert _correlation(_part(before, 1.05, 2.45), _part(after, 1.05, 2.45)) < 0.5
    for start, end in [(0.0, 0.95), (3.05, 11.9)]:
        assert _correlation(_part(before, start, end), _part(after, start, end)) >= 0.99


def test_takes_stop_at_the_next_slot_and_the_media_end(tmp_path: Path) -> None:
    source = tmp_path / "talk.wav"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4", str(source))
    slots = [
        DubSlot(0.5, 1.5, _tone(tmp_path / "x.wav", 1000, 0.9), "x"),
        DubSlot(1.2, 2.0, None, "y"),
        DubSlot(3.5, 4.5, _tone(tmp_path / "z.wav", 1500, 0.8), "z"),
    ]
    target = tmp_path / "dub.m4a"
    report = render_dub(source, slots, target, work_dir=tmp_path / "work")
    x, y, z = report.slots
    assert x.cut_s == pytest.approx(0.2, abs=0.01) and "next segment" in (x.warning or "")
    assert y.warning is None
    assert z.cut_s == pytest.approx(0.3, abs=0.01) and "end of the media" in (z.warning or "")
    with av.open(str(target)) as container:
        assert not container.streams.video and container.streams.audio
    assert abs(report.duration_s - 4.0) < 0.1
    output, original = decode_mono(target, RATE), decode_mono(source, RATE)
    assert _dominant_hz(_part(output, 0.55, 1.15)) == pytest.approx(1000, abs=10)
    assert _correlation(_part(output, 1.25, 1.95), _part(original, 1.25, 1.95)) >= 0.99
    assert _dominant_hz(_part(output, 3.55, 3.95)) == pytest.approx(1500, abs=10)


def test_a_stop_while_ffmpeg_mixes_leaves_nothing(
    dub: Dub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: object, **kwargs: object) -> subprocess.Popen[str]:
        started.append(real_popen(*args, **kwargs))  # type: ignore[call-overload]
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    seen: list[float] = []

    def mixing() -> bool:  # true once the takes are laid out: ffmpeg is about to mix
        return bool(seen) and seen[-1] >= FIT_SHARE

    target = tmp_path / "stopped.mp4"
    with pytest.raises(RenderStopped):
        render_dub(
            dub.source, dub.slots, target, work_dir=dub.work_dir,
            on_progress=seen.append, should_stop=mixing,
        )  # fmt: skip
    assert started and "-progress" in started[-1].args  # the mix had started...
    assert started[-1].returncode is not None  # ...and is over
    assert list(tmp_path.iterdir()) == []
    assert not list(dub.work_dir.glob("voice-*")) and not list(dub.work_dir.glob("gain-*"))


def test_a_stop_between_takes_leaves_nothing(dub: Dub, tmp_path: Path) -> None:
    with pytest.raises(RenderStopped):
        render_dub(dub.source, dub.slots, tmp_path / "x.mp4", work_dir=tmp_path / "w",
                   should_stop=lambda: True)  # fmt: skip
    assert [path.name for path in tmp_path.iterdir()] == ["w"]


def test_unusable_inputs_are_refused_in_words(dub: Dub, tmp_path: Path) -> None:
    missing = [DubSlot(1.0, 2.0, tmp_path / "gone.wav", "seg-7")]
    with pytest.raises(ValidationError, match=r"^The dub could not be rendered: the take of seg-7"):
        render_dub(dub.source, missing, tmp_path / "x.mp4", work_dir=tmp_path / "w")
    with pytest.raises(ValidationError, match=r"cannot be saved as \.xyz"):
        render_dub(dub.source, [], tmp_path / "x.xyz", work_dir=tmp_path / "w")
    with pytest.raises(ValidationError, match="has no time span"):
        render_dub(dub.source, [DubSlot(3.0, 2.0, None)], tmp_path / "x.mp4", work_dir=tmp_path)
    (tmp_path / "junk.mp4").write_bytes(b"not media")
    with pytest.raises(ValidationError, match="cannot be read"):
        render_dub(tmp_path / "junk.mp4", [], tmp_path / "x.mp4", work_dir=tmp_path / "w")
    assert not (tmp_path / "x.mp4").exists()
