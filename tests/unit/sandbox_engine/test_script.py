import itertools
import re

import pytest

from orangeweb.sandbox.engine import compose_script
from orangeweb.sandbox.engine.script import LENGTH_BUCKETS, word_count
from orangeweb.sandbox.engine.script_templates import TEMPLATES

CONTEXT = "A tech podcast discussing the future of AI. We look at robots and ethics."
TEMPLATE_NAMES = [
    "youtube_ad",
    "podcast_intro",
    "tutorial",
    "storytelling",
    "sales_pitch",
    "interview",
    "comedy",
    "motivational",
]
SPEAKER_LINE = re.compile(r"^Speaker (\d+): \S.*$")


def test_all_documented_templates_exist() -> None:
    assert sorted(TEMPLATES) == sorted(TEMPLATE_NAMES)


@pytest.mark.parametrize("template", [*TEMPLATE_NAMES, None])
def test_monologue_names_the_narrator_and_topic(template: str | None) -> None:
    script = compose_script("single", template, CONTEXT, ["Alex"], "Professional", None)

    assert "Speaker" not in script
    assert "Alex" in script
    assert "the future of AI" in script
    assert "{" not in script and "}" not in script  # every placeholder filled


@pytest.mark.parametrize("template", [*TEMPLATE_NAMES, None])
def test_dialogue_is_speaker_lines_between_the_characters(template: str | None) -> None:
    script = compose_script("dialogue", template, CONTEXT, ["Alex", "Jordan"], "Casual", None)

    lines = script.splitlines()
    speakers = [int(SPEAKER_LINE.match(line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert set(speakers) == {1, 2}
    assert all(a != b for a, b in itertools.pairwise(speakers))  # turns alternate
    assert "Alex" in script and "Jordan" in script
    assert "{" not in script


def test_dialogue_with_three_characters_uses_all_three() -> None:
    script = compose_script("dialogue", "interview", CONTEXT, ["Ana", "Ben", "Cleo"], None, None)

    speakers = {SPEAKER_LINE.match(line).group(1) for line in script.splitlines()}  # type: ignore[union-attr]
    assert speakers == {"1", "2", "3"}


@pytest.mark.parametrize("mode", ["single", "dialogue"])
def test_length_sets_the_word_count(mode: str) -> None:
    counts = {
        label: word_count(
            compose_script(mode, "storytelling", CONTEXT, ["Alex", "Jordan"], None, label)
        )
        for label in LENGTH_BUCKETS
    }

    assert counts["Short (<30s)"] <= 75  # under 30 s at 150 words a minute
    assert 150 <= counts["Medium (1-2m)"] <= 300
    # 3 min at 150 words a minute is 450 words; a dialogue's pauses between turns count too.
    assert counts["Long (3m+)"] >= (450 if mode == "single" else 400)
    assert compose_script(mode, "storytelling", CONTEXT, ["Alex", "Jordan"], None, None) == (
        compose_script(mode, "storytelling", CONTEXT, ["Alex", "Jordan"], None, "Medium (1-2m)")
    )


def test_tone_changes_the_script() -> None:
    scripts = {
        tone: compose_script("single", "sales_pitch", CONTEXT, ["Alex"], tone, "Short (<30s)")
        for tone in ("Professional", "Casual", "Humorous", "Dramatic")
    }

    assert len(set(scripts.values())) == 4


def test_the_same_request_gives_the_same_script() -> None:
    first = compose_script(
        "dialogue", "comedy", CONTEXT, ["Alex", "Jordan"], "Humorous", "Long (3m+)"
    )
    again = compose_script(
        "dialogue", "comedy", CONTEXT, ["Alex", "Jordan"], "Humorous", "Long (3m+)"
    )

    assert first == again


def test_tutorial_steps_are_numbered_in_order() -> None:
    script = compose_script("single", "tutorial", "Baking sourdough bread", ["Sam"], None, None)

    steps = [int(number) for number in re.findall(r"Step (\d+)", script)]
    assert steps == list(range(1, len(steps) + 1)) and len(steps) >= 3


@pytest.mark.parametrize(
    ("mode", "template", "context", "length", "message"),
    [
        ("monologue", None, CONTEXT, None, "mode"),
        ("single", "haiku", CONTEXT, None, "template"),
        ("single", None, "   ", None, "context"),
        ("single", None, CONTEXT, "Epic (1h)", "length"),
    ],
)
def test_invalid_requests_are_rejected(
    mode: str, template: str | None, context: str, length: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compose_script(mode, template, context, ["Alex"], None, length)


@pytest.mark.parametrize(
    ("context", "topic"),
    [(".", "this topic"), ("?!", "this topic"), ("... our garden.", "our garden")],
)
def test_a_context_opening_with_punctuation_still_has_a_topic(context: str, topic: str) -> None:
    # Found by schema fuzzing: a first "sentence" of punctuation only left no words (500).
    for mode, names in (("single", ["Alex"]), ("dialogue", ["Alex", "Jordan"])):
        script = compose_script(mode, "podcast_intro", context, names, None, None)
        assert topic in script
