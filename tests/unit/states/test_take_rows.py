"""A take's row: its charge in the same words as a job's, its byline."""

from __future__ import annotations

from datetime import UTC, datetime

from orangeweb.services.dubbing.take_views import TakeView
from orangeweb.states.take_rows import take_row


def _take(**fields: object) -> TakeView:
    values: dict[str, object] = {
        "id": 3,
        "segment_id": "seg_1",
        "language": "es",
        "text": "Hola.",
        "character_name": "Alex",
        "created_by_name": "Olivia",
        "created_at": datetime(2030, 1, 15, 12, 0, tzinfo=UTC),
        "status": "processing",
        "is_final": False,
        "succeeded": False,
        "error": None,
        "output_url": None,
        "estimated_credits": 1,
        "charged_credits": None,
        "pinned": False,
    }
    return TakeView(**{**values, **fields})  # type: ignore[arg-type]


def test_a_takes_charge_reads_as_a_jobs() -> None:
    running = take_row(_take())
    assert running.credits == "≈ 1 credit · charged when it finishes"
    assert running.byline == "Olivia · 01-15 12:00 · es"
    made = take_row(_take(status="completed", is_final=True, succeeded=True, charged_credits=2))
    assert made.credits == "charged 2 credits"
    failed = take_row(_take(status="failed", is_final=True, error="voice broke"))
    assert (failed.credits, failed.error) == ("≈ 1 credit · no charge reported", "voice broke")
