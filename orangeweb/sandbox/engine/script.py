"""A deterministic script composer: the sandbox's stand-in for AI script generation.

The same request always gives the same script (choices are seeded by a hash of the request).
The script follows the template's shape, the tone's flourishes, the characters' names and the
requested length, timed at each speaker's own speaking rate (the rate /voices_clone speaks that
character at; 150 words a minute when unknown) plus the pause between dialogue turns. A short
script drops the tone's flourishes, then the closing, rather than run past its bucket.
"""

from __future__ import annotations

import hashlib
import json
import random
import re

from orangeweb.sandbox.engine.script_templates import (
    GENERAL,
    NEUTRAL_TONE,
    TEMPLATES,
    TONES,
    TemplateBank,
    ToneBank,
)
from orangeweb.sandbox.engine.script_topics import keywords_of, shorten, topic_of

MODES = ("single", "dialogue")
# Documented length labels -> (shortest, longest) spoken seconds; None: no bound.
LENGTH_BUCKETS: dict[str, tuple[float | None, float | None]] = {
    "Short (<30s)": (None, 30.0),
    "Medium (1-2m)": (60.0, 120.0),
    "Long (3m+)": (180.0, None),
}
# Aimed at inside each bucket, with room for one more line either way.
_TARGET_SECONDS: dict[str, float] = {
    "Short (<30s)": 24.0,
    "Medium (1-2m)": 90.0,
    "Long (3m+)": 210.0,
}
DEFAULT_LENGTH = "Medium (1-2m)"
DEFAULT_WPM = 150.0
# What /voices_clone's estimate adds between dialogue turns (routes/voices.TURN_PAUSE_SECONDS).
TURN_PAUSE_SECONDS = 0.4
_SHORT_TOPIC_WORDS = 4
_SENTENCES_PER_PARAGRAPH = 3


def compose_script(
    mode: str,
    template: str | None,
    context: str,
    character_names: list[str],
    tone: str | None,
    length: str | None,
    words_per_minute: list[float] | None = None,
) -> str:
    """A script for `mode` ("single" or "dialogue") about `context`, as long as `length` says
    when spoken at `words_per_minute` (per character, in order). Raises ValueError for an
    unknown mode, template or length, or an empty context."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {list(MODES)}")
    if template is not None and template not in TEMPLATES:
        raise ValueError(f"template must be one of {sorted(TEMPLATES)}")
    if not context.strip():
        raise ValueError("context must not be empty")
    length_label = _length_label(length)
    bank = TEMPLATES[template] if template else GENERAL
    tone_bank = TONES.get((tone or "").strip().lower(), NEUTRAL_TONE)
    names = [name.strip() for name in character_names if name.strip()] or ["your host"]
    given = [rate if rate > 0 else DEFAULT_WPM for rate in (words_per_minute or [])]
    rates = (given + [DEFAULT_WPM] * len(names))[: len(names)]
    seed_source = json.dumps([mode, template, context, names, tone, length_label])
    longest = LENGTH_BUCKETS[length_label][1]
    topic = topic_of(context)
    # Richest first; a frame (opening and closing) too long for the bucket gives way.
    for flourishes, closing, short_topic in _FRAMES:
        composer = _Composer(
            bank=bank,
            tone=tone_bank if flourishes else NEUTRAL_TONE,
            topic=shorten(topic, _SHORT_TOPIC_WORDS) if short_topic else topic,
            keywords=keywords_of(context),
            names=names,
            rates=rates,
            target_seconds=_TARGET_SECONDS[length_label],
            closing=closing,
            rng=random.Random(hashlib.sha256(seed_source.encode()).hexdigest()),
        )
        lines = composer.monologue() if mode == "single" else composer.dialogue()
        if longest is None or spoken_seconds(lines, rates) < longest:
            break
    if mode == "single":
        return _paragraphs([text for _speaker, text in lines])
    return "\n".join(f"Speaker {speaker + 1}: {text}" for speaker, text in lines)


# (tone flourishes, closing line, shortened topic)
_FRAMES = ((True, True, False), (False, True, False), (False, False, False), (False, False, True))


def spoken_seconds(lines: list[tuple[int, str]], rates: list[float]) -> float:
    """How long `lines` ((speaker, text), speaker 0-based) take to say, the way /voices_clone
    estimates it: each line's words at its speaker's rate, plus a pause between turns."""
    speech = sum(_words(text) * 60.0 / rates[speaker] for speaker, text in lines)
    turns = len({speaker for speaker, _text in lines}) > 1
    return speech + (TURN_PAUSE_SECONDS * (len(lines) - 1) if turns else 0.0)


def word_count(script: str) -> int:
    """Spoken words of a script (the `Speaker N:` prefixes are not spoken)."""
    spoken = re.sub(r"(?im)^\s*Speaker\s+\d+\s*:", " ", script)
    return len(spoken.split())


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(
        " ".join(sentences[start : start + _SENTENCES_PER_PARAGRAPH])
        for start in range(0, len(sentences), _SENTENCES_PER_PARAGRAPH)
    )


class _Composer:
    def __init__(
        self,
        bank: TemplateBank,
        tone: ToneBank,
        topic: str,
        keywords: list[str],
        names: list[str],
        rates: list[float],
        target_seconds: float,
        closing: bool,
        rng: random.Random,
    ) -> None:
        self._bank = bank
        self._tone = tone
        self._topic = topic
        self._keywords = keywords or [topic]
        self._names = names
        self._rates = rates
        self._target_seconds = target_seconds
        self._closing = closing
        self._rng = rng

    def _fits(self, lines: list[tuple[int, str]]) -> bool:
        return spoken_seconds(lines, self._rates) <= self._target_seconds

    def monologue(self) -> list[tuple[int, str]]:
        me = self._names[0]
        opening = self._join(
            self._rng.choice(self._tone.openers),
            self._fill(self._rng.choice(self._bank.openings), me, "everyone", 0),
        )
        closing = self._join(
            self._fill(self._rng.choice(self._bank.closings), me, "everyone", 0),
            self._tone.sign_off,
        )
        ending = [(0, closing)] if self._closing else []
        body: list[tuple[int, str]] = []
        # Points run in bank order: tutorials count steps, jokes have setups and punchlines.
        for beat in range(10_000):
            point = self._bank.points[beat % len(self._bank.points)]
            line = self._fill(point, me, "everyone", beat)
            if beat % 2 == 1:
                line = self._with_connector(line)
            if not self._fits([(0, opening), *body, (0, line), *ending]):
                break
            body.append((0, line))
        return [(0, opening), *body, *ending]

    def dialogue(self) -> list[tuple[int, str]]:
        lines: list[tuple[int, str]] = []
        opening = self._rng.choice(self._bank.dialogue_openings)
        lines += self._exchange(opening, answerer=1, beat=0)
        lines[0] = (lines[0][0], self._join(self._rng.choice(self._tone.openers), lines[0][1]))
        closing = self._exchange(self._rng.choice(self._bank.dialogue_closings), 1, 0)
        closing[-1] = (closing[-1][0], self._join(closing[-1][1], self._tone.sign_off))
        if not self._closing:
            closing = []
        points = self._bank.dialogue_points
        body: list[tuple[int, str]] = []
        for beat in range(10_000):
            # Speaker 1 leads; the others answer in turn, so no one speaks twice in a row.
            answerer = 1 + beat % max(len(self._names) - 1, 1)
            exchange = self._exchange(points[beat % len(points)], answerer, beat)
            if beat % 2 == 1:
                exchange[0] = (exchange[0][0], self._with_connector(exchange[0][1]))
            if not self._fits(lines + body + exchange + closing):
                break
            body += exchange
        return lines + body + closing

    def _exchange(
        self, exchange: tuple[str, str], answerer: int, beat: int
    ) -> list[tuple[int, str]]:
        """Speaker 1 says the first line, `answerer` the second. In both lines {me} is
        Speaker 1's name and {you} the answerer's (a lone speaker addresses "everyone")."""
        if answerer >= len(self._names):
            answerer = 0
        me = self._names[0]
        you = self._names[answerer] if answerer else "everyone"
        prompt, reply = exchange
        return [
            (0, self._fill(prompt, me, you, beat)),
            (answerer, self._fill(reply, me, you, beat)),
        ]

    def _fill(self, pattern: str, me: str, you: str, beat: int) -> str:
        keyword = self._keywords[beat % len(self._keywords)]
        text = pattern.format(topic=self._topic, kw=keyword, me=me, you=you, n=beat + 1)
        return _capitalize_sentences(text)

    def _with_connector(self, line: str) -> str:
        connector = self._rng.choice(self._tone.connectors)
        first_word = line.split(maxsplit=1)[0]
        if not connector or first_word.endswith(","):  # the line has its own lead-in already
            return line
        first_word = first_word.strip(",.!?:;'")
        keep_case = (
            first_word.isupper()
            or first_word in ("I", "I'm", "I've", "I'll")
            or any(first_word in name.split() for name in self._names)
            or first_word.startswith("Step")
        )
        return f"{connector} {line if keep_case else line[0].lower() + line[1:]}"

    @staticmethod
    def _join(*parts: str) -> str:
        return " ".join(part for part in parts if part)


def _length_label(length: str | None) -> str:
    if length is None or not length.strip():
        return DEFAULT_LENGTH
    if length in LENGTH_BUCKETS:
        return length
    # Tolerate "short", "Medium", "long (3m+)": the first word decides.
    first_word = length.strip().split()[0].lower()
    for label in LENGTH_BUCKETS:
        if label.lower().startswith(first_word):
            return label
    raise ValueError(f"length must be one of {list(LENGTH_BUCKETS)}")


def _capitalize_sentences(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return re.sub(r"([.!?]\s+)([a-z])", lambda match: match.group(1) + match.group(2).upper(), text)


def _words(text: str) -> int:
    return len(text.split())


def _words_of(lines: list[tuple[int, str]]) -> int:
    return sum(_words(text) for _speaker, text in lines)
