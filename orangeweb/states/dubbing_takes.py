"""The dubbing page's takes of single lines: preview a segment in its character's voice (one
voice job), pin the take that is the line's audio. A mixin of `DubbingState`."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import takes
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.ids import row_id
from orangeweb.states.dubbing_steps import DubbingSteps
from orangeweb.states.form_inputs import new_submission_key


class DubbingTakes(DubbingSteps, mixin=True):
    # Sent with each "Preview" click as it was rendered: a double click makes one take.
    preview_key: str = ""

    def _renew_preview_key(self, *, only_if_unset: bool = False) -> None:
        if not (only_if_unset and self.preview_key):
            self.preview_key = new_submission_key()

    @rx.event
    async def preview_segment(
        self, segment_id: str, submission_key: str
    ) -> rx.event.EventSpec | None:
        """Make a take of one line in its character's voice (one voice job)."""
        self._renew_preview_key()
        return await self._review(
            lambda s, a, p: takes.preview_segment(
                s, a, p, segment_id, submission_key=submission_key
            ),
            "Take requested: it plays here when it is ready.",
        )

    @rx.event
    async def pin_take(self, take_id: str) -> rx.event.EventSpec | None:
        async def pin(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return takes.pin_take(session, actor, project, row_id(take_id, "take"))

        return await self._review(pin, "Take pinned: it is this line's audio.")

    @rx.event
    async def revert_to_take(self, take_id: str) -> rx.event.EventSpec | None:
        """Back to a take: its words become the line again, and it is pinned."""
        seen: int = self.revision  # type: ignore[attr-defined]

        async def revert(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return await takes.revert_to_take(
                session, actor, project, seen, row_id(take_id, "take")
            )

        return await self._review(revert, "Back to that take: its words and audio.")
