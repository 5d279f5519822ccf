"""What text must be before it is sent for speech: something speakable, and no longer than the
key's tier allows (Free 2 min, Pro 30 min, Enterprise unlimited, the docs' "Max Duration").

The length is estimated by the characters' learned speaking rates (`estimates`, the same figure
the credit estimate shows): the real length is only known after synthesis, so a text is refused
when its estimate is over the cap, as dubbing refuses media over it before any call.
"""

from __future__ import annotations

from orangeweb.models import Tier
from orangeweb.orangeclone.constants import TIERS
from orangeweb.services.errors import ValidationError
from orangeweb.services.media.probe import describe_duration

NOTHING_TO_SAY = "write words, not only punctuation."
_NEXT_TIER = {"free": "Pro", "pro": "Enterprise"}


def speakable(text: str) -> bool:
    """True if `text` has a letter or digit: "...", "?!" or spaces alone give no speech (the
    sandbox answers them with empty audio; a real server may charge for nothing)."""
    return any(char.isalnum() for char in text)


def check_speech_length(seconds: float, tier: Tier | str, what: str, remedy: str) -> None:
    """Refuse `what` ("This story", "This text") if its estimated `seconds` exceed the tier's
    cap per job. `remedy` is the first fix offered ("Split it", "Shorten it")."""
    limits = TIERS[str(tier)]
    cap = limits.max_media_seconds
    if cap is None or seconds <= cap:
        return
    upgrade = _NEXT_TIER.get(limits.name)
    fix = f"{remedy}, or use a {upgrade} key." if upgrade else f"{remedy}."
    raise ValidationError(
        f"{what} would last about {describe_duration(seconds)}; a {limits.name.capitalize()} "
        f"key allows up to {describe_duration(cap)} per job. {fix}"
    )
