"""What the live listener reads for one notice, against a real SQLite database: the job's detail
once, shared by every view that keeps the default read; a view's own read for a view that has
one (DubbingState); and a toast only for the user's own job that just ended."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session

from orangeweb.models import DubbingTake, Job
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.jobs import JobDetail
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.job_lists import StudioRead
from orangeweb.states.jobs import ActivityState, JobsState
from orangeweb.states.live import read_for_views, read_job_detail
from orangeweb.states.stories import StoriesState
from orangeweb.states.voice import VoiceState
from tests.support.dubbing_rows import add_dubbing_project
from tests.unit.states.builders import notice

DEFAULT_READERS = [JobsState, ActivityState]


def add_job(
    session: Session,
    actor: CurrentUser,
    key_id: int,
    *,
    kind: str = "voice",
    status: str = "completed",
    is_final: bool = True,
    succeeded: bool = True,
    **fields: Any,
) -> int:
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind=kind,
        status=status,
        is_final=is_final,
        succeeded=succeeded,
        submission_key=f"key-{kind}-{status}-{actor.user_id}-{fields.get('title', '')}",
        title=fields.pop("title", f"A {kind}"),
        **fields,
    )
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id


def add_project(session: Session, actor: CurrentUser, key_id: int, job_id: int) -> int:
    return add_dubbing_project(
        session, actor, key_id, job_id=job_id, original_name="interview.mp4", status="transcribing"
    )


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_users_own_final_job_toasts_with_its_detail(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key, title="Welcome")
    toast, detail, reads = read_for_views(session, owner, notice(job_id, user=owner), [])
    assert toast is True
    assert isinstance(detail, JobDetail)
    assert (detail.job.id, detail.job.title, detail.job.succeeded) == (job_id, "Welcome", True)
    assert reads == {}


def test_another_members_final_job_does_not_toast(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key)
    toast, detail, reads = read_for_views(session, member, notice(job_id, user=owner), [])
    assert (toast, detail, reads) == (False, None, {})  # nothing needed it: nothing was read


def test_a_running_job_does_not_toast(session: Session, owner: CurrentUser, team_key: int) -> None:
    job_id = add_job(session, owner, team_key, status="processing", is_final=False, succeeded=False)
    running = notice(job_id, user=owner, status="processing", is_final=False)
    toast, detail, _ = read_for_views(session, owner, running, [])
    assert (toast, detail) == (False, None)


def test_the_detail_is_read_once_and_shared_by_the_default_views(
    engine: Engine, session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key)
    change = notice(job_id, user=owner)  # Mia sees Olivia's job: no toast for her
    with statements(engine) as one_read:
        read_job_detail(session, member, job_id)
    with statements(engine) as for_four_views:
        toast, detail, reads = read_for_views(session, member, change, DEFAULT_READERS)
    assert toast is False
    assert isinstance(detail, JobDetail) and detail.job.id == job_id
    assert list(reads) == DEFAULT_READERS
    assert all(reads[view] is detail for view in DEFAULT_READERS)
    assert len(for_four_views) == len(one_read) > 0


def test_the_toast_and_the_views_share_one_read(
    engine: Engine, session: Session, owner: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key)
    with statements(engine) as one_read:
        read_job_detail(session, owner, job_id)
    with statements(engine) as rates_read:
        jobs.read_rates(session, owner.team_id)
    with statements(engine) as read:
        toast, detail, reads = read_for_views(
            session, owner, notice(job_id, user=owner), [JobsState, VoiceState, StoriesState]
        )
    assert toast is True
    assert reads[JobsState] is detail
    # The studios build on the same read, and read the speaking rates once the job finished.
    assert reads[VoiceState] == reads[StoriesState] == StudioRead(detail, {})
    assert len(read) == len(one_read) + 2 * len(rates_read)


def test_a_view_with_its_own_read_gets_its_own(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    job_id = add_job(
        session, owner, team_key, kind="dubbing", status="transcribing", is_final=False
    )
    project_id = add_project(session, owner, team_key, job_id)
    change = notice(job_id, user=owner, kind="dubbing", status="transcribing", is_final=False)
    toast, detail, reads = read_for_views(session, owner, change, [JobsState, DubbingState])
    assert toast is False
    assert isinstance(detail, JobDetail) and reads[JobsState] is detail
    project = reads[DubbingState]
    assert isinstance(project, DubbingProjectView)
    assert (project.id, project.job_id, project.status) == (project_id, job_id, "transcribing")


def test_a_view_with_its_own_read_alone_does_not_read_the_detail(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key, kind="dubbing", status="cloning", is_final=False)
    project_id = add_project(session, owner, team_key, job_id)
    change = notice(job_id, user=owner, kind="dubbing", status="cloning", is_final=False)
    toast, detail, reads = read_for_views(session, member, change, [DubbingState])
    assert (toast, detail) == (False, None)
    assert isinstance(reads[DubbingState], DubbingProjectView)
    assert reads[DubbingState].id == project_id


def test_the_dubbing_view_reads_nothing_for_another_kind(
    engine: Engine, session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key, kind="batch")
    with statements(engine) as read:
        toast, detail, reads = read_for_views(
            session, member, notice(job_id, user=owner, kind="batch"), [DubbingState]
        )
    assert (toast, detail, reads) == (False, None, {DubbingState: None})
    assert read == []


def test_the_dubbing_view_reads_the_project_of_a_lines_take(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    dub_id = add_job(session, owner, team_key, kind="dubbing", title="dub")
    project_id = add_project(session, owner, team_key, dub_id)
    take_job = add_job(session, owner, team_key, kind="voice", title="a take")
    stray_job = add_job(session, owner, team_key, kind="voice", title="no take")
    session.add(
        DubbingTake(
            team_id=owner.team_id,
            project_id=project_id,
            segment_id="seg_1",
            text="Hello",
            character_name="Alex",
            job_id=take_job,
            created_by_id=owner.user_id,
        )
    )
    session.commit()
    _, _, reads = read_for_views(session, owner, notice(take_job, user=owner), [DubbingState])
    project = reads[DubbingState]
    assert isinstance(project, DubbingProjectView) and project.id == project_id
    _, _, reads = read_for_views(session, owner, notice(stray_job, user=owner), [DubbingState])
    assert reads == {DubbingState: None}


def test_the_users_own_dubbing_job_ending_toasts_and_the_project_is_read_too(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    job_id = add_job(session, owner, team_key, kind="dubbing", status="completed")
    project_id = add_project(session, owner, team_key, job_id)
    change = notice(job_id, user=owner, kind="dubbing", status="completed")
    toast, detail, reads = read_for_views(session, owner, change, [DubbingState])
    assert toast is True
    assert isinstance(detail, JobDetail) and detail.job.kind == "dubbing"
    assert isinstance(reads[DubbingState], DubbingProjectView)
    assert reads[DubbingState].id == project_id


def test_a_job_that_is_gone_reads_as_none(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    toast, detail, reads = read_for_views(
        session, owner, notice(987654, user=owner), [JobsState, VoiceState]
    )
    assert toast is True  # the notice says it was the user's and it ended
    assert detail is None
    assert reads == {JobsState: None, VoiceState: StudioRead(None, {})}
