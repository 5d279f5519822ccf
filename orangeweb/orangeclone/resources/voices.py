"""`client.voices`: text-to-speech with cloned voices, single speaker or `Speaker N:` dialogue."""

from __future__ import annotations

from collections.abc import Sequence

from orangeweb.orangeclone._requester import Call, Requester
from orangeweb.orangeclone._validate import require_ids, require_text
from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue
from orangeweb.orangeclone.errors import InvalidRequest
from orangeweb.orangeclone.models import VoiceJob, VoiceStatus


class Voices:
    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def clone(self, text: str, character_ids: Sequence[str]) -> VoiceJob:
        """POST /voices_clone `{"text", "character_ids"}`: queue a job (charges credits).

        `Speaker N` uses `character_ids[N-1]`; a dialogue naming a speaker with no id is
        refused here (the server would answer 400) rather than sent.
        """
        require_text(text, "text")
        ids = require_ids(character_ids, "character_ids")
        dialogue = parse_dialogue(text)
        missing = dialogue.speakers_beyond(len(ids))
        if missing:
            names = ", ".join(f"Speaker {speaker}" for speaker in missing)
            raise InvalidRequest(f"no character id for {names} ({len(ids)} given)")
        if is_dialogue(text):
            if dialogue.problems:
                raise InvalidRequest("; ".join(str(problem) for problem in dialogue.problems))
            # Strict in what we send: "speaker2:" or "SPEAKER 2 :" becomes the documented
            # "Speaker 2: ...", so the server reads exactly the speakers we estimated for.
            text = dialogue.to_text()
        call = Call(
            "POST",
            self._requester.url("voices_clone"),
            "POST /voices_clone",
            idempotent=False,
            json={"text": text, "character_ids": ids},
        )
        return await self._requester.send_for_model(call, VoiceJob, "data")

    async def status(self, job_id: str) -> VoiceStatus:
        """GET /voices/{jobId}; the `data` wrapper is optional."""
        require_text(job_id, "job_id")
        call = Call(
            "GET", self._requester.url("voices", job_id), "GET /voices/{jobId}", idempotent=True
        )
        return await self._requester.send_for_model(call, VoiceStatus, "data")
