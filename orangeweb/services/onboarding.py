"""How far the team has come: Home's getting-started steps, as facts read from the database.

Team-wide on purpose: a member who joins a team that already voices characters is past those
steps too. Each fact is one `EXISTS`-style query (LIMIT 1), cheap enough to re-read on every
finished-job notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from orangeweb.models import Character, DubbingProject, Job
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.keys.store import list_api_keys

# The kinds whose result is a take: one voice, a dialogue, a story's scenes.
TAKE_KINDS = ("voice", "dialogue", "batch")


@dataclass(frozen=True, slots=True)
class Progress:
    has_key: bool
    has_character: bool
    has_take: bool
    has_dub: bool


def read_progress(session: Session, actor: CurrentUser) -> Progress:
    """Which getting-started steps the actor's team has done."""
    team = actor.team_id
    character = session.exec(select(Character.id).where(Character.team_id == team).limit(1))
    take = session.exec(
        select(Job.id)
        .where(Job.team_id == team, col(Job.kind).in_(TAKE_KINDS), col(Job.succeeded).is_(True))
        .limit(1)
    )
    # A dubbing project is done once its dubbed media exists (`completed_at` is set then).
    dub = session.exec(
        select(DubbingProject.id)
        .where(DubbingProject.team_id == team, col(DubbingProject.completed_at).is_not(None))
        .limit(1)
    )
    return Progress(
        # The keys the actor can use, by the same rule as the key list (team or their own).
        has_key=bool(list_api_keys(session, actor)),
        has_character=character.first() is not None,
        has_take=take.first() is not None,
        has_dub=dub.first() is not None,
    )
