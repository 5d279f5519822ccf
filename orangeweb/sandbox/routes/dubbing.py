"""Dubbing steps 2-5: translate, segments (beta), settings, clone, and the job's status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session

from orangeweb.sandbox.credits import dubbing_cost, try_hold
from orangeweb.sandbox.deps import CallerKey, Runtime, download_url, json_body
from orangeweb.sandbox.engine import LANGUAGES
from orangeweb.sandbox.errors import ApiError, bad_request, not_found
from orangeweb.sandbox.jobs.status import advance
from orangeweb.sandbox.models import ApiKey, DubbingJob
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.responses import (
    CloneAccepted,
    Done,
    DubbingJobAnswer,
    DubbingStepAccepted,
)
from orangeweb.sandbox.routes.characters import owned_character
from orangeweb.sandbox.routes.dubbing_bodies import (
    CharacterVoice,
    CloneRequest,
    SegmentEdit,
    SegmentsRequest,
    SettingsRequest,
    TranslateRequest,
)
from orangeweb.sandbox.runtime import JobKind, JobRef

router = APIRouter()

RUNNING_STATUSES = frozenset({"transcribing", "translating", "cloning"})


def _language(code: str, *, allow_original: bool = False) -> str:
    if allow_original and code == "":
        return code
    if code not in LANGUAGES:
        hint = ' (or "" for the original language)' if allow_original else ""
        raise bad_request(
            f"targetLanguage {code!r} is not supported; use one of {' '.join(LANGUAGES)}{hint}"
        )
    return code


def owned_dubbing_job(session: Session, key: ApiKey, job_id: str) -> DubbingJob:
    job = session.get(DubbingJob, job_id)
    if job is None or job.key_id != key.id:
        raise not_found("dubbing job", job_id)
    return job


def _require_transcript(job: DubbingJob) -> None:
    if job.status in RUNNING_STATUSES:
        raise bad_request(f"the job is {job.status}; wait until that step has finished")
    if job.source_language is None:
        raise bad_request("the job has no transcript (transcription failed)")


def _set_translation_language(job: DubbingJob, language: str) -> None:
    # Translations in another language are useless for this one: drop them.
    if job.translation_language not in (None, language):
        job.segments = [_without_translation(segment) for segment in job.segments]
    job.translation_language = language


def _without_translation(segment: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in segment.items() if name != "translatedText"}


def _start_translation(
    session: Session, job: DubbingJob, language: str, segment_ids: list[str]
) -> None:
    _set_translation_language(job, language)
    job.target_language = language
    job.pending_translation = segment_ids
    advance(job, "translating")
    session.add(job)
    session.commit()


@router.post(
    "/dubbing_translate",
    openapi_extra=json_request(TranslateRequest),
    responses=answers(DubbingStepAccepted, 400, 404, 415),
    response_model=None,
)
async def dubbing_translate(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[TranslateRequest, Depends(json_body(TranslateRequest))],
) -> dict[str, Any]:
    language = _language(body.target_language)
    with runtime.store.session() as session:
        job = owned_dubbing_job(session, key, body.job_id)
        _require_transcript(job)
        job.translate_all = True
        _start_translation(session, job, language, [segment["id"] for segment in job.segments])
    runtime.enqueue(JobRef(JobKind.TRANSLATE, job.id))
    return {"success": True, "data": {"jobId": job.id, "status": job.status}}


@router.post(
    "/dubbing_segments",
    openapi_extra=json_request(SegmentsRequest),
    responses=answers(DubbingStepAccepted, 400, 404, 415),
    response_model=None,
)
async def dubbing_segments(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[SegmentsRequest, Depends(json_body(SegmentsRequest))],
) -> dict[str, Any]:
    with runtime.store.session() as session:
        job = owned_dubbing_job(session, key, body.job_id)
        _require_transcript(job)
        known = {segment["id"] for segment in job.segments}
        if body.segment_ids is not None and body.target_language is not None:
            language = _language(body.target_language)
            _require_known_segments(body.segment_ids, known)
            if len(set(body.segment_ids)) != len(body.segment_ids):
                raise bad_request("segmentIds must not repeat an id")
            _start_translation(session, job, language, body.segment_ids)
            runtime.enqueue(JobRef(JobKind.TRANSLATE, job.id))
        else:
            _apply_edits(job, body.segments or [], known)
            session.add(job)
            session.commit()
    return {"success": True, "data": {"jobId": job.id, "status": job.status}}


def _require_known_segments(segment_ids: list[str], known: set[str]) -> None:
    unknown = [segment_id for segment_id in segment_ids if segment_id not in known]
    if unknown:
        raise bad_request(f"unknown segment id(s): {', '.join(unknown)}")


def _apply_edits(job: DubbingJob, edits: list[SegmentEdit], known: set[str]) -> None:
    _require_known_segments([edit.id for edit in edits], known)
    for edit in edits:
        if edit.speaker_id is not None and edit.speaker_id not in job.speakers:
            raise bad_request(
                f"segment {edit.id!r}: unknown speakerId {edit.speaker_id!r}; "
                f"known: {', '.join(job.speakers)}"
            )
        if edit.translated_text is not None and not (
            job.translation_language or job.target_language
        ):
            raise bad_request("set a targetLanguage before editing translations")
    by_id = {edit.id: edit for edit in edits}
    if any(edit.translated_text is not None for edit in edits) and job.translation_language is None:
        job.translation_language = job.target_language
    updated: list[dict[str, Any]] = []
    for segment in job.segments:
        change = by_id.get(segment["id"])
        if change is not None:
            segment = dict(segment)
            if change.text is not None:
                segment["text"] = change.text
            if change.speaker_id is not None:
                segment["speakerId"] = change.speaker_id
            if change.translated_text is not None:
                segment["translatedText"] = change.translated_text
        updated.append(segment)
    job.segments = updated


@router.put(
    "/dubbing/{job_id}",
    openapi_extra=json_request(SettingsRequest),
    responses=answers(Done, 400, 404, 415),
    response_model=None,
)
async def dubbing_settings(
    job_id: str,
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[SettingsRequest, Depends(json_body(SettingsRequest))],
) -> dict[str, Any]:
    with runtime.store.session() as session:
        job = owned_dubbing_job(session, key, job_id)
        _require_transcript(job)
        if body.target_language is not None:
            job.target_language = _language(body.target_language, allow_original=True)
            if job.target_language:
                _set_translation_language(job, job.target_language)
        if body.translate_all is not None:
            job.translate_all = body.translate_all
        if body.voice_mapping is not None:
            mapping: dict[str, dict[str, str]] = {}
            for speaker_id, choice in body.voice_mapping.items():
                if speaker_id not in job.speakers:
                    raise bad_request(
                        f"voiceMapping: unknown speaker {speaker_id!r}; "
                        f"known: {', '.join(job.speakers) or 'none'}"
                    )
                if isinstance(choice, CharacterVoice):
                    owned_character(session, key, choice.character_id)
                # Stored as on the wire: the clone plan reads "type" and "characterId".
                mapping[speaker_id] = choice.model_dump(by_alias=True)
            job.voice_mapping = mapping
        session.add(job)
        session.commit()
    return {"success": True}


@router.post(
    "/dubbing_clone",
    openapi_extra=json_request(CloneRequest),
    responses=answers(CloneAccepted, 400, 402, 404, 415),
    response_model=None,
)
async def dubbing_clone(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[CloneRequest, Depends(json_body(CloneRequest))],
) -> dict[str, Any]:
    with runtime.store.session() as session:
        job = owned_dubbing_job(session, key, body.job_id)
        _require_transcript(job)
        if not job.segments:
            raise bad_request("the transcript has no segments: there is nothing to dub")
        plan = _clone_plan(session, key, job)
        cost = dubbing_cost(job.duration)
        if not try_hold(session, key.id, cost):
            raise ApiError(402, f"not enough credits: dubbing this media costs {cost}")
        job.clone_plan = plan
        job.estimated_cost = cost
        job.held_credits = cost
        job.cost = None
        job.error = None
        job.completed_at = None
        advance(job, "cloning")
        session.add(job)
        session.commit()
    runtime.enqueue(JobRef(JobKind.CLONE, job.id))
    return {"success": True, "data": {"jobId": job.id, "status": "cloning", "estimatedCost": cost}}


def _clone_plan(session: Session, key: ApiKey, job: DubbingJob) -> dict[str, Any]:
    """What the clone job will dub, with voice profiles snapshotted now."""
    target = job.target_language
    language = target or job.source_language or "en"
    profiles: dict[str, dict[str, Any] | None] = {}
    for speaker_id in job.speakers:
        choice = job.voice_mapping.get(speaker_id, {"type": "original"})
        if choice["type"] == "character":
            character = owned_character(session, key, choice["characterId"])
            profiles[speaker_id] = character.voice_profile
        else:
            profiles[speaker_id] = None
    usable_translation = bool(target) and job.translation_language == target
    segments: list[dict[str, Any]] = []
    for segment in job.segments:
        translated = segment.get("translatedText") if usable_translation else None
        needs_translation = bool(target) and job.translate_all and not translated
        segments.append(
            {
                "id": segment["id"],
                "start": segment["start"],
                "end": segment["end"],
                "text": translated or segment["text"],
                "translate": needs_translation,
                "profile": profiles.get(segment["speakerId"]),
            }
        )
    return {"language": language, "targetLanguage": target, "segments": segments}


@router.get("/dubbing/{job_id}", responses=answers(DubbingJobAnswer, 404), response_model=None)
async def get_dubbing_job(
    job_id: str, request: Request, key: CallerKey, runtime: Runtime
) -> dict[str, Any]:
    with runtime.store.session() as session:
        job = owned_dubbing_job(session, key, job_id)
    counts = {speaker: 0 for speaker in job.speakers}
    for segment in job.segments:
        counts[segment["speakerId"]] = counts.get(segment["speakerId"], 0) + 1
    data: dict[str, Any] = {
        "status": job.status,
        "speakers": [
            {"id": speaker, "label": speaker_label(speaker), "segmentCount": count}
            for speaker, count in counts.items()
        ],
        "segments": [_segment_view(segment) for segment in job.segments],
        "sourceLanguage": job.source_language,
        "targetLanguage": job.target_language,
        "duration": round(job.duration, 3),
        "mediaType": job.media_type,
    }
    if job.status == "completed" and job.dubbed_path is not None:
        extension = job.dubbed_path.rsplit(".", 1)[-1]
        name = f"{job.id}-dubbed.{extension}"
        data["dubbedUrl"] = download_url(request, runtime, job.dubbed_path, name)
    if job.status == "failed":
        data["error"] = job.error or "the job failed"
    return {"success": True, "data": data}


def speaker_label(speaker_id: str) -> str:
    """`speaker_1` -> `Speaker 1`."""
    return speaker_id.replace("_", " ").strip().capitalize()


def _segment_view(segment: dict[str, Any]) -> dict[str, Any]:
    view = {
        "id": segment["id"],
        "speakerId": segment["speakerId"],
        "start": segment["start"],
        "end": segment["end"],
        "text": segment["text"],
    }
    if "translatedText" in segment:
        view["translatedText"] = segment["translatedText"]
    return view
