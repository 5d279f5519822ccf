"""`client.dubbing`: the dubbing pipeline.

get_upload_url -> upload (PUT to the pre-signed URL) -> transcribe -> [translate |
translate_segments] -> [update_segments] -> update_settings -> clone, polling `status` between
steps. Each step is one call; the dashboard drives the sequence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from orangeweb.orangeclone._files import (
    DEFAULT_CHUNK_SIZE,
    FileSource,
    ProgressCallback,
    opened,
    size_from_start,
    stream_chunks,
)
from orangeweb.orangeclone._requester import Call, Requester, host_of
from orangeweb.orangeclone._validate import (
    require_choice,
    require_ids,
    require_number,
    require_text,
)
from orangeweb.orangeclone.constants import LANGUAGES_BY_CODE, MEDIA_TYPES, MediaType
from orangeweb.orangeclone.errors import InvalidRequest
from orangeweb.orangeclone.models import DubbingJob, DubbingStatus, DubbingStepResult, UploadTarget
from orangeweb.orangeclone.params import SegmentEdit, VoiceAssignment, coerce_param
from orangeweb.orangeclone.timeouts import Timeouts

ResultT = TypeVar("ResultT", DubbingJob, DubbingStepResult)

ORIGINAL_LANGUAGE = ""  # update_settings: keep the source language, only clone the voices


class Dubbing:
    def __init__(self, requester: Requester, timeouts: Timeouts) -> None:
        self._requester = requester
        self._upload_timeout = timeouts.for_upload()

    async def get_upload_url(self, file_name: str, content_type: str) -> UploadTarget:
        """POST /dubbing_transcribe?action=get_upload_url `{"fileName", "contentType"}`.

        Creates no job and charges nothing, so it is retried like a read."""
        call = Call(
            "POST",
            self._requester.url("dubbing_transcribe"),
            "POST /dubbing_transcribe?action=get_upload_url",
            idempotent=True,
            params={"action": "get_upload_url"},
            json={
                "fileName": require_text(file_name, "file_name"),
                "contentType": require_text(content_type, "content_type"),
            },
        )
        return await self._requester.send_for_model(call, UploadTarget, "data")

    async def upload(
        self,
        upload_url: str,
        source: FileSource,
        content_type: str,
        progress: ProgressCallback | None = None,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        """PUT the media to the pre-signed `upload_url`, streamed in `chunk_size` chunks.

        The whole file is sent from its start with an exact Content-Length; it is never read
        into memory whole. `progress(sent_bytes, total_bytes)` is called before the first
        chunk and after each one (a retry starts again from 0). The URL may be on another
        host, so the API key is not sent to it, and it is never logged.
        """
        parts = urlsplit(require_text(upload_url, "upload_url"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidRequest("upload_url must be an absolute http(s) URL")
        require_text(content_type, "content_type")
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        with opened(source) as file:
            total = size_from_start(file)
            call = Call(
                "PUT",
                upload_url,
                f"PUT upload to {host_of(upload_url)}",
                idempotent=True,
                authenticated=False,
                rate_limited=False,
                content=lambda: stream_chunks(file, total, chunk_size, progress),
                headers={"Content-Type": content_type, "Content-Length": str(total)},
                timeout=self._upload_timeout,
                secrets=(upload_url, parts.query) if parts.query else (upload_url,),
            )
            await self._requester.send(call)

    async def transcribe(
        self, media_path: str, media_type: MediaType, duration: float, file_size_mb: float
    ) -> DubbingJob:
        """POST /dubbing_transcribe `{"mediaPath", "mediaType", "duration", "fileSizeMB"}`:
        start a dubbing job (charges credits). `duration` in seconds."""
        body = {
            "mediaPath": require_text(media_path, "media_path"),
            "mediaType": require_choice(media_type, "media_type", MEDIA_TYPES),
            "duration": require_number(duration, "duration", positive=True),
            "fileSizeMB": require_number(file_size_mb, "file_size_mb", positive=False),
        }
        return await self._post_for(DubbingJob, "dubbing_transcribe", body)

    async def translate(self, job_id: str, target_language: str) -> DubbingStepResult:
        """POST /dubbing_translate `{"jobId", "targetLanguage"}`: translate the transcript."""
        body = {"jobId": _job(job_id), "targetLanguage": _language(target_language)}
        return await self._post_for(DubbingStepResult, "dubbing_translate", body)

    async def translate_segments(
        self, job_id: str, target_language: str, segment_ids: Sequence[str]
    ) -> DubbingStepResult:
        """POST /dubbing_segments `{"jobId", "targetLanguage", "segmentIds"}` (beta):
        translate only those segments."""
        body = {
            "jobId": _job(job_id),
            "targetLanguage": _language(target_language),
            "segmentIds": require_ids(segment_ids, "segment_ids"),
        }
        return await self._post_for(DubbingStepResult, "dubbing_segments", body)

    async def update_segments(
        self, job_id: str, segments: Sequence[SegmentEdit | Mapping[str, Any]]
    ) -> DubbingStepResult:
        """POST /dubbing_segments `{"jobId", "segments": [{"id", "text"?, "translatedText"?,
        "speakerId"?}]}`: edit the transcript, the translation or a segment's speaker."""
        if isinstance(segments, str | bytes | Mapping) or not segments:
            raise InvalidRequest("segments must be a non-empty list of segment edits")
        edits = [
            coerce_param(SegmentEdit, segment, f"segment {position}").to_wire()
            for position, segment in enumerate(segments)
        ]
        body = {"jobId": _job(job_id), "segments": edits}
        return await self._post_for(DubbingStepResult, "dubbing_segments", body)

    async def update_settings(
        self,
        job_id: str,
        target_language: str,
        translate_all: bool,
        voice_mapping: Mapping[str, VoiceAssignment | Mapping[str, Any]],
    ) -> DubbingStepResult:
        """PUT /dubbing/{jobId} `{"targetLanguage", "translateAll", "voiceMapping"}`.

        `target_language` "" (`ORIGINAL_LANGUAGE`) keeps the source language; `voice_mapping`
        maps speaker ids to `VoiceAssignment.character(id)` or `VoiceAssignment.original()`.
        """
        job = _job(job_id)
        if target_language != ORIGINAL_LANGUAGE:
            _language(target_language)
        if not isinstance(translate_all, bool):
            raise InvalidRequest("translate_all must be true or false")
        if not isinstance(voice_mapping, Mapping):
            raise InvalidRequest("voice_mapping must map speaker ids to voice assignments")
        mapping = {
            require_text(speaker_id, "speaker id"): coerce_param(
                VoiceAssignment, assignment, f"voice for {speaker_id}"
            ).to_wire()
            for speaker_id, assignment in voice_mapping.items()
        }
        call = Call(
            "PUT",
            self._requester.url("dubbing", job),
            "PUT /dubbing/{jobId}",
            idempotent=True,
            json={
                "targetLanguage": target_language,
                "translateAll": translate_all,
                "voiceMapping": mapping,
            },
        )
        return await self._requester.send_for_model(call, DubbingStepResult, "data")

    async def clone(self, job_id: str) -> DubbingStepResult:
        """POST /dubbing_clone `{"jobId"}`: render the dubbed track (charges credits)."""
        return await self._post_for(DubbingStepResult, "dubbing_clone", {"jobId": _job(job_id)})

    async def status(self, job_id: str) -> DubbingStatus:
        """GET /dubbing/{jobId}: status, speakers, segments and the dubbed URL when done."""
        call = Call(
            "GET",
            self._requester.url("dubbing", _job(job_id)),
            "GET /dubbing/{jobId}",
            idempotent=True,
        )
        return await self._requester.send_for_model(call, DubbingStatus, "data")

    async def _post_for(self, model: type[ResultT], endpoint: str, body: dict[str, Any]) -> ResultT:
        """POST a pipeline step: it starts work or charges credits, so it is not idempotent."""
        call = Call(
            "POST",
            self._requester.url(endpoint),
            f"POST /{endpoint}",
            idempotent=False,
            json=body,
        )
        return await self._requester.send_for_model(call, model, "data")


def _job(job_id: str) -> str:
    return require_text(job_id, "job_id")


def _language(code: str) -> str:
    return require_choice(code, "target_language", LANGUAGES_BY_CODE)
