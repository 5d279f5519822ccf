"""Stories: batches of scenes, per-scene status across resubmissions, and the joined audio.

A story's first batch holds every scene; a resubmission holds only the scenes that failed,
numbered 0, 1, 2... on the wire (the API wants them in order) but kept under their story
index here. A scene's state is what the newest batch that carried it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from orangeweb.models import Job, Story
from orangeweb.orangeclone.models import BatchSceneStatus
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.media import archive

# A scene can be "completed" with nothing to hear: say so rather than show it as a success.
NO_AUDIO = "OrangeClone returned no audio for this scene."
EMPTY_AUDIO = "The audio OrangeClone returned for this scene is empty (0 s) or unreadable."


@dataclass(frozen=True)
class SceneState:
    index: int
    status: str
    job_id: int
    error: str | None
    output_path: str | None  # relative to the data directory, when archived
    warning: str | None = None  # completed, but with no audio worth hearing


def team_story(session: Session, actor: CurrentUser, story_id: int) -> Story:
    story = session.exec(
        select(Story).where(Story.id == story_id, Story.team_id == actor.team_id)
    ).first()
    if story is None:
        raise NotFoundError("That story does not exist.")
    return story


def mirror_batch_status_on_scenes(job: Job) -> None:
    """After the POST: scenes still "submitting" take the batch's outcome."""
    if job.status == "submitting":
        return
    scenes: list[dict[str, Any]] = []
    for scene in job.scenes:
        scene = dict(scene)
        if scene.get("status") == "submitting":
            scene["status"] = job.status if job.is_final else "queued"
            scene["error"] = job.error if job.is_final else None
        scenes.append(scene)
    job.scenes = scenes  # a new list, so the JSON column is seen as changed


def apply_scene_statuses(job: Job, remote: list[BatchSceneStatus]) -> list[dict[str, Any]]:
    """Fold the API's scene statuses into `job.scenes`; returns the scenes that just completed
    (each still carrying its signed `remote_url`, for the archive)."""
    by_batch_index = {scene.scene_index: scene for scene in remote}
    completed_now: list[dict[str, Any]] = []
    scenes: list[dict[str, Any]] = []
    for scene in job.scenes:
        scene = dict(scene)
        update = by_batch_index.get(int(scene["batch_index"]))
        if update is not None:
            was = scene.get("status")
            scene["status"] = update.status
            scene["error"] = update.error if update.failed else None
            if update.audio_url:
                scene["remote_url"] = update.audio_url  # secret: never in a view or a log
            if update.succeeded and was != "completed":
                completed_now.append(scene)
            if update.succeeded and not scene.get("remote_url"):
                scene["warning"] = NO_AUDIO
        scenes.append(scene)
    job.scenes = scenes
    return completed_now


def set_scene_fields(job: Job, index: int, **fields: Any) -> None:
    job.scenes = [
        {**scene, **fields} if int(scene["index"]) == index else dict(scene) for scene in job.scenes
    ]


def scene_states(session: Session, story: Story) -> dict[int, SceneState]:
    """Each story scene's state, from the newest batch that carried it (and got an answer)."""
    jobs = session.exec(
        select(Job).where(Job.story_id == story.id).order_by(col(Job.created_at), col(Job.id))
    ).all()
    states: dict[int, SceneState] = {}
    for job in jobs:
        assert job.id is not None
        for scene in job.scenes:
            status = str(scene.get("status", job.status))
            if status == "submitting":
                continue
            states[int(scene["index"])] = SceneState(
                index=int(scene["index"]),
                status=status,
                job_id=job.id,
                error=scene.get("error"),
                output_path=scene.get("output_path"),
                warning=scene.get("warning"),
            )
    return states


def scene_indexes_to_redo(session: Session, story: Story) -> list[int]:
    """The scenes a resubmission makes again: failed ones, and those that came back silent."""
    return sorted(
        index
        for index, state in scene_states(session, story).items()
        if state.status == "failed" or (state.status == "completed" and state.warning)
    )


def story_audio(session: Session, story: Story, data_root: Path) -> Path:
    """Every completed scene, in story order, joined into one MP3 (cached until a scene
    changes). Blocking (ffmpeg). Needs the scenes in the archive. Commits the cache record."""
    states = scene_states(session, story)
    # A scene that came back without audio adds nothing to hear: leave it out of the join.
    completed = [
        states[index]
        for index in sorted(states)
        if states[index].status == "completed" and not states[index].warning
    ]
    if not completed:
        raise ValidationError("No scene of this story has finished yet.")
    paths: list[Path] = []
    for state in completed:
        path = data_root / state.output_path if state.output_path else None
        if path is None or not path.is_file():
            raise ValidationError(
                f"Scene {state.index + 1} is not in the team's archive (archiving was off or "
                "its download failed), so the story cannot be joined here."
            )
        paths.append(path)
    key = archive.join_key(paths)
    if story.joined_path and story.joined_from == key and (data_root / story.joined_path).is_file():
        return data_root / story.joined_path
    relative = Path("archive") / str(story.team_id) / "stories" / str(story.id) / f"{key[:16]}.mp3"
    archive.join_audio(paths, data_root / relative)
    old = story.joined_path
    story.joined_path, story.joined_from = relative.as_posix(), key
    session.commit()
    if old and old != story.joined_path:
        (data_root / old).unlink(missing_ok=True)
    return data_root / relative
