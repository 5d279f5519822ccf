"""What a submission brings, checked before any row is written or request sent: its submission
key (the same key finds the job already made instead of submitting twice), the title limit,
story scenes, and the characters (the team's, reachable through the chosen key)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from orangeweb.models import Character, Job
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError, ValidationError

SUBMISSION_KEY_MAX = 100
TITLE_MAX = 200


@dataclass(frozen=True)
class SceneInput:
    text: str
    character_id: int  # local Character id


def team_characters(
    session: Session, actor: CurrentUser, api_key_id: int, character_ids: list[int]
) -> list[Character]:
    """The local characters, in the order given; each must be the team's and reachable through
    `api_key_id` (a character belongs to the account of the key that created it)."""
    if not character_ids:
        raise ValidationError("Pick at least one character.")
    found = {
        character.id: character
        for character in session.exec(
            select(Character).where(
                col(Character.id).in_(set(character_ids)), Character.team_id == actor.team_id
            )
        ).all()
    }
    characters: list[Character] = []
    for character_id in character_ids:
        character = found.get(character_id)
        if character is None:
            raise NotFoundError("One of those characters does not exist.")
        if character.api_key_id != api_key_id:
            raise ValidationError(
                f"{character.name} was made with another API key; pick that key to use it "
                "(a character belongs to the account of the key that created it)."
            )
        characters.append(character)
    return characters


def check_submission_key(submission_key: str) -> str:
    cleaned = submission_key.strip()
    if not cleaned or len(cleaned) > SUBMISSION_KEY_MAX:
        raise ValidationError("This submission has no valid id; reload the page and try again.")
    return cleaned


def existing_submission(session: Session, team_id: int, submission_key: str) -> Job | None:
    return session.exec(
        select(Job).where(Job.team_id == team_id, Job.submission_key == submission_key)
    ).first()
