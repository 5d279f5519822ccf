"""Dubbing studio without a server: a live notice's project updates the list and the open
project (the real DubbingState of one tab, no database)."""

from __future__ import annotations

import pytest

from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.errors import NotFoundError
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import project_row
from orangeweb.states.dubbing_steps import MAX_PROJECTS, project_id_of
from tests.unit.states.builders import OLIVIA, Tab, notice, project_view, segment, speaker


@pytest.fixture
def dubbing(tab: Tab) -> DubbingState:
    state = tab(DubbingState)
    state.projects = [project_row(project_view(3)), project_row(project_view(2))]
    return state


def apply(dubbing: DubbingState, view: DubbingProjectView | None) -> bool:
    """A notice for the project's job, read as `view`."""
    return dubbing._live_apply(OLIVIA, notice(9, kind="dubbing"), view)


def test_no_project_changes_nothing(dubbing: DubbingState) -> None:
    before = list(dubbing.projects)
    assert apply(dubbing, None) is False
    assert dubbing.projects == before


def test_a_listed_project_is_updated_in_place(dubbing: DubbingState) -> None:
    assert apply(dubbing, project_view(2, status="translating", is_running=True)) is False
    assert [(row.id, row.status) for row in dubbing.projects] == [
        ("3", "transcribed"),
        ("2", "translating"),
    ]
    assert dubbing.open_id == ""  # a project not open stays closed


def test_a_project_made_in_another_tab_goes_on_top(dubbing: DubbingState) -> None:
    apply(dubbing, project_view(4, status="transcribing"))
    assert [row.id for row in dubbing.projects] == ["4", "3", "2"]


def test_the_project_list_keeps_its_limit(dubbing: DubbingState) -> None:
    dubbing.projects = [project_row(project_view(n)) for n in range(MAX_PROJECTS, 0, -1)]
    apply(dubbing, project_view(MAX_PROJECTS + 1))
    assert len(dubbing.projects) == MAX_PROJECTS
    assert dubbing.projects[0].id == str(MAX_PROJECTS + 1)


def test_the_open_project_follows_its_job(dubbing: DubbingState) -> None:
    dubbing._show(project_view(2, status="transcribing", is_running=True, can_review=False))
    assert [step.state for step in dubbing.steps] == ["active", "todo", "todo", "todo"]
    assert (dubbing.has_project, dubbing.is_running, dubbing.can_review) == (True, True, False)
    translated = project_view(
        2,
        status="translated",
        target_language="es",
        speakers=[speaker(1, "original")],
        segments=[segment("s1", "speaker_1", 0.0, 2.0, translated_text="Hola", fit="ok")],
    )
    apply(dubbing, translated)
    assert [step.state for step in dubbing.steps] == ["done", "done", "todo", "todo"]
    assert (dubbing.is_running, dubbing.can_review) == (False, True)
    assert [(s.id, s.voice) for s in dubbing.speakers] == [("speaker_1", "original")]
    assert [(s.id, s.translated) for s in dubbing.segments] == [("s1", "Hola")]
    assert dubbing.has_translation is True
    assert (dubbing.summary_language, dubbing.summary_flag) == ("Spanish", "fi fi-es")
    assert (dubbing.source_language, dubbing.source_flag) == ("English", "fi fi-us")
    assert dubbing.dubbed_label == "Dubbed \u00b7 Spanish"
    assert dubbing.output_name == "interview.es.dubbed.mp4"  # not the source's "interview.mp4"
    assert dubbing.projects[1].status == "translated"


def test_a_failed_step_of_the_open_project_shows_its_error_and_hint(dubbing: DubbingState) -> None:
    dubbing._show(project_view(3))
    failed = project_view(
        3, status="failed", failed_step="clone", error="Voice rejected", retry_hint="Retry it."
    )
    apply(dubbing, failed)
    assert [step.state for step in dubbing.steps] == ["done", "done", "failed", "todo"]
    assert (dubbing.failed_step, dubbing.project_error, dubbing.retry_hint) == (
        "clone",
        "Voice rejected",
        "Retry it.",
    )


def test_another_project_leaves_the_open_one(dubbing: DubbingState) -> None:
    dubbing._show(project_view(3, status="transcribed"))
    apply(dubbing, project_view(2, status="failed"))
    assert (dubbing.open_id, dubbing.project.status) == ("3", "transcribed")


def test_ticked_segments_that_are_gone_are_forgotten(dubbing: DubbingState) -> None:
    view = project_view(
        3, segments=[segment("s1", "speaker_1", 0, 1), segment("s2", "speaker_1", 1, 2)]
    )
    dubbing._show(view)
    dubbing.toggle_segment("s1", True)
    dubbing.toggle_segment("s2", True)
    dubbing.toggle_segment("s2", False)
    dubbing.toggle_segment("s2", True)
    assert dubbing.selected == ["s1", "s2"]
    apply(dubbing, project_view(3, segments=[segment("s2", "speaker_1", 1, 2)]))
    assert dubbing.selected == ["s2"]


def test_a_stale_page_has_no_project_open() -> None:
    with pytest.raises(NotFoundError, match=r"^Open a project first\.$"):
        project_id_of("")
    with pytest.raises(NotFoundError):
        project_id_of("not-an-id")
    assert project_id_of("12") == 12


@pytest.mark.parametrize(
    "progress",
    [
        {"loaded": "abc", "total": 10, "progress": 0.5},
        {"loaded": 5, "total": 10, "progress": "inf"},
        {"loaded": -3, "total": None, "progress": float("nan")},
        {"loaded": [1], "total": {"x": 1}, "progress": "half"},
    ],
)
def test_a_crafted_upload_progress_reads_as_no_progress(
    dubbing: DubbingState, progress: dict
) -> None:
    dubbing.upload_progress(progress)
    assert 0 <= dubbing.receive_percent <= 100


def test_upload_progress_shows_the_browsers_fraction(dubbing: DubbingState) -> None:
    dubbing.upload_progress({"loaded": 50, "total": 100, "progress": 0.5})
    assert dubbing.receive_percent == 50
