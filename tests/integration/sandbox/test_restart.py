"""Nothing is lost on restart: jobs stopped in the middle resume on the same data dir."""

from __future__ import annotations

from pathlib import Path

from tests.integration.sandbox.helpers import (
    api_client,
    create_character,
    transcribe_body,
    upload_media,
    wait_for_batch,
    wait_for_dubbing,
    wait_for_voice_job,
)
from tests.support.callbacks import CallbackReceiver
from tests.support.sandbox_server import SandboxFactory, poll_until


def test_jobs_in_the_middle_resume_after_a_restart(
    sandbox_factory: SandboxFactory, voice_wav: Path, tone_video: Path
) -> None:
    server = sandbox_factory(worker_count=2)
    key = server.issue_key(tier="enterprise", credits=500)
    with api_client(server, key) as client:
        alex = create_character(client, voice_wav)
        media_path = upload_media(client, tone_video, "video/mp4")
    # Held jobs stop right after entering their running status: a restart interrupts them.
    server.hold_jobs(True)
    with CallbackReceiver() as receiver, api_client(server, key) as client:
        voice_job = client.post(
            "/voices_clone", json={"text": "Hello again.", "character_ids": [alex]}
        ).json()["data"]["jobId"]
        scenes = [
            {"index": 0, "text": "One.", "characterId": alex},
            {"index": 1, "text": "Two.", "characterId": alex},
        ]
        batch_id = client.post(
            "/batch_tts", json={"storyId": "s", "scenes": scenes, "callbackUrl": receiver.url}
        ).json()["data"]["batchJobId"]
        dubbing_job = client.post(
            "/dubbing_transcribe", json=transcribe_body(media_path, tone_video, 3.0)
        ).json()["data"]["jobId"]

        def all_running() -> bool:
            return bool(
                client.get(f"/voices/{voice_job}").json()["data"]["status"] == "processing"
                and client.get("/batch_tts_status", params={"batchJobId": batch_id}).json()[
                    "status"
                ]
                == "processing"
                and client.get(f"/dubbing/{dubbing_job}").json()["data"]["status"] == "transcribing"
            )

        assert poll_until(all_running, timeout=15, message="every job to be running")
        held_credits = server.credits(key)

        server.restart()  # new app, same data dir and port; holds are not kept

        assert server.credits(key) == held_credits  # holds survive the restart
        voice = wait_for_voice_job(client, voice_job)
        assert voice["status"] == "completed"
        assert wait_for_batch(client, batch_id)["status"] == "completed"
        transcribed = wait_for_dubbing(client, dubbing_job, ("transcribed", "failed"))
        assert transcribed["status"] == "transcribed"
        poll_until(lambda: receiver.bodies, timeout=15, message="the batch callback")
        assert receiver.bodies[0]["status"] == "completed"

    assert server.job_info(voice_job)["statusHistory"] == ["queued", "processing", "completed"]
    assert server.job_info(voice_job)["heldCredits"] == 0
    assert server.job_info(batch_id)["heldCredits"] == 0


def test_a_job_that_cannot_resume_fails_clearly(
    sandbox_factory: SandboxFactory, tone_video: Path
) -> None:
    server = sandbox_factory()
    key = server.issue_key(tier="enterprise", credits=500)
    with api_client(server, key) as client:
        media_path = upload_media(client, tone_video, "video/mp4")
        server.hold_jobs(True)
        job_id = client.post(
            "/dubbing_transcribe", json=transcribe_body(media_path, tone_video, 3.0)
        ).json()["data"]["jobId"]
        server.stop()
        for source in (server.data_dir / "dubbing" / job_id).glob("source.*"):
            source.unlink()
        server.start()
        data = wait_for_dubbing(client, job_id, ("transcribed", "failed"))
    assert data["status"] == "failed"
    assert "no longer available" in data["error"]
