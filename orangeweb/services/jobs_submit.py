"""Submitting jobs: the row first, then the POST, then the remote id.

1. Everything is checked before any call (characters, dialogue lines, callback URL).
2. The `Job` row is committed with status "submitting". The same `submission_key` (per team)
   finds that row again instead of submitting twice (a double click, a retried request).
3. The POST. Accepted: the remote id and status are stored and the tracker takes over. Refused
   before acceptance: "failed", with the reason in words. A request that may have reached the
   server without us hearing the answer: "unknown", never resent on its own. A crash between
   1 and 3 leaves "submitting", which the tracker turns into "unknown" on its next start.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from orangeweb.models import Job, utcnow
from orangeweb.orangeclone import (
    OrangeClone,
    OrangeCloneError,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from orangeweb.orangeclone.costs import CostEstimate, estimate_voice_clone
from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue
from orangeweb.services import jobs_common as common
from orangeweb.services import tracker_policy
from orangeweb.services.api_errors import describe_api_error
from orangeweb.services.api_keys import open_client, usable_api_key
from orangeweb.services.errors import DomainError, ValidationError
from orangeweb.services.identity import CurrentUser
from orangeweb.services.jobs_query import job_view, team_job

ClientOpener = Callable[[Session, CurrentUser, int], AbstractAsyncContextManager[OrangeClone]]
Send = Callable[[OrangeClone], Awaitable[tuple[str, str | None, float | None]]]
"""Sends the POST; returns (remote id, status, the server's cost estimate)."""

TEXT_MAX = 5000
MAX_SCENES = 100
UNKNOWN_WORDS = (
    "The request may or may not have reached OrangeClone: the connection broke before its "
    "answer arrived. Check the account's jobs before trying again; the dashboard will not "
    "resend it on its own."
)
# Gateway errors: the request may have been forwarded to a server that then ran it.
_MAYBE_FORWARDED = frozenset({502, 504})


def estimate_voice(text: str, character_count: int) -> CostEstimate:
    """Credits for a voice job: a `Speaker N:` dialogue is priced by its distinct speakers,
    plain text by the characters given (several = the multi-speaker price)."""
    if is_dialogue(text):
        return estimate_voice_clone(text)
    return estimate_voice_clone(text, speaker_count=max(1, character_count))


def _short_title(text: str) -> str:
    spoken = " ".join(parse_dialogue(text).texts) if is_dialogue(text) else text
    flat = " ".join(spoken.split())
    return flat if len(flat) <= 60 else flat[:59].rstrip() + "…"


def check_parent(session: Session, actor: CurrentUser, parent_job_id: int | None) -> None:
    if parent_job_id is not None:
        team_job(session, actor, parent_job_id)


def _may_have_run(error: OrangeCloneError) -> bool:
    if isinstance(error, TransportError):
        return error.may_have_reached_server
    if isinstance(error, UnexpectedResponse):
        # A 2xx we could not read (no job id): the server accepted something.
        return error.status_code is not None and 200 <= error.status_code < 300
    return isinstance(error, ServerError) and error.status_code in _MAYBE_FORWARDED


def commit_new(session: Session, job: Job, *extra: Any) -> Job | None:
    """Commit the new row (and its first event); None if the submission key was taken."""
    session.add(job)
    for row in extra:
        session.add(row)
    try:
        session.flush()
        common.add_event(session, job, common.SUBMITTING)
        session.commit()
    except IntegrityError:
        session.rollback()  # the same key won a race: that submission is the one
        return None
    return job


async def send_submission(
    session: Session, actor: CurrentUser, job: Job, send: Send, opener: ClientOpener
) -> None:
    """The POST for a committed "submitting" row, and what its outcome means for the row."""
    try:
        async with opener(session, actor, job.api_key_id) as client:
            remote_id, status, server_estimate = await send(client)
    except OrangeCloneError as error:
        words = describe_api_error(error)
        if _may_have_run(error):
            job.error = f"{UNKNOWN_WORDS} ({words})"
            common.set_status(session, job, common.UNKNOWN, job.error)
        else:
            job.error = words
            common.set_status(session, job, "failed", words)
        session.commit()
    except DomainError as error:  # e.g. the key was revoked a moment ago: nothing was sent
        job.error = error.message
        common.set_status(session, job, "failed", error.message)
        session.commit()
    except BaseException:
        # Cancelled or crashed mid-call: the POST may be out. Say so, then let it propagate.
        session.rollback()
        job.error = UNKNOWN_WORDS
        common.set_status(session, job, common.UNKNOWN, UNKNOWN_WORDS)
        session.commit()
        raise
    else:
        job.remote_id = remote_id
        if server_estimate is not None and math.isfinite(server_estimate):
            job.estimated_credits = math.ceil(server_estimate)  # the server's word wins
        common.set_status(session, job, status or "queued", f"Accepted as {remote_id}")
        job.next_poll_at = utcnow() + tracker_policy.first_delay(job.kind)
        session.commit()
        from orangeweb.services import tracker  # late: the tracker imports the job views

        tracker.wake()
    await common.publish(job)


async def submit_voice(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    text: str,
    character_ids: list[int],
    *,
    submission_key: str,
    parent_job_id: int | None = None,
    opener: ClientOpener = open_client,
) -> common.JobView:
    """Clone `text` in the voices of `character_ids` (local ids, in `Speaker N` order). Commits."""
    submission_key = common.check_submission_key(submission_key)
    existing = common.existing_submission(session, actor.team_id, submission_key)
    if existing is not None:
        return job_view(session, actor, existing)
    if not text.strip():
        raise ValidationError("Write the text to speak.")
    if len(text) > TEXT_MAX:
        raise ValidationError(f"The text is at most {TEXT_MAX} characters ({len(text)} now).")
    usable_api_key(session, actor, api_key_id)
    characters = common.team_characters(session, actor, api_key_id, list(character_ids))
    dialogue = len(characters) > 1 or is_dialogue(text)
    if dialogue:
        problems = parse_dialogue(text, len(characters)).problems
        if problems:
            raise ValidationError(
                "This dialogue cannot be sent: " + "; ".join(str(p) for p in problems) + "."
            )
    check_parent(session, actor, parent_job_id)
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=api_key_id,
        kind="dialogue" if dialogue else "voice",
        status=common.SUBMITTING,
        submission_key=submission_key,
        title=_short_title(text),
        request={"text": text, "character_ids": [c.id for c in characters]},
        characters=[{"id": c.id, "name": c.name} for c in characters],
        estimated_credits=estimate_voice(text, len(characters)).credits,
        parent_job_id=parent_job_id,
    )
    if commit_new(session, job) is None:
        taken = common.existing_submission(session, actor.team_id, submission_key)
        assert taken is not None
        return job_view(session, actor, taken)
    remote_ids = [character.remote_id for character in characters]

    async def send(client: OrangeClone) -> tuple[str, str | None, float | None]:
        accepted = await client.voices.clone(text, remote_ids)
        return accepted.job_id, accepted.status, accepted.estimated_cost

    await send_submission(session, actor, job, send, opener)
    return job_view(session, actor, job)
