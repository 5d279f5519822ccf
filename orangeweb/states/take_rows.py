"""A dubbing segment's takes as rows (plain dataclasses): status, who and when, the words, the
cost, the audio to play, whether it is the pinned one."""

from __future__ import annotations

import dataclasses

from orangeweb.services.dubbing.take_views import TakeView
from orangeweb.states.job_rows import charge_of, credits_words, status_color, when


@dataclasses.dataclass
class TakeRow:
    id: str
    status: str
    color: str
    is_final: bool
    succeeded: bool
    byline: str  # "Olivia · 12-03 09:41 · es"
    text: str
    character_name: str
    credits: str  # "charged 1 credit", or "≈ 1 credit · charged when it finishes"
    output_url: str
    pinned: bool
    error: str


def take_row(take: TakeView) -> TakeRow:
    charge = charge_of(
        take.charged_credits, is_final=take.is_final, succeeded=take.succeeded, kind="voice"
    )
    credits = (
        charge
        if take.charged_credits is not None
        else f"≈ {credits_words(take.estimated_credits)} · {charge}"
    )
    parts = [take.created_by_name, when(take.created_at, seconds=False), take.language]
    return TakeRow(
        id=str(take.id),
        status=take.status,
        color=status_color(take.status),
        is_final=take.is_final,
        succeeded=take.succeeded,
        byline=" · ".join(part for part in parts if part),
        text=take.text,
        character_name=take.character_name,
        credits=credits,
        output_url=take.output_url or "",
        pinned=take.pinned,
        error=take.error or "",
    )
