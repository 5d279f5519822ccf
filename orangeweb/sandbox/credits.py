"""Prices and the credit ledger: hold the estimate, settle to the actual cost, refund failures."""

from __future__ import annotations

import math

from sqlalchemy import update
from sqlmodel import Session

from orangeweb.sandbox.models import ApiKey

SCRIPT_COST = 1
SECONDS_PER_UNIT = 10.0


def started_units(seconds: float) -> int:
    """Started 10 s units, at least one (a 0.2 s clip still costs a unit)."""
    # The epsilon keeps 20.0000001 s of floating-point noise from costing a third unit.
    return max(1, math.ceil(seconds / SECONDS_PER_UNIT - 1e-6))


def voice_cost(seconds: float, speaker_count: int) -> int:
    """Documented: 1 credit per 10 s for one speaker, 2 per 10 s for several."""
    return started_units(seconds) * (2 if speaker_count > 1 else 1)


def dubbing_cost(media_seconds: float) -> int:
    """Assumed: 1 credit per started 10 s of media per target language (one per job)."""
    return started_units(media_seconds)


def try_hold(session: Session, key_id: str, amount: int) -> bool:
    """Take `amount` from the balance if it covers it, atomically; False when it does not."""
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.credits >= amount)  # type: ignore[arg-type]
        .values(credits=ApiKey.credits - amount)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def settle(session: Session, key_id: str, held: int, actual: int) -> int:
    """Replace a hold by the actual cost; returns what was charged.

    When the work cost more than was held, the difference is taken as far as the balance
    allows: the balance never goes below zero.
    """
    key = session.get(ApiKey, key_id)
    if key is None:  # the key was removed meanwhile: nothing to return the credits to
        return min(held, actual)
    charged = actual if actual <= held else held + min(actual - held, key.credits)
    key.credits += held - charged
    session.add(key)
    return charged


def refund(session: Session, key_id: str, held: int) -> None:
    settle(session, key_id, held, 0)
