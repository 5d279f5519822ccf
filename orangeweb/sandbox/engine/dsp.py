"""Signal measurements on mono float audio, in numpy: pitch (YIN), speech regions (energy VAD),
and syllable nuclei (for the speaking rate).

All measurements use 10 ms frames, so frame index * HOP_SECONDS is the frame's time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOP_SECONDS = 0.010
_ENERGY_WINDOW_SECONDS = 0.025
_SILENCE_DB = -100.0

# Human speaking voices: deep male voices reach ~65 Hz, children ~450 Hz.
MIN_F0_HZ = 60.0
MAX_F0_HZ = 450.0
_YIN_THRESHOLD = 0.15
_YIN_CHUNK_FRAMES = 2048  # bounds memory on long media: FFTs are done this many frames at a time


@dataclass(frozen=True)
class Region:
    """A stretch of audio, in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def frame_levels_db(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """RMS level of each 10 ms hop (25 ms window) in dBFS; digital silence is -100 dB."""
    hop = round(HOP_SECONDS * sample_rate)
    window = round(_ENERGY_WINDOW_SECONDS * sample_rate)
    frame_count = len(samples) // hop
    if frame_count == 0:
        return np.zeros(0)
    padded = np.concatenate([samples.astype(np.float64), np.zeros(window)])
    energy_sums = np.concatenate([[0.0], np.cumsum(padded**2)])
    starts = np.arange(frame_count) * hop
    mean_square = (energy_sums[starts + window] - energy_sums[starts]) / window
    return np.maximum(10.0 * np.log10(np.maximum(mean_square, 1e-12)), _SILENCE_DB)


def speech_threshold_db(levels_db: np.ndarray) -> float:
    """The level separating speech from background, adapted to the recording.

    Speech is loud relative to the recording's peaks and clearly above its noise floor; the
    noise-floor term is capped so a recording that is speech all through still gets segmented.
    """
    if len(levels_db) == 0:
        return 0.0
    peak = float(np.percentile(levels_db, 99))
    noise_floor = float(np.percentile(levels_db, 10))
    return max(peak - 35.0, min(noise_floor + 10.0, peak - 15.0), -60.0)


def speech_regions(
    samples: np.ndarray,
    sample_rate: int,
    min_gap: float = 0.3,
    min_speech: float = 0.2,
    padding: float = 0.05,
) -> list[Region]:
    """Energy-based voice activity detection: regions louder than the adaptive threshold,
    with gaps shorter than `min_gap` closed and blips shorter than `min_speech` dropped."""
    levels = frame_levels_db(samples, sample_rate)
    if len(levels) == 0:
        return []
    active = levels > speech_threshold_db(levels)
    regions = _runs(active)
    merged: list[tuple[int, int]] = []
    for start, end in regions:
        if merged and (start - merged[-1][1]) * HOP_SECONDS < min_gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    total = len(samples) / sample_rate
    return [
        Region(
            max(0.0, float(start) * HOP_SECONDS - padding),
            min(total, float(end) * HOP_SECONDS + padding),
        )
        for start, end in merged
        if (end - start) * HOP_SECONDS >= min_speech
    ]


def pitch_track(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """F0 in Hz of each 10 ms frame by YIN (de Cheveigné & Kawahara 2002); NaN where unvoiced
    (aperiodic, or too quiet to be speech)."""
    hop = round(HOP_SECONDS * sample_rate)
    lag_min = int(sample_rate / MAX_F0_HZ)
    lag_max = int(np.ceil(sample_rate / MIN_F0_HZ))
    window = lag_max + 1  # the integration window must hold the longest period
    frame_count = len(samples) // hop
    f0 = np.full(frame_count, np.nan)
    if frame_count == 0 or len(samples) < window + lag_max:
        return f0
    signal = np.concatenate([samples.astype(np.float64), np.zeros(window + lag_max)])
    levels = frame_levels_db(samples, sample_rate)
    loud_enough = levels > speech_threshold_db(levels)
    for first in range(0, frame_count, _YIN_CHUNK_FRAMES):
        frame_indexes = np.arange(first, min(first + _YIN_CHUNK_FRAMES, frame_count))
        starts = frame_indexes * hop
        spans = signal[starts[:, None] + np.arange(window + lag_max)[None, :]]
        f0[frame_indexes] = _yin_frames(spans, window, lag_min, lag_max, sample_rate)
    f0[~loud_enough[: len(f0)]] = np.nan
    return f0


def _yin_frames(
    spans: np.ndarray, window: int, lag_min: int, lag_max: int, sample_rate: int
) -> np.ndarray:
    """YIN on a batch of frames, each `window + lag_max` samples long."""
    fft_size = 1 << int(np.ceil(np.log2(spans.shape[1] + window)))
    head_spectrum = np.fft.rfft(spans[:, :window], fft_size)
    full_spectrum = np.fft.rfft(spans, fft_size)
    correlation = np.fft.irfft(np.conj(head_spectrum) * full_spectrum, fft_size)[:, : lag_max + 1]
    squares = np.concatenate([np.zeros((len(spans), 1)), np.cumsum(spans**2, axis=1)], axis=1)
    lags = np.arange(lag_max + 1)
    energy_head = squares[:, window][:, None]
    energy_lagged = squares[:, lags + window] - squares[:, lags]
    difference = np.maximum(energy_head + energy_lagged - 2.0 * correlation, 0.0)
    # Cumulative mean normalized difference: removes the bias towards lag 0.
    running_mean = np.cumsum(difference[:, 1:], axis=1) / lags[1:]
    normalized = np.ones_like(difference)
    normalized[:, 1:] = difference[:, 1:] / np.maximum(running_mean, 1e-12)

    searchable = normalized[:, lag_min : lag_max + 1]
    below = searchable < _YIN_THRESHOLD
    voiced = below.any(axis=1)
    first_dip = np.argmax(below, axis=1)
    # Walk from the first sub-threshold lag down to the bottom of that dip.
    rising = np.diff(searchable, axis=1, append=np.inf) > 0
    positions = np.arange(searchable.shape[1])[None, :]
    dip_bottom = np.argmax(rising & (positions >= first_dip[:, None]), axis=1)
    best = dip_bottom + lag_min
    # Parabolic interpolation around the minimum for sub-sample precision.
    rows = np.arange(len(spans))
    left = normalized[rows, np.clip(best - 1, 0, lag_max)]
    centre = normalized[rows, best]
    right = normalized[rows, np.clip(best + 1, 0, lag_max)]
    curvature = left - 2.0 * centre + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(curvature) > 1e-12, 0.5 * (left - right) / curvature, 0.0)
    period = best + np.clip(shift, -1.0, 1.0)
    return np.where(voiced, sample_rate / period, np.nan)


def syllable_nuclei_count(samples: np.ndarray, sample_rate: int, f0: np.ndarray) -> int:
    """Count the loudness peaks of voiced speech: one per syllable, roughly (de Jong & Wempe)."""
    levels = frame_levels_db(samples, sample_rate)
    if len(levels) < 3:
        return 0
    smoothed = np.convolve(levels, np.ones(3) / 3, mode="same")
    threshold = speech_threshold_db(levels)
    voiced = ~np.isnan(f0[: len(smoothed)])
    peaks = 0
    valley = smoothed[0]
    last_peak_frame = -100
    for index in range(1, len(smoothed) - 1):
        value = smoothed[index]
        valley = min(valley, value)
        is_peak = smoothed[index - 1] < value >= smoothed[index + 1]
        if (
            is_peak
            and value > threshold
            and voiced[index]
            and value - valley >= 3.0  # a real dip since the previous nucleus
            and index - last_peak_frame >= 6  # syllables are at least ~80 ms apart
        ):
            peaks += 1
            last_peak_frame = index
            valley = value
    return peaks


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [start, end) where `mask` is true."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))
