"""`client.characters`: voice profiles (create, get, update, replace voice, delete).

There is no list endpoint (CONTRACT): the dashboard keeps its own list of character ids.
"""

from __future__ import annotations

from orangeweb.orangeclone._files import FileSource, audio_content_type, display_name, opened
from orangeweb.orangeclone._requester import Call, Requester, parse_model
from orangeweb.orangeclone._tolerant import unwrap
from orangeweb.orangeclone._validate import require_length, require_text
from orangeweb.orangeclone.constants import CHARACTER_NAME_MAX, CHARACTER_NAME_MIN
from orangeweb.orangeclone.errors import InvalidRequest
from orangeweb.orangeclone.models import Character, CharacterCreated

_DEFAULT_VOICE_FILE_NAME = "voice-sample"


class Characters:
    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def create(
        self,
        name: str,
        avatar_style: str,
        voice_file: FileSource,
        filename: str | None = None,
    ) -> CharacterCreated:
        """POST /characters/create (multipart `name`, `avatarStyle`, `voiceFile`).

        `voice_file` is a path or an open binary file (sent from its start, left open);
        `filename` overrides the name sent with it, whose extension sets the audio MIME type.
        """
        _check_name(name)
        require_text(avatar_style, "avatar_style")
        file_name = display_name(voice_file, filename, _DEFAULT_VOICE_FILE_NAME)
        with opened(voice_file) as file:
            call = Call(
                "POST",
                self._requester.url("characters", "create"),
                "POST /characters/create",
                idempotent=False,
                data={"name": name, "avatarStyle": avatar_style},
                files=lambda: {"voiceFile": (file_name, file, audio_content_type(file_name))},
            )
            return await self._requester.send_for_model(call, CharacterCreated, "data")

    async def get(self, character_id: str) -> Character:
        """GET /characters/{id}; the object may sit under `data`, `character` or top level."""
        require_text(character_id, "character_id")
        call = Call(
            "GET",
            self._requester.url("characters", character_id),
            "GET /characters/{id}",
            idempotent=True,
        )
        payload = unwrap(unwrap(await self._requester.send_json(call), "data"), "character")
        # The id is the one we asked for, even if the body does not repeat it.
        payload = {**payload, "id": payload.get("id") or character_id}
        return parse_model(Character, payload, call.label, 200)

    async def update(
        self, character_id: str, name: str | None = None, avatar_style: str | None = None
    ) -> None:
        """PUT /characters/{id} with only the fields given (at least one)."""
        require_text(character_id, "character_id")
        body: dict[str, str] = {}
        if name is not None:
            body["name"] = _check_name(name)
        if avatar_style is not None:
            body["avatarStyle"] = require_text(avatar_style, "avatar_style")
        if not body:
            raise InvalidRequest("update needs a name or an avatar_style")
        call = Call(
            "PUT",
            self._requester.url("characters", character_id),
            "PUT /characters/{id}",
            idempotent=True,
            json=body,
        )
        await self._requester.send_ack(call)

    async def replace_voice(
        self, character_id: str, voice_file: FileSource, filename: str | None = None
    ) -> None:
        """POST /characters/{id}/audio (multipart `voiceFile`): a new voice sample."""
        require_text(character_id, "character_id")
        file_name = display_name(voice_file, filename, _DEFAULT_VOICE_FILE_NAME)
        with opened(voice_file) as file:
            call = Call(
                "POST",
                self._requester.url("characters", character_id, "audio"),
                "POST /characters/{id}/audio",
                idempotent=False,
                files=lambda: {"voiceFile": (file_name, file, audio_content_type(file_name))},
            )
            await self._requester.send_ack(call)

    async def delete(self, character_id: str) -> None:
        """DELETE /characters/delete with JSON `{"characterId"}`."""
        require_text(character_id, "character_id")
        call = Call(
            "DELETE",
            self._requester.url("characters", "delete"),
            "DELETE /characters/delete",
            idempotent=True,
            json={"characterId": character_id},
        )
        await self._requester.send_ack(call)


def _check_name(name: str) -> str:
    return require_length(name, "name", minimum=CHARACTER_NAME_MIN, maximum=CHARACTER_NAME_MAX)
