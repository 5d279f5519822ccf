"""Subtitle files read back: SRT (`srt`) and WebVTT (`webvtt-py`) cues with their times, text
and speaker, from a `<v Speaker>` voice tag or a "Speaker:" prefix (as our exports write them).
Parsing only; what the cues mean for a transcript is `dubbing.subtitle_import`'s."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import srt
import webvtt
from webvtt.errors import MalformedFileError

from orangeweb.services.errors import ValidationError

MAX_SUBTITLE_BYTES = 2 * 1024 * 1024
# "Host: Hello" -> speaker "Host"; at most a few words before the colon, never a clock time.
_PREFIX = re.compile(r"^\s*([^\W\d][\w .'-]{0,38}?)\s*:\s+(.+)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SubtitleCue:
    number: int  # 1-based, in file order
    start: float  # seconds
    end: float
    text: str  # one paragraph
    speaker: str | None  # as written in the file


def _decode(content: bytes) -> str:
    if len(content) > MAX_SUBTITLE_BYTES:
        raise ValidationError(
            "That subtitle file is over 2 MB; a transcript's cues fit in far less."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            "That file is not UTF-8 text: save it as UTF-8 and try again."
        ) from error


def _paragraph(text: str) -> str:
    return " ".join(text.split())


def _with_prefix(text: str) -> tuple[str, str | None]:
    match = _PREFIX.match(text)
    return (match.group(2), match.group(1).strip()) if match else (text, None)


def _srt_cues(text: str) -> list[SubtitleCue]:
    try:
        parsed = list(srt.parse(text))
    except srt.SRTParseError as error:
        raise ValidationError(f"That file cannot be read as SRT: {error}") from error
    cues = []
    for number, cue in enumerate(parsed, start=1):
        words, speaker = _with_prefix(_paragraph(cue.content))
        cues.append(
            SubtitleCue(number, cue.start.total_seconds(), cue.end.total_seconds(), words, speaker)
        )
    return cues


def _vtt_cues(text: str) -> list[SubtitleCue]:
    try:
        parsed = webvtt.from_buffer(io.StringIO(text))
    except MalformedFileError as error:
        raise ValidationError(f"That file cannot be read as WebVTT: {error}") from error
    cues = []
    for number, cue in enumerate(parsed, start=1):
        words, speaker = _paragraph(cue.text), cue.voice
        if speaker is None:
            words, speaker = _with_prefix(words)
        cues.append(
            SubtitleCue(
                number,
                cue.start_time.in_milliseconds() / 1000,
                cue.end_time.in_milliseconds() / 1000,
                words,
                speaker,
            )
        )
    return cues


def read_subtitles(content: bytes) -> list[SubtitleCue]:
    """The cues of an SRT or WebVTT file (told apart by the "WEBVTT" header)."""
    text = _decode(content)
    if not text.strip():
        raise ValidationError("That subtitle file is empty.")
    cues = _vtt_cues(text) if text.lstrip().startswith("WEBVTT") else _srt_cues(text)
    if not cues:
        raise ValidationError("That file has no subtitle cues (SRT or WebVTT expected).")
    return cues
