"""Reading jobs: filters, pagination in SQL, newest first, team isolation, activity."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session

from orangeweb.models import Job, JobEvent, KeyScope, utcnow
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError
from orangeweb.services.jobs.status import status_flags
from tests.unit.services.support import add_key


def add_job(
    session: Session,
    actor: CurrentUser,
    key_id: int,
    *,
    kind: str = "voice",
    status: str = "queued",
    minutes_ago: float = 0,
    title: str = "job",
) -> int:
    created = utcnow() - timedelta(minutes=minutes_ago)
    is_final, succeeded = status_flags(kind, status)
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind=kind,
        status=status,
        is_final=is_final,
        succeeded=succeeded,
        submission_key=f"{title}-{created.timestamp()}-{kind}-{status}",
        remote_id=f"remote_{title}",
        title=title,
        request={"text": title, "character_ids": []},
        remote_output_url="https://files.example.com/signed?token=secret",
        created_at=created,
        updated_at=created,
        completed_at=created if is_final else None,
    )
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id


async def test_filters_and_pagination_newest_first(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    mine = (await add_key(session, member, "Mia's own", KeyScope.PERSONAL)).id
    for number in range(25):
        add_job(session, owner, team_key, minutes_ago=100 - number, title=f"o{number}")
    add_job(session, member, mine, kind="dialogue", status="completed", minutes_ago=1, title="m1")
    add_job(session, member, team_key, kind="batch", status="partial", minutes_ago=2, title="m2")

    first = jobs.list_jobs(session, owner, page_size=10)
    assert (first.total, first.pages, first.page) == (27, 3, 1)
    assert [view.title for view in first.items[:4]] == ["m1", "m2", "o24", "o23"]
    last = jobs.list_jobs(session, owner, page=3, page_size=10)
    assert [view.title for view in last.items] == [f"o{n}" for n in range(6, -1, -1)]
    beyond = jobs.list_jobs(session, owner, page=99, page_size=10)
    assert beyond.page == 3 and beyond.items == last.items

    assert [v.title for v in jobs.list_jobs(session, owner, member_id=member.user_id).items] == [
        "m1",
        "m2",
    ]
    assert [v.title for v in jobs.list_jobs(session, owner, kind="batch").items] == ["m2"]
    assert [v.title for v in jobs.list_jobs(session, owner, status="completed").items] == ["m1"]
    assert jobs.list_jobs(session, owner, status="active").total == 25
    assert [v.title for v in jobs.list_jobs(session, owner, api_key_id=mine).items] == ["m1"]
    assert jobs.list_jobs(session, owner, kind="voice", status="failed").total == 0

    [m1] = jobs.list_jobs(session, owner, api_key_id=mine).items
    # Another member's personal key stays private, even its label; its owner sees it.
    assert m1.api_key_label == "another member's personal key"
    assert jobs.list_jobs(session, member, api_key_id=mine).items[0].api_key_label == "Mia's own"
    assert m1.created_by_name == "Mia" and m1.is_final and m1.succeeded
    assert m1.output_url == f"/media/jobs/{m1.id}/output"
    assert "secret" not in repr(m1)  # the signed URL is never in a view


async def test_pagination_happens_in_the_database(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    for number in range(30):
        add_job(session, owner, team_key, minutes_ago=number, title=f"j{number}")
    statements: list[str] = []
    engine = session.get_bind()

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = jobs.list_jobs(session, owner, page=2, page_size=5)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert [view.title for view in page.items] == [f"j{n}" for n in range(5, 10)]
    assert any("LIMIT" in s and "OFFSET" in s for s in statements)
    assert any("count(" in s.lower() for s in statements)


async def test_another_teams_job_is_unreachable_by_id(
    session: Session,
    owner: CurrentUser,
    rival: CurrentUser,
    team_key: int,
    data_dir: Path,
) -> None:
    rival_key = (await add_key(session, rival, "Rival key")).id
    theirs = add_job(session, rival, rival_key, status="completed", title="theirs")
    ours = add_job(session, owner, team_key, status="completed", title="ours")
    archived = data_dir / "archive" / str(rival.team_id) / str(theirs) / "output.mp3"
    archived.parent.mkdir(parents=True)
    archived.write_bytes(b"ID3")
    job = session.get(Job, theirs)
    assert job is not None
    job.output_path = f"archive/{rival.team_id}/{theirs}/output.mp3"
    session.commit()

    assert [view.title for view in jobs.list_jobs(session, owner).items] == ["ours"]
    assert [view.title for view in jobs.team_activity(session, owner)] == ["ours"]
    for call in (
        lambda: jobs.get_job(session, owner, theirs),
        lambda: jobs.job_output_path(session, owner, theirs),
        lambda: jobs.story_audio_path(session, owner, theirs),
    ):
        with pytest.raises(NotFoundError):
            call()
    with pytest.raises(NotFoundError):
        await jobs.regenerate(session, owner, theirs, submission_key="steal")
    with pytest.raises(NotFoundError):
        await jobs.resubmit_failed_scenes(session, owner, theirs, submission_key="steal")
    assert jobs.job_output_path(session, rival, theirs) == archived
    assert jobs.job_output_path(session, owner, ours) is None  # not archived


async def test_detail_has_the_history_in_order(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key, status="completed")
    start = utcnow()
    for offset, (status, detail) in enumerate(
        [("submitting", None), ("queued", "Accepted as remote_job"), ("completed", None)]
    ):
        at = start + timedelta(seconds=offset)
        session.add(JobEvent(job_id=job_id, status=status, detail=detail, at=at))
    session.commit()
    detail = jobs.get_job(session, owner, job_id)
    assert [(e.status, e.detail) for e in detail.events] == [
        ("submitting", None),
        ("queued", "Accepted as remote_job"),
        ("completed", None),
    ]
    assert detail.events[0].at.tzinfo is not None
    assert detail.job.request == {"text": "job", "character_ids": []}


async def test_team_activity_is_running_now_then_just_finished(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    add_job(session, owner, team_key, status="completed", minutes_ago=60, title="old")
    add_job(session, member, team_key, status="failed", minutes_ago=3, title="recent")
    add_job(session, owner, team_key, status="processing", minutes_ago=30, title="running")
    add_job(session, member, team_key, kind="batch", status="queued", minutes_ago=1, title="new")
    titles = [view.title for view in jobs.team_activity(session, member)]
    assert titles == ["new", "running", "recent"]
    assert len(jobs.team_activity(session, member, limit=2)) == 2
