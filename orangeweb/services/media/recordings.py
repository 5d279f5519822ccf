"""Browser recordings that passed the sample check, waiting to become a character's voice.

The recording route writes them (`<data>/recordings/<team>/<user>/<id>.<ext>`, the id random);
the characters state picks one up by id when the character is created. An id only ever finds the
signed-in user's own files.
"""

from __future__ import annotations

import re
from pathlib import Path

from orangeweb.orangeclone.media_types import VOICE_SAMPLE_SUFFIXES
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.settings import get_settings

# `uuid4().hex`: anything else (a path, "..") never reaches the file system.
_RECORDING_ID = re.compile(r"^[0-9a-f]{32}$")


def recordings_dir(user: CurrentUser) -> Path:
    """Where a user's checked recordings wait to become a character's sample."""
    path = get_settings().data_path / "recordings" / str(user.team_id) / str(user.user_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def recording_path(user: CurrentUser, recording_id: str) -> Path | None:
    """The checked sample of one of the user's recordings, if the id is theirs and still there."""
    if not _RECORDING_ID.match(recording_id):
        return None
    for extension in VOICE_SAMPLE_SUFFIXES:
        path = recordings_dir(user) / f"{recording_id}{extension}"
        if path.is_file():
            return path
    return None
