"""What `UploadGuard` needs from the Reflex side: every handler that takes files, with its cap,
and the session cookie the tab behind a client token signed in with."""

from __future__ import annotations

from collections.abc import Mapping

import reflex as rx
from reflex.istate.manager.token import BaseStateToken
from reflex.utils.format import format_event_handler

from orangeweb.services.media.samples import MAX_SAMPLE_BYTES
from orangeweb.services.media.subtitle_files import MAX_SUBTITLE_BYTES
from orangeweb.services.media.upload_rules import TabSessionReader, UploadRule
from orangeweb.settings import get_settings
from orangeweb.states.characters import CharactersState
from orangeweb.states.dubbing import DubbingState

UPLOAD_HANDLERS: dict[str, type[rx.State]] = {
    format_event_handler(CharactersState.create_from_upload): CharactersState,  # type: ignore[arg-type]
    format_event_handler(CharactersState.replace_voice): CharactersState,  # type: ignore[arg-type]
    format_event_handler(DubbingState.receive_upload): DubbingState,  # type: ignore[arg-type]
    format_event_handler(DubbingState.import_subtitles): DubbingState,  # type: ignore[arg-type]
}


def upload_rules() -> Mapping[str, UploadRule]:
    """The only handlers `/_upload` may reach; any other name is refused before the body."""
    sample = UploadRule(max_file_bytes=lambda: MAX_SAMPLE_BYTES)
    media = UploadRule(max_file_bytes=lambda: get_settings().upload_max_bytes)
    subtitles = UploadRule(max_file_bytes=lambda: MAX_SUBTITLE_BYTES)
    caps = {
        format_event_handler(DubbingState.receive_upload): media,  # type: ignore[arg-type]
        format_event_handler(DubbingState.import_subtitles): subtitles,  # type: ignore[arg-type]
    }
    return {name: caps.get(name, sample) for name in UPLOAD_HANDLERS}


def tab_session_reader(app: rx.App) -> TabSessionReader:
    """The Cookie header of the tab behind a client token, as the handler's own state holds it
    (each state keeps the headers of the websocket its events came over); None if it never
    connected."""

    async def read(token: str, handler: str) -> str | None:
        state_cls = UPLOAD_HANDLERS[handler]
        state = await app.state_manager.get_state(BaseStateToken(ident=token, cls=state_cls))
        tab_state = state.get_substate(state_cls.get_full_name().split(".")[1:])
        return tab_state.router.headers.cookie or None

    return read
