"""Credit estimates and the API's fixed vocabularies."""

from __future__ import annotations

import pytest

from orangeweb.orangeclone import TIERS
from orangeweb.orangeclone.constants import (
    AVATAR_STYLES,
    LANGUAGES,
    LANGUAGES_BY_CODE,
    SCRIPT_LENGTHS,
    SCRIPT_TEMPLATES,
    SCRIPT_TONES,
)
from orangeweb.orangeclone.costs import (
    WORDS_PER_SECOND,
    CostEstimate,
    billing_blocks,
    estimate_batch,
    estimate_dubbing,
    estimate_script,
    estimate_voice_clone,
    speech_seconds,
)


def words(count: int) -> str:
    return " ".join(["word"] * count)


@pytest.mark.parametrize(
    ("seconds", "blocks"),
    [(0, 0), (-5, 0), (0.1, 1), (10, 1), (10.01, 2), (30.000000000000004, 3), (float("nan"), 0)],
)
def test_every_started_ten_seconds_is_a_block(seconds: float, blocks: int) -> None:
    assert billing_blocks(seconds) == blocks


def test_speech_is_timed_at_two_and_a_half_words_a_second() -> None:
    assert WORDS_PER_SECOND == 2.5
    assert speech_seconds(words(25)) == 10.0
    assert speech_seconds("Speaker 1: " + words(5) + "\nSpeaker 2: " + words(5)) == 4.0


def test_single_speaker_costs_one_credit_per_started_ten_seconds() -> None:
    assert estimate_voice_clone(words(25)) == CostEstimate(credits=1, seconds=10.0)
    assert estimate_voice_clone(words(26)) == CostEstimate(credits=2, seconds=10.4)
    assert estimate_voice_clone("Speaker 1: " + words(26)) == CostEstimate(credits=2, seconds=10.4)


def test_several_speakers_cost_two_credits_per_started_ten_seconds() -> None:
    text = "Speaker 1: " + words(20) + "\nSpeaker 2: " + words(30)

    assert estimate_voice_clone(text) == CostEstimate(credits=4, seconds=20.0)
    assert estimate_voice_clone(words(25), speaker_count=3).credits == 2


def test_empty_text_costs_nothing() -> None:
    assert estimate_voice_clone("   ") == CostEstimate(credits=0, seconds=0.0)


def test_a_batch_charges_each_scene_on_its_own() -> None:
    assert estimate_batch([words(5), words(26)]) == CostEstimate(credits=3, seconds=12.4)


def test_a_script_costs_one_credit() -> None:
    assert estimate_script() == CostEstimate(credits=1, seconds=0.0)


def test_dubbing_costs_one_credit_per_started_ten_seconds_per_language() -> None:
    assert estimate_dubbing(120) == CostEstimate(credits=12, seconds=120)
    assert estimate_dubbing(121, target_languages=3) == CostEstimate(credits=39, seconds=121)
    with pytest.raises(ValueError):
        estimate_dubbing(60, target_languages=0)


def test_the_vocabularies_match_the_docs() -> None:
    assert AVATAR_STYLES == (
        "adventurer",
        "avataaars",
        "bottts",
        "lorelei",
        "notionists",
        "pixel-art",
        "fun-emoji",
        "micah",
    )
    assert len(LANGUAGES) == 15
    codes = [
        "en",
        "es",
        "fr",
        "de",
        "it",
        "pt",
        "ru",
        "ja",
        "ko",
        "zh",
        "ar",
        "hi",
        "nl",
        "pl",
        "tr",
    ]
    assert list(LANGUAGES_BY_CODE) == codes
    assert LANGUAGES_BY_CODE["ja"].name == "Japanese" and LANGUAGES_BY_CODE["ja"].flag == "🇯🇵"
    assert all(language.flag for language in LANGUAGES)
    assert len(SCRIPT_TEMPLATES) == 8 and "podcast_intro" in SCRIPT_TEMPLATES
    assert SCRIPT_LENGTHS == ("Short (<30s)", "Medium (1-2m)", "Long (3m+)")
    assert "Professional" in SCRIPT_TONES


def test_the_tiers_match_the_docs() -> None:
    assert (TIERS["free"].requests_per_minute, TIERS["free"].max_media_seconds) == (10, 120)
    assert (TIERS["pro"].requests_per_minute, TIERS["pro"].max_media_seconds) == (30, 1800)
    assert (TIERS["enterprise"].requests_per_minute, TIERS["enterprise"].max_media_seconds) == (
        None,
        None,
    )
