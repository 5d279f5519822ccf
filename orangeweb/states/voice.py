"""Voice studio: one voice or a dialogue from the team's characters, a live credit estimate,
and the user's takes side by side, each updating live and regenerable.

Double submits: the form carries `submission_key`, generated here on the server when the form
is shown and again after every attempt. Both clicks of a double click send the same key (the
new one has not reached the browser yet), and the jobs service returns the job it already made
for a key instead of submitting twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator
from typing import Any, ClassVar

import reflex as rx
from sqlmodel import Session

from orangeweb.orangeclone.dialogue import DialogueProblem, parse_dialogue
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.ids import row_id
from orangeweb.services.jobs import JobView, SpeechRate
from orangeweb.services.jobs.kinds import kinds_of_studio
from orangeweb.states.base import AppState
from orangeweb.states.form_inputs import (
    CharacterChip,
    new_submission_key,
    selected_key_id,
)
from orangeweb.states.job_lists import StudioListView, load_studio, submit_from_studio
from orangeweb.states.job_rows import JobRow, job_row
from orangeweb.states.speech_estimates import Rates, voice_of

VOICE_KINDS = kinds_of_studio("voice")
MAX_TAKES = 8


@dataclasses.dataclass
class SpeakerRow:
    number: int
    label: str
    character_id: str
    used: bool


def _estimate_words(text: str, voices: list[tuple[str, SpeechRate]], dialogue: bool) -> str:
    """`voices`: (name, learned rate) of Speaker 1, 2, … (the one voice of a single take)."""
    if not text.strip():
        return "Type some text to see the estimate."
    rates = [rate for _, rate in voices]
    if dialogue:
        speakers = sorted(set(parse_dialogue(text).speakers))
        spoken = [voices[n - 1] for n in speakers if 0 < n <= len(voices)]
    else:
        speakers, spoken = [1], voices[:1]
    estimate = jobs.estimate_voice(text, max(len(speakers), 1), rates)
    several = len(speakers) > 1
    rate = "2 credits per 10 s, several voices" if several else "1 credit per 10 s, one voice"
    credits = "credit" if estimate.credits == 1 else "credits"
    kind = "dialogue" if dialogue else "speech"
    basis = jobs.basis_words(spoken)
    return (
        f"≈ {estimate.credits} {credits} · about {estimate.seconds:.0f} s of {kind} "
        f"({basis}; {rate})"
    )


class VoiceState(StudioListView, AppState):
    job_list_var: ClassVar[str] = "takes"
    job_list_limit: ClassVar[int] = MAX_TAKES

    loaded: bool = False
    chips: list[CharacterChip] = []
    mode: str = "single"  # "single" | "dialogue"
    single_character_id: str = ""
    single_text: str = ""
    dialogue_text: str = ""
    speaker_map: dict[str, str] = {}
    takes: list[JobRow] = []
    submission_key: str = ""
    submitting: bool = False
    form_error: str = ""
    # The characters' learned speaking rates, read with the page (`load_studio`).
    _rates: Rates = {}
    # Set by another page (Scripts → "Voice it") and applied by the next `load`.
    _handoff: dict[str, Any] = {}

    # --- computed, as the user types ---
    @rx.var
    def has_characters(self) -> bool:
        return len(self.chips) > 0

    @rx.var
    def single_estimate(self) -> str:
        voice = voice_of(self.chips, self._rates, self.single_character_id)
        return _estimate_words(self.single_text, [voice], dialogue=False)

    def _problems(self) -> list[DialogueProblem]:
        dialogue = parse_dialogue(self.dialogue_text)
        problems = list(dialogue.problems)
        # The API reads a line with no prefix as more of the turn above; the studio asks for
        # the prefix instead, so a line meant for someone else is not voiced by the wrong one.
        problems.extend(
            DialogueProblem(
                line.line_number,
                f"start it with “Speaker {line.speaker}:”, or another speaker's number "
                f"(without one it is read as more of Speaker {line.speaker}'s turn)",
            )
            for line in dialogue.continuations
        )
        known = {chip.id for chip in self.chips}
        for number in range(1, dialogue.characters_needed + 1):
            if self.speaker_map.get(str(number), "") in known:
                continue
            first = next((ln.line_number for ln in dialogue.lines if ln.speaker == number), None)
            if first is None:
                message = (
                    f"Speaker {number} never speaks: number the speakers 1, 2, 3… in order, "
                    f"or pick a character for Speaker {number} below"
                )
                first = next(ln.line_number for ln in dialogue.lines if ln.speaker > number)
            else:
                message = f"Speaker {number} has no character: pick one below"
            problems.append(DialogueProblem(first, message))
        return sorted(problems, key=lambda problem: problem.line_number)

    @rx.var
    def dialogue_problems(self) -> list[str]:
        if not self.dialogue_text.strip():
            return []
        return [f"Line {p.line_number}: {p.message}." for p in self._problems()]

    @rx.var
    def speaker_rows(self) -> list[SpeakerRow]:
        dialogue = parse_dialogue(self.dialogue_text)
        last = max(dialogue.characters_needed, 2)
        return [
            SpeakerRow(
                number=n,
                label=f"Speaker {n}",
                character_id=self.speaker_map.get(str(n), ""),
                used=n in dialogue.speakers,
            )
            for n in range(1, last + 1)
        ]

    @rx.var
    def dialogue_estimate(self) -> str:
        last = max(parse_dialogue(self.dialogue_text).speakers, default=0)
        voices = [
            voice_of(self.chips, self._rates, self.speaker_map.get(str(n), ""))
            for n in range(1, last + 1)
        ]
        return _estimate_words(self.dialogue_text, voices, dialogue=True)

    @rx.var
    def can_submit(self) -> bool:
        if self.mode == "single":
            return self.single_character_id != "" and self.single_text.strip() != ""
        return self.dialogue_text.strip() != "" and not self._problems()

    # --- loading ---
    def _read_page(self, session: Session, actor: CurrentUser) -> list[JobRow]:
        views: list[JobView] = []
        for kind in VOICE_KINDS:
            page = jobs.list_jobs(
                session, actor, kind=kind, member_id=actor.user_id, page_size=MAX_TAKES
            )
            views.extend(page.items)
        views.sort(key=lambda view: (view.created_at, view.id), reverse=True)
        return [job_row(view, actor) for view in views[:MAX_TAKES]]

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        if (error := await load_studio(self)) is not None:
            return self._fail(error)
        # The studio opens on its first tab (the texts typed stay); a handoff may choose.
        self.mode = "single"
        self._apply_handoff()
        ids = {chip.id for chip in self.chips}
        if self.single_character_id not in ids:
            self.single_character_id = self.chips[0].id if self.chips else ""
        return None

    def _apply_handoff(self) -> None:
        handoff, self._handoff = self._handoff, {}
        if not handoff:
            return
        self.mode = handoff["mode"]
        if self.mode == "single":
            self.single_text = handoff["text"]
            self.single_character_id = handoff["character_ids"][0]
        else:
            self.dialogue_text = handoff["text"]
            self.speaker_map = {
                str(n): cid for n, cid in enumerate(handoff["character_ids"], start=1)
            }

    # --- live ---
    def _job_list_shows(self, actor: CurrentUser, job: JobView) -> bool:
        return job.kind in VOICE_KINDS and job.created_by_id == actor.user_id

    # --- setters ---
    @rx.event
    def set_mode(self, value: str) -> None:
        self.mode = value if value in ("single", "dialogue") else "single"
        self.form_error = ""

    @rx.event
    def set_single_character(self, character_id: str) -> None:
        self.single_character_id = character_id

    @rx.event
    def set_single_text(self, value: str) -> None:
        self.single_text = value

    @rx.event
    def set_dialogue_text(self, value: str) -> None:
        self.dialogue_text = value

    @rx.event
    def map_speaker(self, number: int, character_id: str) -> None:
        self.speaker_map = {**self.speaker_map, str(number): character_id}

    # --- submitting ---
    def _request(self) -> tuple[str, list[str]]:
        if self.mode == "single":
            return self.single_text, [self.single_character_id]
        needed = parse_dialogue(self.dialogue_text).characters_needed
        return self.dialogue_text, [self.speaker_map.get(str(n), "") for n in range(1, needed + 1)]

    @rx.event
    async def submit(self, submission_key: str) -> AsyncGenerator[Any, None]:
        self.form_error = ""
        if not self.can_submit:
            self.form_error = (
                "Choose a character and type the text first."
                if self.mode == "single"
                else "Fix the lines flagged above first."
            )
            return
        self.submitting = True
        yield
        text, chosen = self._request()  # read here, on the loop: `send` runs in a thread
        key = submission_key or new_submission_key()

        async def send(session: Session, actor: CurrentUser) -> JobView:
            key_id = selected_key_id(session, actor)
            character_ids = [row_id(character_id, "character") for character_id in chosen]
            return await jobs.submit_voice(
                session, actor, key_id, text, character_ids, submission_key=key
            )

        async for event in submit_from_studio(self, send):
            yield event

    @rx.event
    async def regenerate(self, job_id: str, submission_key: str) -> AsyncGenerator[Any, None]:
        self.form_error = ""
        self.submitting = True
        yield
        key = submission_key or new_submission_key()

        async def send(session: Session, actor: CurrentUser) -> JobView:
            job = row_id(job_id, "job")
            return await jobs.regenerate(session, actor, job, submission_key=key)

        async for event in submit_from_studio(self, send):
            yield event
