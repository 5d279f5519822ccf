"""The team's archive of job outputs, and fetching results from the vendor's signed URLs.

Completed outputs are copied to `<data>/archive/<team>/<job>/...` (unless the team turned it
off), so they outlive the vendor's expiring URLs and the browser never needs one. Fetches
follow redirects only within the same scheme, host and port: a result URL cannot send us (or a
team's audio) anywhere else. A signed URL is a credential: errors name only its host.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import anyio
import av
import httpx
from imageio_ffmpeg import get_ffmpeg_exe
from sqlmodel import Session

from orangeweb.models import Team
from orangeweb.orangeclone.media_types import (
    AUDIO_SUFFIXES,
    DEFAULT_AUDIO_SUFFIX,
    VIDEO_SUFFIXES,
    suffix_for_media_type,
)
from orangeweb.services.accounts.identity import CurrentUser, require_admin
from orangeweb.settings import get_settings

MAX_REDIRECTS = 3
MAX_OUTPUT_BYTES = 2 * 1024**3
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, read=120.0)
JOIN_TIMEOUT_SECONDS = 600

# A signed URL may carry its credential in the path (the sandbox's `/files/<token>/<name>`)
# rather than the query (which the SDK's filter already drops from httpx's request log).
_TOKEN_SEGMENT = re.compile(r"^[A-Za-z0-9_\-.=~]{24,}$")


class _HideSignedPaths(logging.Filter):
    """httpx logs every request URL at INFO: token-like path segments are cut first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _redact_url(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True


def _redact_url(url: httpx.URL) -> httpx.URL:
    segments = url.path.split("/")
    cleaned = ["[redacted]" if _TOKEN_SEGMENT.match(part) else part for part in segments]
    return url.copy_with(path="/".join(cleaned), query=None)


_HIDE_SIGNED_PATHS = _HideSignedPaths()
logging.getLogger("httpx").addFilter(_HIDE_SIGNED_PATHS)  # the same instance: added once


class DownloadError(Exception):
    """A result could not be fetched; the message names the host only, never the URL."""


class EmptyResult(DownloadError):
    """The server answered with no bytes at all: there is no result to fetch again."""


def data_root(data_dir: Path | None = None) -> Path:
    return data_dir or get_settings().data_path


def job_archive_dir(team_id: int, job_id: int) -> Path:
    """Relative to the data directory."""
    return Path("archive") / str(team_id) / str(job_id)


def archive_enabled(session: Session, team_id: int) -> bool:
    team = session.get(Team, team_id)
    return bool(team is not None and team.archive_outputs)


def set_archive_outputs(session: Session, actor: CurrentUser, enabled: bool) -> None:
    """Turn the team's archive of outputs on or off (owners and admins). Commits.

    Turning it off keeps what is archived; new outputs are then streamed from the vendor's
    URLs while those last."""
    require_admin(actor, "change where outputs are kept")
    team = session.get(Team, actor.team_id)
    if team is None:
        raise LookupError("the actor's team is gone")
    team.archive_outputs = enabled
    session.commit()


def suffix_for(url: str, content_type: str | None, default: str = DEFAULT_AUDIO_SUFFIX) -> str:
    """The extension to archive a result under: from its URL, else its type, else `default`."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    if suffix in AUDIO_SUFFIXES | VIDEO_SUFFIXES:
        return suffix
    return suffix_for_media_type(content_type) or default


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def host_of(url: str) -> str:
    return urlsplit(url).hostname or "the result host"


async def open_result(http: httpx.AsyncClient, url: str) -> httpx.Response:
    """A streamed 2xx response for `url` (close it), following same-origin redirects only."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if _origin(current)[0] not in ("http", "https"):
            raise DownloadError("the result URL is not http(s)")
        try:
            response = await http.send(
                http.build_request("GET", current, timeout=DOWNLOAD_TIMEOUT),
                stream=True,
                follow_redirects=False,
            )
        except httpx.HTTPError as error:
            raise DownloadError(
                f"could not fetch the result from {host_of(url)} ({type(error).__name__})"
            ) from None
        if response.is_redirect:
            await response.aclose()
            target = urljoin(current, response.headers.get("location", ""))
            if _origin(target) != _origin(current):
                raise DownloadError(f"{host_of(url)} redirected the result to another host")
            current = target
            continue
        if not response.is_success:
            await response.aclose()
            raise DownloadError(f"{host_of(url)} answered HTTP {response.status_code}")
        return response
    raise DownloadError(f"{host_of(url)} redirected too many times")


async def download(
    http: httpx.AsyncClient,
    url: str,
    target_dir: Path,
    stem: str,
    *,
    default_suffix: str = DEFAULT_AUDIO_SUFFIX,
    max_bytes: int = MAX_OUTPUT_BYTES,
) -> Path:
    """Fetch `url` into `target_dir/<stem><suffix>` (written whole, then renamed into place;
    file I/O in worker threads, so a large download never blocks the event loop)."""
    await anyio.Path(target_dir).mkdir(parents=True, exist_ok=True)
    response = await open_result(http, url)
    try:
        suffix = suffix_for(url, response.headers.get("content-type"), default_suffix)
        final = target_dir / f"{stem}{suffix}"
        partial = anyio.Path(target_dir / f".{stem}.{secrets.token_hex(4)}.part")
        size = 0
        try:
            async with await anyio.open_file(partial, "wb") as out:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise DownloadError(f"the result from {host_of(url)} is too large")
                    await out.write(chunk)
            if size == 0:
                raise EmptyResult(f"{host_of(url)} sent an empty result")
            await partial.replace(final)
        except httpx.HTTPError as error:
            raise DownloadError(
                f"the result from {host_of(url)} broke off ({type(error).__name__})"
            ) from None
        finally:
            await partial.unlink(missing_ok=True)
    finally:
        await response.aclose()
    return final


def probe_duration(path: Path) -> float | None:
    """Seconds of media in `path`, or None if it cannot be read (blocking)."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if container.duration is not None and container.duration > 0:
                return round(container.duration / av.time_base, 3)
    except (av.FFmpegError, OSError):
        return None
    return None


def join_key(paths: list[Path]) -> str:
    """What a joined file was made from (names, sizes, times): a cache key."""
    digest = hashlib.sha256()
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def join_audio(paths: list[Path], target: Path) -> Path:
    """Concatenate audio files in order into one MP3 (blocking; ffmpeg). Inputs may differ in
    rate and channels: each is resampled to one format before the concat filter."""
    if not paths:
        raise ValueError("nothing to join")
    target.parent.mkdir(parents=True, exist_ok=True)
    inputs: list[str] = []
    chains: list[str] = []
    for number, path in enumerate(paths):
        inputs += ["-i", str(path)]
        chains.append(
            f"[{number}:a:0]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono[a{number}]"
        )
    labels = "".join(f"[a{number}]" for number in range(len(paths)))
    graph = ";".join([*chains, f"{labels}concat=n={len(paths)}:v=0:a=1[out]"])
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part.mp3")
    command = [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
        *inputs,
        "-filter_complex", graph, "-map", "[out]",
        "-c:a", "libmp3lame", "-b:a", "128k", "-y", str(partial),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=JOIN_TIMEOUT_SECONDS)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
