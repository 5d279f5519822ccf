"""Which page states a live notice reaches on a route, and what the toast for a finished job
says."""

from __future__ import annotations

import pytest

from orangeweb.states import live
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.jobs import ActivityState, JobsState
from orangeweb.states.live import finished_message, register_live_view, views_for
from orangeweb.states.stories import StoriesState
from orangeweb.states.voice import VoiceState
from tests.unit.states.builders import detail_of, job_view, notice


@pytest.fixture
def routes(no_live_views: list) -> list:
    register_live_view("/", ActivityState)
    register_live_view("/jobs", JobsState)
    register_live_view("/voice", VoiceState)
    register_live_view("/stories", StoriesState)
    register_live_view("/dubbing", DubbingState)
    return no_live_views


def test_home_is_matched_exactly(routes: list) -> None:
    assert views_for("/") == [ActivityState]
    assert views_for("") == [ActivityState]
    assert ActivityState not in views_for("/settings")
    assert views_for("/settings") == []


@pytest.mark.parametrize("path", ["/jobs", "/jobs/", "jobs", "/jobs/17", "/jobs/17/events"])
def test_other_routes_match_themselves_and_their_subpaths(routes: list, path: str) -> None:
    assert views_for(path) == [JobsState]


@pytest.mark.parametrize("path", ["/jobsite", "/job", "/voices", "/dubbing-old", "/x/jobs"])
def test_a_route_does_not_match_a_longer_name_or_another_prefix(routes: list, path: str) -> None:
    assert views_for(path) == []


def test_each_route_reaches_its_own_view(routes: list) -> None:
    assert views_for("/stories/42") == [StoriesState]
    assert views_for("/voice") == [VoiceState]
    assert views_for("/dubbing/7") == [DubbingState]


def test_several_views_on_one_route_are_all_refreshed_in_order(no_live_views: list) -> None:
    register_live_view("/jobs", JobsState)
    register_live_view("/jobs", ActivityState)
    assert views_for("/jobs/3") == [JobsState, ActivityState]


def test_registering_again_is_harmless(no_live_views: list) -> None:
    for _ in range(3):  # a page module imported again must not apply notices twice
        register_live_view("/voice", VoiceState)
    assert views_for("/voice") == [VoiceState]
    assert [("/voice", VoiceState)] == live._VIEWS


def test_one_view_may_serve_two_routes(no_live_views: list) -> None:
    register_live_view("/voice", VoiceState)
    register_live_view("/studio", VoiceState)
    assert views_for("/voice") == [VoiceState]
    assert views_for("/studio/2") == [VoiceState]


def test_a_success_names_the_kind_and_the_job() -> None:
    finished = detail_of(job_view(12, kind="voice"))
    assert finished_message(notice(12, title="Welcome"), finished) == (
        "success",
        "Your voice #12 “Welcome” is ready.",
    )


@pytest.mark.parametrize(
    ("kind", "word"), [("dialogue", "dialogue"), ("batch", "story"), ("dubbing", "dubbing")]
)
def test_the_kind_is_its_label_in_lower_case(kind: str, word: str) -> None:
    finished = detail_of(job_view(3, kind=kind))
    level, message = finished_message(notice(3, kind=kind), finished)
    assert (level, message) == ("success", f"Your {word} #3 is ready.")


def test_a_kind_this_version_does_not_know_is_named_as_stored() -> None:
    finished = detail_of(job_view(3, kind="karaoke"))
    assert finished_message(notice(3, kind="karaoke"), finished)[1] == "Your karaoke #3 is ready."


def test_a_partial_story_warns_even_though_it_succeeded() -> None:
    partial = detail_of(job_view(8, kind="batch", status="partial", succeeded=True))
    assert finished_message(notice(8, kind="batch", status="partial", title="Tale"), partial) == (
        "warning",
        "Your story #8 “Tale” finished, but some scenes failed.",
    )


def test_a_failure_says_why_when_the_job_says() -> None:
    failed = detail_of(job_view(5, status="failed", succeeded=False, error="Voice not found."))
    assert finished_message(notice(5, status="failed"), failed) == (
        "error",
        "Your voice #5 failed: Voice not found.",
    )


def test_a_failure_without_an_error_ends_plainly() -> None:
    failed = detail_of(job_view(5, status="failed", succeeded=False, error=None))
    assert finished_message(notice(5, status="failed", title="Hi"), failed) == (
        "error",
        "Your voice #5 “Hi” failed.",
    )


def test_a_failure_of_a_job_no_longer_readable_ends_plainly() -> None:
    assert finished_message(notice(5, status="failed"), None) == ("error", "Your voice #5 failed.")


def test_a_completed_job_that_cannot_be_read_just_now_is_not_called_failed() -> None:
    assert finished_message(notice(5, status="completed"), None) == (
        "success",
        "Your voice #5 is ready.",
    )


def test_the_job_as_read_decides_over_the_notice() -> None:
    # The notice said "completed", but the job read afterwards did not succeed.
    failed = detail_of(job_view(5, status="failed", succeeded=False, error="Rejected"))
    assert finished_message(notice(5, status="completed"), failed)[0] == "error"
