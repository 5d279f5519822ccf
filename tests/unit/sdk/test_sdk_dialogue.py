"""`Speaker N:` dialogue parsing."""

from __future__ import annotations

import pytest

from orangeweb.orangeclone.dialogue import (
    DialogueError,
    DialogueLine,
    is_dialogue,
    parse_dialogue,
)


def test_a_documented_dialogue_parses_into_turns() -> None:
    text = (
        "Speaker 1: Hello, how are you?\n"
        "Speaker 2: I'm doing great, thanks for asking!\n"
        "Speaker 1: That's wonderful to hear."
    )

    dialogue = parse_dialogue(text, character_count=2)

    assert dialogue.ok
    assert dialogue.lines == (
        DialogueLine(1, "Hello, how are you?", 1),
        DialogueLine(2, "I'm doing great, thanks for asking!", 2),
        DialogueLine(1, "That's wonderful to hear.", 3),
    )
    assert dialogue.speakers == (1, 2)
    assert dialogue.characters_needed == 2
    assert dialogue.texts[1] == "I'm doing great, thanks for asking!"


def test_prefixes_are_case_insensitive_with_optional_spaces() -> None:
    text = "speaker1:a\nSPEAKER 2 : b\n  Speaker   3:c  \nsPeAkEr 02:d"

    dialogue = parse_dialogue(text)

    assert [(line.speaker, line.text) for line in dialogue.lines] == [
        (1, "a"),
        (2, "b"),
        (3, "c"),
        (2, "d"),
    ]


def test_unprefixed_lines_continue_and_blank_lines_are_ignored() -> None:
    text = "\n\nSpeaker 1: It was a dark\n   and stormy night.\n\nSpeaker 2:\nReally?\n\n"

    dialogue = parse_dialogue(text)

    assert dialogue.ok
    assert dialogue.lines == (
        DialogueLine(1, "It was a dark and stormy night.", 3),
        DialogueLine(2, "Really?", 6),
    )
    assert dialogue.to_text() == "Speaker 1: It was a dark and stormy night.\nSpeaker 2: Really?"


def test_ids_are_by_position_so_a_gap_still_needs_every_id_before_it() -> None:
    dialogue = parse_dialogue("Speaker 1: Hi\nSpeaker 3: Hey")

    assert dialogue.speakers == (1, 3)
    assert dialogue.characters_needed == 3
    assert dialogue.speakers_beyond(2) == (3,)


def test_a_speaker_without_a_character_is_reported_at_its_first_line() -> None:
    dialogue = parse_dialogue("Speaker 1: Hi\nSpeaker 3: Hey\nSpeaker 3: Again", character_count=2)

    assert [(p.line_number, p.message) for p in dialogue.problems] == [
        (2, "Speaker 3 has no character (2 given)")
    ]


def test_text_before_the_first_speaker_is_reported_once() -> None:
    dialogue = parse_dialogue("Title: my show\nintro\nSpeaker 1: Hi")

    assert [p.line_number for p in dialogue.problems] == [1]
    assert "before the first" in dialogue.problems[0].message
    assert dialogue.lines == (DialogueLine(1, "Hi", 3),)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_an_empty_dialogue_is_a_problem(text: str) -> None:
    dialogue = parse_dialogue(text)

    assert not dialogue.ok
    assert [(p.line_number, p.message) for p in dialogue.problems] == [(1, "the dialogue is empty")]
    assert dialogue.characters_needed == 0


def test_a_speaker_who_says_nothing_and_bad_numbers_are_reported() -> None:
    dialogue = parse_dialogue("Speaker 1:\nSpeaker 0: zero\nSpeaker 1000: big\nSpeaker 2: ok")

    assert [(p.line_number, p.message) for p in dialogue.problems] == [
        (1, "Speaker 1 says nothing"),
        (2, "speaker numbers run from 1 to 99"),
        (3, "speaker numbers run from 1 to 99"),
    ]
    assert dialogue.lines == (DialogueLine(2, "ok", 4),)


def test_problems_are_sorted_by_line_and_raise_as_one_error() -> None:
    dialogue = parse_dialogue("intro\nSpeaker 4: Hi\nSpeaker 1:", character_count=1)

    with pytest.raises(DialogueError) as caught:
        dialogue.raise_if_invalid()

    assert [p.line_number for p in caught.value.problems] == [1, 2, 3]
    assert str(caught.value).startswith("line 1: ")
    assert isinstance(caught.value, ValueError)


def test_look_alike_prefixes_are_not_speakers() -> None:
    # A Unicode digit, a long-s "speaker" and a missing colon are not what the server reads.
    arabic_indic_one, long_s = "\u0661", "\u017f"
    assert not is_dialogue(f"Speaker {arabic_indic_one}: hi\n{long_s}peaker 1: hi\nSpeaker 1 hi")


def test_is_dialogue() -> None:
    assert is_dialogue("Speaker 1: Hello")
    assert is_dialogue("Intro\n  speaker 2: hi")
    assert not is_dialogue("Hello, this is my cloned voice!")
    assert not is_dialogue("The speaker said: hello")
    assert not is_dialogue("")
