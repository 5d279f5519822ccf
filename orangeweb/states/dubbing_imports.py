"""The dubbing page's subtitle import: an SRT or WebVTT file into the open project's transcript
or translation, or as its segments (the file's times and speakers); every cue checked first,
one bad cue imports nothing. A mixin of `DubbingState`."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import subtitle_import, subtitle_layout
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.media.subtitle_files import (
    MAX_SUBTITLE_BYTES as MAX_SUBTITLE_BYTES,  # for the page
)
from orangeweb.states.dubbing_steps import DubbingSteps

SUBTITLE_UPLOAD_ID = "dub_subtitles"


class DubbingImports(DubbingSteps, mixin=True):
    import_into: str = "translation"  # "transcript" | "translation" | "segments"

    @rx.event
    def set_import_into(self, value: str | list[str]) -> None:
        self.import_into = value if value in ("transcript", "segments") else "translation"

    @rx.event
    async def import_subtitles(self, files: list[rx.UploadFile]):
        if not files:
            yield rx.toast.error("Choose an SRT or WebVTT file first.")
            return
        content = await files[0].read(MAX_SUBTITLE_BYTES + 1)
        into = self.import_into
        seen: int = self.revision  # type: ignore[attr-defined]
        counted: list[subtitle_import.SubtitleImport] = []

        async def read_in(session: Session, actor: CurrentUser, project: int) -> DubbingProjectView:
            if into == "segments":  # the file's cues become the segments, times and all
                done = await subtitle_layout.import_segments(session, actor, project, content, seen)
            else:
                done = await subtitle_import.import_subtitles(
                    session,
                    actor,
                    project,
                    content,
                    "transcript" if into == "transcript" else "translation",
                )
            counted.append(done)
            return done.project

        failed = await self._review(read_in, "")
        yield rx.clear_selected_files(SUBTITLE_UPLOAD_ID)
        if failed is not None or not counted:
            yield failed
            return
        done = counted[0]
        if into == "segments":
            yield rx.toast.success(
                f"{done.cues} cue{'s' if done.cues != 1 else ''} read: the transcript has "
                f"{done.cues} segments now ({done.changed} changed)."
            )
            return
        what = "transcript" if into == "transcript" else "translation"
        yield rx.toast.success(
            f"{done.cues} cue{'s' if done.cues != 1 else ''} read; "
            f"{done.changed} segment{'s' if done.changed != 1 else ''} of the {what} changed."
        )
