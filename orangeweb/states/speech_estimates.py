"""The characters' learned speaking rates as the studios keep them (a backend var read on load,
off the loop), so their estimate vars stay pure functions of the state."""

from __future__ import annotations

from orangeweb.services.jobs import TYPICAL, SpeechRate
from orangeweb.states.form_inputs import CharacterChip

# {character id: {"seconds_per_char": s, "takes": n}}: plain JSON-able values, as state vars need.
Rates = dict[str, dict[str, float]]


def rates_var(learned: dict[int, SpeechRate]) -> Rates:
    return {
        str(cid): {"seconds_per_char": rate.seconds_per_char, "takes": float(rate.takes)}
        for cid, rate in learned.items()
    }


def rate_of(rates: Rates, character_id: str) -> SpeechRate:
    row = rates.get(character_id)
    if not row:
        return TYPICAL
    return SpeechRate(float(row["seconds_per_char"]), int(row["takes"]))


def voice_of(chips: list[CharacterChip], rates: Rates, character_id: str) -> tuple[str, SpeechRate]:
    """(name, rate) of a chosen character, for `jobs.basis_words`."""
    name = next((chip.name for chip in chips if chip.id == character_id), "this voice")
    return name, rate_of(rates, character_id)
