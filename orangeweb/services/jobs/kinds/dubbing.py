"""Dubbing: `/dubbing`, one job walked through transcribe, translate and clone by a person; the
dubbed video is its output. Every answer is also folded into the job's project, here only."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.dubbing.status import record_job, record_output, record_remote_status
from orangeweb.services.jobs.kinds import single_output
from orangeweb.services.jobs.kinds.base import JobKind, Pace
from orangeweb.services.jobs.status import set_status

# Starts slower and ends slower than a voice; resting between steps it waits for a person,
# whose action wakes the tracker.
PACE = Pace(shortest=5.0, growth=0.25, longest=180.0)


async def poll(client: OrangeClone, remote_id: str) -> DubbingStatus:
    return await client.dubbing.status(remote_id)


def apply(session: Session, job: Job, remote: DubbingStatus) -> bool:
    before = (job.status, job.duration_s)
    single_output.fold_common(
        job,
        failed=remote.failed,
        error=remote.error,
        url=remote.dubbed_url,
        duration=remote.duration,
    )
    set_status(session, job, remote.status, job.error if remote.failed else None)
    record_remote_status(session, job, remote)
    return (job.status, job.duration_s) != before


async def archive(session: Session, job: Job, http: httpx.AsyncClient, data_root: Path) -> bool:
    suffix = DUBBING.output_suffix
    stored = await single_output.archive_output(session, job, http, data_root, suffix=suffix)
    if stored:
        record_output(session, job)
    return stored


def result_url(remote: DubbingStatus, _job: Job, _scene: int | None) -> str | None:
    return remote.dubbed_url


DUBBING = JobKind(
    name="dubbing",
    label="Dubbing",
    studio="dubbing",
    status_model=DubbingStatus,
    pace=PACE,
    poll=poll,
    apply=apply,
    needs_archive=single_output.needs_archive,
    archive=archive,
    mirror=record_job,
    output_suffix=".mp4",
    result_url=result_url,
    resting_statuses=DubbingStatus.AWAITING_INPUT_STATUSES,
)
