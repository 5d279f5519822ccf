"""Property tests: no input crashes the parsers; they return results or their documented error."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from orangeweb.orangeclone import BatchStatus, DubbingStatus, VoiceStatus
from orangeweb.orangeclone.dialogue import MAX_SPEAKER_NUMBER, is_dialogue, parse_dialogue
from orangeweb.orangeclone.error_body import MAX_MESSAGE_CHARS, error_message, message_from_json
from orangeweb.orangeclone.retry import parse_retry_after

# Lines that look like dialogue often enough to exercise every branch.
dialogue_lines = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda word, spaces, number, colon, text: f"{word}{spaces}{number}{colon}{text}",
        st.sampled_from(["Speaker", "speaker", "SPEAKER", "Speakr", "  Speaker", "\u017fpeaker"]),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.one_of(st.integers(0, 150).map(str), st.just("0" * 60 + "1"), st.just("9" * 5000)),
        st.sampled_from([":", " :", "", ";"]),
        st.text(max_size=30),
    ),
    st.sampled_from(["", "   ", "\r", "\u2028", "\x85"]),
)
dialogue_texts = st.lists(dialogue_lines, max_size=12).map("\n".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["error", "message", "detail", "msg", "loc", "status", "x"])
            | st.text(),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@given(dialogue_texts, st.none() | st.integers(0, 200))
@settings(max_examples=400)
def test_the_dialogue_parser_never_crashes_and_keeps_its_invariants(
    text: str, character_count: int | None
) -> None:
    dialogue = parse_dialogue(text, character_count)

    line_count = max(1, len(text.splitlines()))
    assert all(1 <= problem.line_number <= line_count for problem in dialogue.problems)
    assert [p.line_number for p in dialogue.problems] == sorted(
        p.line_number for p in dialogue.problems
    )
    for line in dialogue.lines:
        assert 1 <= line.speaker <= MAX_SPEAKER_NUMBER
        assert line.text and line.text == line.text.strip()
        assert 1 <= line.line_number <= line_count
    if character_count is not None and dialogue.ok:
        assert dialogue.characters_needed <= character_count
    if dialogue.lines:
        assert is_dialogue(text)
        # The canonical form reads back as the same turns.
        again = parse_dialogue(dialogue.to_text())
        assert [(x.speaker, x.text) for x in again.lines] == [
            (x.speaker, x.text) for x in dialogue.lines
        ]


@given(st.text())
def test_the_dialogue_parser_takes_any_text(text: str) -> None:
    parse_dialogue(text)
    is_dialogue(text)


def _assert_clean_message(message: str) -> None:
    assert isinstance(message, str) and message
    assert len(message) <= MAX_MESSAGE_CHARS
    assert message == message.strip()
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in message)
    assert "\u2028" not in message and "\u2029" not in message


@given(
    st.binary(max_size=2000),
    st.sampled_from([None, "", "application/json", "text/html", "text/plain", "x/y; a=b"]),
    st.integers(100, 999),
)
@settings(max_examples=300)
def test_error_bodies_of_any_bytes_give_a_clean_message(
    body: bytes, content_type: str | None, status: int
) -> None:
    _assert_clean_message(error_message(body, content_type, status))


@given(json_values, st.integers(400, 599))
@settings(max_examples=300)
def test_error_bodies_of_any_json_give_a_clean_message(payload: Any, status: int) -> None:
    body = json.dumps(payload)
    _assert_clean_message(error_message(body.encode(), "application/json", status))
    found = message_from_json(payload)
    assert found is None or isinstance(found, str)


@given(st.text(max_size=3000), st.integers(400, 599))
def test_html_and_text_bodies_give_a_clean_message(body: str, status: int) -> None:
    for wrapped in (body, f"<html><title>{body}</title></html>", f"<!DOCTYPE html>{body}"):
        _assert_clean_message(error_message(wrapped, "text/html", status))


@given(st.none() | st.text(max_size=60))
def test_retry_after_is_none_or_a_finite_non_negative_delay(header: str | None) -> None:
    seconds = parse_retry_after(header, now=1_700_000_000.0)

    assert seconds is None or (math.isfinite(seconds) and seconds >= 0)


@given(st.dictionaries(st.text(max_size=12), json_values, max_size=8), json_values)
@settings(max_examples=300)
def test_status_models_read_any_json_or_raise_only_validation_errors(
    payload: dict[str, Any], status: Any
) -> None:
    for model in (VoiceStatus, BatchStatus, DubbingStatus):
        for candidate in (payload, {**payload, "status": status}):
            try:
                result = model.model_validate(candidate)
            except ValidationError:
                continue
            assert isinstance(result.status, str)
            if result.succeeded:
                assert result.normalized_status == "completed"
