"""The live job lists (Voice studio's takes, Stories, Jobs, Home's activity): a notice updates
the one row it names, or puts a new job at the top when the list would show it there, from the
job the listener already read: no query per notice and tab."""

from __future__ import annotations

from typing import ClassVar

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import JobDetail, JobView
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.states.base import AppState
from orangeweb.states.job_rows import JobRow, job_row, replace_row
from orangeweb.states.live import LiveView


def newest_first(rows: list[JobRow], fresh: JobRow, limit: int) -> list[JobRow]:
    """`fresh` on top of `rows`, at most `limit` rows."""
    return [fresh, *rows][: max(limit, 0)]


def is_newer_than(rows: list[JobRow], fresh: JobRow) -> bool:
    """Whether `fresh` was made after every row shown (ids grow with creation)."""
    return all(int(fresh.id) > int(row.id) for row in rows)


class JobListView(LiveView, AppState, mixin=True):
    """A page state with one live list of job rows in the state var named `job_list_var`."""

    job_list_var: ClassVar[str] = "rows"
    job_list_limit: ClassVar[int] = 20

    def _job_list(self) -> list[JobRow]:
        return list(getattr(self, self.job_list_var))

    def _set_job_list(self, rows: list[JobRow]) -> None:
        setattr(self, self.job_list_var, rows)

    def _job_list_shows(self, actor: CurrentUser, job: JobView) -> bool:
        """Whether this list would pick `job` (its kind, its author, the filters)."""
        return True

    def _job_list_missed(self, actor: CurrentUser, job: JobView) -> bool:
        """A job the list picks, not on screen and not newer than what is: by default it
        belongs further down (or on another page), so nothing changes. True: re-read."""
        return False

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> bool:
        if detail is None:
            return False
        fresh = job_row(detail.job, actor)
        rows, found = replace_row(self._job_list(), fresh)
        if found:  # on screen: updated, even if it would no longer be picked
            self._set_job_list(rows)
        elif not self._job_list_shows(actor, detail.job):
            return False
        elif is_newer_than(rows, fresh):
            self._job_list_added(fresh)
        else:
            return self._job_list_missed(actor, detail.job)
        return False

    def _job_list_added(self, fresh: JobRow) -> None:
        self._set_job_list(newest_first(self._job_list(), fresh, self.job_list_limit))

    def _job_list_put(self, fresh: JobRow) -> None:
        """A job this tab just made or changed: its row replaced, or put on top."""
        rows, found = replace_row(self._job_list(), fresh)
        self._set_job_list(rows if found else newest_first(rows, fresh, self.job_list_limit))
