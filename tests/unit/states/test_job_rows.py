"""The job rows every job page shows, filled from the jobs service's views."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from orangeweb.services.jobs import JobEventView
from orangeweb.states.job_rows import (
    JobRow,
    empty_row,
    event_row,
    job_row,
    replace_row,
    seconds_text,
    status_color,
    when,
)
from tests.unit.states.builders import MIA, OLIVIA, job_view, running, scene


@pytest.mark.parametrize(
    ("kind", "label"),
    [("voice", "Voice"), ("dialogue", "Dialogue"), ("batch", "Story"), ("dubbing", "Dubbing")],
)
def test_the_kind_label_comes_from_the_kind_registry(kind: str, label: str) -> None:
    assert job_row(job_view(kind=kind), OLIVIA).kind_label == label


def test_a_kind_this_version_does_not_know_shows_its_stored_name() -> None:
    row = job_row(job_view(kind="karaoke"), OLIVIA)
    assert (row.kind, row.kind_label, row.story_url) == ("karaoke", "karaoke", "")


def test_only_a_story_has_a_story_url() -> None:
    assert job_row(job_view(5, kind="batch"), OLIVIA).story_url == "/media/jobs/5/story"
    for kind in ("voice", "dialogue", "dubbing"):
        assert job_row(job_view(5, kind=kind), OLIVIA).story_url == ""


def test_a_job_row_carries_the_views_words() -> None:
    view = job_view(
        12,
        title="Welcome",
        character_names=["Alex", "Bea"],
        api_key_label="Team key",
        error="Too loud",
        output_url="/media/jobs/12/output",
        parent_job_id=9,
        duration_s=75.0,
    )
    row = job_row(view, OLIVIA)
    assert row.id == "12"
    assert row.title == "Welcome"
    assert row.created_by == "Olivia"
    assert row.key_label == "Team key"
    assert row.characters == "Alex, Bea"
    assert row.error == "Too loud"
    assert row.output_url == "/media/jobs/12/output"
    assert row.parent_id == "9"
    assert row.duration == "1 min 15 s"
    assert row.created == "2030-01-15 12:00:05 UTC"
    assert row.created_short == "01-15 12:00"
    assert (row.status, row.color, row.is_final, row.succeeded) == (
        "completed",
        "grass",
        True,
        True,
    )


def test_absent_values_read_as_empty_words() -> None:
    row = job_row(job_view(3, error=None, output_url=None, parent_job_id=None), OLIVIA)
    assert (row.error, row.output_url, row.parent_id, row.duration) == ("", "", "", "")


def test_mine_is_whether_the_viewer_made_the_job() -> None:
    view = job_view(created_by_id=OLIVIA.user_id)
    assert job_row(view, OLIVIA).mine is True
    assert job_row(view, MIA).mine is False


def test_charged_is_empty_until_charged_and_the_estimate_stays() -> None:
    pending = job_row(running(4, estimated_credits=3, charged_credits=None), OLIVIA)
    assert (pending.estimate, pending.charged) == (3, "")
    charged = job_row(job_view(4, estimated_credits=3, charged_credits=2), OLIVIA)
    assert (charged.estimate, charged.charged) == (3, "2")
    free = job_row(job_view(4, charged_credits=0), OLIVIA)
    assert free.charged == "0"


def test_the_download_name_names_the_kind_and_the_job() -> None:
    assert job_row(job_view(42, kind="voice"), OLIVIA).download_name == "orangeweb-voice-42.mp3"
    assert job_row(job_view(8, kind="batch"), OLIVIA).download_name == "orangeweb-batch-8.mp3"


def test_a_dubbing_job_downloads_as_the_video_it_is() -> None:
    # A dubbing job's output is the dubbed video, archived as .mp4 (kinds/dubbing.py); the
    # Jobs page offers it for download under this name.
    row = job_row(job_view(42, kind="dubbing", output_url="/media/jobs/42/output"), OLIVIA)
    assert row.download_name == "orangeweb-dubbing-42.mp4"


def test_scene_rows_and_counts() -> None:
    view = job_view(
        6,
        kind="batch",
        status="partial",
        scenes=[
            scene(0, "completed", output_url="/media/jobs/6/scenes/0"),
            scene(1, "failed", error="Silence"),
            scene(2, "completed", output_url="/media/jobs/6/scenes/2"),
            scene(3, "processing"),
        ],
    )
    row = job_row(view, OLIVIA)
    assert [(s.index, s.number, s.status, s.color) for s in row.scenes] == [
        (0, 1, "completed", "grass"),
        (1, 2, "failed", "red"),
        (2, 3, "completed", "grass"),
        (3, 4, "processing", "amber"),
    ]
    assert (row.completed_scenes, row.failed_scenes) == (2, 1)
    silent = job_row(
        job_view(7, kind="batch", scenes=[scene(0), scene(1, warning="No audio came back.")]),
        OLIVIA,
    )
    assert (silent.completed_scenes, silent.failed_scenes) == (1, 1)  # redone on resubmit
    assert row.scenes[1].error == "Silence"
    assert row.scenes[1].output_url == ""
    assert row.scenes[0].output_url == "/media/jobs/6/scenes/0"
    assert row.scenes[0].character_name == "Alex"
    assert row.color == "orange"


def test_a_job_without_scenes_counts_none() -> None:
    row = job_row(job_view(), OLIVIA)
    assert (row.scenes, row.completed_scenes, row.failed_scenes) == ([], 0, 0)


@pytest.mark.parametrize(
    ("status", "color"),
    [
        ("submitting", "gray"),
        ("queued", "blue"),
        ("processing", "amber"),
        ("transcribing", "amber"),
        ("translating", "amber"),
        ("cloning", "amber"),
        ("completed", "grass"),
        ("partial", "orange"),
        ("failed", "red"),
        ("unknown", "gray"),
        ("a-status-from-a-newer-api", "gray"),
        ("", "gray"),
    ],
)
def test_status_colors(status: str, color: str) -> None:
    assert status_color(status) == color


def test_when_reads_in_utc() -> None:
    moment = datetime(2030, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert when(moment) == "2030-03-04 05:06:07 UTC"
    assert when(moment, seconds=False) == "03-04 05:06"


@pytest.fixture
def local_zone_far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone is New York's (restored afterwards)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_zone_far_from_utc")
def test_when_takes_a_naive_time_as_utc_and_converts_other_zones() -> None:
    assert when(datetime(2030, 3, 4, 5, 6, 7)) == "2030-03-04 05:06:07 UTC"
    paris = timezone(timedelta(hours=1))
    assert when(datetime(2030, 3, 4, 0, 30, tzinfo=paris)) == "2030-03-03 23:30:00 UTC"


def test_when_of_nothing_is_empty() -> None:
    assert when(None) == ""
    assert when(None, seconds=False) == ""


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0.0, "0.0 s"),
        (4.25, "4.2 s"),
        (59.4, "59.4 s"),
        (59.96, "1 min 00 s"),  # not "60.0 s"
        (60.0, "1 min 00 s"),
        (61.6, "1 min 02 s"),
        (754.0, "12 min 34 s"),
        (3600.0, "60 min 00 s"),
    ],
)
def test_seconds_text(seconds: float | None, text: str) -> None:
    assert seconds_text(seconds) == text


def test_event_rows() -> None:
    at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    row = event_row(JobEventView(status="failed", at=at, detail="Rejected"))
    assert (row.status, row.color, row.at, row.detail) == (
        "failed",
        "red",
        "2030-01-02 03:04:05 UTC",
        "Rejected",
    )
    assert event_row(JobEventView(status="queued", at=at, detail=None)).detail == ""


def _rows(*ids: int) -> list[JobRow]:
    return [job_row(running(job_id), OLIVIA) for job_id in ids]


def test_replace_row_swaps_the_row_of_the_same_id_in_place() -> None:
    rows = _rows(3, 2, 1)
    fresh = job_row(job_view(2, status="failed", is_final=True, succeeded=False), OLIVIA)
    updated, found = replace_row(rows, fresh)
    assert found is True
    assert [row.id for row in updated] == ["3", "2", "1"]
    assert updated[1] is fresh
    assert updated[0] is rows[0] and updated[2] is rows[2]
    assert rows[1].status == "processing"  # the list given is left as it was


def test_replace_row_of_a_job_not_listed_changes_nothing() -> None:
    rows = _rows(3, 2)
    updated, found = replace_row(rows, job_row(job_view(9), OLIVIA))
    assert found is False
    assert updated == rows


def test_the_empty_row_is_blank() -> None:
    row = empty_row()
    assert row.id == "" and row.title == "" and row.color == "gray"
    assert (row.is_final, row.mine, row.estimate, row.scenes) == (False, False, 0, [])
    assert empty_row() is not row and empty_row().scenes is not row.scenes
