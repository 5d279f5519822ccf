"""Fetching results: same-host redirects only, size cap, the team's switch, joining audio."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from imageio_ffmpeg import get_ffmpeg_exe
from sqlmodel import Session

from orangeweb.models import Team
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import PermissionDenied
from orangeweb.services.media import archive

SIGNED = "https://files.example.com/files/tok_secret/out.mp3"


def serve(routes: dict[str, httpx.Response]) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=False)


async def test_a_same_host_redirect_is_followed(tmp_path: Path) -> None:
    moved = "https://files.example.com/files/tok_secret/v2.mp3"
    async with serve(
        {
            SIGNED: httpx.Response(302, headers={"location": "/files/tok_secret/v2.mp3"}),
            moved: httpx.Response(200, content=b"ID3audio", headers={"content-type": "audio/mpeg"}),
        }
    ) as http:
        path = await archive.download(http, SIGNED, tmp_path / "out", "output")
    assert path == tmp_path / "out" / "output.mp3" and path.read_bytes() == b"ID3audio"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["output.mp3"]  # no partials left


@pytest.mark.parametrize(
    "location",
    [
        "https://evil.example.net/steal",
        "http://files.example.com/files/x",
        "https://files.example.com:8443/x",
    ],
)
async def test_a_redirect_to_another_host_is_refused(tmp_path: Path, location: str) -> None:
    async with serve({SIGNED: httpx.Response(302, headers={"location": location})}) as http:
        with pytest.raises(archive.DownloadError, match="another host") as error:
            await archive.download(http, SIGNED, tmp_path, "output")
    assert "tok_secret" not in str(error.value)  # the signed URL is never in a message
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240


async def test_errors_name_the_host_only_and_leave_nothing_behind(tmp_path: Path) -> None:
    async with serve({SIGNED: httpx.Response(403)}) as http:
        with pytest.raises(archive.DownloadError) as error:
            await archive.download(http, SIGNED, tmp_path, "output")
    assert str(error.value) == "files.example.com answered HTTP 403"
    async with serve({SIGNED: httpx.Response(200, content=b"x" * 100)}) as http:
        with pytest.raises(archive.DownloadError, match="too large"):
            await archive.download(http, SIGNED, tmp_path, "output", max_bytes=10)
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240


def test_the_suffix_comes_from_the_url_or_the_content_type() -> None:
    assert archive.suffix_for("https://x/a.wav?sig=1", None) == ".wav"
    assert archive.suffix_for("https://x/download", "video/mp4; x=y") == ".mp4"
    assert archive.suffix_for("https://x/download", "text/html") == ".mp3"


def test_only_admins_switch_the_archive(
    session: Session, owner: CurrentUser, member: CurrentUser
) -> None:
    assert archive.archive_enabled(session, owner.team_id)
    with pytest.raises(PermissionDenied):
        archive.set_archive_outputs(session, member, False)
    archive.set_archive_outputs(session, owner, False)
    team = session.get(Team, owner.team_id)
    assert team is not None and not team.archive_outputs
    assert not archive.archive_enabled(session, owner.team_id)


def _tone(path: Path, seconds: float, rate: int, channels: int) -> Path:
    subprocess.run(
        [
            get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate={rate}:duration={seconds}",
            "-ac", str(channels), str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def test_audio_of_different_formats_is_joined_in_order(tmp_path: Path) -> None:
    parts = [
        _tone(tmp_path / "a.mp3", 1.0, 22050, 1),
        _tone(tmp_path / "b.wav", 1.5, 48000, 2),
        _tone(tmp_path / "c.mp3", 0.5, 44100, 1),
    ]
    joined = archive.join_audio(parts, tmp_path / "story" / "all.mp3")
    duration = archive.probe_duration(joined)
    assert duration is not None and 2.9 <= duration <= 3.2
    key = archive.join_key(parts)
    assert key == archive.join_key(parts) and key != archive.join_key(parts[:2])
