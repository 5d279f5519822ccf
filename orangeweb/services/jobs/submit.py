"""Submitting jobs: the row first, then the POST, then the remote id.

1. Everything is checked before any call (characters, dialogue lines, callback URL).
2. The `Job` row is committed with status "submitting". The same `submission_key` (per team)
   finds that row again instead of submitting twice (a double click, a retried request).
3. Once the key's rate budget lets the request go, the row is marked `maybe_sent` (until
   then it provably sent nothing), then the POST. Accepted: the remote id and status are stored
   and the tracker takes over. Refused before acceptance: "failed", with the reason in words. A
   request that may have reached the server without us hearing the answer: "unknown", never
   resent on its own. A crash leaves "submitting"; once it is stale the tracker settles it:
   "failed" if it was never sent, else "unknown" (`tracker.queries.sweep_stale_submissions`).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from orangeweb.models import Job, utcnow
from orangeweb.orangeclone import (
    OrangeClone,
    OrangeCloneError,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from orangeweb.orangeclone.dialogue import is_dialogue, parse_dialogue
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import describe_api_error
from orangeweb.services.errors import DomainError, ValidationError
from orangeweb.services.jobs import inputs
from orangeweb.services.jobs.estimates import TYPICAL, estimate_voice
from orangeweb.services.jobs.kinds import DIALOGUE, VOICE
from orangeweb.services.jobs.queries import job_view, team_job
from orangeweb.services.jobs.speech_limits import NOTHING_TO_SAY, check_speech_length, speakable
from orangeweb.services.jobs.speech_rates import read_rates
from orangeweb.services.jobs.status import SUBMITTING, UNKNOWN, add_event, publish, set_status
from orangeweb.services.jobs.views import JobView
from orangeweb.services.keys.store import open_client, usable_api_key
from orangeweb.services.tracker import policy as tracker_policy

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
NOT_SENT_WORDS = "The submission was stopped before its request was sent; nothing was charged."
# Gateway errors: the request may have been forwarded to a server that then ran it.
_MAYBE_FORWARDED = frozenset({502, 504})


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
    job.maybe_sent = False  # until `_wait_to_send` says otherwise, nothing can have left
    session.add(job)
    for row in extra:
        session.add(row)
    try:
        session.flush()
        add_event(session, job, SUBMITTING)
        session.commit()
    except IntegrityError:
        session.rollback()  # the same key won a race: that submission is the one
        return None
    return job


def _still_unsent(session: Session, job: Job, *, sending: bool) -> bool:
    """Touch the unsent row (a sign of life for the tracker's stale sweep), marking it
    `maybe_sent` if `sending`. False if the tracker has settled it meanwhile. Commits."""
    result = session.execute(
        update(Job)
        .where(
            col(Job.id) == job.id,
            col(Job.status) == SUBMITTING,
            col(Job.maybe_sent) == False,  # noqa: E712
        )
        .values(maybe_sent=sending, updated_at=utcnow())
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


async def _wait_to_send(session: Session, job: Job, client: OrangeClone) -> bool:
    """Wait for the key's rate budget here rather than inside the SDK, so the row says "not
    sent" for as long as that is true; False if the tracker gave up on the row meanwhile."""
    touch_every = tracker_policy.stale_submission_window().total_seconds() / 4
    while (wait := client.budget.wait_time()) > 0:
        if not _still_unsent(session, job, sending=False):
            return False
        await asyncio.sleep(min(wait, touch_every))
    # No await from here to the SDK's reservation of its slot: nobody can take it first.
    return _still_unsent(session, job, sending=True)


async def send_submission(
    session: Session, actor: CurrentUser, job: Job, send: Send, opener: ClientOpener
) -> None:
    """The POST for a committed "submitting" row, and what its outcome means for the row."""
    sending = False
    try:
        async with opener(session, actor, job.api_key_id) as client:
            if not await _wait_to_send(session, job, client):
                session.refresh(job)  # the tracker's verdict ("failed": never sent) stands
                return
            sending = True
            remote_id, status, server_estimate = await send(client)
        # The answer may come after the tracker settled the row: read it back, then overrule.
        session.refresh(job)
    except OrangeCloneError as error:
        session.refresh(job)
        words = describe_api_error(error)
        if _may_have_run(error):
            job.error = f"{UNKNOWN_WORDS} ({words})"
            set_status(session, job, UNKNOWN, job.error)
        else:
            job.error = words
            set_status(session, job, "failed", words)
        session.commit()
    except DomainError as error:  # e.g. the key was revoked a moment ago: nothing was sent
        session.refresh(job)
        job.error = error.message
        set_status(session, job, "failed", error.message)
        session.commit()
    except BaseException:
        # Cancelled or crashed: once sending, the POST may be out. Say so, then propagate.
        session.rollback()
        status, words = (UNKNOWN, UNKNOWN_WORDS) if sending else ("failed", NOT_SENT_WORDS)
        job.error = words
        set_status(session, job, status, words)
        session.commit()
        raise
    else:
        job.remote_id = remote_id
        job.error = None  # the tracker may have called it "unknown" while the answer was late
        if server_estimate is not None and math.isfinite(server_estimate):
            job.estimated_credits = math.ceil(server_estimate)  # the server's word wins
        set_status(session, job, status or "queued", f"Accepted as {remote_id}")
        job.completed_at = None
        job.next_poll_at = utcnow() + tracker_policy.first_delay(job.kind)
        session.commit()
        # late: the tracker imports the job views
        from orangeweb.services.tracker.loop import wake as wake_tracker

        wake_tracker()
    await publish(job)


def earlier_submission(session: Session, actor: CurrentUser, submission_key: str) -> JobView | None:
    """The job this click already made (a repeated click, a retried request), if any."""
    existing = inputs.existing_submission(session, actor.team_id, submission_key)
    return job_view(session, actor, existing) if existing is not None else None


def taken_submission(session: Session, actor: CurrentUser, submission_key: str) -> JobView:
    """The job that won the race for `submission_key` (our insert lost)."""
    earlier = earlier_submission(session, actor, submission_key)
    assert earlier is not None
    return earlier


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
) -> JobView:
    """Clone `text` in the voices of `character_ids` (local ids, in `Speaker N` order). Commits."""
    submission_key = inputs.check_submission_key(submission_key)
    if (earlier := earlier_submission(session, actor, submission_key)) is not None:
        return earlier
    if not text.strip():
        raise ValidationError("Write the text to speak.")
    if len(text) > TEXT_MAX:
        raise ValidationError(f"The text is at most {TEXT_MAX} characters ({len(text)} now).")
    api_key = usable_api_key(session, actor, api_key_id)
    characters = inputs.team_characters(session, actor, api_key_id, list(character_ids))
    dialogue = len(characters) > 1 or is_dialogue(text)
    if dialogue:
        parsed = parse_dialogue(text, len(characters))
        if parsed.problems:
            raise ValidationError(
                "This dialogue cannot be sent: " + "; ".join(str(p) for p in parsed.problems) + "."
            )
        # The "Speaker N:" prefixes have letters of their own: judge what each turn says.
        for line in parsed.lines:
            if not speakable(line.text):
                raise ValidationError(
                    f"Line {line.line_number} has nothing to say: {NOTHING_TO_SAY}"
                )
    elif not speakable(text):
        raise ValidationError(f"The text has nothing to say: {NOTHING_TO_SAY}")
    # Timed by the characters' learned rates: the figure the page showed, held to the cap.
    learned = read_rates(session, actor.team_id, [c.id for c in characters if c.id is not None])
    rates = [learned.get(c.id, TYPICAL) if c.id is not None else TYPICAL for c in characters]
    estimate = estimate_voice(text, len(characters), rates)
    check_speech_length(estimate.seconds, api_key.tier, "This text", "Shorten it")
    check_parent(session, actor, parent_job_id)
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=api_key_id,
        kind=(DIALOGUE if dialogue else VOICE).name,
        status=SUBMITTING,
        submission_key=submission_key,
        title=_short_title(text),
        request={"text": text, "character_ids": [c.id for c in characters]},
        characters=[{"id": c.id, "name": c.name} for c in characters],
        estimated_credits=estimate.credits,
        parent_job_id=parent_job_id,
    )
    if commit_new(session, job) is None:
        return taken_submission(session, actor, submission_key)
    remote_ids = [character.remote_id for character in characters]

    async def send(client: OrangeClone) -> tuple[str, str | None, float | None]:
        accepted = await client.voices.clone(text, remote_ids)
        return accepted.job_id, accepted.status, accepted.estimated_cost

    await send_submission(session, actor, job, send, opener)
    return job_view(session, actor, job)
