"""Issue 11: a generated script lasts what its length label says once the sandbox voices it
(at each character's own speaking rate), and its sentences read as sentences."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from orangeweb.sandbox.dialogue import parse_dialogue
from orangeweb.sandbox.engine import compose_script
from orangeweb.sandbox.engine.script import LENGTH_BUCKETS
from orangeweb.sandbox.engine.script_templates import GENERAL, TEMPLATES, TemplateBank
from orangeweb.sandbox.engine.script_topics import keywords_of
from orangeweb.sandbox.engine.voice import MAX_WPM, MIN_WPM
from orangeweb.sandbox.routes.voices import estimate_dialogue_seconds, estimate_speech_seconds

# Its first sentence is longer than a topic may be: the cut once left "dubs indie films into."
CONTEXT = (
    "A studio that dubs indie films into other languages for streaming platforms around the "
    "world. We talk about voices and budgets."
)
TONES = ["Professional", "Casual", "Humorous", "Dramatic", None]
TEMPLATE_NAMES = [*TEMPLATES, None]
# A clause never ends on an article, a conjunction or a preposition that needs its object: such
# a word right before punctuation means a phrase was cut off. ("jump in" and similar particles
# and pronouns like "Why is that?" are fine, so only words that cannot end a clause are listed.)
DANGLING = re.compile(
    r"\b(a|an|the|and|or|but|nor|of|into|onto|from|with|without|about|than|whose|"
    r"my|your|our|their|its)\s*[.!?,;:]",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?]$")


def _seconds(script: str, mode: str, rates: list[float]) -> float:
    """The sandbox's own estimate of the voiced script (what /voices_clone charges by)."""
    if mode == "single":
        return estimate_speech_seconds(script, rates[0])
    lines = parse_dialogue(script, len(rates))
    return estimate_dialogue_seconds(lines, {n: rates[n - 1] for n in {x.speaker for x in lines}})


@pytest.mark.parametrize("label", list(LENGTH_BUCKETS))
@pytest.mark.parametrize("wpm", [MIN_WPM, 150, MAX_WPM])
@pytest.mark.parametrize(
    ("mode", "names"), [("single", ["Alex"]), ("dialogue", ["Alex", "Jordan", "Cleo"])]
)
def test_every_script_lasts_what_its_length_says(
    label: str, wpm: int, mode: str, names: list[str]
) -> None:
    shortest, longest = LENGTH_BUCKETS[label]
    rates = [float(wpm)] * len(names)
    for template in TEMPLATE_NAMES:
        for tone in TONES:
            script = compose_script(mode, template, CONTEXT, names, tone, label, rates)
            seconds = _seconds(script, mode, rates)
            where = f"{template}/{tone}: {seconds:.1f} s"
            assert shortest is None or seconds >= shortest, where
            assert longest is None or seconds < longest, where


def test_each_speaker_is_timed_at_their_own_rate() -> None:
    # A slow and a fast voice: the script must still be short once both are voiced.
    rates = [float(MIN_WPM), float(MAX_WPM)]
    script = compose_script(
        "dialogue", "sales_pitch", CONTEXT, ["Alex", "Jordan"], "Dramatic", "Short (<30s)", rates
    )
    assert _seconds(script, "dialogue", rates) < 30


def _patterns(bank: TemplateBank) -> list[str]:
    pairs = [*bank.dialogue_openings, *bank.dialogue_points, *bank.dialogue_closings]
    return [
        *bank.openings,
        *bank.points,
        *bank.closings,
        *(line for pair in pairs for line in pair),
    ]


@pytest.mark.parametrize("bank", [*TEMPLATES.values(), GENERAL], ids=[*TEMPLATES, "general"])
def test_every_template_line_is_whole_sentences(bank: TemplateBank) -> None:
    for pattern in _patterns(bank):
        assert SENTENCE_END.search(pattern), pattern
        filled = pattern.format(topic="our garden", kw="roses", me="Alex", you="Jordan", n=1)
        assert not DANGLING.search(filled), pattern
        fields = {name for _text, name, _spec, _conv in Formatter().parse(pattern) if name}
        assert fields <= {"topic", "kw", "me", "you", "n"}, pattern


@pytest.mark.parametrize("mode", ["single", "dialogue"])
@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_a_long_context_never_leaves_a_fragment(mode: str, template: str | None) -> None:
    for context in (CONTEXT, "We want to discuss the future of the world's oceans and of the"):
        script = compose_script(mode, template, context, ["Alex", "Jordan"], "Casual", None)
        assert not DANGLING.search(script), script
        assert "dubs indie films" in script or "future of the world's oceans" in script
        assert "We want to discuss" not in script  # the request's lead-in is not the topic
        for line in script.splitlines():
            if line.strip():
                assert SENTENCE_END.search(line.strip()), line


@pytest.mark.parametrize(
    ("context", "keywords"),
    [
        (
            "Our studio dubs indie films into Spanish and French for streaming platforms.",
            ["studio", "Spanish", "French", "streaming platforms"],
        ),
        (
            "Two friends plan a weekend hike to a mountain lake.",
            ["friends", "weekend hike", "mountain lake"],
        ),
        (
            "A tech podcast about open source maintainers and burnout",
            ["tech podcast", "open source maintainers", "burnout"],
        ),
        (
            "We want to discuss the new pricing of our app and how NASA uses it.",
            ["pricing", "app", "NASA"],
        ),
        ("coffee", ["coffee"]),
    ],
)
def test_template_keywords_are_the_contexts_nouns_never_its_verbs(
    context: str, keywords: list[str]
) -> None:
    assert keywords_of(context) == keywords
    script = compose_script("dialogue", "podcast_intro", context, ["Ada", "Ben"], None, None)
    for verb in ("dubs", "plan", "uses"):
        assert f"with {verb}." not in script and f"about {verb}." not in script
