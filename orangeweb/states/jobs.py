"""Jobs: every job of the team in one table (filtered, paginated in SQL, newest first), a
detail dialog with the request, status history and outputs; and Home's team-activity panel.
Both update live through `LiveState`."""

from __future__ import annotations

import json
import math
from typing import Any, ClassVar

import reflex as rx
from sqlmodel import Session

from orangeweb.services import jobs
from orangeweb.services.accounts import teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.ids import row_id
from orangeweb.services.jobs import JobDetail, JobPage, JobView
from orangeweb.services.jobs.kinds import KINDS
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.services.keys.store import list_api_keys
from orangeweb.states.base import AppState
from orangeweb.states.job_lists import JobListView
from orangeweb.states.job_rows import EventRow, JobRow, empty_row, event_row, job_row

ALL = "all"
PAGE_SIZE = 20
KIND_OPTIONS: list[list[str]] = [
    [ALL, "Every kind"],
    *[[kind.name, kind.label] for kind in KINDS.values()],
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


class JobsState(JobListView, AppState):
    job_list_var: ClassVar[str] = "rows"
    job_list_limit: ClassVar[int] = PAGE_SIZE

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

    def _read_page(self, session: Session, actor: CurrentUser) -> tuple[JobPage, CurrentUser]:
        page = jobs.list_jobs(
            session,
            actor,
            kind=None if self.kind == ALL else self.kind,
            status=None if self.status == ALL else self.status,
            member_id=_int_or_none(self.member),
            api_key_id=_int_or_none(self.key),
            page=self.page,
            page_size=PAGE_SIZE,
        )
        return page, actor

    def _show_page(self, data: tuple[JobPage, CurrentUser]) -> None:
        result, actor = data
        self.rows = [job_row(view, actor) for view in result.items]
        self.total, self.pages = result.total, max(result.pages, 1)
        self.page = min(max(result.page, 1), self.pages)

    async def _requery(self) -> rx.event.EventSpec | None:
        return await self._act(lambda _session, _actor: None)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.detail, self.detail_events, self.detail_request = empty_row(), [], ""

        def read(session: Session, actor: CurrentUser) -> tuple[list, list, Any]:
            members = teams.list_members(session, actor)
            keys = list_api_keys(session, actor)
            return members, keys, self._read_page(session, actor)

        try:
            _, (members, keys, page) = await self._off_loop(read)
        except Exception as error:
            return self._fail(error)
        self.member_options = [
            [ALL, "Every member"],
            *[[str(m.user_id), m.display_name] for m in members],
        ]
        self.key_options = [
            [ALL, "Every key"],
            *[[str(k.id), f"{k.label} ···{k.last4}"] for k in keys],
        ]
        self._show_page(page)
        self.loaded = True
        return None

    # --- filters and pages ---
    @rx.event
    async def set_kind(self, value: str) -> rx.event.EventSpec | None:
        self.kind, self.page = value, 1
        return await self._requery()

    @rx.event
    async def set_status(self, value: str) -> rx.event.EventSpec | None:
        self.status, self.page = value, 1
        return await self._requery()

    @rx.event
    async def set_member(self, value: str) -> rx.event.EventSpec | None:
        self.member, self.page = value, 1
        return await self._requery()

    @rx.event
    async def set_key(self, value: str) -> rx.event.EventSpec | None:
        self.key, self.page = value, 1
        return await self._requery()

    @rx.event
    async def clear_filters(self) -> rx.event.EventSpec | None:
        self.kind = self.status = self.member = self.key = ALL
        self.page = 1
        return await self._requery()

    @rx.event
    async def go_to_page(self, page: int) -> rx.event.EventSpec | None:
        self.page = max(1, min(page, self.pages))
        return await self._requery()

    # --- detail ---
    def _show(self, detail: JobDetail, actor: CurrentUser) -> None:
        self.detail = job_row(detail.job, actor)
        self.detail_events = [event_row(event) for event in detail.events]
        self.detail_request = json.dumps(detail.job.request, indent=2, ensure_ascii=False)

    @rx.event
    async def open_detail(self, job_id: str) -> rx.event.EventSpec | None:
        try:
            job = row_id(job_id, "job")
            actor, detail = await self._off_loop(lambda s, a: jobs.get_job(s, a, job))
        except Exception as error:
            return self._fail(error)
        self._show(detail, actor)
        return None

    @rx.event
    def close_detail(self, open_: bool = False) -> None:
        if not open_:
            self.detail, self.detail_events, self.detail_request = empty_row(), [], ""

    # --- live ---
    def _job_list_shows(self, actor: CurrentUser, job: JobView) -> bool:
        return (
            self.kind in (ALL, job.kind)
            and self.status in (ALL, job.status)
            and self.member in (ALL, str(job.created_by_id))
            and self.key in (ALL, str(job.api_key_id))
        )

    def _job_list_added(self, fresh: JobRow) -> None:
        if self.page != 1:  # it is on page 1; this page keeps its rows
            return
        super()._job_list_added(fresh)
        self.total += 1
        self.pages = max(math.ceil(self.total / PAGE_SIZE), 1)

    def _job_list_missed(self, actor: CurrentUser, job: JobView) -> bool:
        # An older job that just started matching the filters may belong on page 1.
        rows = self.rows
        return self.page == 1 and (len(rows) < PAGE_SIZE or job.id > min(int(r.id) for r in rows))

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> bool:
        reread = super()._live_apply(actor, notice, detail)
        if detail is not None and self.detail.id == str(detail.job.id):
            self._show(detail, actor)
        return reread


class ActivityState(JobListView, AppState):
    """Home's panel: the team's running and just-finished jobs, every member."""

    job_list_var: ClassVar[str] = "activity"
    job_list_limit: ClassVar[int] = ACTIVITY_LIMIT

    activity: list[JobRow] = []
    activity_loaded: bool = False

    def _read_page(self, session: Session, actor: CurrentUser) -> list[JobRow]:
        views = jobs.team_activity(session, actor, limit=ACTIVITY_LIMIT)
        return [job_row(view, actor) for view in views]

    def _show_page(self, data: list[JobRow]) -> None:
        self.activity = data
        self.activity_loaded = True

    def _job_list_added(self, fresh: JobRow) -> None:
        # As `team_activity` orders it: running jobs first, then those that just finished;
        # the job that changed is the latest of its group.
        running = [row for row in self.activity if not row.is_final]
        finished = [row for row in self.activity if row.is_final]
        rows = [*running, fresh, *finished] if fresh.is_final else [fresh, *running, *finished]
        self.activity = rows[:ACTIVITY_LIMIT]

    def _job_list_missed(self, actor: CurrentUser, job: JobView) -> bool:
        self._job_list_added(job_row(job, actor))
        return False

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        try:
            _, rows = await self._off_loop(self._read_page)
        except Exception as error:
            return self._fail(error)
        self._show_page(rows)
        return None
