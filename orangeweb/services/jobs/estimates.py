"""Estimates before a voice job or a story is sent, timed by each character's own speaking rate.

Speech length depends on the voice, so text is timed in seconds per character of text, learned
from the character's finished takes (`speech_rates`); a character with none yet is timed at
`DEFAULT_SECONDS_PER_CHAR`. Pure functions (no database): pages call them in computed vars, the
submission in its checks. The server's `estimatedCost` and the final `cost` stay the authority.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from orangeweb.orangeclone.costs import CostEstimate, voice_clone_cost
from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue

# Measured, not guessed: the sandbox's eSpeak speech (`sandbox.engine.speech.render_speech`) of
# 6 English sentences (30-95 characters) with 6 voices cloned from samples (105 Hz and 215 Hz,
# spoken at 120, 160 and 200 wpm by `tests/support/media.make_speech`): 0.0591 s per timed
# character (`spoken_chars`) pooled (total seconds / total characters), per take 0.042-0.075.
DEFAULT_SECONDS_PER_CHAR = 0.059
# Pauses, in letters' worth of time: fitted (least squares) to the same speech, 5-7 for a clause
# mark and 5-7.4 for a sentence end across 110-230 wpm. Letters alone time short lines and
# long punctuated ones 30 % apart; with the pauses, one take predicts others within ~10 %.
CLAUSE_PAUSE_CHARS = 7
SENTENCE_PAUSE_CHARS = 6
_CLAUSE_MARK = re.compile(r"[,;:]")
_SENTENCE_END = re.compile(r"[.!?…]+")
_ENDS_A_SENTENCE = re.compile(r"[.!?…]\W*$")
# Between the turns of a dialogue the mix has a pause (the sandbox's is 0.35 s, measured as the
# dialogue's length minus its turns' lengths); timed apart so it is not charged to the voices.
DIALOGUE_TURN_GAP_SECONDS = 0.35


@dataclass(frozen=True, slots=True)
class SpeechRate:
    """A character's rate and how many finished takes it was learned from (0: the default)."""

    seconds_per_char: float = DEFAULT_SECONDS_PER_CHAR
    takes: int = 0


TYPICAL = SpeechRate()


def spoken_chars(text: str) -> int:
    """Characters of `text` as timed: each letter or digit, plus the pause of each clause mark
    (`,;:`) as `CLAUSE_PAUSE_CHARS` and of each sentence end (`.!?`, the text's end too) as
    `SENTENCE_PAUSE_CHARS`; spaces cost nothing of their own. 0 for text with nothing to say."""
    letters = sum(char.isalnum() for char in text)
    if not letters:
        return 0
    ends = len(_SENTENCE_END.findall(text)) + (0 if _ENDS_A_SENTENCE.search(text) else 1)
    clauses = len(_CLAUSE_MARK.findall(text))
    return letters + CLAUSE_PAUSE_CHARS * clauses + SENTENCE_PAUSE_CHARS * ends


def turns(text: str, character_count: int = 1) -> list[tuple[int, str]]:
    """(speaker number from 1, text) of each turn: a `Speaker N:` dialogue's lines, else the
    whole text by speaker 1."""
    if is_dialogue(text):
        lines = parse_dialogue(text, character_count or None).lines
        return [(line.speaker, line.text) for line in lines if line.text.strip()]
    return [(1, text)] if text.strip() else []


def turn_gaps(spoken: Sequence[tuple[int, str]]) -> float:
    """Seconds of pause between turns: only a mix of several voices has them."""
    if len({speaker for speaker, _ in spoken}) < 2:
        return 0.0
    return DIALOGUE_TURN_GAP_SECONDS * (len(spoken) - 1)


def _rate(rates: Sequence[SpeechRate], speaker: int) -> SpeechRate:
    return rates[speaker - 1] if 0 < speaker <= len(rates) else TYPICAL


def speech_seconds(text: str, rates: Sequence[SpeechRate] = ()) -> float:
    """Estimated length of `text`; `rates[N - 1]` times Speaker N (or the only voice)."""
    spoken = turns(text, len(rates))
    seconds = sum(spoken_chars(words) * _rate(rates, n).seconds_per_char for n, words in spoken)
    return seconds + turn_gaps(spoken)


def estimate_voice(
    text: str, character_count: int, rates: Sequence[SpeechRate] | None = None
) -> CostEstimate:
    """Credits for a voice job: a `Speaker N:` dialogue is priced by its distinct speakers,
    plain text by the characters given (several = the multi-speaker price). `rates` are the
    characters' (in `Speaker N` order); missing ones are typical."""
    rates = list(rates or ())
    if is_dialogue(text):
        speakers = len({n for n, _ in turns(text, max(character_count, len(rates)))})
    else:
        speakers = character_count
    return voice_clone_cost(speech_seconds(text, rates), max(1, speakers))


def estimate_story(scenes: Sequence[tuple[str, SpeechRate]]) -> CostEstimate:
    """A story: each scene is a one-voice job of its own, charged on its own."""
    estimates = [voice_clone_cost(speech_seconds(text, [rate]), 1) for text, rate in scenes]
    return CostEstimate(
        credits=sum(estimate.credits for estimate in estimates),
        seconds=sum(estimate.seconds for estimate in estimates),
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def basis_words(voices: Sequence[tuple[str, SpeechRate]]) -> str:
    """What an estimate is based on: "from 3 takes of Nora", "first take of Nora: a typical
    rate", or both for several voices. Each name is said once, in the order given."""
    seen: dict[str, SpeechRate] = {}
    for name, rate in voices:
        seen.setdefault(name, rate)
    learned = [(name, rate.takes) for name, rate in seen.items() if rate.takes > 0]
    typical = [name for name, rate in seen.items() if rate.takes <= 0]
    parts: list[str] = []
    if learned:
        counts = [f"{takes} take{'' if takes == 1 else 's'} of {name}" for name, takes in learned]
        parts.append("from " + _names(counts))
    if typical:
        take = "first take" if len(typical) == 1 else "first takes"
        parts.append(f"{take} of {_names(typical)}: a typical rate")
    return "; ".join(parts) or "a typical rate"
