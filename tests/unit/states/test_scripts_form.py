"""Scripts: the mode and the characters picked for it, when a script may be generated, the
history's rows, and the hand-over to Voice studio and Stories (the real states of one tab)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import reflex as rx

from orangeweb.services.scripts import ScriptView
from orangeweb.states.form_inputs import CharacterChip
from orangeweb.states.scripts import CONTEXT_MAX, ScriptsState, _script_row
from orangeweb.states.stories import StoriesState
from orangeweb.states.voice import VoiceState
from tests.unit.states.builders import Tab, spec_words


@pytest.fixture
def scripts(tab: Tab) -> ScriptsState:
    state = tab(ScriptsState)
    state.chips = [
        CharacterChip("11", "a", "Alex", "adventurer"),
        CharacterChip("12", "b", "Bea", "adventurer"),
        CharacterChip("13", "c", "Cy", "adventurer"),
    ]
    return state


def script_view(**fields: object) -> ScriptView:
    values: dict[str, object] = {
        "id": 5,
        "generation_id": "gen-5",
        "mode": "dialogue",
        "template": "podcast_intro",
        "tone": "Casual",
        "length": None,
        "context": "A podcast about bees",
        "text": "\n  \nSpeaker 1: Welcome to the show\nSpeaker 2: Thanks",
        "character_ids": [11, 12],
        "character_names": ["Alex", "Bea"],
        "created_by_name": "Olivia",
        "created_at": datetime(2030, 1, 15, 12, 0, tzinfo=UTC),
    }
    values.update(fields)
    return ScriptView(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "mode"),
    [
        ("single", "single"),
        ("dialogue", "dialogue"),
        (["single"], "single"),
        (["dialogue", "single"], "dialogue"),
        ([], "dialogue"),
        ("karaoke", "dialogue"),
    ],
)
def test_the_mode_is_single_or_dialogue(scripts: ScriptsState, value: object, mode: str) -> None:
    scripts.set_mode(value)  # type: ignore[arg-type]
    assert scripts.mode == mode


def test_a_single_voice_script_keeps_only_the_first_character_picked(scripts: ScriptsState) -> None:
    scripts.picked = ["12", "11", "13"]
    scripts.set_mode("single")
    assert scripts.picked == ["12"]
    scripts.set_mode("dialogue")
    assert scripts.picked == ["12"]


def test_a_dialogue_picks_characters_in_speaking_order(scripts: ScriptsState) -> None:
    for character_id in ("13", "11", "12"):
        scripts.toggle_character(character_id)
    assert scripts.picked == ["13", "11", "12"]
    assert scripts.picked_names == ["Cy", "Alex", "Bea"]
    scripts.toggle_character("11")
    assert scripts.picked == ["13", "12"]


def test_a_single_voice_picks_one_character(scripts: ScriptsState) -> None:
    scripts.set_mode("single")
    scripts.toggle_character("11")
    scripts.toggle_character("12")
    assert scripts.picked == ["12"]
    scripts.toggle_character("12")
    assert scripts.picked == []


def test_a_character_no_longer_offered_reads_as_unknown(scripts: ScriptsState) -> None:
    scripts.picked = ["11", "99"]
    assert scripts.picked_names == ["Alex", "?"]


def test_the_pick_hint_follows_the_mode(scripts: ScriptsState) -> None:
    scripts.set_mode("single")
    assert scripts.pick_hint == "Pick the character who speaks."
    scripts.set_mode("dialogue")
    assert scripts.pick_hint.startswith("Pick the characters in speaking order")


@pytest.mark.parametrize(
    ("mode", "picked", "context", "can"),
    [
        ("single", ["11"], "Bees", True),
        ("single", [], "Bees", False),
        ("dialogue", ["11", "12"], "Bees", True),
        ("dialogue", ["11"], "Bees", False),
        ("dialogue", ["11", "12"], "   ", False),
        ("dialogue", ["11", "12"], "x" * CONTEXT_MAX, True),
        ("dialogue", ["11", "12"], "x" * (CONTEXT_MAX + 1), False),
    ],
)
def test_when_a_script_may_be_generated(
    scripts: ScriptsState, mode: str, picked: list[str], context: str, can: bool
) -> None:
    scripts.set_mode(mode)
    scripts.picked = picked
    scripts.set_context(context)
    assert scripts.can_generate is can


def test_the_context_counter(scripts: ScriptsState) -> None:
    scripts.set_context("Bees!")
    assert (scripts.context_count, scripts.context_too_long) == ("5 / 2000", False)
    scripts.set_context("x" * (CONTEXT_MAX + 1))
    assert (scripts.context_count, scripts.context_too_long) == ("2001 / 2000", True)


async def test_generating_without_enough_says_what_is_missing(scripts: ScriptsState) -> None:
    scripts.set_mode("single")
    assert [event async for event in scripts.generate()] == []
    assert scripts.form_error == "Write the context (up to 2000 characters) and pick one character."
    scripts.set_mode("dialogue")
    scripts.set_context("Bees")
    assert [event async for event in scripts.generate()] == []
    assert scripts.form_error.endswith("pick at least two characters.")
    assert scripts.generating is False


def test_a_history_row() -> None:
    row = _script_row(script_view())
    assert (row.id, row.mode, row.characters, row.created_by) == (
        "5",
        "dialogue",
        "Alex, Bea",
        "Olivia",
    )
    assert row.summary == "Podcast intro · Casual"
    assert row.preview == "Speaker 1: Welcome to the show"
    assert row.created == "2030-01-15 12:00:00 UTC"


def test_a_history_row_without_any_choice_and_a_long_first_line() -> None:
    row = _script_row(script_view(template=None, tone=None, length=None, text="y" * 300))
    assert row.summary == "No template"
    assert row.preview == "y" * 140
    assert _script_row(script_view(template="none", length="Short (<30s)")).summary == (
        "No template · Casual · Short (<30s)"
    )


async def test_voice_it_hands_a_dialogue_to_the_voice_studio(
    tab: Tab, scripts: ScriptsState
) -> None:
    scripts._open(script_view())
    redirect = await scripts.voice_it()
    assert spec_words(redirect) == spec_words(rx.redirect("/voice"))
    assert tab(VoiceState)._handoff == {
        "mode": "dialogue",
        "text": "Speaker 1: Welcome to the show\nSpeaker 2: Thanks",
        "character_ids": ["11", "12"],
    }


async def test_voice_it_of_a_single_script_that_reads_as_a_dialogue(
    tab: Tab, scripts: ScriptsState
) -> None:
    scripts._open(script_view(mode="single", text="Speaker 1: Hello", character_ids=[13]))
    await scripts.voice_it()
    assert tab(VoiceState)._handoff["mode"] == "dialogue"
    scripts._open(script_view(mode="single", text="  Just me talking. ", character_ids=[13]))
    await scripts.voice_it()
    assert tab(VoiceState)._handoff == {
        "mode": "single",
        "text": "Just me talking.",
        "character_ids": ["13"],
    }


async def test_nothing_is_handed_over_without_a_script(tab: Tab, scripts: ScriptsState) -> None:
    for handler in (scripts.voice_it, scripts.make_story):
        refused = await handler()
        assert spec_words(refused) == spec_words(rx.toast.error("Generate or open a script first."))
    scripts.script_text = "Some text"  # but no characters
    assert spec_words(await scripts.make_story()) == spec_words(
        rx.toast.error("Generate or open a script first.")
    )
    assert tab(VoiceState)._handoff == {} and tab(StoriesState)._handoff == {}


async def test_make_story_makes_a_scene_of_each_turn(tab: Tab, scripts: ScriptsState) -> None:
    text = "Speaker 1: Hello\nSpeaker 2: Hi\nand welcome\nSpeaker 3: Me too"
    scripts._open(script_view(text=text, character_ids=[11, 12]))
    redirect = await scripts.make_story()
    assert spec_words(redirect) == spec_words(rx.redirect("/stories"))
    # Speaker 3 has no character of its own: the first one voices it.
    assert tab(StoriesState)._handoff == {
        "scenes": [("Hello", "11"), ("Hi and welcome", "12"), ("Me too", "11")]
    }


async def test_make_story_of_plain_text_makes_a_scene_of_each_line(
    tab: Tab, scripts: ScriptsState
) -> None:
    scripts._open(script_view(mode="single", text="One.\n\n  Two.  \nThree.", character_ids=[13]))
    await scripts.make_story()
    assert tab(StoriesState)._handoff == {
        "scenes": [("One.", "13"), ("Two.", "13"), ("Three.", "13")]
    }
