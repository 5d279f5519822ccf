"""One step on the dubbing page's open project, as every part of the page runs it: the step and
the re-read project list off the event loop, the page busy meanwhile, then the project shown
and a toast. The base of `DubbingState`'s mixins (takes, speakers, imports)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import views
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.errors import NotFoundError
from orangeweb.services.ids import row_id
from orangeweb.states.base import AppState
from orangeweb.states.dubbing_project_rows import ProjectRow, project_row

MAX_PROJECTS = 30

ProjectStep = Callable[[Session, CurrentUser, int], Awaitable[DubbingProjectView]]
"""A service call on one project (session, user, project id) that returns it as it now is."""


def project_id_of(open_id: str) -> int:
    """The id of the project on screen (the page may be stale: then there is none)."""
    if not open_id:
        raise NotFoundError("Open a project first.")
    return row_id(open_id, "project")


def project_rows(session: Session, actor: CurrentUser) -> list[ProjectRow]:
    return [project_row(view) for view in views.list_projects(session, actor, limit=MAX_PROJECTS)]


class DubbingSteps(AppState, mixin=True):
    """Uses `DubbingState`'s `open_id`, `busy`, `projects` and `_show` (it is mixed into it)."""

    async def _review(self, step: ProjectStep, done: str) -> rx.event.EventSpec | None:
        """Run `step` on the open project and show it; a toast says `done` ("" for none), or
        what went wrong."""
        open_id: str = self.open_id  # type: ignore[attr-defined]

        async def call(session: Session, actor: CurrentUser) -> tuple[Any, list[ProjectRow]]:
            view = await step(session, actor, project_id_of(open_id))
            return view, project_rows(session, actor)

        self.busy = True  # type: ignore[attr-defined]
        try:
            # The whole step (its database work and the request) runs off the event loop.
            _, (view, rows) = await self._off_loop_async(call)
        except Exception as error:
            return self._fail(error)
        finally:
            self.busy = False  # type: ignore[attr-defined]
        self._show(view)  # type: ignore[attr-defined]
        self.projects = rows  # type: ignore[attr-defined]
        return rx.toast.success(done) if done else None
