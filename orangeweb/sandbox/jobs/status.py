"""Status changes recorded with their history (the admin API shows it to tests)."""

from __future__ import annotations

from typing import Protocol


class HasStatus(Protocol):
    status: str
    status_history: list[str]


def advance(job: HasStatus, status: str) -> None:
    """Set the status and append it to the history (not twice in a row, e.g. on resume)."""
    job.status = status
    history = list(job.status_history or [])
    if not history or history[-1] != status:
        # A new list, not an in-place append: SQLAlchemy only notices a replaced JSON value.
        job.status_history = [*history, status]
