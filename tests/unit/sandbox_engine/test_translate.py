import pytest

from orangeweb.sandbox.engine import DubSegment, VoiceProfile, pseudo_translate, spoken_text
from orangeweb.sandbox.engine.dub import _revoiced_slots


def test_pseudo_translation_is_marked_and_deterministic() -> None:
    translated = pseudo_translate("Hello, how are you?", "es")

    assert translated == "[pseudo-es] Hello, how are you?"
    assert pseudo_translate("Hello, how are you?", "es") == translated
    assert pseudo_translate("Hello, how are you?", "ja") == "[pseudo-ja] Hello, how are you?"


def test_empty_text_stays_empty() -> None:
    assert pseudo_translate("", "fr") == ""
    assert pseudo_translate("   ", "fr") == ""


def test_dialogue_lines_keep_their_speaker_prefix() -> None:
    script = "Speaker 1: Hello there.\nSpeaker 2: Hi!\n\nand a continuation"

    assert pseudo_translate(script, "de") == (
        "Speaker 1: [pseudo-de] Hello there.\nSpeaker 2: [pseudo-de] Hi!\n\n"
        "[pseudo-de] and a continuation"
    )


def test_translating_again_replaces_the_marker() -> None:
    once = pseudo_translate("Good morning.", "it")

    assert pseudo_translate(once, "pl") == "[pseudo-pl] Good morning."


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        pseudo_translate("Hello", "xx")


def test_the_marker_is_not_part_of_what_is_spoken() -> None:
    assert spoken_text(pseudo_translate("Hello, how are you?", "es")) == "Hello, how are you?"
    script = pseudo_translate("Speaker 1: Hello there.\nSpeaker 2: Hi!", "de")
    assert spoken_text(script) == "Speaker 1: Hello there.\nSpeaker 2: Hi!"
    assert spoken_text("[pseudo-es] [pseudo-fr] Twice") == "Twice"
    # Brackets that are not the sandbox's tag are words to say.
    assert spoken_text("Hola [risas] amigos") == "Hola [risas] amigos"
    assert spoken_text("") == ""


def test_dub_slots_carry_the_text_without_the_marker() -> None:
    profile = VoiceProfile(pitch_hz=200.0, words_per_minute=160)
    segments = [
        DubSegment(0.0, 2.0, "[pseudo-es] Hello there.", profile),
        DubSegment(2.0, 3.0, "[pseudo-es] ", profile),  # nothing left to say: original kept
        DubSegment(3.0, 4.0, "[pseudo-es] Kept voice", None),
    ]
    slots = _revoiced_slots(segments, duration=5.0)
    assert [(slot.start, slot.text) for slot in slots] == [(0.0, "Hello there.")]
    assert all("pseudo" not in slot.text for slot in slots)
