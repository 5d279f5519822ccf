"""Does a translation fit the time its original took? A warning before anything is cloned.

The dubbed line has to be spoken in the original segment's slot, so a much longer translation
gets sped up (and past a point, sounds rushed). Speech time is estimated from the text at
`CHARS_PER_SECOND` (about 15 characters a second is ordinary speech in alphabetic languages;
spaces between words count, runs of whitespace count once). The needed speed-up is that
estimate over the slot: above `SPED_UP_FACTOR` the segment is flagged "will be sped up",
above `TOO_LONG_FACTOR` "too long". It is an estimate to steer editing, not a measurement.
Each fit also reads as a few words with the number (`fit_words`), for the segment's badge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

CHARS_PER_SECOND = 15.0
SPED_UP_FACTOR = 1.3
TOO_LONG_FACTOR = 2.0


class Fit(StrEnum):
    OK = "ok"
    SPED_UP = "sped_up"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class SlotFit:
    segment_id: str
    slot_s: float
    speech_s: float
    speed_up: float  # needed speed factor; 1.0 or less means it fits
    fit: Fit
    message: str | None  # for the reviewer, None when it fits
    words: str  # the badge: "fits", "sped up 1.5x to fit", "needs 2.6x speed ..." (see fit_words)


def speech_seconds(text: str) -> float:
    """Estimated time to say `text`."""
    return len(" ".join(text.split())) / CHARS_PER_SECOND


_TIMES = "\u00d7"  # the multiplication sign, as in "1.5x" typeset


def _times(speed_up: float) -> str:
    # Past 10x the exact figure means nothing to an editor (and an empty slot is infinite).
    return f"more than 10{_TIMES}" if speed_up > 10 else f"{speed_up:.1f}{_TIMES}"


def fit_words(fit: Fit, speed_up: float) -> str:
    """The fit in words with its measured speed-up, instead of the raw `Fit` code."""
    if fit is Fit.TOO_LONG:
        return f"needs {_times(speed_up)} speed to fit — shorten or allow"
    if fit is Fit.SPED_UP:
        return f"sped up {_times(speed_up)} to fit"
    return "fits"


def check_slot(segment_id: str, start: float, end: float, text: str) -> SlotFit:
    """How `text` fits the slot [start, end] of the original segment."""
    slot = max(0.0, end - start)
    speech = speech_seconds(text)
    if speech == 0:
        return SlotFit(segment_id, slot, 0.0, 0.0, Fit.OK, None, fit_words(Fit.OK, 0.0))
    speed_up = speech / slot if slot > 0 else float("inf")
    if speed_up > TOO_LONG_FACTOR:
        shown = "more than 10" if speed_up > 10 else f"{speed_up:.1f}"
        message = (
            f"Too long: about {speech:.1f} s of speech for a {slot:.1f} s slot "
            f"({shown} times the speed). Shorten the translation."
        )
        words = fit_words(Fit.TOO_LONG, speed_up)
        return SlotFit(segment_id, slot, speech, speed_up, Fit.TOO_LONG, message, words)
    if speed_up > SPED_UP_FACTOR:
        message = (
            f"Will be sped up {speed_up:.1f} times: about {speech:.1f} s of speech "
            f"for a {slot:.1f} s slot."
        )
        words = fit_words(Fit.SPED_UP, speed_up)
        return SlotFit(segment_id, slot, speech, speed_up, Fit.SPED_UP, message, words)
    return SlotFit(segment_id, slot, speech, speed_up, Fit.OK, None, fit_words(Fit.OK, speed_up))


def check_translations(segments: Iterable[dict[str, object]]) -> dict[str, SlotFit]:
    """Slot fits of every translated segment in the API's shape (`{"id", "start", "end",
    "translatedText"}`), by segment id; segments without a translation are left out."""
    fits: dict[str, SlotFit] = {}
    for segment in segments:
        translated = segment.get("translatedText")
        start, end = segment.get("start"), segment.get("end")
        if not isinstance(translated, str) or not translated.strip():
            continue
        if not isinstance(start, int | float) or not isinstance(end, int | float):
            continue
        fits[str(segment["id"])] = check_slot(str(segment["id"]), start, end, translated)
    return fits
