"""Transcription: speech segments by energy, speakers by pitch, English text by PocketSphinx
(engine/recognition.py: only the phrases' audio, decoded in a pool of processes)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orangeweb.sandbox.engine import dsp
from orangeweb.sandbox.engine.media import ANALYSIS_RATE, decode_audio
from orangeweb.sandbox.engine.recognition import (
    FAST_SETTINGS,
    LEGACY_SETTINGS,
    ParallelRecognizer,
    Recognizer,
    SequentialRecognizer,
)
from orangeweb.sandbox.engine.speech import check_language

NON_ENGLISH_NOTE = "Automatic transcription is English-only in the sandbox; fill in the text."
NO_SPEECH_NOTE = "No speech was found in the media."

# Segments longer than this are cut at their quietest point: shorter segments are easier to
# review, translate and re-voice, and keep PocketSphinx's search small.
_MAX_SEGMENT_SECONDS = 12.0
# Consecutive pieces of one speaker's speech closer than this are one phrase, one segment: a
# clip of short phrases gives a handful of segments to review, not one per word or breath.
DEFAULT_PHRASE_PAUSE_SECONDS = 0.6
# Two groups of segments are different speakers only when their typical pitches differ by at
# least this many octaves (0.3 octave ~ 23%, about 3.5 semitones) and the groups are well
# separated relative to their own spread. One speaker's segments vary far less than that.
_MIN_SPEAKER_OCTAVES = 0.3
_MIN_SEPARATION_IN_SPREADS = 2.5
# A speaker needs this much voiced audio: a lone cough or laugh must not become a speaker.
_MIN_SPEAKER_VOICED_SECONDS = 1.5
_RELIABLE_VOICED_SECONDS = 1.0
_MAX_SPEAKERS = 8
_MIN_VOICED_FRAMES_FOR_PITCH = 10


@dataclass(frozen=True)
class Segment:
    id: str  # "seg_0001", ...
    speaker_id: str  # "speaker_1", ...
    start: float  # seconds
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    segments: list[Segment]
    speakers: list[str]  # speaker ids in order of first appearance
    source_language: str
    note: str | None


@dataclass(frozen=True)
class _Measured:
    region: dsp.Region
    log2_pitch: float | None  # median F0 of the region's voiced frames, in octaves
    voiced_seconds: float


# The sandbox's recognizer: the tuned decoder, clips decoded in a pool of one process per CPU.
_RECOGNIZER = ParallelRecognizer(FAST_SETTINGS)


def default_recognizer() -> Recognizer:
    return _RECOGNIZER


def legacy_recognizer() -> Recognizer:
    """The recognizer the sandbox used before the pool: one decoder with PocketSphinx's
    defaults, phrases decoded one after another (kept to compare against, as the bench does)."""
    return SequentialRecognizer(LEGACY_SETTINGS, independent=False)


def transcribe(
    media_path: Path,
    language: str = "en",
    *,
    phrase_pause: float = DEFAULT_PHRASE_PAUSE_SECONDS,
    recognizer: Recognizer | None = None,
) -> Transcript:
    """Timed, speaker-labelled segments of the speech in `media_path` (audio or video): each a
    phrase, the speech of one speaker up to a pause of `phrase_pause` seconds or more (and at
    most 12 s).

    Text is recognized for English only, by `recognizer` (default: the sandbox's pool), on
    the phrases' audio alone; other languages get empty texts and a note.
    Raises MediaError when the media has no decodable audio.
    """
    check_language(language)
    recognizer = recognizer or default_recognizer()
    if language == "en":
        recognizer.warm_up()  # the model loads while the audio is decoded and analysed
    samples = decode_audio(media_path, ANALYSIS_RATE)
    f0 = dsp.pitch_track(samples, ANALYSIS_RATE)
    levels = dsp.frame_levels_db(samples, ANALYSIS_RATE)
    regions = [
        piece
        for region in dsp.speech_regions(samples, ANALYSIS_RATE)
        for piece in _split_long(region, levels)
    ]
    if not regions:
        return Transcript(segments=[], speakers=[], source_language=language, note=NO_SPEECH_NOTE)
    measured = [_measure(region, f0) for region in regions]
    phrases = _phrases(regions, _assign_speakers(measured), phrase_pause)

    texts = [""] * len(phrases)
    if language == "en":
        # Only the phrases are decoded: silence between them never reaches the recognizer.
        texts = recognizer.recognize_all([_clip(samples, region) for region, _ in phrases])
    segments = [
        Segment(
            id=f"seg_{index + 1:04d}",
            speaker_id=f"speaker_{speaker}",
            start=round(float(region.start), 2),
            end=round(float(region.end), 2),
            text=text,
        )
        for index, ((region, speaker), text) in enumerate(zip(phrases, texts, strict=True))
    ]
    speakers = list(dict.fromkeys(segment.speaker_id for segment in segments))
    note = None if language == "en" else NON_ENGLISH_NOTE
    return Transcript(segments=segments, speakers=speakers, source_language=language, note=note)


def _clip(samples: np.ndarray, region: dsp.Region) -> np.ndarray:
    return samples[int(region.start * ANALYSIS_RATE) : int(region.end * ANALYSIS_RATE)]


def _phrases(
    regions: list[dsp.Region], speakers: list[int], pause: float
) -> list[tuple[dsp.Region, int]]:
    """Neighbouring regions of one speaker, less than `pause` apart, joined (up to 12 s).
    Speakers are told apart first, on the short regions, where pitch is most telling."""
    phrases: list[tuple[dsp.Region, int]] = []
    for region, speaker in zip(regions, speakers, strict=True):
        if phrases:
            last, last_speaker = phrases[-1]
            joined = dsp.Region(last.start, region.end)
            if (
                speaker == last_speaker
                and region.start - last.end < pause
                and joined.duration <= _MAX_SEGMENT_SECONDS
            ):
                phrases[-1] = (joined, speaker)
                continue
        phrases.append((region, speaker))
    return phrases


def _split_long(region: dsp.Region, levels_db: np.ndarray) -> list[dsp.Region]:
    if region.duration <= _MAX_SEGMENT_SECONDS:
        return [region]
    # Cut at the quietest frame of the middle half, then recurse on both sides.
    first = int((region.start + region.duration / 4) / dsp.HOP_SECONDS)
    last = int((region.end - region.duration / 4) / dsp.HOP_SECONDS)
    window = levels_db[first:last]
    cut = (first + int(np.argmin(window))) * dsp.HOP_SECONDS if len(window) else region.start
    cut = min(max(cut, region.start + 0.5), region.end - 0.5)
    return [
        *_split_long(dsp.Region(region.start, cut), levels_db),
        *_split_long(dsp.Region(cut, region.end), levels_db),
    ]


def _measure(region: dsp.Region, f0: np.ndarray) -> _Measured:
    frames = f0[int(region.start / dsp.HOP_SECONDS) : int(region.end / dsp.HOP_SECONDS)]
    voiced = frames[~np.isnan(frames)]
    log2_pitch = (
        math.log2(float(np.median(voiced))) if len(voiced) >= _MIN_VOICED_FRAMES_FOR_PITCH else None
    )
    return _Measured(region, log2_pitch, len(voiced) * dsp.HOP_SECONDS)


def _assign_speakers(measured: list[_Measured]) -> list[int]:
    """Speaker numbers (1-based, in order of first appearance) for each measured region."""
    pitched = [index for index, item in enumerate(measured) if item.log2_pitch is not None]
    # Short utterances ("Thank you.") carry one intonation contour, often far below or above
    # the speaker's typical pitch: they join the speakers found from longer ones, never
    # found a speaker of their own.
    reliable = [
        index for index in pitched if measured[index].voiced_seconds >= _RELIABLE_VOICED_SECONDS
    ] or pitched
    clusters = _split_by_pitch(
        sorted(reliable, key=lambda index: measured[index].log2_pitch), measured
    )
    cluster_of: dict[int, int] = {}
    for cluster_index, members in enumerate(clusters):
        for member in members:
            cluster_of[member] = cluster_index
    centres = [np.median([measured[index].log2_pitch for index in members]) for members in clusters]
    for index in pitched:
        if index not in cluster_of:
            distances = np.abs(np.array(centres) - measured[index].log2_pitch)
            cluster_of[index] = int(np.argmin(distances))
    # Unpitched regions (whispers, noise) go with the speaker just before them, else after.
    labels: list[int | None] = [cluster_of.get(index) for index in range(len(measured))]
    for index in range(len(labels)):
        if labels[index] is None and index > 0:
            labels[index] = labels[index - 1]
    for index in reversed(range(len(labels))):
        if labels[index] is None:
            labels[index] = labels[index + 1] if index + 1 < len(labels) else 0
    numbering: dict[int, int] = {}
    for label in labels:
        numbering.setdefault(label, len(numbering) + 1)
    return [numbering[label] for label in labels]


def _split_by_pitch(members: list[int], measured: list[_Measured]) -> list[list[int]]:
    """Recursively split pitch-sorted regions in two where the split separates clearly
    different voices (Otsu-style: the cut that maximizes between-group variance)."""
    if len(members) < 2:
        return [members] if members else []
    pitches = np.array([measured[index].log2_pitch for index in members], dtype=float)
    best_cut, best_score = 0, -1.0
    for cut in range(1, len(members)):
        low, high = pitches[:cut], pitches[cut:]
        score = len(low) * len(high) * (high.mean() - low.mean()) ** 2
        if score > best_score:
            best_cut, best_score = cut, score
    low_members, high_members = members[:best_cut], members[best_cut:]
    low, high = pitches[:best_cut], pitches[best_cut:]
    distance = float(np.median(high) - np.median(low))
    spread = math.sqrt((low.var() * len(low) + high.var() * len(high)) / len(pitches))
    voiced = [
        sum(measured[index].voiced_seconds for index in group)
        for group in (low_members, high_members)
    ]
    if (
        distance < _MIN_SPEAKER_OCTAVES
        or distance < _MIN_SEPARATION_IN_SPREADS * spread
        or min(voiced) < _MIN_SPEAKER_VOICED_SECONDS
    ):
        return [members]
    groups = _split_by_pitch(low_members, measured) + _split_by_pitch(high_members, measured)
    if len(groups) <= _MAX_SPEAKERS:
        return groups
    # More voices than a conversation plausibly has: fold the highest into one group.
    surplus = [index for group in groups[_MAX_SPEAKERS - 1 :] for index in group]
    return [*groups[: _MAX_SPEAKERS - 1], surplus]
