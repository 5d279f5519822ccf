"""Stories: ordered scenes, each with its text and character, submitted as one batch; the
team's recent stories with per-scene status and players, updating live; failed scenes
resubmitted alone; every scene or the whole story downloadable."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncGenerator
from typing import Any, ClassVar

import reflex as rx
from sqlmodel import Session

from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ValidationError
from orangeweb.services.ids import row_id
from orangeweb.services.jobs import JobView, SceneInput
from orangeweb.services.jobs.kinds import BATCH, kind_of
from orangeweb.states.base import AppState
from orangeweb.states.form_inputs import (
    CharacterChip,
    new_submission_key,
    selected_key_id,
)
from orangeweb.states.job_lists import StudioListView, load_studio, submit_from_studio
from orangeweb.states.job_rows import JobRow, job_row
from orangeweb.states.speech_estimates import Rates, voice_of

MAX_STORIES = 5
MAX_SCENES = 50


@dataclasses.dataclass
class SceneDraft:
    key: str
    number: int
    text: str
    character_id: str


def _draft(text: str = "", character_id: str = "") -> SceneDraft:
    return SceneDraft(key=uuid.uuid4().hex[:12], number=0, text=text, character_id=character_id)


def _numbered(scenes: list[SceneDraft]) -> list[SceneDraft]:
    return [dataclasses.replace(scene, number=n) for n, scene in enumerate(scenes, start=1)]


def _scene_inputs(scenes: list[SceneDraft]) -> list[SceneInput]:
    if not scenes:
        raise ValidationError("Add at least one scene.")
    for scene in scenes:
        if not scene.text.strip():
            raise ValidationError(f"Scene {scene.number} has no text.")
        if not scene.character_id:
            raise ValidationError(f"Scene {scene.number} has no character.")
    return [
        SceneInput(text=s.text.strip(), character_id=row_id(s.character_id, "character"))
        for s in scenes
    ]


class StoriesState(StudioListView, AppState):
    job_list_var: ClassVar[str] = "stories"
    job_list_limit: ClassVar[int] = MAX_STORIES

    loaded: bool = False
    chips: list[CharacterChip] = []
    title: str = ""
    scenes: list[SceneDraft] = []
    callback_url: str = ""
    submission_key: str = ""
    submitting: bool = False
    form_error: str = ""
    stories: list[JobRow] = []
    # The characters' learned speaking rates, read with the page (`load_studio`).
    _rates: Rates = {}
    # Set by Scripts ("Make a story") and applied by the next `load`: (text, character id)s.
    _handoff: dict[str, Any] = {}

    @rx.var
    def has_characters(self) -> bool:
        return len(self.chips) > 0

    @rx.var
    def estimate(self) -> str:
        voiced = [
            (scene.text, voice_of(self.chips, self._rates, scene.character_id))
            for scene in self.scenes
            if scene.text.strip()
        ]
        if not voiced:
            return "Write the scenes to see the estimate."
        estimate = jobs.estimate_story([(text, rate) for text, (_, rate) in voiced])
        unit = "credit" if estimate.credits == 1 else "credits"
        basis = jobs.basis_words([voice for _, voice in voiced])
        return (
            f"≈ {estimate.credits} {unit} · about {estimate.seconds:.0f} s of speech "
            f"({basis}; 1 credit per 10 s of each scene)"
        )

    def _read_page(self, session: Session, actor: CurrentUser) -> list[JobRow]:
        page = jobs.list_jobs(session, actor, kind=BATCH.name, page_size=MAX_STORIES)
        return [job_row(view, actor) for view in page.items]

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        if (error := await load_studio(self)) is not None:
            return self._fail(error)
        first = self.chips[0].id if self.chips else ""
        handoff, self._handoff = self._handoff, {}
        if handoff:
            self.scenes = _numbered([_draft(text, cid) for text, cid in handoff["scenes"]])
            self.title = self.title or "Story from a script"
        elif not self.scenes:
            self.scenes = _numbered([_draft("", first) for _ in range(2)])
        return None

    # --- live ---
    def _job_list_shows(self, actor: CurrentUser, job: JobView) -> bool:
        return kind_of(job.kind).has_scenes

    # --- editing the scenes ---
    @rx.event
    def set_title(self, value: str) -> None:
        self.title = value

    @rx.event
    def set_callback_url(self, value: str) -> None:
        self.callback_url = value

    @rx.event
    def set_scene_text(self, key: str, value: str) -> None:
        self.scenes = [
            dataclasses.replace(s, text=value) if s.key == key else s for s in self.scenes
        ]

    @rx.event
    def set_scene_character(self, key: str, character_id: str) -> None:
        self.scenes = [
            dataclasses.replace(s, character_id=character_id) if s.key == key else s
            for s in self.scenes
        ]

    @rx.event
    def add_scene(self) -> None:
        if len(self.scenes) >= MAX_SCENES:
            self.form_error = f"A story has at most {MAX_SCENES} scenes."
            return
        last = self.scenes[-1].character_id if self.scenes else ""
        self.scenes = _numbered([*self.scenes, _draft("", last or self._first_chip())])

    def _first_chip(self) -> str:
        return self.chips[0].id if self.chips else ""

    @rx.event
    def remove_scene(self, key: str) -> None:
        self.scenes = _numbered([s for s in self.scenes if s.key != key])

    @rx.event
    def move_scene(self, key: str, step: int) -> None:
        scenes = list(self.scenes)
        at = next((i for i, s in enumerate(scenes) if s.key == key), None)
        if at is None or not 0 <= at + step < len(scenes):
            return
        scenes[at], scenes[at + step] = scenes[at + step], scenes[at]
        self.scenes = _numbered(scenes)

    @rx.event
    def clear_scenes(self) -> None:
        self.scenes = _numbered([_draft("", self._first_chip())])
        self.form_error = ""

    # --- submitting ---
    @rx.event
    async def submit(self, submission_key: str) -> AsyncGenerator[Any, None]:
        self.form_error = ""
        self.submitting = True
        yield
        # Read here, on the loop: `send` runs in a thread.
        scenes, title = list(self.scenes), self.title.strip() or "Untitled story"
        callback = self.callback_url.strip() or None
        key = submission_key or new_submission_key()

        async def send(session: Session, actor: CurrentUser) -> JobView:
            inputs = _scene_inputs(scenes)
            key_id = selected_key_id(session, actor)
            return await jobs.submit_story(
                session,
                actor,
                key_id,
                title,
                inputs,
                submission_key=key,
                user_callback_url=callback,
            )

        async for event in submit_from_studio(self, send):
            yield event

    @rx.event
    async def resubmit_failed(self, job_id: str, submission_key: str) -> AsyncGenerator[Any, None]:
        self.submitting = True
        yield
        key = submission_key or new_submission_key()

        async def send(session: Session, actor: CurrentUser) -> JobView:
            job = row_id(job_id, "job")
            return await jobs.resubmit_failed_scenes(session, actor, job, submission_key=key)

        try:
            actor, view = await self._off_loop_async(send)
            self._job_list_put(job_row(view, actor))
            if view.status == "failed" and view.error:
                self.form_error = view.error
            yield rx.toast.success("The failed scenes were submitted again as a new batch.")
        except Exception as error:
            yield self._fail(error)
        finally:
            self.submitting = False
            self.submission_key = new_submission_key()
