"""Credit estimates shown before every paid call (no HTTP).

Pricing (docs): voice cloning 1 credit per 10 s of output for one speaker, 2 per 10 s for
several; script generation 1 credit; dubbing by media duration, which the CONTRACT reads as
1 credit per 10 s of media per target language. Every 10 s block that is started is charged.

Speech length is not known before synthesis, so text is timed at `WORDS_PER_SECOND` (2.5 words a
second is ordinary conversational speech, about 150 words a minute). It is an estimate: the
server's `estimatedCost` and the job's final `cost` are the authority. The dashboard times text
by each character's learned rate instead (`services.jobs.estimates`) and prices it here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue

WORDS_PER_SECOND = 2.5
BILLING_BLOCK_SECONDS = 10
SINGLE_SPEAKER_CREDITS_PER_BLOCK = 1
MULTI_SPEAKER_CREDITS_PER_BLOCK = 2
SCRIPT_CREDITS = 1
DUBBING_CREDITS_PER_BLOCK = 1


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """An estimate, not a quote: `credits` for `seconds` of audio or media."""

    credits: int
    seconds: float


def billing_blocks(seconds: float) -> int:
    """Started 10 s blocks in `seconds` (0 s is 0 blocks, 10 s is 1, 10.1 s is 2)."""
    if not math.isfinite(seconds) or seconds <= 0:
        return 0
    # Round away float noise first, so 30.000000000000004 s is still three blocks.
    return math.ceil(round(seconds / BILLING_BLOCK_SECONDS, 9))


def speech_seconds(text: str) -> float:
    """Estimated spoken length of `text`, without any `Speaker N:` prefixes."""
    spoken = " ".join(parse_dialogue(text).texts) if is_dialogue(text) else text
    return len(spoken.split()) / WORDS_PER_SECOND


def estimate_voice_clone(text: str, speaker_count: int | None = None) -> CostEstimate:
    """Cost of `voices.clone(text, ...)`. The speaker count defaults to the distinct
    `Speaker N` of a dialogue (1 for plain text)."""
    if speaker_count is None:
        speaker_count = max(1, len(parse_dialogue(text).speakers)) if is_dialogue(text) else 1
    return voice_clone_cost(speech_seconds(text), speaker_count)


def voice_clone_cost(seconds: float, speaker_count: int) -> CostEstimate:
    """Cost of `seconds` of cloned speech by `speaker_count` speakers (however it was timed)."""
    per_block = (
        MULTI_SPEAKER_CREDITS_PER_BLOCK if speaker_count > 1 else SINGLE_SPEAKER_CREDITS_PER_BLOCK
    )
    return CostEstimate(credits=billing_blocks(seconds) * per_block, seconds=seconds)


def estimate_batch(scene_texts: list[str]) -> CostEstimate:
    """Cost of a batch: each scene is a single-speaker job, charged on its own."""
    estimates = [estimate_voice_clone(text, speaker_count=1) for text in scene_texts]
    return CostEstimate(
        credits=sum(estimate.credits for estimate in estimates),
        seconds=sum(estimate.seconds for estimate in estimates),
    )


def estimate_script() -> CostEstimate:
    """A generated script costs 1 credit, whatever its length."""
    return CostEstimate(credits=SCRIPT_CREDITS, seconds=0.0)


def estimate_dubbing(media_seconds: float, target_languages: int = 1) -> CostEstimate:
    """Cost of dubbing `media_seconds` of media into `target_languages` languages.

    Keeping the original language (cloned voices only) still renders one track, so it counts
    as one target language.
    """
    if target_languages < 1:
        raise ValueError("target_languages must be at least 1 (the original language counts)")
    credits = billing_blocks(media_seconds) * DUBBING_CREDITS_PER_BLOCK * target_languages
    seconds = media_seconds if math.isfinite(media_seconds) and media_seconds > 0 else 0.0
    return CostEstimate(credits=credits, seconds=seconds)
