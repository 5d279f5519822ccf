"""Spending: where the team's credits went, as charts (rx.recharts) and a few figures."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.services.spending import SpendReport, SpendSlice, spend_report
from orangeweb.states.base import AppState
from orangeweb.states.job_rows import credits_words
from orangeweb.states.live import LiveView

ChartData = list[dict[str, str | int]]


def _bars(slices: tuple[SpendSlice, ...]) -> ChartData:
    return [{"label": s.label, "reported": s.reported, "estimated": s.estimated} for s in slices]


def _days(slices: tuple[SpendSlice, ...]) -> ChartData:
    # "2026-12-03" -> "12-03": the axis has 30 of them.
    return [{**bar, "label": str(bar["label"])[5:]} for bar in _bars(slices)]


class SpendingState(LiveView, AppState):
    loaded: bool = False
    has_spend: bool = False
    since: str = ""
    reported: str = ""
    estimated: str = ""
    last_7_days: str = ""
    last_30_days: str = ""
    by_day: ChartData = []
    by_member: ChartData = []
    by_key: ChartData = []
    by_kind: ChartData = []
    by_project: ChartData = []
    reasons: list[str] = []

    def _read_page(self, session: Session, actor: CurrentUser) -> SpendReport:
        return spend_report(session, actor)

    def _show_page(self, report: SpendReport) -> None:
        def window(part: SpendSlice) -> str:
            line = credits_words(part.reported)
            return line + (f" + ≈ {part.estimated} estimated" if part.estimated else "")

        self.has_spend = report.since is not None
        self.since = report.since.strftime("%Y-%m-%d") if report.since else ""
        self.reported = credits_words(report.reported)
        self.estimated = credits_words(report.estimated)
        self.last_7_days = window(report.last_7_days)
        self.last_30_days = window(report.last_30_days)
        self.by_day = _days(report.by_day)
        self.by_member = _bars(report.by_member)
        self.by_key = _bars(report.by_key)
        self.by_kind = _bars(report.by_kind)
        self.by_project = _bars(report.by_project)
        self.reasons = list(report.reasons)
        self.loaded = True

    @classmethod
    def _live_read(cls, session: Session, actor: CurrentUser, notice: JobNotice) -> None:
        return None

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: None) -> bool:
        return notice.is_final  # a finished job may have been charged: read the figures again

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        return await self._act(lambda _session, _actor: None)
