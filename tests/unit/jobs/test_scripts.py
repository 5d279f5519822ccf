"""Scripts: every parameter of /scripts_generate, saved with its generationId, editable."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from orangeweb.models import GeneratedScript
from orangeweb.services import scripts
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError, RemoteApiError, ValidationError

from .conftest import OPENER

GENERATED = {"script": "Speaker 1: Hi!\nSpeaker 2: Hello.", "generationId": "gen_42"}


async def test_every_parameter_is_sent_and_the_result_saved(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    team_key: int,
    alex: int,
    bea: int,
    api: Any,
) -> None:
    route = api.post("/scripts_generate").respond(200, json=GENERATED)
    view = await scripts.generate_script(
        session,
        owner,
        team_key,
        "dialogue",
        "  A coffee advert  ",
        [alex, bea],
        template="youtube_ad",
        tone="Humorous",
        length="Short (<30s)",
        opener=OPENER,
    )
    assert json.loads(route.calls[0].request.content) == {
        "mode": "dialogue",
        "context": "A coffee advert",
        "characters": [{"id": "char_alex", "name": "Alex"}, {"id": "char_bea", "name": "Bea"}],
        "template": "youtube_ad",
        "tone": "Humorous",
        "length": "Short (<30s)",
    }
    assert (view.generation_id, view.text, view.character_names, view.created_by_name) == (
        "gen_42",
        GENERATED["script"],
        ["Alex", "Bea"],
        "Olivia",
    )
    # The whole team sees the history, and anyone may edit the text.
    [listed] = scripts.list_scripts(session, member)
    assert listed == view
    edited = scripts.update_script_text(session, member, view.id, "Speaker 1: Edited.")
    assert edited.text == "Speaker 1: Edited." and edited.generation_id == "gen_42"


async def test_optional_parameters_are_left_out(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    route = api.post("/scripts_generate").respond(200, json={"script": "Hi.", "generationId": "g"})
    await scripts.generate_script(
        session, owner, team_key, "single", "Intro", [alex], template=" ", tone=None, opener=OPENER
    )
    assert set(json.loads(route.calls[0].request.content)) == {"mode", "context", "characters"}


@pytest.mark.parametrize(
    ("mode", "context", "options", "words"),
    [
        ("monologue", "x", {}, "single voice or dialogue"),
        ("single", "   ", {}, "Describe"),
        ("single", "x" * 2001, {}, "at most 2000"),
        ("single", "x", {"template": "sonnet"}, "template"),
        ("single", "x", {"length": "Forever"}, "length"),
        ("single", "x", {"tone": "t" * 51}, "tone"),
        ("dialogue", "x", {}, "two characters"),
    ],
)
async def test_inputs_are_checked_before_any_call(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
    mode: str,
    context: str,
    options: dict[str, str],
    words: str,
) -> None:
    route = api.post("/scripts_generate").respond(200, json=GENERATED)
    with pytest.raises(ValidationError, match=words):
        await scripts.generate_script(
            session, owner, team_key, mode, context, [alex], opener=OPENER, **options
        )
    assert route.call_count == 0


async def test_a_refusal_saves_nothing_and_other_teams_see_nothing(
    session: Session, owner: CurrentUser, rival: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    api.post("/scripts_generate").mock(
        side_effect=[
            httpx.Response(402, json={"success": False, "error": "no credits"}),
            httpx.Response(200, json=GENERATED),
        ]
    )
    with pytest.raises(RemoteApiError, match="Not enough credits"):
        await scripts.generate_script(
            session, owner, team_key, "single", "x", [alex], opener=OPENER
        )
    assert session.exec(select(GeneratedScript)).all() == []
    view = await scripts.generate_script(
        session, owner, team_key, "single", "x", [alex], opener=OPENER
    )
    assert scripts.list_scripts(session, rival) == []
    with pytest.raises(NotFoundError):
        scripts.update_script_text(session, rival, view.id, "mine now")
    with pytest.raises(ValidationError):
        scripts.update_script_text(session, owner, view.id, "  ")
