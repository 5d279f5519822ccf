"""The live job lists (Voice studio's takes, Stories, Jobs, Home's activity): a notice updates
the one row it names, or puts a new job at the top when the list would show it there, from the
job the listener already read: no query per notice and tab."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ClassVar, NamedTuple, Protocol, TypeVar

from sqlmodel import Session

from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import JobDetail, JobView
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.states.base import AppState, NotSignedIn
from orangeweb.states.form_inputs import CharacterChip, character_chips, new_submission_key
from orangeweb.states.job_rows import JobRow, job_row, replace_row
from orangeweb.states.live import LiveView
from orangeweb.states.speech_estimates import Rates, rates_var

T = TypeVar("T")


async def load_studio(state: StudioState) -> Exception | None:
    """What opening a studio (Voice, Stories) reads: the characters the user may voice with,
    their learned speaking rates (for the estimate) and the page's job list, off the event
    loop; a fresh submission key. The error, if any."""
    state.form_error = ""
    state.submission_key = new_submission_key()

    def read(session: Session, actor: CurrentUser) -> tuple[Any, ...]:
        rates = jobs.read_rates(session, actor.team_id)
        return character_chips(session, actor), state._read_page(session, actor), rates

    try:
        _, (chips, rows, rates) = await state._off_loop(read)
    except Exception as error:
        return error
    state.chips = chips
    state._rates = rates_var(rates)
    state._show_page(rows)
    state.loaded = True
    return None


async def submit_from_studio(
    state: StudioState, send: Callable[[Session, CurrentUser], Awaitable[JobView]]
) -> AsyncIterator[Any]:
    """One submission from a studio, off the event loop (its database work and the POST): the
    job's row joins the list; a failure shows in the form; the next click gets a new key."""
    try:
        actor, view = await state._off_loop_async(send)
        state._job_list_put(job_row(view, actor))
        if view.status == "failed" and view.error:
            state.form_error = view.error
    except NotSignedIn as error:
        yield state._fail(error)
    except Exception as error:
        state.form_error = state._words(error)
    finally:
        state.submitting = False
        state.submission_key = new_submission_key()


def newest_first(rows: list[JobRow], fresh: JobRow, limit: int) -> list[JobRow]:
    """`fresh` on top of `rows`, at most `limit` rows."""
    return [fresh, *rows][: max(limit, 0)]


def is_newer_than(rows: list[JobRow], fresh: JobRow) -> bool:
    """Whether `fresh` was made after every row shown (ids grow with creation)."""
    return all(int(fresh.id) > int(row.id) for row in rows)


class StudioState(Protocol):
    """The vars and hooks `load_studio` uses (VoiceState, StoriesState)."""

    form_error: str
    submission_key: str
    submitting: bool
    chips: list[CharacterChip]
    loaded: bool
    _rates: Rates

    async def _off_loop(
        self, work: Callable[[Session, CurrentUser], T]
    ) -> tuple[CurrentUser, T]: ...
    async def _off_loop_async(
        self, work: Callable[[Session, CurrentUser], Awaitable[T]]
    ) -> tuple[CurrentUser, T]: ...
    def _read_page(self, session: Session, actor: CurrentUser) -> list[JobRow]: ...
    def _job_list_put(self, fresh: JobRow) -> None: ...
    def _fail(self, error: Exception) -> Any: ...
    def _words(self, error: Exception) -> str: ...
    def _show_page(self, data: list[JobRow]) -> None: ...


class JobListView(LiveView, AppState, mixin=True):
    """A page state with one live list of job rows in the state var named `job_list_var`."""

    job_list_var: ClassVar[str] = "rows"
    job_list_limit: ClassVar[int] = 20

    def _job_list(self) -> list[JobRow]:
        return list(getattr(self, self.job_list_var))

    def _set_job_list(self, rows: list[JobRow]) -> None:
        setattr(self, self.job_list_var, rows)

    def _show_page(self, data: list[JobRow]) -> None:
        self._set_job_list(data)

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


class StudioRead(NamedTuple):
    """What a studio reads for one notice: the job, and the rates when it just finished."""

    detail: JobDetail | None
    rates: Any = None  # `jobs.read_rates`, or None when nothing could have changed them


class StudioListView(JobListView, mixin=True):
    """A studio's live list (Voice, Stories) whose estimates follow the team's takes: a job that
    finishes may have taught a character's speaking rate, so the rates are read again with it."""

    @classmethod
    def _live_with_detail(
        cls, session: Session, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None
    ) -> StudioRead:
        rates = jobs.read_rates(session, actor.team_id) if notice.is_final else None
        return StudioRead(detail, rates)

    def _live_apply(  # type: ignore[override]
        self, actor: CurrentUser, notice: JobNotice, read: StudioRead
    ) -> bool:
        if read.rates is not None:
            self._rates = rates_var(read.rates)
        return super()._live_apply(actor, notice, read.detail)
