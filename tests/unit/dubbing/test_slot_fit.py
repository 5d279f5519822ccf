"""Slot fit: a translation much longer than its original's slot is flagged before cloning."""

from __future__ import annotations

import pytest

from orangeweb.services.media.slot_fit import (
    CHARS_PER_SECOND,
    Fit,
    check_slot,
    check_translations,
    fit_words,
    speech_seconds,
)


def _text(seconds: float) -> str:
    """Text that takes `seconds` to say at the estimated rate."""
    return "a" * round(seconds * CHARS_PER_SECOND)


def test_speech_time_counts_characters_with_whitespace_folded() -> None:
    assert speech_seconds("a" * 30) == pytest.approx(2.0)
    assert speech_seconds("hello    world\n") == speech_seconds("hello world")
    assert speech_seconds("   ") == 0


@pytest.mark.parametrize(
    ("speech_s", "fit"),
    [
        (1.0, Fit.OK),
        (2.0, Fit.OK),
        (2.6, Fit.OK),  # exactly 1.3x still fits
        (2.8, Fit.SPED_UP),
        (4.0, Fit.SPED_UP),  # exactly 2x is sped up, not yet too long
        (4.2, Fit.TOO_LONG),
    ],
)
def test_thresholds_on_a_two_second_slot(speech_s: float, fit: Fit) -> None:
    result = check_slot("seg_1", 3.0, 5.0, _text(speech_s))
    assert result.fit is fit
    assert result.speed_up == pytest.approx(speech_s / 2.0)
    assert (result.message is None) == (fit is Fit.OK)


def test_messages_say_what_to_expect() -> None:
    sped = check_slot("s", 0, 2, _text(3.0))
    assert sped.message == "Will be sped up 1.5 times: about 3.0 s of speech for a 2.0 s slot."
    long = check_slot("s", 0, 1, _text(2.5))
    assert long.message is not None and long.message.startswith("Too long: about 2.5 s")
    assert "Shorten the translation" in long.message


def test_an_empty_slot_with_text_is_too_long() -> None:
    result = check_slot("s", 4.0, 4.0, "hola")
    assert result.fit is Fit.TOO_LONG and "more than 10" in (result.message or "")


def test_translations_in_the_api_shape() -> None:
    segments = [
        {"id": "a", "start": 0.0, "end": 2.0, "text": "Hi", "translatedText": "Hola"},
        {"id": "b", "start": 2.0, "end": 3.0, "text": "Ok", "translatedText": _text(2.5)},
        {"id": "c", "start": 3.0, "end": 4.0, "text": "Not translated"},
        {"id": "d", "start": None, "end": 4.0, "translatedText": "No time"},
    ]
    fits = check_translations(segments)
    assert set(fits) == {"a", "b"}
    assert fits["a"].fit is Fit.OK and fits["b"].fit is Fit.TOO_LONG


@pytest.mark.parametrize(
    ("slot_end", "speech_s", "words"),
    [
        (2.0, 1.0, "fits"),
        (2.0, 2.4, "fits"),  # 1.2x is within what passes unnoticed
        (2.0, 3.0, "sped up 1.5\u00d7 to fit"),
        (2.0, 4.0, "sped up 2.0\u00d7 to fit"),
        (2.0, 5.2, "needs 2.6\u00d7 speed to fit \u2014 shorten or allow"),
        (0.2, 4.0, "needs more than 10\u00d7 speed to fit \u2014 shorten or allow"),
    ],
)
def test_each_fit_reads_as_words_with_its_speed_up(
    slot_end: float, speech_s: float, words: str
) -> None:
    result = check_slot("s", 0.0, slot_end, _text(speech_s))
    assert result.words == words
    assert "_" not in result.words  # never a raw code such as too_long


def test_fit_words_of_each_fit() -> None:
    assert fit_words(Fit.OK, 0.8) == "fits"
    assert fit_words(Fit.SPED_UP, 1.64) == "sped up 1.6\u00d7 to fit"
    assert fit_words(Fit.TOO_LONG, float("inf")).startswith("needs more than 10\u00d7 speed")
    assert check_slot("s", 0, 2, "").words == "fits"  # nothing to say fits any slot
