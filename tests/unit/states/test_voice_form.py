"""Voice studio's form as the user types: the dialogue's problems, the speakers to cast, the
estimate and when it may be sent (the real VoiceState of one tab, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from orangeweb.services import jobs
from orangeweb.states.form_inputs import CharacterChip
from orangeweb.states.voice import VoiceState
from tests.unit.states.builders import Tab

ALEX, BEA = (
    CharacterChip("11", "seed-a", "Alex", "adventurer"),
    CharacterChip("12", "seed-b", "Bea", "adventurer"),
)


@pytest.fixture
def voice(tab: Tab) -> VoiceState:
    state = tab(VoiceState)
    state.chips = [ALEX, BEA]
    return state


def dialogue(voice: VoiceState, text: str, **speakers: str) -> VoiceState:
    voice.set_mode("dialogue")
    voice.set_dialogue_text(text)
    for number, character_id in speakers.items():
        voice.map_speaker(int(number.removeprefix("s")), character_id)
    return voice


async def events_of(stream: Any) -> list[Any]:
    return [event async for event in stream]


def test_no_problems_while_the_dialogue_is_blank(voice: VoiceState) -> None:
    dialogue(voice, "   \n ")
    assert voice.dialogue_problems == []
    assert voice.can_submit is False


def test_each_speaker_without_a_character_is_flagged_at_its_first_line(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\nSpeaker 2: Hello\nSpeaker 1: Bye")
    assert voice.dialogue_problems == [
        "Line 1: Speaker 1 has no character: pick one below.",
        "Line 2: Speaker 2 has no character: pick one below.",
    ]
    assert voice.can_submit is False


def test_a_dialogue_with_every_speaker_cast_may_be_sent(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\nSpeaker 2: Hello", s1="11", s2="12")
    assert voice.dialogue_problems == []
    assert voice.can_submit is True


def test_a_speaker_cast_as_a_character_not_offered_is_still_flagged(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\nSpeaker 2: Hello", s1="11", s2="99")
    assert voice.dialogue_problems == ["Line 2: Speaker 2 has no character: pick one below."]
    assert voice.can_submit is False


def test_a_skipped_speaker_number_is_explained(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\n\nSpeaker 3: Hello", s1="11", s3="12")
    assert voice.dialogue_problems == [
        "Line 3: Speaker 2 never speaks: number the speakers 1, 2, 3… in order, "
        "or pick a character for Speaker 2 below."
    ]
    assert voice.can_submit is False
    voice.map_speaker(2, "12")  # casting Speaker 2 anyway is allowed: the ids are positional
    assert voice.dialogue_problems == []
    assert voice.can_submit is True


def test_the_parsers_problems_come_in_line_order_with_the_casting_ones(voice: VoiceState) -> None:
    dialogue(voice, "Hello there\nSpeaker 1: Hi\nSpeaker 2:", s1="11")
    assert voice.dialogue_problems == [
        'Line 1: text before the first "Speaker N:" line.',
        "Line 3: Speaker 2 says nothing.",
    ]


def test_the_speakers_to_cast_are_at_least_two(voice: VoiceState) -> None:
    dialogue(voice, "")
    assert [(r.number, r.label, r.character_id, r.used) for r in voice.speaker_rows] == [
        (1, "Speaker 1", "", False),
        (2, "Speaker 2", "", False),
    ]


def test_the_speakers_to_cast_run_to_the_highest_number(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\nSpeaker 3: Hello", s3="12")
    assert [(r.number, r.character_id, r.used) for r in voice.speaker_rows] == [
        (1, "", True),
        (2, "", False),
        (3, "12", True),
    ]


def test_the_single_voice_may_be_sent_with_a_character_and_some_text(voice: VoiceState) -> None:
    assert voice.can_submit is False
    voice.set_single_text("Hello there")
    assert voice.can_submit is False
    voice.set_single_character("11")
    assert voice.can_submit is True
    voice.set_single_text("   ")
    assert voice.can_submit is False


def test_the_mode_is_single_or_dialogue(voice: VoiceState) -> None:
    voice.form_error = "Fix the lines flagged above first."
    voice.set_mode("dialogue")
    assert (voice.mode, voice.form_error) == ("dialogue", "")
    voice.set_mode("karaoke")
    assert voice.mode == "single"


def test_map_speaker_keeps_the_others(voice: VoiceState) -> None:
    voice.map_speaker(1, "11")
    voice.map_speaker(2, "12")
    voice.map_speaker(1, "12")
    assert voice.speaker_map == {"1": "12", "2": "12"}


def test_the_single_estimate_is_timed_at_a_typical_rate_before_any_take(
    voice: VoiceState,
) -> None:
    assert voice.single_estimate == "Type some text to see the estimate."
    voice.set_single_character("11")
    voice.set_single_text("a" * 163)  # 169 timed characters: 9.97 s at the default rate
    assert voice.single_estimate == (
        "≈ 1 credit · about 10 s of speech "
        "(first take of Alex: a typical rate; 1 credit per 10 s, one voice)"
    )
    voice.set_single_text("a" * 164)  # 10.03 s: a second block started
    assert voice.single_estimate.startswith("≈ 2 credits · about 10 s of speech")


def test_the_single_estimate_uses_the_voices_learned_rate(voice: VoiceState) -> None:
    voice._rates = {"11": {"seconds_per_char": 0.1, "takes": 3.0}}
    voice.set_single_character("11")
    voice.set_single_text(
        "a" * 134
    )  # 140 timed characters: 14 s at Alex's learned 0.1 s per character
    assert voice.single_estimate == (
        "≈ 2 credits · about 14 s of speech (from 3 takes of Alex; 1 credit per 10 s, one voice)"
    )
    voice.set_single_character("12")  # Bea has no take yet
    assert voice.single_estimate.startswith("≈ 1 credit · about 8 s of speech (first take of Bea")


def test_the_dialogue_estimate_prices_several_voices_as_the_submission_does(
    voice: VoiceState,
) -> None:
    voice._rates = {"11": {"seconds_per_char": 0.1, "takes": 1.0}}
    text = "Speaker 1: " + "a" * 50 + "\nSpeaker 2: " + "b" * 50
    dialogue(voice, text, s1="11", s2="12")
    # 5.6 s (Alex, learned) + 3.3 s (Bea, typical) + 0.35 s between the turns
    assert voice.dialogue_estimate == (
        "≈ 2 credits · about 9 s of dialogue (from 1 take of Alex; first take of Bea: a typical "
        "rate; 2 credits per 10 s, several voices)"
    )
    assert jobs.estimate_voice(text, 2).credits == 2


def test_a_one_speaker_dialogue_is_priced_as_one_voice(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: one two three\nSpeaker 1: four five", s1="11")
    assert voice.dialogue_estimate == (
        "≈ 1 credit · about 2 s of dialogue "
        "(first take of Alex: a typical rate; 1 credit per 10 s, one voice)"
    )
    dialogue(voice, "")
    assert voice.dialogue_estimate == "Type some text to see the estimate."


async def test_submitting_an_incomplete_single_voice_says_what_is_missing(
    voice: VoiceState,
) -> None:
    voice.set_single_text("Hello")
    assert await events_of(voice.submit("key-1")) == []
    assert voice.form_error == "Choose a character and type the text first."
    assert voice.submitting is False


async def test_submitting_a_flagged_dialogue_points_at_the_flags(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi", s1="")
    assert await events_of(voice.submit("key-1")) == []
    assert voice.form_error == "Fix the lines flagged above first."
    assert voice.submitting is False


def test_the_request_carries_one_character_per_speaker_number(voice: VoiceState) -> None:
    dialogue(voice, "Speaker 1: Hi\nSpeaker 3: Hello", s1="11", s2="12", s3="11")
    assert voice._request() == ("Speaker 1: Hi\nSpeaker 3: Hello", ["11", "12", "11"])
    voice.set_mode("single")
    voice.set_single_text("Hi")
    voice.set_single_character("12")
    assert voice._request() == ("Hi", ["12"])


def test_a_handoff_from_scripts_fills_the_dialogue(voice: VoiceState) -> None:
    voice._handoff = {
        "mode": "dialogue",
        "text": "Speaker 1: A\nSpeaker 2: B",
        "character_ids": ["12", "11"],
    }
    voice._apply_handoff()
    assert (voice.mode, voice.dialogue_text) == ("dialogue", "Speaker 1: A\nSpeaker 2: B")
    assert voice.speaker_map == {"1": "12", "2": "11"}
    assert voice.can_submit is True
    assert voice._handoff == {}


def test_a_handoff_from_scripts_fills_the_single_voice(voice: VoiceState) -> None:
    voice._handoff = {"mode": "single", "text": "Welcome!", "character_ids": ["12"]}
    voice._apply_handoff()
    assert (voice.mode, voice.single_text, voice.single_character_id) == (
        "single",
        "Welcome!",
        "12",
    )
    voice.single_text = "changed"
    voice._apply_handoff()  # applied once: a second load keeps what the user typed
    assert voice.single_text == "changed"
