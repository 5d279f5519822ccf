"""Home's getting-started steps: ticked from what the team has (a key, a character, a take, a
dub), read on load and again when a job finishes (a job notice), so a take or a dub that
completes while Home is open ticks its step live. A new character sends no notice: the next
load of Home reads it."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.services.onboarding import Progress, read_progress
from orangeweb.states.base import AppState
from orangeweb.states.live import LiveView


class OnboardingState(LiveView, AppState):
    has_key: bool = False
    has_character: bool = False
    has_take: bool = False
    has_dub: bool = False
    progress_loaded: bool = False

    @classmethod
    def _live_read(cls, session: Session, actor: CurrentUser, notice: JobNotice) -> Any:
        # Only a finished job can complete a step; progress notices cost no query.
        return read_progress(session, actor) if notice.is_final else None

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: Any) -> bool:
        if isinstance(detail, Progress):
            self._show_page(detail)
        return False

    def _read_page(self, session: Session, actor: CurrentUser) -> Progress:
        return read_progress(session, actor)

    def _show_page(self, data: Progress) -> None:
        self.has_key, self.has_character = data.has_key, data.has_character
        self.has_take, self.has_dub = data.has_take, data.has_dub
        self.progress_loaded = True

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        try:
            _, progress = await self._off_loop(self._read_page)
        except Exception as error:
            return self._fail(error)
        self._show_page(progress)
        return None
