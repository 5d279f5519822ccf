import pytest

from orangeweb.sandbox.engine import pseudo_translate


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
