"""Submission rules: the row before the POST, one submission per key, failed vs unknown."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session, select

from orangeweb.models import Job, JobEvent
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.jobs import inputs
from orangeweb.services.jobs.notices import get_notice_bus

from .conftest import OPENER, make_character

ACCEPTED = {"success": True, "data": {"jobId": "job_1", "status": "queued", "estimatedCost": 3}}


def _rows(engine: Engine) -> list[Job]:
    with Session(engine) as other:  # what another connection sees: committed rows only
        return list(other.exec(select(Job)).all())


async def test_the_row_is_committed_before_the_post_and_updated_after(
    session: Session, engine: Engine, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    seen_at_post: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen_at_post.extend((row.status, row.remote_id) for row in _rows(engine))
        assert json.loads(request.content) == {
            "text": "Hello there",
            "character_ids": ["char_alex"],
        }
        return httpx.Response(200, json=ACCEPTED)

    route = api.post("/voices_clone").mock(side_effect=answer)
    async with get_notice_bus().subscribe(owner.team_id) as notices:
        view = await jobs.submit_voice(
            session, owner, team_key, "Hello there", [alex], submission_key="k1", opener=OPENER
        )
        notice = await asyncio.wait_for(anext(notices), 5)

    assert route.call_count == 1
    assert seen_at_post == [("submitting", None)]
    assert (view.status, view.remote_id, view.kind, view.is_final) == (
        "queued",
        "job_1",
        "voice",
        False,
    )
    assert view.estimated_credits == 3  # the server's estimate replaces ours
    assert view.character_names == ["Alex"] and view.request["character_ids"] == [alex]
    assert (notice.job_id, notice.status, notice.user_id) == (view.id, "queued", owner.user_id)
    [row] = _rows(engine)
    assert row.next_poll_at is not None
    events = session.exec(select(JobEvent).where(JobEvent.job_id == view.id)).all()
    assert [event.status for event in events] == ["submitting", "queued"]


async def test_the_same_submission_key_never_submits_twice(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    route = api.post("/voices_clone").respond(200, json=ACCEPTED)
    first = await jobs.submit_voice(
        session, owner, team_key, "Hi", [alex], submission_key="click-1", opener=OPENER
    )
    again = await jobs.submit_voice(
        session, owner, team_key, "Hi", [alex], submission_key="click-1", opener=OPENER
    )
    # The key is per team: a teammate's retried request with it finds the same job too.
    teammate = await jobs.submit_voice(
        session, member, team_key, "Hi", [alex], submission_key="click-1", opener=OPENER
    )
    assert first.id == again.id == teammate.id
    assert route.call_count == 1


async def test_a_racing_duplicate_finds_the_winner_instead_of_failing(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    route = api.post("/voices_clone").respond(200, json=ACCEPTED)
    first = await jobs.submit_voice(
        session, owner, team_key, "Hi", [alex], submission_key="race", opener=OPENER
    )
    # The second request checked before the first had committed: its insert hits the
    # unique constraint, and it answers with the first job.
    real = inputs.existing_submission
    calls = iter([None])
    monkeypatch.setattr(
        inputs,
        "existing_submission",
        lambda *args: next(calls, "real") and real(*args),
    )
    second = await jobs.submit_voice(
        session, owner, team_key, "Hi", [alex], submission_key="race", opener=OPENER
    )
    assert second.id == first.id
    assert route.call_count == 1
    assert len(session.exec(select(Job)).all()) == 1


@pytest.mark.parametrize(
    ("response", "status", "words"),
    [
        (httpx.Response(400, json={"success": False, "error": "text is too long"}), "failed", ""),
        (httpx.Response(402, json={"success": False, "error": "no"}), "failed", "credits"),
        (httpx.Response(500, json={"success": False, "error": "boom"}), "failed", "its side"),
        (httpx.ConnectError("refused"), "failed", "Could not reach"),
        (httpx.ReadTimeout("slow"), "unknown", "may or may not"),
        (httpx.RemoteProtocolError("dropped"), "unknown", "may or may not"),
        (httpx.Response(502, text="Bad gateway"), "unknown", "may or may not"),
        (httpx.Response(200, json={"success": True, "data": {}}), "unknown", "may or may not"),
    ],
)
async def test_failed_before_acceptance_versus_unknown(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    api: Any,
    response: httpx.Response | Exception,
    status: str,
    words: str,
) -> None:
    route = api.post("/voices_clone")
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    view = await jobs.submit_voice(
        session, owner, team_key, "Hello", [alex], submission_key="k", opener=OPENER
    )
    assert (view.status, view.is_final, view.succeeded, view.remote_id) == (
        status,
        True,
        False,
        None,
    )
    assert view.error and words in view.error
    detail = jobs.get_job(session, owner, view.id)
    assert [event.status for event in detail.events] == ["submitting", status]
    # Retrying the same click does not resend an unknown (or failed) submission.
    again = await jobs.submit_voice(
        session, owner, team_key, "Hello", [alex], submission_key="k", opener=OPENER
    )
    assert again.id == view.id and route.call_count == 1


async def test_a_submission_cancelled_mid_post_is_recorded_as_unknown(
    session: Session, engine: Engine, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    sent = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        sent.set()  # the request is out; the answer never comes
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    api.post("/voices_clone").mock(side_effect=hang)
    task = asyncio.create_task(
        jobs.submit_voice(
            session, owner, team_key, "Hello", [alex], submission_key="k", opener=OPENER
        )
    )
    await asyncio.wait_for(sent.wait(), 5)
    task.cancel()  # e.g. the browser went away, or the server is shutting down
    with pytest.raises(asyncio.CancelledError):
        await task
    [row] = _rows(engine)
    assert row.status == "unknown" and row.is_final


async def test_dialogue_lines_are_checked_before_any_row_or_call(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int, api: Any
) -> None:
    route = api.post("/voices_clone").respond(200, json=ACCEPTED)
    text = "Speaker 1: Hi!\nSpeaker 3: Who am I?\nSpeaker 2:"
    with pytest.raises(ValidationError) as error:
        await jobs.submit_voice(
            session, owner, team_key, text, [alex, bea], submission_key="d", opener=OPENER
        )
    assert "line 2: Speaker 3 has no character" in error.value.message
    assert "line 3: Speaker 2 says nothing" in error.value.message
    with pytest.raises(ValidationError, match="before the first"):
        await jobs.submit_voice(
            session, owner, team_key, "No prefixes", [alex, bea], submission_key="e", opener=OPENER
        )
    assert route.call_count == 0 and session.exec(select(Job)).all() == []

    view = await jobs.submit_voice(
        session,
        owner,
        team_key,
        "Speaker 1: Hi!\nSpeaker 2: Hello.",
        [alex, bea],
        submission_key="f",
        opener=OPENER,
    )
    assert view.kind == "dialogue" and view.character_names == ["Alex", "Bea"]
    assert json.loads(route.calls[0].request.content)["character_ids"] == ["char_alex", "char_bea"]


async def test_characters_must_be_the_teams_and_reachable_through_the_key(
    session: Session,
    owner: CurrentUser,
    rival: CurrentUser,
    team_key: int,
    other_key: int,
    alex: int,
    api: Any,
) -> None:
    route = api.post("/voices_clone").respond(200, json=ACCEPTED)
    on_other_key = make_character(session, owner, other_key, "Cleo")
    with pytest.raises(ValidationError, match="Cleo was made with another API key"):
        await jobs.submit_voice(
            session, owner, team_key, "Hi", [on_other_key], submission_key="a", opener=OPENER
        )
    with pytest.raises(NotFoundError):  # another team sees neither the key nor the character
        await jobs.submit_voice(
            session, rival, team_key, "Hi", [alex], submission_key="b", opener=OPENER
        )
    assert route.call_count == 0


def test_estimates_follow_the_pricing() -> None:
    words = "a" * 300  # 17.4 s at the typical rate: two 10 s blocks
    assert jobs.estimate_voice(words, 1).credits == 2
    assert jobs.estimate_voice(words, 2).credits == 4  # several voices: 2 per block
    dialogue = f"Speaker 1: {words}"
    assert jobs.estimate_voice(dialogue, 3).credits == 2  # one speaker actually speaks


async def test_regenerate_sends_the_same_request_as_a_new_job(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    route = api.post("/voices_clone").mock(
        side_effect=[
            httpx.Response(200, json=ACCEPTED),
            httpx.Response(200, json={"success": True, "data": {"jobId": "job_2"}}),
        ]
    )
    first = await jobs.submit_voice(
        session, owner, team_key, "Again", [alex], submission_key="1", opener=OPENER
    )
    second = await jobs.regenerate(session, owner, first.id, submission_key="2", opener=OPENER)
    assert second.id != first.id and second.parent_job_id == first.id
    assert second.remote_id == "job_2" and second.request == first.request
    assert [json.loads(call.request.content) for call in route.calls] == [
        {"text": "Again", "character_ids": ["char_alex"]}
    ] * 2


async def test_an_unknown_key_or_parent_is_not_found(
    session: Session, owner: CurrentUser, rival: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    with pytest.raises(NotFoundError):
        await jobs.submit_voice(session, owner, 9999, "Hi", [alex], submission_key="x")
    with pytest.raises(NotFoundError):
        await jobs.submit_voice(
            session, owner, team_key, "Hi", [alex], submission_key="y", parent_job_id=424242
        )
    assert isinstance(api, respx.MockRouter)
