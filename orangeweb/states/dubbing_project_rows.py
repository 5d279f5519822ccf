"""Rows the dubbing page renders (plain dataclasses: Reflex 0.10 has no rx.Base)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import PurePosixPath

from orangeweb.orangeclone.constants import LANGUAGES, LANGUAGES_BY_CODE
from orangeweb.services.dubbing.pseudo import strip_pseudo
from orangeweb.services.dubbing.speaker_characters import MIN_SPEECH_SECONDS
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.media.probe import describe_bytes
from orangeweb.states.job_rows import credits_words, seconds_text, status_color, when
from orangeweb.states.take_rows import TakeRow, take_row

SPEAKER_COLORS = ("blue", "orange", "green", "purple", "pink", "cyan", "amber", "red")
# The stepper: (status key, label). A status moves the stepper to its step.
STEPS = (
    ("transcribing", "Transcribing"),
    ("translating", "Translating"),
    ("cloning", "Cloning"),
    ("completed", "Completed"),
)
# status -> (index of its step, state of that step); the steps before it are done.
_STEP_OF: dict[str, tuple[int, str]] = {
    "submitting": (0, "active"),
    "transcribing": (0, "active"),
    "transcribed": (0, "done"),
    "translating": (1, "active"),
    "translated": (1, "done"),
    "cloning": (2, "active"),
    "completed": (3, "done"),
}
# Emoji flags show as two letters or boxes in Chromium on Windows and elsewhere, so the page
# draws SVG flags (components/flags.py). The country of a language's flag is read from its
# emoji: a flag emoji is the country's two letters as Unicode regional indicator symbols.
_REGIONAL_A = 0x1F1E6


def flag_country(code: str | None) -> str:
    """ISO 3166-1 alpha-2 country (lower case) of the flag shown for language `code`, or ""."""
    lang = LANGUAGES_BY_CODE.get(code or "")
    if lang is None:
        return ""
    letters = [ord(c) - _REGIONAL_A for c in lang.flag]
    if len(letters) != 2 or not all(0 <= n < 26 for n in letters):
        return ""
    return "".join(chr(ord("a") + n) for n in letters)


def flag_class(code: str | None) -> str:
    """The flag-icons CSS classes of language `code`'s flag ("" when it has none)."""
    country = flag_country(code)
    return f"fi fi-{country}" if country else ""


# [code, name, flag classes] of each language the target picker offers.
LANGUAGE_OPTIONS: list[list[str]] = [
    [lang.code, lang.name, flag_class(lang.code)] for lang in LANGUAGES
]


@dataclasses.dataclass
class ProjectRow:
    id: str
    name: str
    media_type: str
    duration: str
    status: str
    color: str
    credits: str  # "5 credits", "1 credit" (an estimate per language)
    created_by: str
    created_at: str
    error: str


@dataclasses.dataclass
class SpeakerRow:
    id: str
    name: str
    color: str
    segment_count: int
    voice: str  # character id as text, "original", or "" (not chosen)
    voice_name: str
    speech: str = ""  # "12.3 s of speech": what a character of this voice is made from
    speech_enough: bool = False  # at least the 3 s a voice sample needs


@dataclasses.dataclass
class SegmentRow:
    id: str
    speaker_id: str
    speaker_name: str
    color: str
    start: float
    end: float
    start_text: str
    end_text: str
    text: str
    translated: str  # as read and edited: without the sandbox's pseudo marker
    pseudo: bool  # the badge "pseudo-translation (sandbox)" stands for the marker
    fit: str
    fit_words: str
    fit_message: str
    fit_color: str
    takes: list[TakeRow] = dataclasses.field(default_factory=list)  # newest first
    stale: bool = False  # its line or voice changed since its pinned take
    can_preview: bool = False


@dataclasses.dataclass
class StepRow:
    label: str
    state: str  # "done" | "active" | "todo" | "failed"


def language_label(code: str | None) -> str:
    """The language's name (its flag is drawn beside it, from `flag_class`)."""
    if not code:
        return "Original language (voices only)"
    lang = LANGUAGES_BY_CODE.get(code)
    return lang.name if lang else code


# What the dubbed output is saved as, by the source's container: the dub copies the video
# stream, so Matroska and WebM sources come back in their own container, other video as MP4,
# audio as MP3.
_DUBBED_SUFFIX = {"webm": ".webm", "mkv": ".mkv"}


def dubbed_file_name(
    original_name: str, language: str | None, media_type: str, container: str = ""
) -> str:
    """The download name of the dubbed output, `<source stem>.<language>.dubbed.<ext>`: never
    the source's own name, so saving it next to the source does not overwrite it."""
    stem = PurePosixPath(original_name.replace("\\", "/")).stem or "dubbed"
    suffix = ".mp3" if media_type == "audio" else _DUBBED_SUFFIX.get(container.lower(), ".mp4")
    middle = f".{language}" if language else ""
    return f"{stem}{middle}.dubbed{suffix}"


def clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 60}:{total % 60:02d}"


def project_row(view: DubbingProjectView) -> ProjectRow:
    return ProjectRow(
        id=str(view.id),
        name=view.original_name,
        media_type=view.media_type,
        duration=seconds_text(view.duration_s),
        status=view.status,
        color=status_color(view.status),
        credits=credits_words(view.estimated_credits),
        created_by=view.created_by_name,
        created_at=when(view.created_at),
        error=view.error or "",
    )


def speaker_rows(view: DubbingProjectView) -> list[SpeakerRow]:
    seconds: dict[str, float] = {}
    for segment in view.segments:
        length = max(0.0, segment.end - segment.start)
        seconds[segment.speaker_id] = seconds.get(segment.speaker_id, 0.0) + length
    rows = []
    for index, speaker in enumerate(view.speakers):
        if speaker.segment_count == 0:
            continue  # merged away, or all its segments moved: nothing to voice
        if speaker.voice == "character" and speaker.character_id is not None:
            voice, voice_name = str(speaker.character_id), speaker.character_name or "A character"
        elif speaker.voice == "original":
            voice, voice_name = "original", "Original voice"
        else:
            voice, voice_name = "", "Original voice (not chosen)"
        rows.append(
            SpeakerRow(
                id=speaker.id,
                name=speaker.name,
                color=SPEAKER_COLORS[index % len(SPEAKER_COLORS)],
                segment_count=speaker.segment_count,
                voice=voice,
                voice_name=voice_name,
                speech=f"{seconds.get(speaker.id, 0.0):.1f} s of speech",
                speech_enough=seconds.get(speaker.id, 0.0) >= MIN_SPEECH_SECONDS,
            )
        )
    return rows


def segment_rows(view: DubbingProjectView, speakers: list[SpeakerRow]) -> list[SegmentRow]:
    colors = {speaker.id: speaker.color for speaker in speakers}
    fit_colors = {"ok": "green", "sped_up": "amber", "too_long": "red"}
    return [
        SegmentRow(
            id=segment.id,
            speaker_id=segment.speaker_id,
            speaker_name=segment.speaker_name,
            color=colors.get(segment.speaker_id, "gray"),
            start=segment.start,
            end=segment.end,
            start_text=clock(segment.start),
            end_text=clock(segment.end),
            text=segment.text,
            translated=strip_pseudo(segment.translated_text or ""),
            pseudo=segment.pseudo,
            fit=segment.fit or "",
            fit_words=segment.fit_words or segment.fit or "",
            fit_message=segment.fit_message or "",
            fit_color=fit_colors.get(segment.fit or "", "gray"),
            takes=[take_row(take) for take in segment.takes],
            stale=segment.stale,
            can_preview=segment.can_preview,
        )
        for segment in view.segments
    ]


def step_rows(view: DubbingProjectView) -> list[StepRow]:
    status = view.status.strip().lower()
    current, current_state = _STEP_OF.get(status, (-1, "todo"))
    failed_at = {"transcribe": 0, "translate": 1, "clone": 2}.get(view.failed_step or "")
    if failed_at is None and status == "failed":
        failed_at = max(current, 0)
    if failed_at is not None:  # the steps before the failed one were done
        current, current_state = failed_at, "failed"
    rows = []
    for index, (_key, label) in enumerate(STEPS):
        if index == failed_at:
            state = "failed"
        elif index < current:
            state = "done"
        elif index == current:
            state = current_state
        else:
            state = "todo"
        rows.append(StepRow(label=label, state=state))
    return rows


def rate_words(loaded: int, total: int, started: float) -> tuple[str, str]:
    elapsed = max(time.monotonic() - started, 0.001)
    speed = loaded / elapsed
    left = (total - loaded) / speed if speed > 0 and total > loaded else 0.0
    return f"{describe_bytes(int(speed))}/s", f"{int(left) // 60}:{int(left) % 60:02d} left"
