"""File sources for uploads: a `Path` (opened and closed here) or an open binary file object
(left open: the caller owns it). Media is streamed in chunks, never read whole."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from orangeweb.orangeclone.media_types import (
    UNKNOWN_MEDIA_TYPE,
    VOICE_SAMPLE_SUFFIXES,
    media_type_for,
)

FileSource = Path | BinaryIO
ProgressCallback = Callable[[int, int], None]

DEFAULT_CHUNK_SIZE = 1024 * 1024


@contextmanager
def opened(source: FileSource) -> Iterator[BinaryIO]:
    """The source as a readable binary file, closed afterwards only if we opened it."""
    if isinstance(source, Path):
        with source.open("rb") as file:
            yield file
    else:
        yield source


def display_name(source: FileSource, explicit: str | None, default: str) -> str:
    """The file name to send: the explicit one, the path's or file object's, else `default`."""
    if explicit:
        return explicit
    name = source.name if isinstance(source, Path) else getattr(source, "name", None)
    if isinstance(name, str) and name:
        return os.path.basename(name) or default
    return default


def audio_content_type(file_name: str) -> str:
    """The MIME type of a voice sample, from its extension (the docs accept WAV, MP3, M4A)."""
    suffix = Path(file_name).suffix.lower()
    return media_type_for(suffix) if suffix in VOICE_SAMPLE_SUFFIXES else UNKNOWN_MEDIA_TYPE


def size_from_start(file: BinaryIO) -> int:
    """Bytes in a seekable file, which is sent whole from its start."""
    if not file.seekable():
        raise ValueError("the upload source must be seekable (its size is sent as Content-Length)")
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    return size


async def stream_chunks(
    file: BinaryIO, total: int, chunk_size: int, progress: ProgressCallback | None
) -> AsyncIterator[bytes]:
    """Yield `file` from its start in chunks, reporting (bytes sent, total) after each one.

    Reads run in a worker thread so a slow disk never stalls the event loop. Stops at `total`
    bytes so the body always matches the Content-Length announced for it.
    """
    file.seek(0)
    sent = 0
    if progress is not None:
        progress(0, total)
    while sent < total:
        chunk = await asyncio.to_thread(file.read, min(chunk_size, total - sent))
        if not chunk:
            raise OSError(f"the file ended after {sent} of {total} bytes")
        sent += len(chunk)
        yield chunk
        if progress is not None:
            progress(sent, total)
