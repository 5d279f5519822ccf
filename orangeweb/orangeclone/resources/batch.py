"""`client.batch`: many single-voice scenes of one story in one request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from orangeweb.orangeclone._requester import Call, Requester
from orangeweb.orangeclone._validate import require_text
from orangeweb.orangeclone.errors import InvalidRequest
from orangeweb.orangeclone.models import BatchJob, BatchStatus
from orangeweb.orangeclone.params import BatchScene, coerce_param


class Batch:
    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def create(
        self,
        story_id: str,
        scenes: Sequence[BatchScene | Mapping[str, Any]],
        callback_url: str | None = None,
    ) -> BatchJob:
        """POST /batch_tts `{"storyId", "scenes": [{"index", "text", "characterId"}],
        "callbackUrl"?}` (charges credits).

        Scenes are numbered 0, 1, 2... in order (docs: "sequential, starts at 0"); a scene
        without an index gets its position, one with another index is refused.
        """
        require_text(story_id, "story_id")
        body: dict[str, Any] = {"storyId": story_id, "scenes": _wire_scenes(scenes)}
        if callback_url is not None:
            body["callbackUrl"] = _check_callback_url(callback_url)
        call = Call(
            "POST",
            self._requester.url("batch_tts"),
            "POST /batch_tts",
            idempotent=False,
            json=body,
        )
        return await self._requester.send_for_model(call, BatchJob, "data")

    async def status(self, batch_job_id: str) -> BatchStatus:
        """GET /batch_tts_status?batchJobId=... (documented without a `data` wrapper; one is
        tolerated)."""
        require_text(batch_job_id, "batch_job_id")
        call = Call(
            "GET",
            self._requester.url("batch_tts_status"),
            "GET /batch_tts_status",
            idempotent=True,
            params={"batchJobId": batch_job_id},
        )
        return await self._requester.send_for_model(call, BatchStatus, "data")


def _wire_scenes(scenes: Sequence[BatchScene | Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(scenes, str | bytes | Mapping) or not isinstance(scenes, Sequence) or not scenes:
        raise InvalidRequest("scenes must be a non-empty list")
    wire: list[dict[str, Any]] = []
    for position, raw_scene in enumerate(scenes):
        scene = coerce_param(BatchScene, raw_scene, f"scene {position}")
        if scene.index is not None and scene.index != position:
            raise InvalidRequest(
                f"scene {position} has index {scene.index}: indexes must be 0, 1, 2... in order"
            )
        wire.append({"index": position, "text": scene.text, "characterId": scene.character_id})
    return wire


def _check_callback_url(callback_url: str) -> str:
    parts = urlsplit(require_text(callback_url, "callback_url"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidRequest("callback_url must be an absolute http(s) URL")
    return callback_url
