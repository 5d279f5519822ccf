"""The tracker's finish schedule against a mocked API, one pass at a time, on the fake clock:
a learned speed times the next job's polls, a burst is followed through its oldest job, and
polls that can wait give way to a rate-limited key's finish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from orangeweb.models import ApiKey, Job, Tier, utcnow
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.estimates import TYPICAL, estimate_voice
from orangeweb.services.tracker.expect import accepted_at
from orangeweb.services.tracker.loop import Tracker
from orangeweb.services.tracker.policy import PollPolicy
from orangeweb.services.tracker.schedule import DEFAULT_FINISH

from .conftest import OPENER, Now

TEXT = "Hello there, how are you today?"
WORK = estimate_voice(TEXT, 1, [TYPICAL]).seconds  # Alex has no learned rate: typical


class FakeApi:
    """Accepts jobs as job_1, job_2, ... and answers "processing" until told a job is done."""

    def __init__(self, api: Any) -> None:
        self.accepted = 0
        self.done: set[str] = set()
        self.polls: dict[str, int] = {}
        api.post("/voices_clone").mock(side_effect=self._accept)
        api.route(method="GET", path__regex=r"/voices/(?P<job>job_\d+)$").mock(
            side_effect=self._status
        )

    def _accept(self, request: httpx.Request) -> httpx.Response:
        self.accepted += 1
        data = {"jobId": f"job_{self.accepted}", "status": "queued"}
        return httpx.Response(200, json={"success": True, "data": data})

    def _status(self, request: httpx.Request, job: str) -> httpx.Response:
        self.polls[job] = self.polls.get(job, 0) + 1
        if job not in self.done:
            return httpx.Response(200, json={"success": True, "data": {"status": "processing"}})
        # The service's own times: it took 30 s.
        times = {"createdAt": "2030-01-01T00:00:00Z", "completedAt": "2030-01-01T00:00:30Z"}
        return httpx.Response(200, json={"success": True, "data": {"status": "completed", **times}})


@pytest.fixture
def fake_api(api: Any) -> FakeApi:
    return FakeApi(api)


async def submit(session: Session, owner: CurrentUser, key: int, alex: int, n: int) -> int:
    view = await jobs.submit_voice(
        session, owner, key, TEXT, [alex], submission_key=f"job-{n}", opener=OPENER
    )
    return view.id


def row(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job


def due_in(session: Session, job_id: int, now: Now) -> float:
    """Seconds from the row's acceptance to its next poll."""
    job = row(session, job_id)
    assert job.next_poll_at is not None
    return (job.next_poll_at - accepted_at(session, job)).total_seconds()


def learned(tracker: Tracker, key: int, lifetime: float = 30.0) -> None:
    """The key has lately finished a voice job of `WORK` seconds in `lifetime` seconds."""
    expect = tracker._poller.expect
    assert expect is not None
    expect.book.learn(key, "voice", WORK, lifetime)


async def test_a_finished_job_times_the_next_ones_first_poll_near_its_finish(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    fake_api: FakeApi,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker()
    first = await submit(session, owner, team_key, alex, 1)
    fake_api.done.add("job_1")
    now.value = utcnow() + timedelta(seconds=2)
    await tracker.run_once()
    assert row(session, first).is_final  # and its answer said: 30 s from creation to done

    second = await submit(session, owner, team_key, alex, 2)
    now.value = utcnow() + timedelta(seconds=2)
    await tracker.run_once()  # the early poll: still running
    window = DEFAULT_FINISH.window([30.0 / WORK], WORK)
    assert window is not None and window.opens == pytest.approx(30 * 0.97 - 0.5)
    assert due_in(session, second, now) == pytest.approx(window.opens, abs=0.05)
    now.advance(20)
    await tracker.run_once()
    assert fake_api.polls["job_2"] == 1  # nothing between the early poll and the window
    now.value = accepted_at(session, row(session, second)) + timedelta(seconds=window.opens)
    await tracker.run_once()
    assert due_in(session, second, now) == pytest.approx(window.opens + window.step, abs=0.05)
    fake_api.done.add("job_2")
    now.advance(window.step)
    await tracker.run_once()
    assert row(session, second).is_final and fake_api.polls["job_2"] == 3


async def test_a_burst_is_followed_through_its_oldest_job(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    fake_api: FakeApi,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker()
    learned(tracker, team_key)
    ids = [await submit(session, owner, team_key, alex, n) for n in range(1, 5)]
    now.value = utcnow() + timedelta(seconds=2)
    await tracker.run_once()
    assert fake_api.polls == {f"job_{n}": 1 for n in range(1, 5)}  # each job's own first poll
    for _ in range(2):  # two polls in the window: only the oldest job is asked
        now.value = row(session, ids[0]).next_poll_at or now.value
        await tracker.run_once()
    assert fake_api.polls == {"job_1": 3, "job_2": 1, "job_3": 1, "job_4": 1}
    head = row(session, ids[0]).next_poll_at
    assert all(row(session, job_id).next_poll_at == head for job_id in ids[1:])  # behind it
    fake_api.done.update({"job_1", "job_2", "job_3"})  # finished together; job_4 a bit later
    now.value = head or now.value
    await tracker.run_once()  # the oldest is done, then each of the others is asked once
    assert [row(session, job_id).is_final for job_id in ids] == [True, True, True, False]
    assert fake_api.polls == {"job_1": 4, "job_2": 2, "job_3": 2, "job_4": 2}
    fake_api.done.add("job_4")
    now.advance(1.0)
    await tracker.run_once()
    assert row(session, ids[3]).is_final and tracker.polls_sent == 11


async def test_with_nothing_learned_the_younger_jobs_wait_behind_the_oldest(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    fake_api: FakeApi,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker()
    ids = [await submit(session, owner, team_key, alex, n) for n in range(1, 4)]
    now.value = utcnow() + timedelta(seconds=2)
    await tracker.run_once()
    for _ in range(4):  # the age-based pace, for the oldest only
        now.value = row(session, ids[0]).next_poll_at or now.value
        await tracker.run_once()
    assert fake_api.polls == {"job_1": 5, "job_2": 1, "job_3": 1}
    fake_api.done.update({"job_1", "job_2", "job_3"})
    now.value = row(session, ids[0]).next_poll_at or now.value
    await tracker.run_once()  # done after 30 s by its own answer: the others have come too
    await tracker.run_once()
    assert all(row(session, job_id).is_final for job_id in ids)
    assert fake_api.polls == {"job_1": 6, "job_2": 2, "job_3": 2}


async def test_the_age_schedule_polls_every_job_by_its_age(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    fake_api: FakeApi,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    tracker = make_tracker(policy=PollPolicy(finish=None))
    assert tracker._poller.expect is None  # nothing learned, nothing lined up
    [await submit(session, owner, team_key, alex, n) for n in range(1, 4)]
    now.value = utcnow()
    for age in (2, 4, 6):
        now.value += timedelta(seconds=2)
        await tracker.run_once()
        assert fake_api.polls == {f"job_{n}": age // 2 for n in range(1, 4)}


async def test_a_rate_limited_key_keeps_its_minute_for_the_finish(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    alex: int,
    fake_api: FakeApi,
    now: Now,
    make_tracker: Callable[..., Tracker],
) -> None:
    key = session.get(ApiKey, team_key)
    assert key is not None
    key.tier = Tier.FREE  # 10 a minute, 9 of them the tracker's
    session.commit()
    tracker = make_tracker()
    learned(tracker, team_key)
    ids = [await submit(session, owner, team_key, alex, n) for n in range(1, 5)]
    now.value = utcnow() + timedelta(seconds=2)
    await tracker.run_once()
    # 4 of the minute are spent: the early polls (optional) would eat into the finish's half.
    assert fake_api.polls == {}
    window = DEFAULT_FINISH.window([30.0 / WORK], WORK)
    assert window is not None
    assert due_in(session, ids[0], now) == pytest.approx(window.opens, abs=0.05)
    fake_api.done.update({"job_1", "job_2", "job_3", "job_4"})
    now.value = row(session, ids[0]).next_poll_at or now.value
    await tracker.run_once()  # the oldest is done: the younger ones are due at once
    assert all(row(session, job_id).next_poll_at == now() for job_id in ids[1:])
    await tracker.run_once()  # the finish: every poll counts, and one each is enough
    assert all(row(session, job_id).is_final for job_id in ids)
    assert fake_api.polls == {f"job_{n}": 1 for n in range(1, 5)}
