"""The dubbing page's own render: its state as the project says (live), the confirm with the
cost of both ways, and starting it. A mixin of `DubbingState`."""

from __future__ import annotations

import reflex as rx

from orangeweb.services.dubbing import render_plans, render_runs
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.states.dubbing_steps import DubbingSteps, project_id_of
from orangeweb.states.form_inputs import new_submission_key


class DubbingRenders(DubbingSteps, mixin=True):
    render_state: str = ""
    render_percent: int = 0
    render_detail: str = ""
    render_error: str = ""
    render_warnings: list[str] = []
    render_url: str = ""
    render_file_name: str = ""
    render_changed: int = 0  # lines a render makes a take of (stale, or none pinned yet)
    # The confirm: its comparison in words ("" closed), the takes it makes, the cheaper way.
    plan_words: str = ""
    plan_takes: int = 0
    plan_recommended: str = ""
    render_key: str = ""  # sent with the confirm as rendered: a double click renders once

    def _show_render(self, view: DubbingProjectView) -> None:
        render = view.render
        self.render_state = render.state
        self.render_percent = round(render.progress * 100)
        self.render_detail = render.detail
        self.render_error = render.error or ""
        self.render_warnings = list(render.warnings)
        self.render_url = render.url or ""
        self.render_file_name = render.file_name
        self.render_changed = view.render_changed_count
        if not self.render_key:
            self.render_key = new_submission_key()

    @rx.var
    def render_running(self) -> bool:
        return self.render_state in ("waiting", "rendering")

    @rx.event
    async def open_render_plan(self) -> rx.event.EventSpec | None:
        open_id: str = self.open_id  # type: ignore[attr-defined]
        try:
            _, plan = await self._off_loop(
                lambda s, a: render_plans.render_plan(s, a, project_id_of(open_id))
            )
        except Exception as error:
            return self._fail(error)
        self.plan_words, self.plan_takes = plan.words, len(plan.needed_ids)
        self.plan_recommended = plan.recommended
        return None

    @rx.event
    def close_render_plan(self) -> None:
        self.plan_words = ""

    @rx.event
    async def render(self, submission_key: str) -> rx.event.EventSpec | None:
        self.plan_words = ""
        self.render_key = new_submission_key()
        return await self._review(
            lambda s, a, p: render_runs.start_render(s, a, p, submission_key=submission_key),
            "Render started: its progress shows here and in every open tab.",
        )
