"""The finish schedule: from a job's estimated seconds and its key's learned speed, the polls
gather around the expected finish (none before it, tight within, backing off after); what a
finished job teaches. Pure: no clock, no database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from orangeweb.services.jobs.kinds import Pace
from orangeweb.services.tracker.expect import observed_lifetime
from orangeweb.services.tracker.schedule import FinishPolicy, Phase, SpeedBook, Window

FINISH = FinishPolicy()
VOICE = Pace(shortest=2.0, growth=0.25, longest=60.0)
WORK = 4.0  # seconds of speech the job asked for
RATIO = 15.0  # the key has lately taken 15 s per second of speech: a 60 s job


def poll_ages(window: Window | None, finish_at: float, first: float = 2.0) -> list[float]:
    """The ages at which a job finishing at `finish_at` is polled, the last one finding it done."""
    ages = [first]
    while ages[-1] < finish_at:
        ages.append(ages[-1] + FINISH.delay(window, ages[-1], VOICE))
    return ages


def test_a_learned_speed_gives_a_window_around_the_expected_finish() -> None:
    window = FINISH.window([RATIO], WORK)
    assert window is not None
    assert window.opens == pytest.approx(60 * 0.97 - 0.5)  # 57.7: a margin before
    assert window.closes == pytest.approx(60 * 1.03 + 0.5)  # 62.3: and after
    assert window.step == 1.0  # a short window: one poll a second
    spread = FINISH.window([14.0, 15.0, 16.0], WORK)
    assert spread is not None
    assert spread.opens == pytest.approx(56 * 0.97 - 0.5)
    assert spread.closes == pytest.approx(64 * 1.03 + 0.5)


def test_nothing_learned_or_nothing_to_time_is_no_window() -> None:
    assert FINISH.window([], WORK) is None
    assert FINISH.window([RATIO], None) is None
    assert FINISH.window([RATIO], 0.0) is None
    # And then the age-based pace decides, as before.
    assert [FINISH.delay(None, age, VOICE) for age in (0, 8, 20, 60, 600)] == [2, 2, 5, 15, 60]


def test_the_first_poll_after_the_early_one_is_at_the_window_then_every_step() -> None:
    window = FINISH.window([RATIO], WORK)
    assert window is not None
    ages = poll_ages(window, finish_at=60.3)
    assert ages[0] == 2.0 and ages[1] == pytest.approx(window.opens)  # nothing in between
    assert ages[2:] == pytest.approx([window.opens + 1, window.opens + 2, window.opens + 3])
    assert ages[-1] - 60.3 <= window.step  # noticed within a step of finishing
    assert len(ages) == 5  # the age-based pace: 14 polls, the last 14 s after the finish
    old = poll_ages(None, finish_at=60.3)
    assert len(old) == 14 and old[-1] - 60.3 > 10


def test_a_job_later_than_expected_is_polled_less_and_less() -> None:
    window = FINISH.window([RATIO], WORK)
    assert window is not None
    ages = poll_ages(window, finish_at=200.0)
    gaps = [round(b - a, 6) for a, b in itertools.pairwise(ages)]
    after = [gap for age, gap in zip(ages, gaps, strict=False) if age > window.closes]
    assert after == sorted(after) and after[-1] > 10  # backing off
    assert max(gaps) <= VOICE.longest
    assert len(ages) < 20  # a log of the time overdue, not a poll a second


def test_a_long_window_is_polled_a_bounded_number_of_times() -> None:
    window = FINISH.window([10.0, 20.0], 30.0)  # a service that varies 2x on 30 s of speech
    assert window is not None
    assert window.step == pytest.approx((window.closes - window.opens) / FINISH.window_polls)
    ages = poll_ages(window, finish_at=window.closes)
    inside = [age for age in ages if window.phase(age) is Phase.WITHIN]
    assert len(inside) <= FINISH.window_polls + 1


def test_the_wait_before_the_window_never_exceeds_the_longest_interval() -> None:
    window = FINISH.window([RATIO], 40.0)  # a 10-minute job
    assert window is not None
    ages = poll_ages(window, finish_at=window.opens)
    assert ages[:3] == [2.0, 62.0, 122.0]  # a sign of life each minute, no more
    assert FINISH.is_optional(window, 122.0)
    assert not FINISH.is_optional(window, window.opens)
    assert not FINISH.is_optional(None, 2.0)  # nothing learned: every poll counts


def test_the_book_keeps_recent_ratios_per_key_and_kind() -> None:
    book = SpeedBook(samples=3)
    assert book.learn(1, "voice", 4.0, 60.0)
    assert not book.learn(1, "voice", 0.0, 60.0)  # nothing to scale by
    assert not book.learn(1, "voice", 4.0, -1.0)
    assert not book.learn(1, "voice", float("nan"), 60.0)
    for lifetime in (8.0, 12.0, 16.0):
        book.learn(1, "voice", 4.0, lifetime)
    assert book.ratios(1, "voice") == (2.0, 3.0, 4.0)  # the oldest forgotten
    assert book.ratios(2, "voice") == () and book.ratios(1, "batch") == ()


T0 = datetime(2030, 1, 1, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_lifetime_comes_from_the_answers_own_times_else_from_close_polls() -> None:
    remote = SimpleNamespace(created_at=at(0.2), completed_at=at(60.5))
    assert observed_lifetime(remote, at(0), at(50), at(70)) == pytest.approx(60.3)
    untimed = SimpleNamespace()  # a batch's answer has no times
    assert observed_lifetime(untimed, at(0), at(59), at(61)) == pytest.approx(60.0)
    assert observed_lifetime(untimed, at(0), at(20), at(61)) is None  # too far apart to tell
    assert observed_lifetime(untimed, at(0), None, at(61)) is None  # the first poll found it
