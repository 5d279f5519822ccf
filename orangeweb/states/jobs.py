"""Jobs: every job of the team in one table (filtered, paginated in SQL, newest first), a
detail dialog with the request, status history and outputs; and Home's team-activity panel.
Both update live through `LiveState`."""

from __future__ import annotations

import json

import reflex as rx

from orangeweb.services import jobs
from orangeweb.services.accounts import teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.ids import row_id
from orangeweb.services.jobs import JobDetail
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.services.keys.store import list_api_keys
from orangeweb.states.base import AppState
from orangeweb.states.live import LiveView, live_view
from orangeweb.states.rows import EventRow, JobRow, empty_row, event_row, job_row, replace_row

ALL = "all"
PAGE_SIZE = 20
KIND_OPTIONS: list[list[str]] = [
    [ALL, "Every kind"],
    ["voice", "Voice"],
    ["dialogue", "Dialogue"],
    ["batch", "Story"],
    ["dubbing", "Dubbing"],
]
STATUS_OPTIONS: list[list[str]] = [
    [ALL, "Every status"],
    ["submitting", "Submitting"],
    ["queued", "Queued"],
    ["processing", "Processing"],
    ["completed", "Completed"],
    ["partial", "Partial"],
    ["failed", "Failed"],
    ["unknown", "Unknown"],
]
ACTIVITY_LIMIT = 8


def _int_or_none(value: str) -> int | None:
    return None if value in ("", ALL) else row_id(value, "filter choice")


@live_view("/jobs")
class JobsState(LiveView, AppState):
    loaded: bool = False
    rows: list[JobRow] = []
    kind: str = ALL
    status: str = ALL
    member: str = ALL
    key: str = ALL
    page: int = 1
    pages: int = 1
    total: int = 0
    member_options: list[list[str]] = [[ALL, "Every member"]]
    key_options: list[list[str]] = [[ALL, "Every key"]]
    # The detail dialog.
    detail: JobRow = empty_row()
    detail_events: list[EventRow] = []
    detail_request: str = ""

    @rx.var
    def detail_open(self) -> bool:
        return self.detail.id != ""

    @rx.var
    def filtered(self) -> bool:
        return self.kind != ALL or self.status != ALL or self.member != ALL or self.key != ALL

    def _query(self, actor: CurrentUser) -> None:
        with self._db() as session:
            result = jobs.list_jobs(
                session,
                actor,
                kind=None if self.kind == ALL else self.kind,
                status=None if self.status == ALL else self.status,
                member_id=_int_or_none(self.member),
                api_key_id=_int_or_none(self.key),
                page=self.page,
                page_size=PAGE_SIZE,
            )
        self.rows = [job_row(view, actor) for view in result.items]
        self.total, self.pages = result.total, max(result.pages, 1)
        self.page = min(max(result.page, 1), self.pages)

    def _refresh(self) -> None:
        self._query(self._actor())

    def _requery(self) -> rx.event.EventSpec | None:
        return self._act(lambda _session, _actor: None)

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        self.detail, self.detail_events, self.detail_request = empty_row(), [], ""
        try:
            actor = self._actor()
            with self._db() as session:
                members = teams.list_members(session, actor)
                keys = list_api_keys(session, actor)
            self.member_options = [
                [ALL, "Every member"],
                *[[str(m.user_id), m.display_name] for m in members],
            ]
            self.key_options = [
                [ALL, "Every key"],
                *[[str(k.id), f"{k.label} ···{k.last4}"] for k in keys],
            ]
            self._query(actor)
        except Exception as error:
            return self._fail(error)
        self.loaded = True
        return None

    # --- filters and pages ---
    @rx.event
    def set_kind(self, value: str) -> rx.event.EventSpec | None:
        self.kind, self.page = value, 1
        return self._requery()

    @rx.event
    def set_status(self, value: str) -> rx.event.EventSpec | None:
        self.status, self.page = value, 1
        return self._requery()

    @rx.event
    def set_member(self, value: str) -> rx.event.EventSpec | None:
        self.member, self.page = value, 1
        return self._requery()

    @rx.event
    def set_key(self, value: str) -> rx.event.EventSpec | None:
        self.key, self.page = value, 1
        return self._requery()

    @rx.event
    def clear_filters(self) -> rx.event.EventSpec | None:
        self.kind = self.status = self.member = self.key = ALL
        self.page = 1
        return self._requery()

    @rx.event
    def go_to_page(self, page: int) -> rx.event.EventSpec | None:
        self.page = max(1, min(page, self.pages))
        return self._requery()

    # --- detail ---
    def _show(self, detail: JobDetail, actor: CurrentUser) -> None:
        self.detail = job_row(detail.job, actor)
        self.detail_events = [event_row(event) for event in detail.events]
        self.detail_request = json.dumps(detail.job.request, indent=2, ensure_ascii=False)

    @rx.event
    def open_detail(self, job_id: str) -> rx.event.EventSpec | None:
        try:
            actor = self._actor()
            with self._db() as session:
                self._show(jobs.get_job(session, actor, row_id(job_id, "job")), actor)
        except Exception as error:
            return self._fail(error)
        return None

    @rx.event
    def close_detail(self, open_: bool = False) -> None:
        if not open_:
            self.detail, self.detail_events, self.detail_request = empty_row(), [], ""

    # --- live ---
    def _live_resync(self, actor: CurrentUser) -> None:
        self._query(actor)

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> None:
        if detail is None:
            return
        fresh = job_row(detail.job, actor)
        self.rows, found = replace_row(self.rows, fresh)
        if not found and self.page == 1:
            self._query(actor)  # a new job: it belongs at the top if the filters let it
        if self.detail.id == fresh.id:
            self._show(detail, actor)


@live_view("/")
class ActivityState(LiveView, AppState):
    """Home's panel: the team's running and just-finished jobs, every member."""

    activity: list[JobRow] = []
    activity_loaded: bool = False

    def _reload(self, actor: CurrentUser) -> None:
        with self._db() as session:
            views = jobs.team_activity(session, actor, limit=ACTIVITY_LIMIT)
        self.activity = [job_row(view, actor) for view in views]
        self.activity_loaded = True

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        try:
            self._reload(self._actor())
        except Exception as error:
            return self._fail(error)
        return None

    def _live_resync(self, actor: CurrentUser) -> None:
        self._reload(actor)

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> None:
        if detail is None:
            return
        self.activity, found = replace_row(self.activity, job_row(detail.job, actor))
        if not found:
            self._reload(actor)
