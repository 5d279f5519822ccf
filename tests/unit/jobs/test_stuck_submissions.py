"""Rows left in "submitting": the tracker settles them on any pass once stale ("failed" when the
row says nothing left, else "unknown"), and the submitter's side keeps that verdict true."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session, select

from orangeweb.models import Job, utcnow
from orangeweb.orangeclone import BudgetRegistry, OrangeClone, RetryPolicy
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import InProcessBus
from orangeweb.services.jobs.submit import NOT_SENT_WORDS
from orangeweb.services.keys.store import open_client
from orangeweb.services.tracker.loop import Tracker
from orangeweb.services.tracker.policy import STALE_SUBMISSION_ENV, stale_submission_window
from orangeweb.services.tracker.queries import (
    NEVER_SENT_WORDS,
    STOPPED_WORDS,
    sweep_stale_submissions,
)
from tests.support.jobs import add_submitting_row

from .conftest import OPENER, Now

ACCEPTED = {"success": True, "data": {"jobId": "job_late", "status": "queued"}}
WINDOW = timedelta(minutes=2)


def row(engine: Engine, job_id: int) -> Job:
    with Session(engine) as fresh:
        found = fresh.get(Job, job_id)
        assert found is not None
        return found


async def test_a_row_stuck_after_the_lease_was_taken_is_settled_once_stale(
    engine: Engine,
    session: Session,
    owner: CurrentUser,
    team_key: int,
    bus: InProcessBus,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker(stale_submission=WINDOW)
    await tracker.run_once()  # holds the lease and has resumed: nothing was stuck then
    assert tracker.is_leader
    # Written (as from a worker killed right after) while this tracker already polls.
    at = now()
    sent = add_submitting_row(session, owner, team_key, "sent", created_at=at, updated_at=at)
    never = add_submitting_row(
        session, owner, team_key, "never", maybe_sent=False, created_at=at, updated_at=at
    )
    now.advance(60)
    await tracker.run_once()
    assert {row(engine, sent).status, row(engine, never).status} == {"submitting"}

    now.advance(61)  # both are older than the window now: no restart, no new lease needed
    async with bus.subscribe(owner.team_id) as notices:
        await tracker.run_once()
        announced = {(await asyncio.wait_for(anext(notices), 5)).job_id for _ in range(2)}
    assert announced == {sent, never}
    maybe, not_sent = row(engine, sent), row(engine, never)
    assert (maybe.status, maybe.is_final, maybe.error) == ("unknown", True, STOPPED_WORDS)
    assert (not_sent.status, not_sent.is_final, not_sent.error) == (
        "failed",
        True,
        NEVER_SENT_WORDS,
    )
    assert "Run it again" in NEVER_SENT_WORDS and "before running it again" in STOPPED_WORDS


async def test_the_next_pass_is_timed_for_when_the_oldest_row_turns_stale(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker(stale_submission=WINDOW, idle_seconds=3600.0, lease_ttl=3600.0)
    at = now() - timedelta(seconds=100)
    add_submitting_row(session, owner, team_key, "old", created_at=at, updated_at=at)
    delay = await tracker.run_once()
    assert delay == pytest.approx(20.0, abs=0.5)  # 120 s window - 100 s of age


async def test_the_row_says_not_sent_until_its_post_leaves(
    engine: Engine, api: respx.MockRouter, submit_hello: SubmitHello
) -> None:
    seen: dict[str, bool] = {}

    @asynccontextmanager
    async def opener(s: Session, actor: CurrentUser, key_id: int) -> AsyncIterator[OrangeClone]:
        seen["before the client"] = row(engine, only_job(engine)).maybe_sent
        async with open_client(s, actor, key_id, client_options=NO_RETRY) as client:
            yield client

    def on_post(request: httpx.Request) -> httpx.Response:
        seen["at the post"] = row(engine, only_job(engine)).maybe_sent
        return httpx.Response(200, json=ACCEPTED)

    api.post("/voices_clone").mock(side_effect=on_post)
    view = await submit_hello(opener)
    assert view.status == "queued"
    assert seen == {"before the client": False, "at the post": True}


async def test_a_late_answer_overrules_the_trackers_unknown(
    engine: Engine, api: respx.MockRouter, submit_hello: SubmitHello
) -> None:
    def accepted_after_the_sweep(request: httpx.Request) -> httpx.Response:
        # The answer is so late that the tracker has given the row up meanwhile.
        with Session(engine, expire_on_commit=False) as other:
            settled = sweep_stale_submissions(other, utcnow() + WINDOW * 2, WINDOW).settled
        assert [job.status for job in settled] == ["unknown"]
        return httpx.Response(200, json=ACCEPTED)

    api.post("/voices_clone").mock(side_effect=accepted_after_the_sweep)
    view = await submit_hello(OPENER)
    stored = row(engine, view.id)
    assert (stored.status, stored.is_final, stored.remote_id) == ("queued", False, "job_late")
    assert stored.error is None and stored.completed_at is None and stored.next_poll_at


async def test_a_row_waiting_for_the_rate_budget_is_never_sent_once_failed(
    engine: Engine,
    api: respx.MockRouter,
    submit_hello: SubmitHello,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(STALE_SUBMISSION_ENV, "0.2")  # the waiting row is touched every 0.05 s
    post = api.post("/voices_clone").respond(200, json=ACCEPTED)
    submission = await waiting_for_the_budget(submit_hello)
    job_id = only_job(engine)
    assert row(engine, job_id).maybe_sent is False
    with Session(engine) as tracker_session:  # a tracker whose clock says it is long stale
        sweep_stale_submissions(tracker_session, utcnow() + timedelta(hours=1), WINDOW)
    view = await asyncio.wait_for(submission, 5)
    assert (view.status, view.error) == ("failed", NEVER_SENT_WORDS)
    assert not post.called


async def test_a_submission_cancelled_before_sending_failed_with_nothing_sent(
    engine: Engine, api: respx.MockRouter, submit_hello: SubmitHello
) -> None:
    post = api.post("/voices_clone").respond(200, json=ACCEPTED)
    submission = await waiting_for_the_budget(submit_hello)
    submission.cancel()  # e.g. the server shutting down while the key's minute is used up
    with pytest.raises(asyncio.CancelledError):
        await submission
    stored = row(engine, only_job(engine))
    assert (stored.status, stored.error) == ("failed", NOT_SENT_WORDS)
    assert not post.called


def test_the_stale_window_can_be_set_from_the_environment() -> None:
    assert stale_submission_window({}) == WINDOW
    assert stale_submission_window({STALE_SUBMISSION_ENV: "5"}) == timedelta(seconds=5)
    for wrong in ("0", "-3", "soon", "nan", "1e9"):
        with pytest.raises(ValueError, match=STALE_SUBMISSION_ENV):
            stale_submission_window({STALE_SUBMISSION_ENV: wrong})


# -- helpers -------------------------------------------------------------------------------

NO_RETRY = {"retry": RetryPolicy(max_retries=0)}
Opener = Callable[..., Any]
SubmitHello = Callable[[Opener], Coroutine[Any, Any, Any]]


@pytest.fixture
def submit_hello(session: Session, owner: CurrentUser, team_key: int, alex: int) -> SubmitHello:
    """Submits "Hello" in Alex's voice with the team key (submission key "k") through the
    opener it is given."""

    def submit(opener: Opener) -> Coroutine[Any, Any, Any]:
        return jobs.submit_voice(
            session, owner, team_key, "Hello", [alex], submission_key="k", opener=opener
        )

    return submit


async def waiting_for_the_budget(submit_hello: SubmitHello) -> asyncio.Task[Any]:
    """The submission, running, once it waits for its key's rate budget (nothing sent yet)."""
    waiting = asyncio.Event()
    submission = asyncio.create_task(submit_hello(busy(waiting)))
    await asyncio.wait_for(waiting.wait(), 5)
    return submission


def busy(waiting: asyncio.Event) -> Opener:
    """An opener whose key has used up its minute (its own budget, not the process's): the
    submission waits for it, and `waiting` is set once it does."""

    @asynccontextmanager
    async def opener(s: Session, actor: CurrentUser, key_id: int) -> AsyncIterator[OrangeClone]:
        options = {**NO_RETRY, "budgets": BudgetRegistry()}
        async with open_client(s, actor, key_id, client_options=options) as client:
            client.budget.pause_for(60)
            asyncio.get_running_loop().call_soon(waiting.set)  # runs once the submitter sleeps
            yield client

    return opener


def only_job(engine: Engine) -> int:
    with Session(engine) as fresh:
        (job,) = fresh.exec(select(Job)).all()
        assert job.id is not None
        return job.id
