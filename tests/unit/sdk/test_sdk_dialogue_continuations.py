"""Lines without a `Speaker N:` prefix: the parser joins them to the turn above (the API's rule)
and lists them, so the Voice studio can ask for the prefix."""

from __future__ import annotations

from orangeweb.orangeclone.dialogue import Continuation, parse_dialogue


def test_a_line_without_a_prefix_is_listed_with_the_turn_it_joined() -> None:
    dialogue = parse_dialogue("Speaker 1: Hi there\nhow are you\n\nSpeaker 2: Fine\nthanks")
    assert dialogue.texts == ("Hi there how are you", "Fine thanks")
    assert dialogue.continuations == (Continuation(2, 1), Continuation(5, 2))
    assert dialogue.ok  # still valid for the API


def test_prefixed_lines_and_the_preamble_are_not_continuations() -> None:
    assert parse_dialogue("Speaker 1: A\nSpeaker 2: B").continuations == ()
    preamble = parse_dialogue("Hello\nSpeaker 1: A")
    assert preamble.continuations == ()
    assert [p.line_number for p in preamble.problems] == [1]
