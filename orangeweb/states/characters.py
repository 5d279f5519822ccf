"""Characters: the team's gallery, create (upload or recording), edit, replace voice, delete,
import by id. Every remote call goes through services with the user's selected key."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import reflex as rx

from orangeweb.routes.media import recording_path
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ValidationError
from orangeweb.services.ids import row_id
from orangeweb.services.keys.store import selected_api_key
from orangeweb.services.media.samples import MAX_SAMPLE_BYTES
from orangeweb.settings import get_settings
from orangeweb.states.base import AppState

SAMPLE_UPLOAD_ID = "character_sample"
REPLACE_UPLOAD_ID = "replacement_sample"
_CHUNK = 1024 * 1024


@dataclasses.dataclass
class CharacterCard:
    id: str
    remote_id: str
    name: str
    avatar_style: str
    key_label: str
    created_by: str
    created_at: str
    sample_url: str
    usable: bool


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


class CharactersState(AppState):
    characters: list[CharacterCard] = []
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
        return next((c.name for c in self.characters if c.id == self.delete_id), "")

    def _selected_key(self, actor: CurrentUser) -> int:
        with self._db() as session:
            selected = selected_api_key(session, actor)
        if selected is None:
            raise ValidationError("Choose an API key first (Settings → API keys).")
        return selected.id

    def _reload(self) -> None:
        actor = self._actor()
        with self._db() as session:
            views = characters.list_characters(session, actor)
        self.characters = [
            CharacterCard(
                id=str(v.id),
                remote_id=v.remote_id,
                name=v.name,
                avatar_style=v.avatar_style,
                key_label=v.api_key_label,
                created_by=v.created_by_name or "",
                created_at=v.created_at.strftime("%Y-%m-%d %H:%M"),
                sample_url=f"/media/samples/{v.id}" if v.sample_path else "",
                usable=v.usable,
            )
            for v in views
        ]
        self.loaded = True

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        try:
            self._reload()
        except Exception as error:
            return self._fail(error)
        return None

    # --- setters (Reflex 0.10 has no automatic ones) ---
    @rx.event
    def set_create_open(self, value: bool) -> None:
        self.create_open = value
        if value:
            self.new_name, self.form_error, self.recording_id = "", "", ""

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
        actor = self._actor()
        key_id = self._selected_key(actor)
        with self._db() as session:
            view = await characters.create_character(
                session, actor, key_id, self.new_name, self.new_style, sample
            )
        self._reload()
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
            actor = self._actor()
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
        try:
            actor = self._actor()
            with self._db() as session:
                await characters.update_character(
                    session,
                    actor,
                    row_id(card.id, "character"),
                    name=self.edit_name if self.edit_name != card.name else None,
                    avatar_style=self.edit_style if self.edit_style != card.avatar_style else None,
                )
            self._reload()
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
            actor = self._actor()
            with self._db() as session:
                await characters.replace_voice(
                    session, actor, row_id(self.edit_id, "character"), spooled
                )
            self._reload()
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
    async def confirm_delete(self):
        self.busy = True
        yield
        try:
            actor = self._actor()
            with self._db() as session:
                note = await characters.delete_character(
                    session, actor, row_id(self.delete_id, "character")
                )
            self.delete_id = ""
            self._reload()
            yield rx.toast.success(note or "Character deleted.")
        except Exception as error:
            self.delete_id = ""
            yield self._fail(error)
        finally:
            self.busy = False

    # --- import by id ---
    @rx.event
    async def import_character(self):
        self.import_error = ""
        self.busy = True
        yield
        try:
            actor = self._actor()
            key_id = self._selected_key(actor)
            with self._db() as session:
                view = await characters.import_character(
                    session, actor, key_id, self.import_remote_id.strip()
                )
            self.import_remote_id = ""
            self._reload()
            yield rx.toast.success(f"Imported “{view.name}”.")
        except Exception as error:
            self.import_error = self._words(error)
        finally:
            self.busy = False
