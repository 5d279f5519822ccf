"""Scripts: every parameter of /scripts_generate, the script in an editor, the team's script
history, and "Voice it" into the voice studio or a story, handed over on the server (the target
page's state, never the URL)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator
from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue
from orangeweb.services import scripts
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.ids import row_id
from orangeweb.services.scripts import ScriptView
from orangeweb.states.base import AppState, NotSignedIn
from orangeweb.states.form_inputs import CharacterChip, character_chips, selected_key_id
from orangeweb.states.job_rows import when
from orangeweb.states.stories import StoriesState
from orangeweb.states.voice import VoiceState

CONTEXT_MAX = 2000
TEMPLATES: list[list[str]] = [
    ["none", "No template"],
    ["youtube_ad", "YouTube ad"],
    ["podcast_intro", "Podcast intro"],
    ["tutorial", "Tutorial"],
    ["storytelling", "Storytelling"],
    ["sales_pitch", "Sales pitch"],
    ["interview", "Interview"],
    ["comedy", "Comedy"],
    ["motivational", "Motivational"],
]
TONES = ["Any tone", "Professional", "Casual", "Humorous", "Dramatic"]
LENGTHS = ["Any length", "Short (<30s)", "Medium (1-2m)", "Long (3m+)"]


@dataclasses.dataclass
class ScriptRow:
    id: str
    mode: str
    summary: str
    characters: str
    created_by: str
    created: str
    preview: str


ScriptsPage = tuple[list[CharacterChip], list[ScriptRow]]


def _script_row(view: ScriptView) -> ScriptRow:
    template = next((label for value, label in TEMPLATES if value == view.template), "")
    details = [part for part in (template, view.tone, view.length) if part]
    first_line = next((line for line in view.text.splitlines() if line.strip()), "")
    return ScriptRow(
        id=str(view.id),
        mode=view.mode,
        summary=" · ".join(details) or "No template",
        characters=", ".join(view.character_names),
        created_by=view.created_by_name,
        created=when(view.created_at),
        preview=first_line[:140],
    )


class ScriptsState(AppState):
    loaded: bool = False
    chips: list[CharacterChip] = []
    mode: str = "dialogue"
    template: str = "none"
    context: str = ""
    picked: list[str] = []  # character ids, in Speaker order for a dialogue
    tone: str = TONES[0]
    length: str = LENGTHS[0]
    generating: bool = False
    form_error: str = ""
    # The script in the editor.
    script_id: str = ""
    script_mode: str = ""
    script_text: str = ""
    script_character_ids: list[str] = []
    saving: bool = False
    history: list[ScriptRow] = []

    @rx.var
    def context_count(self) -> str:
        return f"{len(self.context)} / {CONTEXT_MAX}"

    @rx.var
    def context_too_long(self) -> bool:
        return len(self.context) > CONTEXT_MAX

    @rx.var
    def picked_names(self) -> list[str]:
        names = {chip.id: chip.name for chip in self.chips}
        return [names.get(cid, "?") for cid in self.picked]

    @rx.var
    def pick_hint(self) -> str:
        if self.mode == "single":
            return "Pick the character who speaks."
        return "Pick the characters in speaking order: the first is Speaker 1, and so on."

    @rx.var
    def can_generate(self) -> bool:
        enough = len(self.picked) == 1 if self.mode == "single" else len(self.picked) >= 2
        return enough and len(self.context.strip()) > 0 and len(self.context) <= CONTEXT_MAX

    def _read_page(self, session: Session, actor: CurrentUser) -> ScriptsPage:
        chips = character_chips(session, actor)
        return chips, [_script_row(v) for v in scripts.list_scripts(session, actor)]

    def _show_page(self, data: ScriptsPage) -> None:
        self.chips, self.history = data
        known = {chip.id for chip in self.chips}
        self.picked = [cid for cid in self.picked if cid in known]

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        try:
            _, page = await self._off_loop(self._read_page)
        except Exception as error:
            return self._fail(error)
        self._show_page(page)
        self.loaded = True
        return None

    # --- form setters ---
    @rx.event
    def set_mode(self, value: str | list[str]) -> None:
        chosen = value[0] if isinstance(value, list) and value else value
        self.mode = chosen if chosen in ("single", "dialogue") else "dialogue"
        if self.mode == "single":
            self.picked = self.picked[:1]

    @rx.event
    def set_template(self, value: str) -> None:
        self.template = value

    @rx.event
    def set_context(self, value: str) -> None:
        self.context = value

    @rx.event
    def set_tone(self, value: str) -> None:
        self.tone = value

    @rx.event
    def set_length(self, value: str) -> None:
        self.length = value

    @rx.event
    def toggle_character(self, character_id: str) -> None:
        if character_id in self.picked:
            self.picked = [cid for cid in self.picked if cid != character_id]
        elif self.mode == "single":
            self.picked = [character_id]
        else:
            self.picked = [*self.picked, character_id]

    @rx.event
    def set_script_text(self, value: str) -> None:
        self.script_text = value

    # --- generate, edit, open ---
    def _open(self, view: ScriptView) -> None:
        self.script_id = str(view.id)
        self.script_mode = view.mode
        self.script_text = view.text
        self.script_character_ids = [str(cid) for cid in view.character_ids]

    @rx.event
    async def generate(self) -> AsyncGenerator[Any, None]:
        self.form_error = ""
        if not self.can_generate:
            self.form_error = "Write the context (up to 2000 characters) and pick " + (
                "one character." if self.mode == "single" else "at least two characters."
            )
            return
        self.generating = True
        yield
        # Read here, on the loop: `call` runs in a thread.
        mode, context, picked = self.mode, self.context, list(self.picked)
        template = None if self.template == "none" else self.template
        tone = None if self.tone == TONES[0] else self.tone
        length = None if self.length == LENGTHS[0] else self.length

        async def call(session: Session, actor: CurrentUser) -> tuple[ScriptView, ScriptsPage]:
            key_id = selected_key_id(session, actor)
            view = await scripts.generate_script(
                session,
                actor,
                key_id,
                mode,
                context,
                [row_id(cid, "character") for cid in picked],
                template=template,
                tone=tone,
                length=length,
            )
            return view, self._read_page(session, actor)

        try:
            # The whole call (its database work and the request) runs off the event loop.
            _, (view, page) = await self._off_loop_async(call)
            self._open(view)
            self._show_page(page)
            yield rx.toast.success("Script generated and saved in the history (1 credit).")
        except NotSignedIn as error:
            yield self._fail(error)
        except Exception as error:
            self.form_error = self._words(error)
        finally:
            self.generating = False

    @rx.event
    async def save_script(self) -> rx.event.EventSpec | None:
        script_id, text = self.script_id, self.script_text

        def save(session: Session, actor: CurrentUser) -> tuple[ScriptView, ScriptsPage]:
            view = scripts.update_script_text(session, actor, row_id(script_id, "script"), text)
            return view, self._read_page(session, actor)

        try:
            _, (view, page) = await self._off_loop(save)
        except Exception as error:
            return self._fail(error)
        self._open(view)
        self._show_page(page)
        return rx.toast.success("Script saved.")

    @rx.event
    async def open_script(self, script_id: str) -> rx.event.EventSpec | None:
        try:
            _, views = await self._off_loop(lambda s, a: scripts.list_scripts(s, a, limit=100))
        except Exception as error:
            return self._fail(error)
        view = next((v for v in views if str(v.id) == script_id), None)
        if view is None:
            return rx.toast.error("That script is no longer in the history.")
        self._open(view)
        return None

    # --- hand over to another page, on the server ---
    @rx.event
    async def voice_it(self) -> rx.event.EventSpec:
        text = self.script_text.strip()
        if not text or not self.script_character_ids:
            return rx.toast.error("Generate or open a script first.")
        dialogue = self.script_mode == "dialogue" or is_dialogue(text)
        voice = await self.get_state(VoiceState)
        voice._handoff = {
            "mode": "dialogue" if dialogue else "single",
            "text": text,
            "character_ids": list(self.script_character_ids),
        }
        return rx.redirect("/voice")

    @rx.event
    async def make_story(self) -> rx.event.EventSpec:
        text = self.script_text.strip()
        ids = self.script_character_ids
        if not text or not ids:
            return rx.toast.error("Generate or open a script first.")
        if is_dialogue(text):
            lines = parse_dialogue(text).lines
            scenes = [
                (line.text, ids[line.speaker - 1] if line.speaker <= len(ids) else ids[0])
                for line in lines
            ]
        else:
            scenes = [(line.strip(), ids[0]) for line in text.splitlines() if line.strip()]
        stories = await self.get_state(StoriesState)
        stories._handoff = {"scenes": scenes}
        return rx.redirect("/stories")
