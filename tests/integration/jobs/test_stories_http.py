"""A story over real HTTP: one batch, the sandbox's callback to the dashboard's hook waking the
tracker, a failed scene resubmitted alone, and the whole story joined in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette

from orangeweb.routes import jobs as job_routes
from orangeweb.services import jobs
from orangeweb.services.accounts import sessions
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import SceneInput
from orangeweb.services.media import archive
from orangeweb.services.tracker.policy import Pace, PollPolicy
from orangeweb.settings import get_settings
from tests.support.sandbox_server import SandboxServer, UvicornThread

from .conftest import Key, RequestLog, StartTracker, add_character, job_rows, wait_until

# A batch is polled once (its first due time) and then only after an hour: within the test,
# only the callback can make the tracker look again.
HOOK_ONLY = PollPolicy(
    paces={
        "voice": Pace(2.0, 0.25, 60.0),
        "batch": Pace(shortest=3600.0, growth=0.0, longest=3600.0),
    }
)
SCENES = ["The morning was quiet.", "Then the phone rang twice.", "Nobody answered it."]


@pytest.fixture
def dashboard(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The dashboard's job routes on a real port, as ORANGEWEB_PUBLIC_URL."""
    server = UvicornThread(Starlette(routes=job_routes.routes))
    server.start()
    monkeypatch.setenv("ORANGEWEB_PUBLIC_URL", server.root_url)
    get_settings.cache_clear()
    yield server.root_url
    server.stop()


def scene_statuses(engine: Engine, job_id: int) -> list[str]:
    return [str(scene["status"]) for scene in job_rows(engine, [job_id])[0].scenes]


async def test_story_with_callback_resubmission_and_joined_audio(
    dashboard: str,
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    request_log: RequestLog,
    trackers: StartTracker,
    voice_sample: Path,
    data_dir: Path,
    enterprise_key: Key,
    alex: int,
) -> None:
    key = enterprise_key
    bea = await add_character(session, owner, key.id, voice_sample, "Bea Voice")
    await trackers(policy=HOOK_ONLY)
    sandbox.hold_jobs(True)
    sandbox.fail_next_jobs(1, "the voice broke", key=key.secret)
    scenes = [SceneInput(text, [alex, bea][n % 2]) for n, text in enumerate(SCENES)]
    story = await jobs.submit_story(session, owner, key.id, "Phone", scenes, submission_key="s")
    assert story.status == "queued" and story.request["callback"] == "dashboard"
    await wait_until(lambda: job_rows(engine, [story.id])[0].poll_count >= 1, 30, "a first poll")

    sandbox.hold_jobs(False)  # the batch now finishes; only its callback can tell the tracker
    await wait_until(lambda: job_rows(engine, [story.id])[0].is_final, 60, "the callback")
    [row] = job_rows(engine, [story.id])
    assert row.status == "partial" and row.error == "1 of 3 scenes failed."
    assert sorted(scene_statuses(engine, story.id)) == ["completed", "completed", "failed"]
    assert sandbox.job_info(str(row.remote_id))["callbackStatus"] == "delivered"
    assert len(request_log.matching("GET", "/batch_tts_status")) == 2  # first poll + the hook's

    again = await jobs.resubmit_failed_scenes(session, owner, story.id, submission_key="again")
    [failed_index] = [s.index for s in again.scenes]
    assert again.parent_job_id == story.id and again.status == "queued"
    await wait_until(lambda: job_rows(engine, [again.id])[0].is_final, 60, "the resubmission")
    assert scene_statuses(engine, again.id) == ["completed"]
    await wait_until(
        lambda: all(s.get("output_path") for s in job_rows(engine, [again.id])[0].scenes),
        30,
        "the archived scene",
    )

    raw_session = sessions.start_session(session, owner.user_id, owner.team_id, "::1", "pytest")
    cookie = {"Cookie": f"{SESSION_COOKIE}={raw_session}"}
    async with httpx.AsyncClient(base_url=dashboard, timeout=60) as browser:
        joined = await browser.get(f"/media/jobs/{story.id}/story", headers=cookie)
        assert joined.status_code == 200 and joined.headers["content-type"] == "audio/mpeg"
        scene = await browser.get(f"/media/jobs/{again.id}/scenes/{failed_index}", headers=cookie)
        assert scene.status_code == 200
        hook = await browser.post("/hooks/batch/not-a-real-token", json={"status": "completed"})
        assert hook.status_code == 404

    parts = []
    for job_id in (story.id, again.id):
        for scene_row in job_rows(engine, [job_id])[0].scenes:
            if scene_row["status"] == "completed":
                parts.append(data_dir / str(scene_row["output_path"]))
    expected = sum(archive.probe_duration(part) or 0 for part in parts)
    story_file = jobs.story_audio_path(session, owner, story.id)
    assert story_file.read_bytes() == joined.content  # cached: the same file
    duration = archive.probe_duration(story_file)
    assert duration is not None and abs(duration - expected) < 0.5
