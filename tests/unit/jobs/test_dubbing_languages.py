"""Several target languages per project: switching parks the open language's translations,
cast and render and brings the other's back whole; translating into a new language keeps the
open one's work; takes keep their language, so each language has its own stale lines."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import languages, remote_sync, review, segment_edits
from orangeweb.services.dubbing.review import SegmentChange
from orangeweb.services.errors import ConflictError, ValidationError

from .conftest import OPENER
from .test_segment_edits import _answer, _project, _row

SPANISH = {"s1": "Bienvenidos", "s2": "al programa.", "s3": "Gracias.", "s4": "Empecemos."}
FRENCH = {"s1": "Bienvenue", "s2": "dans l'émission.", "s3": "Merci.", "s4": "Commençons."}


def _job(session: Session, project_id: int) -> Job:
    job = session.get(Job, _row(session, project_id).job_id)
    assert job is not None
    return job


def _translated(session: Session, project_id: int) -> dict[str, str | None]:
    return {
        str(s["id"]): s.get("translatedText")
        for s in _row(session, project_id).transcript["segments"]
    }


async def test_switching_parks_one_language_and_brings_the_other_back_whole(
    session: Session, owner: CurrentUser, team_key: int, alex: int
) -> None:
    project_id = _project(
        session,
        owner,
        team_key,
        status="translated",
        target_language="es",
        voice_mapping={"speaker_1": {"type": "character", "character_id": alex}},
    )
    project = _row(session, project_id)
    remote_sync.take_answer(project, _answer(SPANISH))
    project.render_state, project.render_path = "rendered", "renders/1/1/dub-es.mp4"
    session.commit()

    view = await languages.switch_language(session, owner, project_id, project.revision, "fr")
    assert view.target_language == "fr" and view.languages == ("es", "fr")
    assert set(_translated(session, project_id).values()) == {None}  # French: not translated
    assert view.render.state == "" and view.render.url is None  # French: never rendered
    assert view.speakers[0].character_id == alex  # a new language starts with the same cast
    project = _row(session, project_id)
    project.transcript = {
        **project.transcript,
        "segments": [
            {**s, "translatedText": FRENCH[str(s["id"])]} for s in project.transcript["segments"]
        ],
    }
    project.voice_mapping = {"speaker_1": {"type": "original"}}
    session.commit()

    back = await languages.switch_language(session, owner, project_id, view.revision, "es")
    assert back.languages == ("es", "fr")
    assert _translated(session, project_id) == SPANISH
    assert back.speakers[0].character_id == alex  # Spanish's own cast
    assert back.render.state == "rendered" and back.render.url is not None
    again = await languages.switch_language(session, owner, project_id, back.revision, "fr")
    assert _translated(session, project_id) == FRENCH
    assert again.speakers[0].voice == "original"


async def test_a_switch_is_checked_like_an_edit(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key, status="translated", target_language="es")
    with pytest.raises(ValidationError, match="languages OrangeClone dubs into"):
        await languages.switch_language(session, owner, project_id, None, "xx")
    revision = _row(session, project_id).revision
    await languages.switch_language(session, owner, project_id, revision, "fr")
    with pytest.raises(ConflictError, match="changed this project a moment ago"):
        await languages.switch_language(session, owner, project_id, revision, "de")
    _job(session, project_id).status = "translating"
    session.commit()
    with pytest.raises(ConflictError, match="translating"):
        await languages.switch_language(session, owner, project_id, None, "es")


async def test_translating_into_another_language_keeps_the_open_ones_work(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    api.post("/dubbing_translate").respond(
        200, json={"success": True, "data": {"status": "translating"}}
    )
    project_id = _project(session, owner, team_key, status="translated", target_language="es")
    project = _row(session, project_id)
    remote_sync.take_answer(project, _answer(SPANISH))
    session.commit()

    view = await review.translate(session, owner, project_id, "fr", opener=OPENER)
    assert view.target_language == "fr" and set(view.languages) == {"fr", "es"}
    project = _row(session, project_id)
    remote_sync.take_answer(project, _answer(FRENCH))  # OrangeClone's French answer
    _job(session, project_id).status = "translated"
    session.commit()
    assert _translated(session, project_id) == FRENCH
    await languages.switch_language(session, owner, project_id, None, "es")
    assert _translated(session, project_id) == SPANISH


async def test_an_edit_is_undone_only_in_the_language_it_was_made_in(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    api.post("/dubbing_segments").respond(200, json={"success": True, "data": {}})
    project_id = _project(session, owner, team_key, status="translated", target_language="es")
    project = _row(session, project_id)
    remote_sync.take_answer(project, _answer(SPANISH))
    session.commit()
    edited = await review.edit_segments(
        session, owner, project_id, [SegmentChange("s3", translated_text="¡Gracias!")],
        opener=OPENER,
    )  # fmt: skip
    french = await languages.switch_language(session, owner, project_id, edited.revision, "fr")
    with pytest.raises(ConflictError, match="while Spanish was open: open Spanish to undo it"):
        await segment_edits.undo(session, owner, project_id, french.revision)
    back = await languages.switch_language(session, owner, project_id, french.revision, "es")
    assert _translated(session, project_id)["s3"] == "¡Gracias!"
    await segment_edits.undo(session, owner, project_id, back.revision)
    assert _translated(session, project_id)["s3"] == "Gracias."
