"""Job rows written straight into the dashboard's database, for the tracker suites."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.services.accounts.identity import CurrentUser


def add_submitting_row(
    session: Session, owner: CurrentUser, key_id: int, name: str, **fields: Any
) -> int:
    """A voice job left in "submitting" (as by a worker killed mid-submission) under the
    submission key `name` (also its title unless `fields` name one); returns its id."""
    fields.setdefault("title", name)
    job = Job(
        team_id=owner.team_id,
        created_by_id=owner.user_id,
        api_key_id=key_id,
        kind="voice",
        status="submitting",
        submission_key=name,
        **fields,
    )
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id
