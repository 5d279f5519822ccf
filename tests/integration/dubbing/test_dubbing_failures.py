"""Refusals before any call (not media, over the tier's length, over the size cap), and failed
steps that keep everything done before them and can be retried: an upload that broke, a
transcription the API refused, a dub that failed on the server."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import httpx
import pytest
import respx
from imageio_ffmpeg import get_ffmpeg_exe
from sqlmodel import Session, select

from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import OrangeClone, RetryPolicy
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import projects, review, voices
from orangeweb.services.keys.store import open_client
from orangeweb.services.media.probe import MediaRejected
from orangeweb.services.media.upload import MediaUploadWriter, UploadTooLarge
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import get_settings
from tests.support.media import make_two_speaker_audio
from tests.support.sandbox_server import SandboxServer

from .conftest import add_sandbox_key, store_upload, wait_for

NO_RETRIES = RetryPolicy(max_retries=0)


def _no_projects(session: Session) -> bool:
    return session.exec(select(DubbingProject)).first() is None


def _media_files(team_id: int) -> list[Path]:
    directory = get_settings().data_path / "media" / str(team_id)
    return sorted(directory.iterdir()) if directory.exists() else []


def _three_minute_video(path: Path) -> Path:
    """Tiny picture, one frame a second: three minutes encode in about a second."""
    subprocess.run(
        [
            get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=1:duration=180",
            "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=16000:duration=180",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "32k", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def _size(path: Path) -> int:
    return path.stat().st_size


@pytest.fixture
def recorded() -> Iterator[respx.MockRouter]:
    """Every HTTP request the dashboard makes through httpx, passed through and recorded."""
    with respx.mock(assert_all_called=False) as router:
        router.route().pass_through()
        yield router


async def test_a_text_file_named_mp4_is_refused_and_not_kept(
    session: Session, owner: CurrentUser, sandbox: SandboxServer, tmp_path: Path
) -> None:
    key_id, _ = await add_sandbox_key(session, owner, sandbox, "enterprise")
    fake = tmp_path / "holiday.mp4"
    fake.write_text("Dear diary, today I renamed a text file to .mp4.\n" * 200)
    stored = store_upload(fake, owner.team_id)
    with pytest.raises(MediaRejected, match="not audio or video we can dub"):
        await projects.create_project(session, owner, key_id, stored, fake.name)
    assert _media_files(owner.team_id) == [] and _no_projects(session)


async def test_a_three_minute_video_on_a_free_key_makes_no_call(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    tmp_path: Path,
    recorded: respx.MockRouter,
) -> None:
    recorded.calls.reset()
    key_id, secret = await add_sandbox_key(session, owner, sandbox, "free", credits=100)
    long_video = _three_minute_video(tmp_path / "three_minutes.mp4")
    stored = store_upload(long_video, owner.team_id)
    calls_before = len(recorded.calls)
    assert calls_before >= 1  # the key check when it was added: requests are recorded
    with pytest.raises(MediaRejected, match="lasts 3 min; a Free key dubs at most 2 min"):
        await projects.create_project(session, owner, key_id, stored, long_video.name)
    assert len(recorded.calls) == calls_before  # refused before any request
    assert _media_files(owner.team_id) == [] and _no_projects(session)
    assert sandbox.credits(secret) == 100


async def test_a_file_over_the_cap_stops_while_streaming(
    session: Session,
    owner: CurrentUser,
    two_speaker_video: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORANGEWEB_UPLOAD_MAX_BYTES", str(100 * 1024))
    get_settings.cache_clear()
    assert _size(two_speaker_video) > 100 * 1024
    with pytest.raises(UploadTooLarge, match="larger than the 100 KB upload limit"):
        store_upload(two_speaker_video, owner.team_id)
    assert _media_files(owner.team_id) == [] and _no_projects(session)
    # A writer given more than the cap in one chunk refuses it too.
    writer = MediaUploadWriter(owner.team_id)
    with pytest.raises(UploadTooLarge):
        writer.write(bytes(100 * 1024 + 1))
    assert _media_files(owner.team_id) == []


class _BrokenFirstUpload(httpx.AsyncBaseTransport):
    """The network as it is, except that the first PUT of an upload cannot connect."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.broken = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and "/uploads/" in request.url.path and not self.broken:
            self.broken += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_failed_steps_keep_their_work_and_retry(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    tracker: Tracker,
    tmp_path: Path,
) -> None:
    key_id, secret = await add_sandbox_key(session, owner, sandbox, "enterprise")
    stored = store_upload(make_two_speaker_audio(tmp_path / "talk.m4a"), owner.team_id)
    created = await projects.create_project(session, owner, key_id, stored, "talk.m4a")
    assert (created.media_type, created.container) == ("audio", "m4a")

    # 1. The upload breaks: the file stays on the dashboard; retrying uploads it from there.
    broken = _BrokenFirstUpload()

    @asynccontextmanager
    async def flaky(session: Session, actor: CurrentUser, key: int) -> AsyncIterator[OrangeClone]:
        options = {"transport": broken, "retry": NO_RETRIES}
        async with open_client(session, actor, key, client_options=options) as client:
            yield client

    view = await projects.start_dubbing(session, owner, created.id, opener=flaky)
    assert (view.status, view.failed_step, view.upload_state) == ("failed", "upload", "failed")
    assert view.error and "Could not reach OrangeClone" in view.error
    assert view.retry_hint and "nothing needs uploading again" in view.retry_hint
    assert view.job_id is None and _media_files(owner.team_id) == [stored]
    uploaded = await projects.upload_media(session, owner, created.id, opener=flaky)
    assert (uploaded.upload_state, uploaded.failed_step) == ("uploaded", None)

    # 2. Transcription refused by the server: the upload is kept and not sent again.
    sandbox.inject_fault(503, count=1, path_prefix="/dubbing_transcribe")
    quick = partial(open_client, client_options={"retry": NO_RETRIES})
    view = await projects.transcribe(session, owner, created.id, opener=quick)
    assert (view.failed_step, view.upload_state, view.status) == (
        "transcribe",
        "uploaded",
        "failed",
    )
    first_job = view.job_id
    progress: list[tuple[int, int]] = []
    view = await projects.retry(
        session, owner, created.id, lambda s, t: progress.append((s, t)), opener=quick
    )
    assert progress == [] and view.failed_step is None and view.job_id != first_job
    view = await wait_for(session, owner, created.id, "transcribed")
    assert view.status == "transcribed", view.error
    review.rename_speaker(session, owner, created.id, "speaker_2", "Guest")
    voices.set_voices(session, owner, created.id, {"speaker_1": "original"})

    # Only one segment translated (the beta endpoint); the others stay as they are.
    chosen = view.segments[-1].id
    await review.translate(session, owner, created.id, "fr", [chosen])
    view = await wait_for(session, owner, created.id, "translated")
    translated = {s.id for s in view.segments if s.translated_text}
    assert (view.status, view.target_language, translated) == ("translated", "fr", {chosen})

    # 3. The dub fails on the server: transcript, names and voices stay; retry dubs it.
    sandbox.fail_next_jobs(1, "the renderer crashed", key=secret)
    await review.clone(session, owner, created.id)
    view = await wait_for(session, owner, created.id, "completed")
    assert (view.status, view.failed_step) == ("failed", "clone")
    assert view.error and "the renderer crashed" in view.error
    assert view.retry_hint and "voices are kept" in view.retry_hint
    assert [s.name for s in view.speakers] == ["Speaker 1", "Guest"]
    assert view.speakers[0].voice == "original" and len(view.segments) >= 2
    await projects.retry(session, owner, created.id)
    view = await wait_for(session, owner, created.id, "completed")
    assert (view.status, view.failed_step, view.error) == ("completed", None, None)
    assert view.output_url is not None
