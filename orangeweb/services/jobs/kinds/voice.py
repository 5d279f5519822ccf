"""Voice clones and dialogues: `/voices`, one audio file each."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.media_types import DEFAULT_AUDIO_SUFFIX
from orangeweb.orangeclone.models import VoiceStatus
from orangeweb.services.jobs.kinds import single_output
from orangeweb.services.jobs.kinds.base import JobKind, Pace
from orangeweb.services.jobs.status import set_status

PACE = Pace(shortest=2.0, growth=0.25, longest=60.0)


async def poll(client: OrangeClone, remote_id: str) -> VoiceStatus:
    return await client.voices.status(remote_id)


def apply(session: Session, job: Job, remote: VoiceStatus) -> bool:
    before = (job.status, job.duration_s, job.charged_credits)
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
    return (job.status, job.duration_s, job.charged_credits) != before


def result_url(remote: VoiceStatus, _job: Job, _scene: int | None) -> str | None:
    return remote.audio_url


def _kind(name: str, label: str) -> JobKind:
    common: dict[str, Any] = {
        "studio": "voice",
        "status_model": VoiceStatus,
        "pace": PACE,
        "poll": poll,
        "apply": apply,
        "needs_archive": single_output.needs_archive,
        "archive": partial(single_output.archive_output, suffix=DEFAULT_AUDIO_SUFFIX),
        "output_suffix": DEFAULT_AUDIO_SUFFIX,
        "result_url": result_url,
    }
    return JobKind(name=name, label=label, **common)


VOICE = _kind("voice", "Voice")
DIALOGUE = _kind("dialogue", "Dialogue")
