"""Dubbing steps: `transcribing -> transcribed`, `translating -> translated`,
`cloning -> completed`, any of them `-> failed` (the clone's hold refunded)."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

from orangeweb.sandbox.credits import refund, settle
from orangeweb.sandbox.engine import (
    DubSegment,
    MediaError,
    VoiceProfile,
    dub_media,
    pseudo_translate,
    transcribe,
)
from orangeweb.sandbox.jobs.status import advance
from orangeweb.sandbox.models import DubbingJob, utc_now
from orangeweb.sandbox.runtime import SandboxRuntime

# Transcription language: the documented request carries none, and the engine's recogniser
# model is English.
SOURCE_LANGUAGE = "en"


def _media(runtime: SandboxRuntime, job: DubbingJob) -> Path:
    media = runtime.store.file(job.media_file)
    if not media.is_file():
        raise MediaError("the uploaded media is no longer available; upload it again")
    return media


def _begin(runtime: SandboxRuntime, job_id: str, status: str) -> DubbingJob | None:
    with runtime.store.session() as session:
        job = session.get(DubbingJob, job_id)
    if job is None or job.status != status:
        return None  # finished meanwhile, or a stale queue entry
    return job


async def run_transcription(runtime: SandboxRuntime, job_id: str) -> None:
    job = _begin(runtime, job_id, "transcribing")
    if job is None:
        return
    await runtime.job_checkpoint(job.key_id)
    media = _media(runtime, job)
    pause = runtime.config.transcription_phrase_pause_seconds
    transcript = await asyncio.to_thread(transcribe, media, SOURCE_LANGUAGE, phrase_pause=pause)
    with runtime.store.session() as session:
        job = session.get(DubbingJob, job_id)
        if job is None:
            return
        job.segments = [
            {
                "id": segment.id,
                "speakerId": segment.speaker_id,
                "start": round(segment.start, 3),
                "end": round(segment.end, 3),
                "text": segment.text,
            }
            for segment in transcript.segments
        ]
        job.speakers = list(transcript.speakers)
        job.source_language = transcript.source_language
        advance(job, "transcribed")
        session.add(job)
        session.commit()


async def run_translation(runtime: SandboxRuntime, job_id: str) -> None:
    job = _begin(runtime, job_id, "translating")
    if job is None:
        return
    await runtime.job_checkpoint(job.key_id)
    language = job.translation_language or job.target_language
    wanted = set(job.pending_translation)
    sources = {s["id"]: s["text"] for s in job.segments if s["id"] in wanted}
    translations = await asyncio.to_thread(_translate_all, sources, language)
    with runtime.store.session() as session:
        job = session.get(DubbingJob, job_id)
        if job is None:
            return
        job.segments = [
            {**segment, "translatedText": translations[segment["id"]]}
            if segment["id"] in translations
            else segment
            for segment in job.segments
        ]
        job.pending_translation = []
        advance(job, "translated")
        session.add(job)
        session.commit()


def _translate_all(texts: dict[str, str], language: str) -> dict[str, str]:
    return {segment_id: pseudo_translate(text, language) for segment_id, text in texts.items()}


async def run_clone(runtime: SandboxRuntime, job_id: str) -> None:
    job = _begin(runtime, job_id, "cloning")
    if job is None:
        return
    await runtime.job_checkpoint(job.key_id)
    plan: dict[str, Any] = job.clone_plan
    language = str(plan["language"])
    planned: list[dict[str, Any]] = plan["segments"]
    to_translate = {s["id"]: s["text"] for s in planned if s["translate"]}
    translations = await asyncio.to_thread(_translate_all, to_translate, language)
    segments = [
        DubSegment(
            start=float(s["start"]),
            end=float(s["end"]),
            text=translations.get(s["id"], s["text"]),
            profile=None if s["profile"] is None else VoiceProfile.from_dict(s["profile"]),
        )
        for s in planned
    ]
    job_dir = runtime.store.area("dubbing", job.id)
    # A fresh work dir per run: a stray thread of an interrupted run cannot clash with this one.
    work_dir = job_dir / f".work-{os.urandom(6).hex()}"
    work_dir.mkdir()
    try:
        media = _media(runtime, job)
        output = await asyncio.to_thread(dub_media, media, segments, language, work_dir)
        final = job_dir / f"dubbed{Path(output).suffix}"
        os.replace(output, final)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    with runtime.store.session() as session:
        job = session.get(DubbingJob, job_id)
        if job is None:
            return
        if translations:
            job.translation_language = language
            job.segments = [
                {**segment, "translatedText": translations[segment["id"]]}
                if segment["id"] in translations
                else segment
                for segment in job.segments
            ]
        job.cost = settle(session, job.key_id, job.held_credits, job.estimated_cost or 0)
        job.held_credits = 0
        job.dubbed_path = runtime.store.relative(final)
        job.completed_at = utc_now()
        advance(job, "completed")
        session.add(job)
        session.commit()


async def fail(runtime: SandboxRuntime, job_id: str, message: str) -> None:
    with runtime.store.session() as session:
        job = session.get(DubbingJob, job_id)
        if job is None:
            return
        if job.held_credits:  # a clone was paid for: nothing is charged for a failure
            refund(session, job.key_id, job.held_credits)
            job.held_credits = 0
            job.cost = 0
        job.error = message
        job.completed_at = utc_now()
        advance(job, "failed")
        session.add(job)
        session.commit()
