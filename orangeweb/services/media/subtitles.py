"""Subtitle files (SRT and WebVTT) from transcript or translation segments.

Rules both formats share: segments with no text (or no time) are skipped; text is one
paragraph (line breaks and blank lines inside a segment are folded, since a blank line ends
a cue); lines wrap at `MAX_LINE_CHARS` with at most `MAX_LINES` lines per cue, and a longer
segment is split into several cues whose times divide the segment in proportion to their
text. Times are whole milliseconds and consecutive cues of one segment share their boundary.

SRT shows the speaker as a "Name: " prefix on a segment's first cue; WebVTT uses a voice span
(`<v Name>`) on every cue, with `&`, `<` and `>` escaped in both the name and the text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LINE_CHARS = 42
MAX_LINES = 2


@dataclass(frozen=True, slots=True)
class SubtitleSegment:
    """A stretch of speech: seconds from the start of the media."""

    start: float
    end: float
    text: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str | None


def _one_paragraph(text: str) -> str:
    return " ".join(text.split())


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)


def _split_lines(text: str, prefix: str) -> list[tuple[str, ...]]:
    """Wrapped lines, grouped `MAX_LINES` to a cue; `prefix` starts the first line."""
    lines = _wrap(prefix + text, MAX_LINE_CHARS)
    return [tuple(lines[i : i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)]


def build_cues(segments: Iterable[SubtitleSegment], *, name_prefix: bool = False) -> list[Cue]:
    """Cues in time order. `name_prefix`: put "Speaker: " in front of each segment's text
    (counted in the line width, as it is shown)."""
    cues: list[Cue] = []
    for segment in sorted(segments, key=lambda s: (s.start, s.end)):
        text = _one_paragraph(segment.text)
        start_ms = max(0, round(segment.start * 1000))
        end_ms = round(segment.end * 1000)
        if not text or end_ms <= start_ms:
            continue
        speaker = _one_paragraph(segment.speaker or "") or None
        prefix = f"{speaker}: " if name_prefix and speaker else ""
        groups = _split_lines(text, prefix)
        weights = [sum(len(line) for line in group) for group in groups]
        total = sum(weights)
        boundaries = [start_ms]
        running = 0
        for weight in weights:
            running += weight
            # At least 1 ms per cue, even when a tiny slot is split many ways.
            at = start_ms + round((end_ms - start_ms) * running / total)
            boundaries.append(max(at, boundaries[-1] + 1))
        for index, group in enumerate(groups):
            cues.append(Cue(boundaries[index], boundaries[index + 1], group, speaker))
    return cues


def _clock(milliseconds: int, separator: str) -> str:
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def srt_time(milliseconds: int) -> str:
    """`HH:MM:SS,mmm`."""
    return _clock(milliseconds, ",")


def vtt_time(milliseconds: int) -> str:
    """`HH:MM:SS.mmm`."""
    return _clock(milliseconds, ".")


def vtt_escape(text: str) -> str:
    """WebVTT cue text escaping: `&`, `<` and `>` as character references."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_srt(segments: Iterable[SubtitleSegment]) -> str:
    """An SRT file: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, blank line between."""
    blocks = []
    for number, cue in enumerate(build_cues(segments, name_prefix=True), start=1):
        timing = f"{srt_time(cue.start_ms)} --> {srt_time(cue.end_ms)}"
        blocks.append("\n".join((str(number), timing, *cue.lines)))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def to_vtt(segments: Iterable[SubtitleSegment]) -> str:
    """A WebVTT file: header, then cues with `HH:MM:SS.mmm` times and escaped text."""
    blocks = ["WEBVTT"]
    for cue in build_cues(segments):
        timing = f"{vtt_time(cue.start_ms)} --> {vtt_time(cue.end_ms)}"
        lines = [vtt_escape(line) for line in cue.lines]
        if cue.speaker:
            lines[0] = f"<v {vtt_escape(cue.speaker)}>{lines[0]}"
        blocks.append("\n".join((timing, *lines)))
    return "\n\n".join(blocks) + "\n"
