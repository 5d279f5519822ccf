"""`client.batch` against the sandbox: a two-scene story to `completed` with real audio per
scene and the callback arriving at a local receiver; a scene failing makes it `partial`."""

from __future__ import annotations

from pathlib import Path

from orangeweb.orangeclone import BatchJob, BatchScene, OrangeClone
from tests.integration.sdk.conftest import AlexAndJordan
from tests.integration.sdk.helpers import (
    CallbackReceiver,
    assert_real_speech,
    download,
    wait_batch,
)
from tests.support.sandbox_server import SandboxServer

SCENES = ["Welcome to our story!", "Today we explore the ocean."]


async def test_batch_completes_every_scene_and_calls_back(
    sandbox: SandboxServer,
    key: str,
    client: OrangeClone,
    alex_and_jordan: AlexAndJordan,
    tmp_path: Path,
) -> None:
    alex, jordan = alex_and_jordan

    with CallbackReceiver() as receiver:
        job = await client.batch.create(
            "story_sdk_1",
            [
                BatchScene(text=SCENES[0], character_id=alex.character_id),
                {"text": SCENES[1], "characterId": jordan.character_id},
            ],
            callback_url=receiver.url,
        )
        assert isinstance(job, BatchJob) and job.batch_job_id
        assert job.status == "queued"

        status = await wait_batch(client, job.batch_job_id)
        assert status.status == "completed" and status.succeeded, status
        assert [scene.scene_index for scene in status.scenes] == [0, 1]
        for scene, text in zip(status.scenes, SCENES, strict=True):
            assert scene.status == "completed" and scene.audio_url is not None, scene
            assert scene.error is None
            audio = await download(scene.audio_url, tmp_path / f"scene-{scene.scene_index}.mp3")
            assert_real_speech(audio, [text], None)

        # The callback arrives once the batch is finished.
        bodies = await receiver.wait_for(1)
    assert bodies[0] == {
        "batchJobId": job.batch_job_id,
        "storyId": "story_sdk_1",
        "status": "completed",
    }
    assert receiver.paths == ["/hooks/orangeclone-batch"]
    assert receiver.content_types[0].startswith("application/json")
    # A receiver re-fetches the status rather than trusting the body (CONTRACT).
    refetched = await client.batch.status(bodies[0]["batchJobId"])
    assert refetched.status == "completed"
    assert sandbox.job_info(job.batch_job_id)["callbackStatus"] == "delivered"


async def test_batch_with_a_failed_scene_is_partial(
    sandbox: SandboxServer, key: str, client: OrangeClone, voice_wav: Path
) -> None:
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    sandbox.fail_next_jobs(1, message="scene engine crashed", key=key)

    job = await client.batch.create(
        "story_sdk_2",
        [{"text": text, "character_id": alex.character_id} for text in SCENES],
    )
    status = await wait_batch(client, job.batch_job_id)

    assert status.status == "partial" and status.is_final
    assert not status.succeeded and not status.failed
    first, second = status.scenes
    assert first.status == "failed" and first.error == "scene engine crashed"
    assert first.audio_url is None
    assert second.status == "completed" and second.audio_url is not None
