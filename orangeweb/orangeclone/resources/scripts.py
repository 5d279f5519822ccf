"""`client.scripts`: AI-written scripts (1 credit each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from orangeweb.orangeclone._requester import Call, Requester
from orangeweb.orangeclone._validate import require_choice, require_length, require_text
from orangeweb.orangeclone.constants import (
    SCRIPT_CONTEXT_MAX,
    SCRIPT_LENGTHS,
    SCRIPT_MODES,
    SCRIPT_TEMPLATES,
    ScriptMode,
)
from orangeweb.orangeclone.errors import InvalidRequest
from orangeweb.orangeclone.models import GeneratedScript
from orangeweb.orangeclone.params import ScriptCharacter, coerce_param


class Scripts:
    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def generate(
        self,
        mode: ScriptMode,
        context: str,
        characters: Sequence[ScriptCharacter | Mapping[str, Any]],
        template: str | None = None,
        tone: str | None = None,
        length: str | None = None,
    ) -> GeneratedScript:
        """POST /scripts_generate. `mode` is "single" or "dialogue"; `context` at most 2000
        characters; `characters` are `{"id", "name"}`. A dialogue script comes back as
        `Speaker N: text` lines, ready for `voices.clone`."""
        body: dict[str, Any] = {
            "mode": require_choice(mode, "mode", SCRIPT_MODES),
            "context": require_length(context, "context", minimum=1, maximum=SCRIPT_CONTEXT_MAX),
            "characters": _wire_characters(characters),
        }
        if template is not None:
            body["template"] = require_choice(template, "template", SCRIPT_TEMPLATES)
        if tone is not None:
            body["tone"] = require_text(tone, "tone")  # open list in the docs ("etc.")
        if length is not None:
            body["length"] = require_choice(length, "length", SCRIPT_LENGTHS)
        call = Call(
            "POST",
            self._requester.url("scripts_generate"),
            "POST /scripts_generate",
            idempotent=False,
            json=body,
        )
        return await self._requester.send_for_model(call, GeneratedScript, "data")


def _wire_characters(
    characters: Sequence[ScriptCharacter | Mapping[str, Any]],
) -> list[dict[str, Any]]:
    if (
        isinstance(characters, str | bytes | Mapping)
        or not isinstance(characters, Sequence)
        or not characters
    ):
        raise InvalidRequest("characters must be a non-empty list of {id, name}")
    return [
        coerce_param(ScriptCharacter, character, f"character {position}").to_wire()
        for position, character in enumerate(characters)
    ]
