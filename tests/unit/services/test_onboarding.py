"""Home's getting-started facts: read from the team's rows, team-wide, never another team's."""

from __future__ import annotations

from sqlmodel import Session

from orangeweb.models import DubbingProject, Job, utcnow
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from orangeweb.services.onboarding import Progress, read_progress
from tests.support.dubbing_rows import dubbing_project


def _job(actor: CurrentUser, key_id: int, kind: str, *, succeeded: bool) -> Job:
    return Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind=kind,
        status="completed" if succeeded else "failed",
        is_final=True,
        succeeded=succeeded,
        submission_key=f"{kind}-{succeeded}",
        title="A take",
    )


def _project(actor: CurrentUser, key_id: int, *, done: bool) -> DubbingProject:
    return dubbing_project(
        actor,
        key_id,
        status="completed" if done else "transcribing",
        completed_at=utcnow() if done else None,
    )


def test_a_fresh_team_has_done_nothing(session: Session, owner: CurrentUser) -> None:
    assert read_progress(session, owner) == Progress(False, False, False, False)


async def test_each_step_ticks_when_its_row_exists(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    assert read_progress(session, owner) == Progress(True, False, False, False)
    # Failed takes and dubs still under way are not done.
    session.add(_job(owner, team_key, "voice", succeeded=False))
    session.add(_project(owner, team_key, done=False))
    session.commit()
    assert read_progress(session, owner) == Progress(True, False, False, False)
    session.add(_job(owner, team_key, "dialogue", succeeded=True))
    session.add(_project(owner, team_key, done=True))
    session.commit()
    # The whole team is past those steps, the member who made nothing too.
    assert read_progress(session, member) == Progress(True, False, True, True)


async def test_a_character_ticks_its_step_for_the_team_only(
    session: Session, owner: CurrentUser, rival: CurrentUser, character: CharacterView
) -> None:
    assert read_progress(session, owner).has_character is True
    assert read_progress(session, rival) == Progress(False, False, False, False)
