"""Voice jobs: `queued -> processing -> completed | failed`, settled to the real duration."""

from __future__ import annotations

import asyncio

from orangeweb.sandbox.credits import refund, settle, voice_cost
from orangeweb.sandbox.engine import (
    DialogueLine,
    VoiceProfile,
    synthesize,
    synthesize_dialogue,
)
from orangeweb.sandbox.jobs.files import staged_output
from orangeweb.sandbox.jobs.status import advance
from orangeweb.sandbox.models import VoiceJob, utc_now
from orangeweb.sandbox.runtime import SandboxRuntime


async def run(runtime: SandboxRuntime, job_id: str) -> None:
    with runtime.store.session() as session:
        job = session.get(VoiceJob, job_id)
        if job is None or job.status not in ("queued", "processing"):
            return
        advance(job, "processing")
        session.add(job)
        session.commit()
    await runtime.job_checkpoint(job.key_id)

    final = runtime.store.area("results", "voices") / f"{job.id}.mp3"
    profiles = {int(n): VoiceProfile.from_dict(p) for n, p in job.profiles.items()}
    with staged_output(final) as staging:
        if job.speaker_count == 1:
            speaker = int(job.lines[0]["speaker"])
            text = "\n".join(str(line["text"]) for line in job.lines)
            duration = await asyncio.to_thread(synthesize, text, profiles[speaker], staging)
        else:
            lines = [DialogueLine(int(line["speaker"]), str(line["text"])) for line in job.lines]
            duration = await asyncio.to_thread(synthesize_dialogue, lines, profiles, staging)

    with runtime.store.session() as session:
        job = session.get(VoiceJob, job_id)
        if job is None:
            return
        job.cost = settle(
            session, job.key_id, job.held_credits, voice_cost(duration, job.speaker_count)
        )
        job.held_credits = 0
        job.duration = duration
        job.audio_path = runtime.store.relative(final)
        job.completed_at = utc_now()
        advance(job, "completed")
        session.add(job)
        session.commit()


async def fail(runtime: SandboxRuntime, job_id: str, message: str) -> None:
    with runtime.store.session() as session:
        job = session.get(VoiceJob, job_id)
        if job is None:
            return
        refund(session, job.key_id, job.held_credits)
        job.held_credits = 0
        job.cost = 0
        job.error = message
        job.completed_at = utc_now()
        advance(job, "failed")
        session.add(job)
        session.commit()
