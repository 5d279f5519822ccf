"""The live job lists (Jobs, Home's activity, Voice studio's takes, Stories): what one notice
does to the rows on screen, on the real Reflex state classes of one tab."""

from __future__ import annotations

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import JobEventView, JobView, SpeechRate
from orangeweb.states.form_inputs import CharacterChip
from orangeweb.states.job_lists import (
    JobListView,
    StudioListView,
    StudioRead,
    is_newer_than,
    newest_first,
)
from orangeweb.states.job_rows import JobRow, job_row
from orangeweb.states.jobs import ACTIVITY_LIMIT, PAGE_SIZE, ActivityState, JobsState
from orangeweb.states.stories import MAX_STORIES, StoriesState
from orangeweb.states.voice import MAX_TAKES, VoiceState
from tests.unit.states.builders import (
    CREATED,
    MIA,
    OLIVIA,
    Tab,
    detail_of,
    job_view,
    notice,
    running,
)


def rows(*views: JobView) -> list[JobRow]:
    return [job_row(view, OLIVIA) for view in views]


def ids(listed: list[JobRow]) -> list[str]:
    return [row.id for row in listed]


def apply(state: JobListView, view: JobView, actor: CurrentUser = OLIVIA) -> bool:
    """A notice for `view`'s job, read as `view`: whether the list asks for a re-read."""
    if isinstance(state, StudioListView):
        return state._live_apply(actor, notice(view.id), StudioRead(detail_of(view)))
    return state._live_apply(actor, notice(view.id), detail_of(view))


# --- the helpers ---


def test_newest_first_puts_the_row_on_top_within_the_limit() -> None:
    listed = rows(running(3), running(2), running(1))
    fresh = job_row(running(4), OLIVIA)
    assert ids(newest_first(listed, fresh, 3)) == ["4", "3", "2"]
    assert ids(newest_first(listed, fresh, 10)) == ["4", "3", "2", "1"]
    assert newest_first(listed, fresh, 0) == []


def test_is_newer_than_compares_ids_as_numbers() -> None:
    listed = rows(running(10), running(9))
    assert is_newer_than(listed, job_row(running(11), OLIVIA)) is True
    assert is_newer_than(listed, job_row(running(9), OLIVIA)) is False
    assert is_newer_than(rows(running(2)), job_row(running(10), OLIVIA)) is True  # not "10" < "2"
    assert is_newer_than([], job_row(running(1), OLIVIA)) is True


# --- the mixin's rules, as every list applies them ---


def test_no_detail_changes_nothing(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(running(2), running(1))
    jobs.total = 2
    before = list(jobs.rows)
    assert jobs._live_apply(OLIVIA, notice(3), None) is False
    assert jobs.rows == before and jobs.total == 2
    activity = tab(ActivityState)
    assert activity._live_apply(OLIVIA, notice(3), None) is False
    assert activity._job_list() == []
    for state_cls in (VoiceState, StoriesState):
        studio = tab(state_cls)
        assert studio._live_apply(OLIVIA, notice(3), StudioRead(None)) is False
        assert studio._job_list() == []


def test_a_row_on_screen_is_replaced_where_it_is(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(running(3), running(2), running(1))
    assert apply(jobs, job_view(2, status="completed")) is False
    assert ids(jobs.rows) == ["3", "2", "1"]
    assert (jobs.rows[1].status, jobs.rows[1].is_final) == ("completed", True)


def test_a_row_on_screen_is_replaced_even_if_the_filters_no_longer_pick_it(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.status = "processing"
    jobs.rows = rows(running(3), running(2))
    jobs.total = 2
    assert apply(jobs, job_view(2, status="failed", is_final=True, succeeded=False)) is False
    assert ids(jobs.rows) == ["3", "2"]
    assert jobs.rows[1].status == "failed"
    assert jobs.total == 2


# --- JobsState ---


def test_jobs_a_new_job_on_page_one_goes_on_top_and_counts(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(running(2), running(1))
    jobs.total, jobs.pages = 2, 1
    assert apply(jobs, running(3)) is False
    assert ids(jobs.rows) == ["3", "2", "1"]
    assert (jobs.total, jobs.pages) == (3, 1)


def test_jobs_a_new_job_on_a_full_page_one_pushes_the_last_row_off(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(*(running(n) for n in range(PAGE_SIZE, 0, -1)))
    jobs.total, jobs.pages = PAGE_SIZE, 1
    apply(jobs, running(PAGE_SIZE + 1))
    assert len(jobs.rows) == PAGE_SIZE
    assert ids(jobs.rows)[0] == str(PAGE_SIZE + 1) and ids(jobs.rows)[-1] == "2"
    assert (jobs.total, jobs.pages) == (PAGE_SIZE + 1, 2)


def test_jobs_a_new_job_seen_from_page_two_changes_nothing(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.page, jobs.pages, jobs.total = 2, 2, 25
    jobs.rows = rows(running(5), running(4), running(3))
    before = list(jobs.rows)
    assert apply(jobs, running(30)) is False
    assert jobs.rows == before
    assert (jobs.page, jobs.pages, jobs.total) == (2, 2, 25)


def test_jobs_a_new_job_the_filters_do_not_pick_is_ignored(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(running(2))
    jobs.total = 1
    for filters, view in [
        ({"kind": "batch"}, running(3, kind="voice")),
        ({"status": "failed"}, running(3)),
        ({"member": str(MIA.user_id)}, running(3, created_by_id=OLIVIA.user_id)),
        ({"key": "8"}, running(3, api_key_id=7)),
    ]:
        jobs.kind = jobs.status = jobs.member = jobs.key = "all"
        for name, value in filters.items():
            setattr(jobs, name, value)
        assert apply(jobs, view) is False, filters
        assert ids(jobs.rows) == ["2"] and jobs.total == 1, filters


def test_jobs_a_new_job_the_filters_pick_is_shown(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.kind, jobs.status, jobs.member, jobs.key = "dialogue", "processing", str(MIA.user_id), "7"
    jobs.rows = rows(running(2, kind="dialogue"))
    jobs.total = 1
    apply(jobs, running(3, kind="dialogue", created_by_id=MIA.user_id, api_key_id=7))
    assert ids(jobs.rows) == ["3", "2"] and jobs.total == 2


def test_jobs_an_older_job_now_matching_asks_for_a_re_read(tab: Tab) -> None:
    # Page 1 of "failed" jobs shows #9 and #4; #6 (not on screen) has just failed.
    jobs = tab(JobsState)
    jobs.status = "failed"
    failed = {"status": "failed", "is_final": True, "succeeded": False}
    jobs.rows = rows(job_view(9, **failed), job_view(4, **failed))
    assert apply(jobs, job_view(6, **failed)) is True
    assert ids(jobs.rows) == ["9", "4"]  # the re-read will place it


def test_jobs_an_older_job_between_the_rows_of_a_full_page_one_asks_for_a_re_read(
    tab: Tab,
) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(*(running(n) for n in range(60, 20, -2)))  # #60, #58 ... #22
    assert len(jobs.rows) == PAGE_SIZE
    assert apply(jobs, running(31)) is True
    assert apply(jobs, running(21)) is False  # older than every row: on page 2


def test_jobs_an_older_job_below_a_full_page_one_stays_below(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(*(running(n) for n in range(PAGE_SIZE + 10, 10, -1)))
    assert apply(jobs, running(5)) is False  # it belongs on a later page
    assert len(jobs.rows) == PAGE_SIZE


def test_jobs_an_older_job_matching_from_page_two_changes_nothing(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.page, jobs.pages = 2, 3
    jobs.rows = rows(running(30), running(20))
    assert apply(jobs, running(25)) is False
    assert ids(jobs.rows) == ["30", "20"]


def test_jobs_the_open_detail_follows_its_job(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.rows = rows(running(4))
    jobs.detail = job_row(running(4), OLIVIA)
    done = job_view(4, status="completed", request={"text": "Hello"})
    events = [JobEventView(status="completed", at=CREATED, detail=None)]
    jobs._live_apply(OLIVIA, notice(4), detail_of(done, *events))
    assert jobs.detail.status == "completed"
    assert [(e.status, e.at) for e in jobs.detail_events] == [
        ("completed", "2030-01-15 12:00:05 UTC")
    ]
    assert '"text": "Hello"' in jobs.detail_request
    assert jobs.detail_open is True


def test_jobs_another_jobs_notice_leaves_the_open_detail(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.detail = job_row(running(4), OLIVIA)
    jobs._live_apply(OLIVIA, notice(5), detail_of(job_view(5)))
    assert (jobs.detail.id, jobs.detail.status) == ("4", "processing")


# --- ActivityState ---


def test_activity_a_running_job_goes_first(tab: Tab) -> None:
    activity = tab(ActivityState)
    activity.activity = rows(running(5), job_view(4))
    assert apply(activity, running(6)) is False
    assert ids(activity.activity) == ["6", "5", "4"]


def test_activity_a_finished_job_goes_after_the_running_ones(tab: Tab) -> None:
    activity = tab(ActivityState)
    activity.activity = rows(running(5), running(3), job_view(4), job_view(2))
    apply(activity, job_view(6))
    assert ids(activity.activity) == ["5", "3", "6", "4", "2"]


def test_activity_keeps_its_limit(tab: Tab) -> None:
    activity = tab(ActivityState)
    activity.activity = rows(*(running(n) for n in range(ACTIVITY_LIMIT, 0, -1)))
    apply(activity, running(ACTIVITY_LIMIT + 1))
    assert len(activity.activity) == ACTIVITY_LIMIT
    assert ids(activity.activity)[0] == str(ACTIVITY_LIMIT + 1)
    apply(activity, job_view(ACTIVITY_LIMIT + 2))  # finished, after eight running: off the list
    assert str(ACTIVITY_LIMIT + 2) not in ids(activity.activity)


def test_activity_shows_every_members_jobs_and_an_older_one_that_changed(tab: Tab) -> None:
    activity = tab(ActivityState)
    activity.activity = rows(running(7), job_view(6))
    assert apply(activity, running(3, created_by_id=MIA.user_id)) is False  # no re-read
    assert ids(activity.activity) == ["3", "7", "6"]
    assert activity.activity[0].mine is False
    apply(activity, job_view(2))
    assert ids(activity.activity) == ["3", "7", "2", "6"]


def test_activity_a_job_on_screen_that_finished_is_updated_in_place(tab: Tab) -> None:
    activity = tab(ActivityState)
    activity.activity = rows(running(7), running(5), job_view(4))
    apply(activity, job_view(5))
    assert ids(activity.activity) == ["7", "5", "4"]
    assert activity.activity[1].is_final is True


# --- VoiceState ---


def test_voice_shows_the_users_own_new_takes(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.takes = rows(running(2))
    apply(voice, running(3, kind="voice"))
    apply(voice, running(4, kind="dialogue"))
    assert ids(voice.takes) == ["4", "3", "2"]


def test_voice_ignores_other_members_takes_and_other_kinds(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.takes = rows(running(2))
    assert apply(voice, running(3, created_by_id=MIA.user_id)) is False
    assert apply(voice, running(4, kind="batch")) is False
    assert apply(voice, running(5, kind="dubbing")) is False
    assert ids(voice.takes) == ["2"]


def test_voice_shows_mias_take_to_mia(tab: Tab) -> None:
    voice = tab(VoiceState)
    apply(voice, running(3, created_by_id=MIA.user_id), actor=MIA)
    assert ids(voice.takes) == ["3"]
    assert voice.takes[0].mine is True


def test_voice_keeps_its_limit_and_an_older_take_does_not_move_in(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.takes = rows(*(running(n) for n in range(MAX_TAKES + 10, 10, -1)))
    apply(voice, running(100))
    assert len(voice.takes) == MAX_TAKES and voice.takes[0].id == "100"
    assert apply(voice, running(1)) is False
    assert "1" not in ids(voice.takes)


def test_a_finished_take_refreshes_the_studios_speaking_rates(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.chips = [CharacterChip("11", "seed", "Alex", "adventurer")]
    voice.set_single_character("11")
    voice.set_single_text("a" * 134)
    assert "first take of Alex" in voice.single_estimate
    learned = {11: SpeechRate(seconds_per_char=0.1, takes=1)}
    apply_read = StudioRead(detail_of(job_view(3)), learned)
    assert voice._live_apply(OLIVIA, notice(3), apply_read) is False
    assert "from 1 take of Alex" in voice.single_estimate  # no reload


# --- StoriesState ---


def test_stories_show_only_stories_from_every_member(tab: Tab) -> None:
    stories = tab(StoriesState)
    apply(stories, running(3, kind="batch", created_by_id=MIA.user_id))
    apply(stories, running(4, kind="voice"))
    apply(stories, running(5, kind="dialogue"))
    apply(stories, running(6, kind="dubbing"))
    apply(stories, running(7, kind="karaoke"))
    assert ids(stories.stories) == ["3"]


def test_stories_keep_their_limit(tab: Tab) -> None:
    stories = tab(StoriesState)
    for n in range(1, MAX_STORIES + 3):
        apply(stories, running(n, kind="batch"))
    assert ids(stories.stories) == [str(n) for n in range(MAX_STORIES + 2, 2, -1)]


# --- a job this tab made itself ---


def test_a_job_this_tab_made_is_put_on_top_or_replaced(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.takes = rows(running(2), running(1))
    voice._job_list_put(job_row(running(3), OLIVIA))
    assert ids(voice.takes) == ["3", "2", "1"]
    voice._job_list_put(job_row(job_view(2, status="failed"), OLIVIA))
    assert ids(voice.takes) == ["3", "2", "1"] and voice.takes[1].status == "failed"
