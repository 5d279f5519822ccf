"""Create a character from a dubbing speaker: their segments (all, or those selected; at least
3 s of speech) are cut from the source and joined into a voice sample, the character is made on
the project's key and the speaker is voiced by it, so their own voice speaks the translation."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import ClientOpener
from orangeweb.services.dubbing.views import DubbingProjectView, speaker_names, team_project
from orangeweb.services.dubbing.voices import set_voices
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.keys.store import open_client
from orangeweb.services.media.speech_cuts import cut_speech
from orangeweb.settings import get_settings

MIN_SPEECH_SECONDS = 3.0


async def character_from_speaker(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    speaker_id: str,
    name: str,
    avatar_style: str,
    *,
    segment_ids: Sequence[str] = (),
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Make a character of `speaker_id`'s voice from their segments (`segment_ids` of theirs
    when given, else all) and map the speaker to it. Commits."""
    name = characters.clean_character_name(name)
    avatar_style = characters.check_avatar_style(avatar_style)
    project = team_project(session, actor, project_id)
    segments = [
        s for s in project.transcript.get("segments", []) if s.get("speakerId") == speaker_id
    ]
    if not segments:
        raise NotFoundError("That speaker has no segments in this transcript.")
    if segment_ids:
        wanted = set(segment_ids)
        segments = [s for s in segments if str(s.get("id")) in wanted]
    spans = [(float(s["start"]), float(s["end"])) for s in segments if s["end"] > s["start"]]
    seconds = sum(end - start for start, end in spans)
    if seconds < MIN_SPEECH_SECONDS:
        who = speaker_names(project).get(speaker_id, speaker_id)
        raise ValidationError(
            f"A voice sample needs at least {MIN_SPEECH_SECONDS:.0f} s of one voice; "
            f"{who}'s {'selected ' if segment_ids else ''}segments have {seconds:.1f} s."
        )
    source = (data_dir or get_settings().data_path) / project.file_path
    if not source.is_file():
        raise ValidationError("The uploaded file is no longer in the dashboard: upload it again.")
    with tempfile.TemporaryDirectory(prefix="orangeweb-speaker-") as work_dir:
        sample = await asyncio.to_thread(cut_speech, source, spans, Path(work_dir) / "speaker.wav")
        view = await characters.create_character(
            session,
            actor,
            project.api_key_id,
            name,
            avatar_style,
            sample,
            data_dir=data_dir,
            opener=opener,
        )
    return set_voices(session, actor, project_id, {speaker_id: view.id})
