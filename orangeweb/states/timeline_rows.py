"""Rows the dubbing timeline renders: one lane per speaker, one block per segment placed in
percent of the media's duration (so zooming is only a wider track), and the waveform as one
SVG path (plain dataclasses: Reflex 0.10 has no rx.Base)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.states.dubbing_project_rows import SpeakerRow

LANE_HEIGHT_PX = 30
WAVEFORM_HEIGHT = 100  # the path's viewBox height; the track stretches it


@dataclasses.dataclass
class LaneRow:
    speaker_id: str
    name: str
    color: str
    top: str  # "30px"


@dataclasses.dataclass
class BlockRow:
    id: str
    left: str  # "12.500%" of the track
    width: str
    top: str
    color: str
    label: str  # the first words, for the block
    stale: bool
    start: float
    end: float


def _percent(value: float) -> str:
    return f"{value:.3f}%"


def timeline_rows(
    view: DubbingProjectView, speakers: Sequence[SpeakerRow]
) -> tuple[list[LaneRow], list[BlockRow]]:
    """The lanes (speakers with segments, in the speakers' order) and the blocks on them."""
    duration = max(view.duration_s, 0.001)
    lanes = [
        LaneRow(s.id, s.name, s.color, f"{index * LANE_HEIGHT_PX}px")
        for index, s in enumerate(speakers)
    ]
    lane_of = {lane.speaker_id: lane for lane in lanes}
    blocks = []
    for segment in view.segments:
        lane = lane_of.get(segment.speaker_id)
        if lane is None:
            continue
        start, end = max(0.0, segment.start), min(duration, max(segment.end, segment.start))
        blocks.append(
            BlockRow(
                id=segment.id,
                left=_percent(100 * start / duration),
                width=_percent(max(0.2, 100 * (end - start) / duration)),
                top=lane.top,
                color=lane.color,
                label=" ".join(segment.text.split()[:6]),
                stale=segment.stale,
                start=segment.start,
                end=segment.end,
            )
        )
    return lanes, blocks


def waveform_path(peaks: Sequence[float]) -> str:
    """A closed path mirrored around the middle line, one x unit per peak."""
    if not peaks:
        return ""
    middle = WAVEFORM_HEIGHT / 2
    top = [f"{x},{middle - p * middle:.1f}" for x, p in enumerate(peaks)]
    bottom = [f"{x},{middle + p * middle:.1f}" for x, p in reversed(list(enumerate(peaks)))]
    return "M" + " L".join(top + bottom) + " Z"
