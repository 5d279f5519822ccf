"""The dubbing page's speakers: rename one (Enter or leaving the field saves), move the
selected segments to a speaker, merge one speaker into another. A mixin of `DubbingState`."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import review, speaker_characters, speaker_repair
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.ids import row_id
from orangeweb.states.dubbing_steps import DubbingSteps


class DubbingSpeakers(DubbingSteps, mixin=True):
    # Speaker name fields being typed in, by speaker id (Enter saves one).
    _name_drafts: dict[str, str] = {}
    # "Make a character of this voice": its name and avatar style.
    voice_name_draft: str = ""
    voice_style_draft: str = "adventurer"

    @rx.event
    def set_voice_name_draft(self, name: str) -> None:
        self.voice_name_draft = name

    @rx.event
    def set_voice_style_draft(self, style: str) -> None:
        self.voice_style_draft = style

    @rx.event
    async def character_from_speaker(self, speaker_id: str) -> rx.event.EventSpec | None:
        """Make a character of a speaker's voice (their selected segments, else all) and voice
        the speaker with it."""
        name, style = self.voice_name_draft, self.voice_style_draft
        chosen = [
            s.id for s in self.segments if s.id in self.selected and s.speaker_id == speaker_id
        ]

        async def make(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return await speaker_characters.character_from_speaker(
                session, actor, project, speaker_id, name, style, segment_ids=chosen
            )

        outcome = await self._review(make, f"Character “{name.strip()}” made of this voice.")
        if any(s.id == speaker_id and s.voice_name == name.strip() for s in self.speakers):
            self.voice_name_draft = ""
        return outcome

    @rx.event
    async def rename(self, speaker_id: str, name: str) -> rx.event.EventSpec | None:
        """Leaving the speaker's name field."""
        return await self._rename(speaker_id, name)

    async def _rename(self, speaker_id: str, name: str) -> rx.event.EventSpec | None:
        """Rename a speaker; the same name again (Enter, then leaving) does nothing."""
        current = next((s.name for s in self.speakers if s.id == speaker_id), None)
        if current is not None and current == " ".join(name.split()):
            return None
        open_id = self.open_id
        return await self._act(
            lambda s, a: review.rename_speaker(s, a, row_id(open_id, "project"), speaker_id, name),
            "Speaker renamed.",
        )

    @rx.event
    def set_name_draft(self, speaker_id: str, name: str) -> None:
        """What the speaker's name field holds while it is typed in (saved on Enter)."""
        self._name_drafts[speaker_id] = name

    @rx.event
    async def name_key(self, speaker_id: str, key: str) -> rx.event.EventSpec | None:
        """Enter in the speaker's name field saves it, as leaving the field does."""
        if key != "Enter" or speaker_id not in self._name_drafts:
            return None
        return await self._rename(speaker_id, self._name_drafts.pop(speaker_id))

    @rx.event
    async def move_selected(self, speaker_id: str) -> rx.event.EventSpec | None:
        """Give the selected segments to one speaker, in one request."""
        chosen = list(self.selected)

        async def move(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return await speaker_repair.move_segments(session, actor, project, chosen, speaker_id)

        done = f"{len(chosen)} segment{'s' if len(chosen) != 1 else ''} moved."
        outcome = await self._review(move, done)
        if all(s.speaker_id == speaker_id for s in self.segments if s.id in chosen):
            self.selected = []  # moved: the selection has done its work
        return outcome

    @rx.event
    async def merge_speaker(
        self, from_speaker: str, into_speaker: str
    ) -> rx.event.EventSpec | None:
        """The transcriber heard one person as two: every segment of one goes to the other."""

        async def merge(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return await speaker_repair.merge_speakers(
                session, actor, project, from_speaker, into_speaker
            )

        return await self._review(merge, "Speakers merged.")

    @rx.event
    async def split_selected(self) -> rx.event.EventSpec | None:
        """The selected segments (of one speaker) become a new speaker's."""
        chosen, seen = list(self.selected), self.revision  # type: ignore[attr-defined]

        async def split(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            return await speaker_repair.split_speaker(session, actor, project, seen, chosen)

        outcome = await self._review(split, "A new speaker: choose their voice below.")
        if self.revision != seen:  # type: ignore[attr-defined]
            self.selected = []  # split: the selection has done its work
        return outcome
