"""Takes of a dubbing project's lines: a preview is one voice job of the segment's line in its
character's voice; every take is kept, the first pinned; a changed line or voice makes the
segment stale. Against a mocked OrangeClone."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from orangeweb.models import Job
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import takes
from orangeweb.services.dubbing.views import get_project
from orangeweb.services.errors import ConflictError, NotFoundError, ValidationError
from tests.support.dubbing_rows import add_dubbing_project

from .conftest import OPENER

SEGMENTS = [
    {"id": "seg_1", "speakerId": "speaker_1", "start": 0.0, "end": 2.5, "text": "Welcome back."},
    {"id": "seg_2", "speakerId": "speaker_2", "start": 3.0, "end": 5.0, "text": "Thank you."},
]


def _project(session: Session, actor: CurrentUser, key_id: int, alex: int) -> int:
    return add_dubbing_project(
        session,
        actor,
        key_id,
        duration_s=6.0,
        status="transcribed",
        transcript={"speakers": [], "segments": [dict(s) for s in SEGMENTS]},
        voice_mapping={
            "speaker_1": {"type": "character", "character_id": alex},
            "speaker_2": {"type": "original"},
        },
    )


def _accepted(*ids: str) -> list[httpx.Response]:
    return [httpx.Response(200, json={"success": True, "data": {"jobId": i}}) for i in ids]


def _finish(session: Session, job_id: int) -> None:
    job = session.get(Job, job_id)
    assert job is not None
    job.status, job.is_final, job.succeeded, job.charged_credits = "completed", True, True, 1
    session.commit()


async def test_a_preview_voices_the_line_in_its_characters_voice_and_is_kept(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    route = api.post("/voices_clone").mock(side_effect=_accepted("take_1", "take_2", "take_3"))
    project_id = _project(session, owner, team_key, alex)

    view = await takes.preview_segment(
        session, owner, project_id, "seg_1", submission_key="p1", opener=OPENER
    )
    body = json.loads(route.calls.last.request.content)
    assert body["text"] == "Welcome back." and body["character_ids"] == ["char_alex"]
    (first,) = view.segments[0].takes
    assert (first.text, first.character_name, first.pinned, first.language) == (
        "Welcome back.",
        "Alex",
        True,
        "",
    )
    assert view.segments[0].can_preview and not view.segments[1].can_preview
    again = await takes.preview_segment(
        session, owner, project_id, "seg_1", submission_key="p1", opener=OPENER
    )  # the same click again: no second call, no second take
    assert route.call_count == 1 and len(again.segments[0].takes) == 1

    # Translated: the next take voices the translation, without the sandbox's marker.
    project = session.get(DubbingProject, project_id)
    assert project is not None
    project.target_language = "es"
    project.transcript = {
        "segments": [{**SEGMENTS[0], "translatedText": "[pseudo-es] Bienvenidos."}, SEGMENTS[1]]
    }
    session.commit()
    # Each language has its own takes: in Spanish the line has none yet (not stale: a render
    # would make one), and its first Spanish take is pinned beside the English one.
    translated = get_project(session, owner, project_id)
    assert translated.segments[0].takes == () and not translated.segments[0].stale
    assert translated.render_changed_count == 1
    second = await takes.preview_segment(
        session, owner, project_id, "seg_1", submission_key="p2", opener=OPENER
    )
    assert json.loads(route.calls.last.request.content)["text"] == "Bienvenidos."
    (spanish,) = second.segments[0].takes
    assert (spanish.language, spanish.pinned) == ("es", True)
    third = await takes.preview_segment(
        session, owner, project_id, "seg_1", submission_key="p3", opener=OPENER
    )
    newest, first = third.segments[0].takes
    assert (newest.pinned, first.pinned) == (False, True)

    with pytest.raises(ConflictError, match="finished take"):
        takes.pin_take(session, owner, project_id, newest.id)
    _finish(session, _job_of(session, newest.id))
    pinned = takes.pin_take(session, owner, project_id, newest.id)
    assert [t.pinned for t in pinned.segments[0].takes] == [True, False]
    assert pinned.segments[0].takes[0].charged_credits == 1
    assert pinned.stale_count == 0  # its pinned take is of the line as it is now
    english = session.exec(
        select(DubbingTake).where(DubbingTake.language == "", DubbingTake.segment_id == "seg_1")
    ).one()
    assert english.pinned  # pinning a Spanish take leaves the English one pinned


def _job_of(session: Session, take_id: int) -> int:
    take = session.get(DubbingTake, take_id)
    assert take is not None and take.job_id is not None
    return take.job_id


async def test_refusals_make_no_call(
    session: Session,
    owner: CurrentUser,
    rival: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
) -> None:
    route = api.post("/voices_clone").mock(side_effect=_accepted("never"))
    project_id = _project(session, owner, team_key, alex)
    with pytest.raises(ValidationError, match="keeps the original voice"):
        await takes.preview_segment(
            session, owner, project_id, "seg_2", submission_key="a", opener=OPENER
        )
    with pytest.raises(NotFoundError, match="segment"):
        await takes.preview_segment(
            session, owner, project_id, "seg_9", submission_key="b", opener=OPENER
        )
    with pytest.raises(NotFoundError, match="project"):
        await takes.preview_segment(
            session, rival, project_id, "seg_1", submission_key="c", opener=OPENER
        )
    assert not route.called
    assert session.exec(select(DubbingTake)).all() == []
