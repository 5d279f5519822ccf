"""AI scripts: every parameter of /scripts_generate, and the team's history of results.

Each generated script is saved with its `generationId` (1 credit each, so a result is never
thrown away); its text can be edited afterwards and sent on to the voice studio. Characters
are local ones, sent as `{"id": remote id, "name"}`; a dialogue uses them as Speaker 1, 2...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from orangeweb.models import GeneratedScript, User, utcnow
from orangeweb.orangeclone import OrangeCloneError, ScriptCharacter
from orangeweb.orangeclone.constants import (
    SCRIPT_CONTEXT_MAX,
    SCRIPT_LENGTHS,
    SCRIPT_MODES,
    SCRIPT_TEMPLATES,
)
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import as_domain_error
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.jobs.inputs import team_characters
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client, usable_api_key

SCRIPT_TEXT_MAX = 20000
TONE_MAX = 50  # the sandbox (strict) allows 50
HISTORY_MAX = 200
MAX_CHARACTERS = 10


@dataclass(frozen=True)
class ScriptView:
    id: int
    generation_id: str
    mode: str
    template: str | None
    tone: str | None
    length: str | None
    context: str
    text: str
    character_ids: list[int]
    character_names: list[str]
    created_by_name: str
    created_at: datetime


def _to_view(script: GeneratedScript, creator: str) -> ScriptView:
    assert script.id is not None
    return ScriptView(
        id=script.id,
        generation_id=script.generation_id,
        mode=script.mode,
        template=script.template,
        tone=script.tone,
        length=script.length,
        context=script.context,
        text=script.text,
        character_ids=[int(character["id"]) for character in script.characters],
        character_names=[str(character["name"]) for character in script.characters],
        created_by_name=creator,
        created_at=script.created_at,
    )


def _optional(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    return cleaned or None


def _check_inputs(
    mode: str, context: str, template: str | None, tone: str | None, length: str | None
) -> str:
    if mode not in SCRIPT_MODES:
        raise ValidationError("Pick single voice or dialogue.")
    context = context.strip()
    if not context:
        raise ValidationError("Describe what the script is about.")
    if len(context) > SCRIPT_CONTEXT_MAX:
        raise ValidationError(
            f"The description is at most {SCRIPT_CONTEXT_MAX} characters ({len(context)} now)."
        )
    if template is not None and template not in SCRIPT_TEMPLATES:
        raise ValidationError(f"Pick a template: {', '.join(SCRIPT_TEMPLATES)}.")
    if length is not None and length not in SCRIPT_LENGTHS:
        raise ValidationError(f"Pick a length: {', '.join(SCRIPT_LENGTHS)}.")
    if tone is not None and len(tone) > TONE_MAX:
        raise ValidationError(f"The tone is at most {TONE_MAX} characters.")
    return context


async def generate_script(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    mode: str,
    context: str,
    character_ids: list[int],
    template: str | None = None,
    tone: str | None = None,
    length: str | None = None,
    *,
    opener: ClientOpener = open_client,
) -> ScriptView:
    """Generate a script (1 credit) and save it in the team's history. Commits."""
    template, tone, length = _optional(template), _optional(tone), _optional(length)
    context = _check_inputs(mode, context, template, tone, length)
    usable_api_key(session, actor, api_key_id)
    characters = team_characters(session, actor, api_key_id, list(character_ids))
    if mode == "dialogue" and len(characters) < 2:
        raise ValidationError("A dialogue needs at least two characters.")
    if len(characters) > MAX_CHARACTERS:
        raise ValidationError(f"Pick at most {MAX_CHARACTERS} characters.")
    wire = [ScriptCharacter(id=c.remote_id, name=c.name) for c in characters]
    try:
        async with opener(session, actor, api_key_id) as client:
            generated = await client.scripts.generate(
                mode,  # type: ignore[arg-type]  (checked against SCRIPT_MODES above)
                context,
                wire,
                template=template,
                tone=tone,
                length=length,
            )
    except OrangeCloneError as error:
        raise as_domain_error(error) from error
    script = GeneratedScript(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=api_key_id,
        # The docs promise a generationId; an answer without one is kept all the same.
        generation_id=(generated.generation_id or "")[:200],
        mode=mode,
        template=template,
        tone=tone,
        length=length,
        context=context,
        text=generated.script,
        characters=[{"id": c.id, "name": c.name} for c in characters],
    )
    session.add(script)
    session.commit()
    return _to_view(script, actor.display_name)


def list_scripts(session: Session, actor: CurrentUser, limit: int = 20) -> list[ScriptView]:
    """The team's scripts, newest first."""
    rows = session.exec(
        select(GeneratedScript, User.display_name)
        .join(User, col(User.id) == col(GeneratedScript.created_by_id))
        .where(GeneratedScript.team_id == actor.team_id)
        .order_by(col(GeneratedScript.created_at).desc(), col(GeneratedScript.id).desc())
        .limit(min(max(1, limit), HISTORY_MAX))
    ).all()
    return [_to_view(script, creator) for script, creator in rows]


def update_script_text(
    session: Session, actor: CurrentUser, script_id: int, text: str
) -> ScriptView:
    """Edit a saved script's text (any member of the team). Commits."""
    row = session.exec(
        select(GeneratedScript, User.display_name)
        .join(User, col(User.id) == col(GeneratedScript.created_by_id))
        .where(GeneratedScript.id == script_id, GeneratedScript.team_id == actor.team_id)
    ).first()
    if row is None:
        raise NotFoundError("That script does not exist.")
    script, creator = row
    if not text.strip():
        raise ValidationError("A script cannot be empty.")
    if len(text) > SCRIPT_TEXT_MAX:
        raise ValidationError(f"Scripts are at most {SCRIPT_TEXT_MAX} characters.")
    script.text = text
    script.updated_at = utcnow()
    session.commit()
    return _to_view(script, creator)
