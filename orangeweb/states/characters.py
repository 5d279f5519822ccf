"""Characters: the team's gallery, create (upload or recording), edit, replace voice, delete,
import by id. Every remote call goes through services with the user's selected key."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from orangeweb.services.errors import ValidationError
from orangeweb.services.ids import row_id
from orangeweb.services.keys.store import selected_api_key
from orangeweb.services.media.recordings import recording_path
from orangeweb.services.media.samples import MAX_SAMPLE_BYTES as MAX_SAMPLE_BYTES  # for the page
from orangeweb.settings import get_settings
from orangeweb.states.base import AppState
from orangeweb.states.character_cards import CharacterCard, card_for

SAMPLE_UPLOAD_ID = "character_sample"
REPLACE_UPLOAD_ID = "replacement_sample"
_CHUNK = 1024 * 1024
T = TypeVar("T")


async def _spool_upload(upload: rx.UploadFile) -> Path:
    """Copy an upload to a private temp file, refusing it past the sample size cap."""
    spool_dir = get_settings().data_path / "tmp" / "uploads"
    spool_dir.mkdir(parents=True, exist_ok=True)
    target = spool_dir / uuid.uuid4().hex
    written = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            written += len(chunk)
            if written > MAX_SAMPLE_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise ValidationError("The file is over 20 MB. Use a shorter voice sample.")
            out.write(chunk)
    return target


def _selected_key(session: Session, actor: CurrentUser) -> int:
    selected = selected_api_key(session, actor)
    if selected is None:
        raise ValidationError("Choose an API key first (Settings → API keys).")
    return selected.id


GalleryPage = tuple[list[CharacterCard], str]
"""The cards, and the selected key's label ("" for none)."""


class CharactersState(AppState):
    characters: list[CharacterCard] = []
    acting_key_label: str = ""
    loaded: bool = False
    busy: bool = False
    # Create dialog.
    create_open: bool = False
    new_name: str = ""
    new_style: str = "adventurer"
    sample_source: str = "upload"  # "upload" | "record"
    recording_id: str = ""
    recording_seconds: float = 0.0
    form_error: str = ""
    upload_percent: int = 0
    # Edit dialog.
    edit_id: str = ""
    edit_name: str = ""
    edit_style: str = "adventurer"
    edit_error: str = ""
    # Delete confirmation and import.
    delete_id: str = ""
    import_remote_id: str = ""
    import_error: str = ""

    @rx.var
    def editing(self) -> bool:
        return self.edit_id != ""

    @rx.var
    def deleting_name(self) -> str:
        card = self._deleting_card()
        return card.name if card else ""

    @rx.var
    def deleting_home(self) -> str:
        card = self._deleting_card()
        return card.acting_home if card else ""

    @rx.var
    def deleting_copies(self) -> int:
        card = self._deleting_card()
        return card.home_count if card else 0

    def _deleting_card(self) -> CharacterCard | None:
        return next((c for c in self.characters if c.id == self.delete_id), None)

    def _read_page(self, session: Session, actor: CurrentUser) -> GalleryPage:
        selected = selected_api_key(session, actor)
        key_id = selected.id if selected else None
        families = characters.list_character_families(session, actor)
        return [card_for(f, key_id) for f in families], selected.label if selected else ""

    def _show_page(self, data: GalleryPage) -> None:
        self.characters, self.acting_key_label = data
        self.loaded = True

    async def _change(
        self, change: Callable[[Session, CurrentUser], Awaitable[T]]
    ) -> tuple[CurrentUser, T]:
        """Run a service coroutine (it calls OrangeClone) and re-read the gallery, both off the
        event loop; then show the gallery."""

        async def change_and_read(session: Session, actor: CurrentUser) -> tuple[T, GalleryPage]:
            result = await change(session, actor)
            return result, self._read_page(session, actor)

        actor, (result, cards) = await self._off_loop_async(change_and_read)
        self._show_page(cards)
        return actor, result

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        try:
            _, cards = await self._off_loop(self._read_page)
        except Exception as error:
            return self._fail(error)
        self._show_page(cards)
        return None

    # --- setters (Reflex 0.10 has no automatic ones) ---
    @rx.event
    def set_create_open(self, value: bool) -> None:
        self.create_open = value
        if value:  # a fresh dialog, on its first tab
            self.new_name, self.form_error, self.recording_id = "", "", ""
            self.sample_source = "upload"

    @rx.event
    def set_new_name(self, value: str) -> None:
        self.new_name = value

    @rx.event
    def set_new_style(self, value: str) -> None:
        self.new_style = value

    @rx.event
    def set_sample_source(self, value: str) -> None:
        self.sample_source = value

    @rx.event
    def set_edit_name(self, value: str) -> None:
        self.edit_name = value

    @rx.event
    def set_edit_style(self, value: str) -> None:
        self.edit_style = value

    @rx.event
    def set_import_remote_id(self, value: str) -> None:
        self.import_remote_id = value

    @rx.event
    def set_upload_progress(self, progress: dict) -> None:
        self.upload_percent = int(float(progress.get("progress", 0)) * 100)

    @rx.event
    def recording_saved(self, recording_id: str, seconds: float) -> None:
        self.recording_id, self.recording_seconds, self.form_error = recording_id, seconds, ""

    @rx.event
    def recording_failed(self, message: str) -> None:
        self.recording_id, self.form_error = "", message

    # --- create ---
    async def _create(self, sample: Path) -> rx.event.EventSpec:
        name, style = self.new_name, self.new_style

        async def create(session: Session, actor: CurrentUser) -> CharacterView:
            key_id = _selected_key(session, actor)
            return await characters.create_character(session, actor, key_id, name, style, sample)

        _, view = await self._change(create)
        self.create_open = False
        return rx.toast.success(f"Character “{view.name}” created.")

    @rx.event
    async def create_from_upload(self, files: list[rx.UploadFile]):
        self.form_error = ""
        if not files:
            self.form_error = "Choose a voice sample file (WAV, MP3 or M4A), or record one."
            return
        self.busy = True
        yield
        spooled: Path | None = None
        try:
            spooled = await _spool_upload(files[0])
            yield await self._create(spooled)
        except Exception as error:
            self.form_error = self._words(error)
        finally:
            self.busy = False
            if spooled is not None:
                spooled.unlink(missing_ok=True)

    @rx.event
    async def create_from_recording(self):
        self.form_error = ""
        self.busy = True
        yield
        try:
            actor = await self._actor_off_loop()
            sample = recording_path(actor, self.recording_id)
            if sample is None:
                raise ValidationError("Record a voice sample first (at least 3 seconds).")
            yield await self._create(sample)
            sample.unlink(missing_ok=True)
        except Exception as error:
            self.form_error = self._words(error)
        finally:
            self.busy = False

    # --- edit: rename and restyle ---
    @rx.event
    def start_edit(self, character_id: str) -> None:
        card = next((c for c in self.characters if c.id == character_id), None)
        if card is not None:
            self.edit_id, self.edit_name, self.edit_style = card.id, card.name, card.avatar_style
            self.edit_error = ""

    @rx.event
    def stop_edit(self) -> None:
        self.edit_id = ""

    @rx.event
    async def save_edit(self):
        card = next((c for c in self.characters if c.id == self.edit_id), None)
        if card is None:
            return
        self.busy = True
        yield
        character_id = card.id
        name = self.edit_name if self.edit_name != card.name else None
        style = self.edit_style if self.edit_style != card.avatar_style else None

        async def update(session: Session, actor: CurrentUser) -> CharacterView:
            return await characters.update_character(
                session, actor, row_id(character_id, "character"), name=name, avatar_style=style
            )

        try:
            await self._change(update)
            self.edit_id = ""
            yield rx.toast.success("Character updated.")
        except Exception as error:
            self.edit_error = self._words(error)
        finally:
            self.busy = False

    @rx.event
    async def replace_voice(self, files: list[rx.UploadFile]):
        self.edit_error = ""
        if not files:
            self.edit_error = "Choose the new voice sample first."
            return
        self.busy = True
        yield
        spooled: Path | None = None
        try:
            spooled = await _spool_upload(files[0])
            sample, character_id = spooled, self.edit_id

            async def replace(session: Session, actor: CurrentUser) -> CharacterView:
                character = row_id(character_id, "character")
                return await characters.replace_voice(session, actor, character, sample)

            await self._change(replace)
            yield rx.toast.success("Voice replaced.")
        except Exception as error:
            self.edit_error = self._words(error)
        finally:
            self.busy = False
            if spooled is not None:
                spooled.unlink(missing_ok=True)

    # --- delete ---
    @rx.event
    def ask_delete(self, character_id: str) -> None:
        self.delete_id = character_id

    @rx.event
    def cancel_delete(self) -> None:
        self.delete_id = ""

    @rx.event
    async def confirm_delete(self, everywhere: bool):
        """Delete the card's copy, or (`everywhere`) every copy of the character."""
        self.busy = True
        yield
        character_id = self.delete_id

        async def delete(session: Session, actor: CurrentUser) -> str | None:
            character = row_id(character_id, "character")
            return await characters.delete_character(
                session, actor, character, everywhere=everywhere
            )

        try:
            _, note = await self._change(delete)
            self.delete_id = ""
            yield rx.toast.success(note or "Character deleted.")
        except Exception as error:
            self.delete_id = ""
            yield self._fail(error)
        finally:
            self.busy = False

    # --- homes ---
    @rx.event
    async def make_available(self, character_id: str):
        """Re-create a character on the selected key's account (one API call)."""
        self.busy = True
        yield

        async def copy(session: Session, actor: CurrentUser) -> CharacterView:
            key_id = _selected_key(session, actor)
            character = row_id(character_id, "character")
            return await characters.make_available(session, actor, character, key_id)

        try:
            _, view = await self._change(copy)
            yield rx.toast.success(f"“{view.name}” is now available on {view.api_key_label}.")
        except Exception as error:
            yield self._fail(error)
        finally:
            self.busy = False

    # --- import by id ---
    @rx.event
    async def import_character(self):
        self.import_error = ""
        self.busy = True
        yield
        remote_id = self.import_remote_id.strip()

        async def import_(session: Session, actor: CurrentUser) -> CharacterView:
            key_id = _selected_key(session, actor)
            return await characters.import_character(session, actor, key_id, remote_id)

        try:
            _, view = await self._change(import_)
            self.import_remote_id = ""
            yield rx.toast.success(f"Imported “{view.name}”.")
        except Exception as error:
            self.import_error = self._words(error)
        finally:
            self.busy = False
