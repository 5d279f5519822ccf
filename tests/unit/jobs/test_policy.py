"""Poll intervals adapt: short while a job is young, growing with its age (long dubbing jobs
slowest), rare while a job waits for a person, backing off on errors, honouring Retry-After."""

from __future__ import annotations

import math

import pytest

from orangeweb.services.tracker.policy import DEFAULT_POLICY, Pace, PollPolicy, first_delay


def polls_until(kind: str, seconds: float) -> int:
    """How many polls the policy makes for a job that runs `seconds`."""
    age, polls = DEFAULT_POLICY.regular(kind, "queued", 0), 1
    while age < seconds:
        age += DEFAULT_POLICY.interval(kind, "processing", age)
        polls += 1
    return polls


def test_young_jobs_are_polled_often_then_less_and_less() -> None:
    ages = [0, 4, 8, 20, 60, 240, 600, 86400]
    voice = [DEFAULT_POLICY.interval("voice", "processing", age) for age in ages]
    assert voice == [2.0, 2.0, 2.0, 5.0, 15.0, 60.0, 60.0, 60.0]
    assert DEFAULT_POLICY.interval("dialogue", "queued", 8) == 2.0


def test_completion_is_noticed_within_a_quarter_of_the_run_and_long_jobs_cost_little() -> None:
    for age in (10.0, 40.0, 200.0):
        assert DEFAULT_POLICY.interval("voice", "processing", age) <= max(2.0, age / 4)
    # A 5-minute job: about 20 polls; a tab polling every 3 s would make 100.
    assert polls_until("voice", 300) <= 22
    assert polls_until("voice", 300) < math.ceil(300 / 3) / 4


def test_long_kinds_start_slower_and_end_slower() -> None:
    for age in (0, 30, 120, 1800, 7200):
        assert DEFAULT_POLICY.interval("dubbing", "cloning", age) >= DEFAULT_POLICY.interval(
            "voice", "processing", age
        )
    assert DEFAULT_POLICY.interval("dubbing", "cloning", 7200) == 180.0
    assert DEFAULT_POLICY.interval("batch", "processing", 0) == 3.0
    assert DEFAULT_POLICY.interval("batch", "processing", 7200) == 120.0


def test_a_dubbing_job_waiting_for_a_person_is_polled_rarely() -> None:
    assert DEFAULT_POLICY.interval("dubbing", "transcribed", 5) == 300.0
    assert DEFAULT_POLICY.interval("dubbing", "Translated", 5) == 300.0


def test_errors_back_off_exponentially_up_to_a_cap() -> None:
    waits = [DEFAULT_POLICY.interval("voice", "processing", 5, streak) for streak in range(8)]
    assert waits == [2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0]
    assert DEFAULT_POLICY.interval("voice", "processing", 5, 50) == 600.0


def test_retry_after_is_honoured_but_capped() -> None:
    assert DEFAULT_POLICY.interval("voice", "queued", 0, retry_after=42) == 42
    assert DEFAULT_POLICY.interval("voice", "queued", 0, retry_after=10**6) == 600.0
    assert DEFAULT_POLICY.interval("voice", "queued", 0, retry_after=0.5) == 2.0


def test_policies_are_configurable_and_negative_ages_are_young() -> None:
    policy = PollPolicy(paces={"voice": Pace(shortest=1.0, growth=0.5, longest=9.0)})
    assert policy.interval("voice", "queued", -5) == 1.0
    assert policy.interval("voice", "queued", 10) == 5.0
    assert policy.interval("voice", "queued", 100) == 9.0
    assert first_delay("voice").total_seconds() == 2.0
    assert first_delay("dubbing").total_seconds() == 5.0


@pytest.mark.parametrize("kind", ["voice", "dialogue", "batch", "dubbing", "other"])
def test_every_kind_has_a_positive_interval(kind: str) -> None:
    assert DEFAULT_POLICY.interval(kind, "queued", 1) > 0
