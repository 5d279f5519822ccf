"""Voice clones and dialogues: `/voices`, one audio file each."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.media_types import DEFAULT_AUDIO_SUFFIX
from orangeweb.orangeclone.models import VoiceStatus
from orangeweb.services.jobs import speech_rates
from orangeweb.services.jobs.estimates import TYPICAL, estimate_voice
from orangeweb.services.jobs.kinds import single_output
from orangeweb.services.jobs.kinds.base import JobKind, Pace
from orangeweb.services.jobs.status import set_status

PACE = Pace(shortest=2.0, growth=0.25, longest=60.0)


async def poll(client: OrangeClone, remote_id: str) -> VoiceStatus:
    return await client.voices.status(remote_id)


def _learnable(job: Job) -> bool:
    return bool(job.succeeded and job.duration_s)


def apply(session: Session, job: Job, remote: VoiceStatus) -> bool:
    before = (job.status, job.duration_s, job.charged_credits)
    could_learn = _learnable(job)
    single_output.fold_common(
        job,
        failed=remote.failed,
        error=remote.error,
        url=remote.audio_url,
        duration=remote.duration,
    )
    if remote.cost is not None and math.isfinite(remote.cost):
        job.charged_credits = math.ceil(remote.cost)
    set_status(session, job, remote.status, job.error if remote.failed else None)
    if _learnable(job) and not could_learn:  # once: the answer that finished it with a length
        speech_rates.learn_from_take(session, job)
    return (job.status, job.duration_s, job.charged_credits) != before


async def archive(session: Session, job: Job, http: httpx.AsyncClient, data_root: Path) -> bool:
    """Archive the output; a take whose answer had no duration is learned from once the file
    gives one."""
    could_learn = _learnable(job)
    stored = await single_output.archive_output(
        session, job, http, data_root, suffix=DEFAULT_AUDIO_SUFFIX
    )
    if _learnable(job) and not could_learn:
        speech_rates.learn_from_take(session, job)
        session.commit()
    return stored


def result_url(remote: VoiceStatus, _job: Job, _scene: int | None) -> str | None:
    return remote.audio_url


def expected_seconds(session: Session, job: Job) -> float | None:
    """Pacing: the take's estimated length, timed like its submission was (the characters'
    learned rates as they are now); None for a row without its text."""
    text, ids = job.request.get("text"), job.request.get("character_ids")
    if not isinstance(text, str) or not isinstance(ids, list):
        return None
    character_ids = [int(character_id) for character_id in ids]
    learned = speech_rates.read_rates(session, job.team_id, character_ids)
    rates = [learned.get(character_id, TYPICAL) for character_id in character_ids]
    seconds = estimate_voice(text, len(character_ids), rates).seconds
    return seconds if seconds > 0 else None


def _kind(name: str, label: str) -> JobKind:
    common: dict[str, Any] = {
        "studio": "voice",
        "status_model": VoiceStatus,
        "pace": PACE,
        "poll": poll,
        "apply": apply,
        "needs_archive": single_output.needs_archive,
        "archive": archive,
        "output_suffix": DEFAULT_AUDIO_SUFFIX,
        "result_url": result_url,
        "expected_seconds": expected_seconds,
    }
    return JobKind(name=name, label=label, **common)


VOICE = _kind("voice", "Voice")
DIALOGUE = _kind("dialogue", "Dialogue")
