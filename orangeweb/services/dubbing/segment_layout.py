"""The segment edits of the studio, on a transcript's list of segments: merge neighbours, split
one (at a time or at a place in its text), retime, delete, add over a region, and auto-merge
short phrases. Pure functions: each returns the new list (sorted by start) or raises
`ValidationError` saying what is wrong; `segment_edits` saves them.

A segment is the API's dict: {"id", "speakerId", "start", "end", "text", "translatedText"?}.
Segments made here get ids of their own ("local-…"), which OrangeClone never saw.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from typing import Any

from orangeweb.services.dubbing.pseudo import pseudo_marker, strip_pseudo
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.media.probe import describe_duration

Segment = dict[str, Any]

# Shorter than this is no line anyone can voice (or click on the timeline).
SHORTEST_SEGMENT_S = 0.2
# Auto-merge never makes a line longer than this (the sandbox's phrase grouping uses the same).
LONGEST_MERGED_S = 12.0
DEFAULT_MERGE_PAUSE_S = 0.6
LOCAL_PREFIX = "local-"


def new_segment_id() -> str:
    return f"{LOCAL_PREFIX}{secrets.token_hex(4)}"


def _ordered(segments: Sequence[Segment]) -> list[Segment]:
    return sorted(segments, key=lambda s: (float(s.get("start") or 0), str(s.get("id"))))


def _find(segments: Sequence[Segment], segment_id: str) -> Segment:
    found = next((s for s in segments if str(s.get("id")) == segment_id), None)
    if found is None:
        raise NotFoundError("That segment is not in this transcript (maybe just removed).")
    return found


def at_time(seconds: float) -> str:
    """ "0:07.4": times as the timeline shows them."""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def span(start: float, end: float) -> str:
    """ "0:07.4 to 0:09.0", with an en dash between, as times are typeset."""
    return f"{at_time(start)}\u2013{at_time(end)}"


def _joined(parts: Sequence[str | None]) -> str | None:
    words = [p.strip() for p in parts if isinstance(p, str) and p.strip()]
    return " ".join(words) if words else None


def merge(segments: Sequence[Segment], segment_ids: Sequence[str]) -> list[Segment]:
    """Join neighbouring segments of one speaker into the first: its id, the span of all,
    their words (and translations) in order."""
    ids = list(dict.fromkeys(segment_ids))
    if len(ids) < 2:
        raise ValidationError("Select two or more neighbouring segments to merge.")
    ordered = _ordered(segments)
    positions = sorted(ordered.index(_find(ordered, i)) for i in ids)
    if positions != list(range(positions[0], positions[0] + len(positions))):
        raise ValidationError("Only neighbouring segments can be merged: select the ones between.")
    chosen = ordered[positions[0] : positions[-1] + 1]
    if len({str(s.get("speakerId")) for s in chosen}) > 1:
        raise ValidationError(
            "These segments have different speakers: move them to one speaker first."
        )
    first = chosen[0]
    merged: Segment = {
        **first,
        "start": min(float(s["start"]) for s in chosen),
        "end": max(float(s["end"]) for s in chosen),
        "text": _joined([s.get("text") for s in chosen]) or "",
    }
    marker = next((m for s in chosen if (m := pseudo_marker(s.get("translatedText")))), "")
    translated = _joined(
        [strip_pseudo(t) for s in chosen if isinstance(t := s.get("translatedText"), str)]
    )
    translated = marker + translated if translated is not None else None
    if translated is not None:
        merged["translatedText"] = translated
    else:
        merged.pop("translatedText", None)
    gone = {id(s) for s in chosen}
    return _ordered([merged, *(s for s in ordered if id(s) not in gone)])


def _cut_words(text: str, share: float) -> tuple[str, str]:
    """`text` cut at the word boundary nearest to `share` (0..1) of its characters."""
    words = text.split()
    if len(words) < 2:
        return text.strip(), ""
    target = share * len(" ".join(words))
    best, best_distance, length = 1, float("inf"), 0
    for count in range(1, len(words)):
        length += len(words[count - 1]) + (1 if count > 1 else 0)
        if abs(length - target) < best_distance:
            best, best_distance = count, abs(length - target)
    return " ".join(words[:best]), " ".join(words[best:])


def _word_boundary(text: str, position: int) -> int:
    """The space nearest to `position` (a cursor inside a word splits before or after it)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces or position in spaces or not 0 < position < len(text):
        return position
    return min(spaces, key=lambda i: (abs(i - position), i))


def split(
    segments: Sequence[Segment],
    segment_id: str,
    *,
    at: float | None = None,
    text_position: int | None = None,
) -> list[Segment]:
    """Cut one segment in two: at `at` seconds (the playhead; the words are divided in the same
    proportion, at a word boundary), or at character `text_position` of its text (the time is
    divided where the text is). The second part is a new segment of the same speaker."""
    segment = _find(segments, segment_id)
    start, end = float(segment["start"]), float(segment["end"])
    text = " ".join(str(segment.get("text") or "").split())
    if text_position is not None:
        text_position = _word_boundary(text, text_position)
        if not 0 < text_position < len(text):
            raise ValidationError("Put the cursor between two words of the line to split it.")
        left, right = text[:text_position].strip(), text[text_position:].strip()
        if not left or not right:
            raise ValidationError("Put the cursor between two words of the line to split it.")
        share = len(left) / max(1, len(left) + len(right))
        cut = start + (end - start) * share
    elif at is not None and math.isfinite(at):
        cut = float(at)
        share = (cut - start) / (end - start) if end > start else 0.0
        left, right = _cut_words(text, share)
    else:
        raise ValidationError("Split where: at the playhead or at the cursor in the text.")
    if cut - start < SHORTEST_SEGMENT_S or end - cut < SHORTEST_SEGMENT_S:
        raise ValidationError(
            f"Split inside the segment ({span(start, end)}), at least "
            f"{SHORTEST_SEGMENT_S:g} s from either end."
        )
    if not right:
        raise ValidationError("This line has one word: there is nothing to split.")
    first: Segment = {**segment, "end": round(cut, 3), "text": left}
    second: Segment = {**segment, "id": new_segment_id(), "start": round(cut, 3), "text": right}
    translated = segment.get("translatedText")
    if isinstance(translated, str) and strip_pseudo(translated).strip():
        marker = pseudo_marker(translated)  # (the sandbox's tag stays on both halves)
        left_words, right_words = _cut_words(strip_pseudo(translated), share)
        first["translatedText"] = marker + left_words
        second["translatedText"] = marker + (right_words or left_words)
    rest = [s for s in segments if s is not segment]
    return _ordered([*rest, first, second])


def _overlap(
    segments: Sequence[Segment], start: float, end: float, *, skip: str | None = None
) -> Segment | None:
    return next(
        (
            s
            for s in _ordered(segments)
            if str(s.get("id")) != skip and float(s["start"]) < end and start < float(s["end"])
        ),
        None,
    )


def _check_span(
    segments: Sequence[Segment], start: float, end: float, duration: float, skip: str | None
) -> None:
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end > duration + 0.05:
        raise ValidationError(
            f"Times must lie within the media ({span(0, duration)}, {describe_duration(duration)})."
        )
    if end - start < SHORTEST_SEGMENT_S:
        raise ValidationError(f"A segment lasts at least {SHORTEST_SEGMENT_S:g} s.")
    other = _overlap(segments, start, end, skip=skip)
    if other is not None:
        raise ValidationError(
            f"That would overlap the line at {span(float(other['start']), float(other['end']))}"
            f" (“{str(other.get('text') or '')[:40]}”): lines do not overlap, even of two "
            "speakers, as the dub plays one line at a time."
        )


def retime(
    segments: Sequence[Segment], segment_id: str, start: float, end: float, duration: float
) -> list[Segment]:
    """New times for one segment, within the media and clear of its neighbours."""
    segment = _find(segments, segment_id)
    start, end = round(float(start), 3), round(float(end), 3)
    _check_span(segments, start, end, duration, skip=segment_id)
    changed = {**segment, "start": start, "end": min(end, duration)}
    return _ordered([changed, *(s for s in segments if s is not segment)])


def delete(segments: Sequence[Segment], segment_ids: Sequence[str]) -> list[Segment]:
    """Drop false segments (a cough transcribed as a word)."""
    gone = {str(_find(segments, i)["id"]) for i in segment_ids}
    if not gone:
        raise ValidationError("Select the segments to delete first.")
    if len(gone) == len(segments):
        raise ValidationError("A transcript keeps at least one segment.")
    return _ordered([s for s in segments if str(s.get("id")) not in gone])


def add(
    segments: Sequence[Segment],
    *,
    start: float,
    end: float,
    speaker_id: str,
    text: str,
    duration: float,
    speakers: Sequence[str],
) -> list[Segment]:
    """A new line over a region nothing covers yet (a missed phrase)."""
    if speaker_id not in speakers:
        raise NotFoundError("That speaker is not in this transcript.")
    words = " ".join(text.split())
    if not words:
        raise ValidationError("Type the words of the new line.")
    start, end = round(float(start), 3), round(float(end), 3)
    _check_span(segments, start, end, duration, skip=None)
    segment: Segment = {
        "id": new_segment_id(),
        "speakerId": speaker_id,
        "start": start,
        "end": end,
        "text": words,
    }
    return _ordered([*segments, segment])


def auto_merge(
    segments: Sequence[Segment],
    *,
    pause_s: float = DEFAULT_MERGE_PAUSE_S,
    longest_s: float = LONGEST_MERGED_S,
) -> list[Segment]:
    """Consecutive segments of one speaker less than `pause_s` apart become one line (up to
    `longest_s` long): a transcript of single words reads as phrases."""
    result: list[Segment] = []
    for segment in _ordered(segments):
        last = result[-1] if result else None
        if (
            last is not None
            and last.get("speakerId") == segment.get("speakerId")
            and float(segment["start"]) - float(last["end"]) < pause_s
            and float(segment["end"]) - float(last["start"]) <= longest_s
        ):
            result[-1] = merge([last, segment], [str(last["id"]), str(segment["id"])])[0]
        else:
            result.append(dict(segment))
    return result
