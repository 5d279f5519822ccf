"""Submitting stories (one /batch_tts each), resubmitting their failed scenes, and running a
job again. Same rules as `jobs.submit`: row first, then the POST."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, select

from orangeweb.models import Job, Story
from orangeweb.orangeclone import BatchScene, OrangeClone
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ConflictError, DomainError, NotFoundError, ValidationError
from orangeweb.services.jobs import inputs, stories
from orangeweb.services.jobs.callbacks import (
    Resolver,
    hash_callback_token,
    hook_url,
    new_callback_token,
    system_resolver,
    validate_callback_url,
)
from orangeweb.services.jobs.estimates import TYPICAL, estimate_story
from orangeweb.services.jobs.kinds import BATCH, VOICE, kind_of
from orangeweb.services.jobs.queries import job_view, team_job
from orangeweb.services.jobs.speech_limits import NOTHING_TO_SAY, check_speech_length, speakable
from orangeweb.services.jobs.speech_rates import read_rates
from orangeweb.services.jobs.status import SUBMITTING
from orangeweb.services.jobs.submit import (
    MAX_SCENES,
    TEXT_MAX,
    ClientOpener,
    check_parent,
    commit_new,
    earlier_submission,
    send_submission,
    submit_voice,
    taken_submission,
)
from orangeweb.services.jobs.views import JobView
from orangeweb.services.keys.store import open_client, usable_api_key
from orangeweb.settings import get_settings


async def regenerate(
    session: Session,
    actor: CurrentUser,
    job_id: int,
    *,
    submission_key: str,
    opener: ClientOpener = open_client,
) -> JobView:
    """The same request again, as a new job whose `parent_job_id` is `job_id`. Commits."""
    submission_key = inputs.check_submission_key(submission_key)
    if (earlier := earlier_submission(session, actor, submission_key)) is not None:
        return earlier
    job = team_job(session, actor, job_id)
    kind = kind_of(job.kind)
    if kind.studio == VOICE.studio:
        return await submit_voice(
            session,
            actor,
            job.api_key_id,
            str(job.request["text"]),
            [int(character_id) for character_id in job.request["character_ids"]],
            submission_key=submission_key,
            parent_job_id=job.id,
            opener=opener,
        )
    if kind.has_scenes and job.story_id is not None:
        story = stories.team_story(session, actor, job.story_id)
        return await _submit_batch(
            session,
            actor,
            job.api_key_id,
            story,
            list(story.scenes),
            submission_key=submission_key,
            parent_job_id=job.id,
            title=story.title,
            callback=job.request.get("callback"),
            opener=opener,
        )
    raise ValidationError("This kind of job is run again from its own page.")


async def _callback_for(
    callback: str | None, token: str, resolver: Resolver
) -> tuple[str | None, str | None]:
    """(URL to send, what the request record shows) for a user URL or the dashboard's hook."""
    if callback and callback != "dashboard":
        return await validate_callback_url(callback, resolver=resolver), callback
    public_url = get_settings().public_url
    if public_url:
        return hook_url(public_url, token), "dashboard"
    return None, None


async def _submit_batch(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    story: Story,
    story_scenes: list[dict[str, Any]],
    *,
    submission_key: str,
    parent_job_id: int | None,
    title: str,
    callback: str | None,
    opener: ClientOpener,
    resolver: Resolver = system_resolver,
) -> JobView:
    api_key = usable_api_key(session, actor, api_key_id)
    ids = [int(scene["character_id"]) for scene in story_scenes]
    learned = read_rates(session, actor.team_id, ids)
    timed = zip(story_scenes, ids, strict=True)
    estimate = estimate_story([(str(s["text"]), learned.get(cid, TYPICAL)) for s, cid in timed])
    # Here, so a resubmission or a run again is held to the key's cap as well.
    check_speech_length(estimate.seconds, api_key.tier, "This story", "Split it")
    characters = inputs.team_characters(
        session, actor, api_key_id, [int(scene["character_id"]) for scene in story_scenes]
    )
    token = new_callback_token()
    callback_url, callback_record = await _callback_for(callback, token, resolver)
    if story.id is None:  # a new story: flushed only now, so no write waits on the lookup
        session.flush()  # its id for the job; committed together with the job's row
    scenes = [
        {
            "index": int(scene["index"]),
            "batch_index": position,
            "text": str(scene["text"]),
            "character_id": character.id,
            "character_name": character.name,
            "status": SUBMITTING,
            "error": None,
        }
        for position, (scene, character) in enumerate(zip(story_scenes, characters, strict=True))
    ]
    seen: dict[int, str] = {}
    for character in characters:
        assert character.id is not None
        seen.setdefault(character.id, character.name)
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=api_key_id,
        kind=BATCH.name,
        status=SUBMITTING,
        submission_key=submission_key,
        title=title[: inputs.TITLE_MAX],
        request={
            "story_id": story.id,
            "title": story.title,
            "scenes": [
                {"index": s["index"], "text": s["text"], "character_id": s["character_id"]}
                for s in scenes
            ],
            "callback": callback_record,
        },
        characters=[{"id": id_, "name": name} for id_, name in seen.items()],
        scenes=scenes,
        story_id=story.id,
        estimated_credits=estimate.credits,
        parent_job_id=parent_job_id,
        callback_token_hash=hash_callback_token(token) if callback_record == "dashboard" else None,
    )
    if commit_new(session, job) is None:
        return taken_submission(session, actor, submission_key)
    wire = [
        BatchScene(index=position, text=scene["text"], character_id=character.remote_id)
        for position, (scene, character) in enumerate(zip(scenes, characters, strict=True))
    ]

    async def send(client: OrangeClone) -> tuple[str, str | None, float | None]:
        accepted = await client.batch.create(story.remote_story_id, wire, callback_url)
        return accepted.batch_job_id, accepted.status, None

    await send_submission(session, actor, job, send, opener)
    stories.mirror_batch_status_on_scenes(job)
    session.commit()
    return job_view(session, actor, job)


async def submit_story(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    title: str,
    scenes: list[inputs.SceneInput],
    *,
    submission_key: str,
    user_callback_url: str | None = None,
    parent_job_id: int | None = None,
    opener: ClientOpener = open_client,
    resolver: Resolver = system_resolver,
) -> JobView:
    """One /batch_tts for a whole story (scenes in order). Commits."""
    submission_key = inputs.check_submission_key(submission_key)
    if (earlier := earlier_submission(session, actor, submission_key)) is not None:
        return earlier
    title = " ".join(title.split())
    if not title:
        raise ValidationError("Give the story a title.")
    if len(title) > inputs.TITLE_MAX:
        raise ValidationError(f"Titles are at most {inputs.TITLE_MAX} characters.")
    if not scenes:
        raise ValidationError("A story needs at least one scene.")
    if len(scenes) > MAX_SCENES:
        raise ValidationError(f"A story has at most {MAX_SCENES} scenes.")
    for number, scene in enumerate(scenes, start=1):
        if not scene.text.strip():
            raise ValidationError(f"Scene {number} has no text.")
        if not speakable(scene.text):
            raise ValidationError(f"Scene {number} has nothing to say: {NOTHING_TO_SAY}")
        if len(scene.text) > TEXT_MAX:
            raise ValidationError(f"Scene {number} is longer than {TEXT_MAX} characters.")
    if user_callback_url is not None and user_callback_url.strip():
        await validate_callback_url(user_callback_url, resolver=resolver)  # fail before any row
    else:
        user_callback_url = None
    usable_api_key(session, actor, api_key_id)
    characters = inputs.team_characters(
        session, actor, api_key_id, [scene.character_id for scene in scenes]
    )
    check_parent(session, actor, parent_job_id)
    story = Story(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        title=title,
        remote_story_id=f"story_{uuid.uuid4().hex}",
        scenes=[
            {
                "index": index,
                "text": scene.text,
                "character_id": character.id,
                "character_name": character.name,
            }
            for index, (scene, character) in enumerate(zip(scenes, characters, strict=True))
        ],
    )
    session.add(story)
    try:
        return await _submit_batch(
            session,
            actor,
            api_key_id,
            story,
            list(story.scenes),
            submission_key=submission_key,
            parent_job_id=parent_job_id,
            title=title,
            callback=user_callback_url,
            opener=opener,
            resolver=resolver,
        )
    except DomainError:
        session.rollback()  # refused before its row was committed: no story left behind
        raise


async def resubmit_failed_scenes(
    session: Session,
    actor: CurrentUser,
    job_id: int,
    *,
    submission_key: str,
    opener: ClientOpener = open_client,
) -> JobView:
    """The story's failed (or silent) scenes alone, as a new batch (parent: `job_id`). Commits."""
    submission_key = inputs.check_submission_key(submission_key)
    if (earlier := earlier_submission(session, actor, submission_key)) is not None:
        return earlier
    job = team_job(session, actor, job_id)
    if not kind_of(job.kind).has_scenes or job.story_id is None:
        raise ValidationError("Only a story's batch has scenes to resubmit.")
    story = stories.team_story(session, actor, job.story_id)
    running = session.exec(
        select(Job.id).where(Job.story_id == story.id, Job.is_final == False)  # noqa: E712
    ).first()
    if running is not None:
        raise ConflictError("Part of this story is still running; wait until it finishes.")
    failed = stories.scene_indexes_to_redo(session, story)
    if not failed:
        raise ValidationError("No failed scenes to resubmit.")
    numbers = ", ".join(str(index + 1) for index in failed)
    try:
        return await _submit_batch(
            session,
            actor,
            job.api_key_id,
            story,
            [story.scenes[index] for index in failed],
            submission_key=submission_key,
            parent_job_id=job.id,
            title=f"{story.title} (scene{'s' if len(failed) > 1 else ''} {numbers} again)",
            callback=job.request.get("callback"),
            opener=opener,
        )
    except NotFoundError as error:
        raise ValidationError(f"Cannot resubmit: {error.message}") from error
