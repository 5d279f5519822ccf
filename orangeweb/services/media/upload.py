"""Media arriving from the browser, written to disk chunk by chunk with a size cap.

Reflex's streamed upload (`rx.upload_files_chunk` feeding an `rx.UploadChunkIterator` in a
background handler) hands over one chunk at a time; `MediaUploadWriter` appends each to a
hidden part file under `<data>/media/<team>/`, counts the bytes and stops at
`settings.upload_max_bytes`, so memory stays flat whatever the file's size. `finish()` gives
the file its final generated name; `abort()` (or any error) leaves nothing behind.

    writer = MediaUploadWriter(team_id=actor.team_id)
    try:
        async for chunk in chunks:
            writer.write(chunk.data, offset=chunk.offset)
        path = writer.finish()
    except BaseException:
        writer.abort()
        raise

The name is generated (never the browser's), and the directory is outside Reflex's public
upload folder, so files are reached only through the team-checked routes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.probe import describe_bytes
from orangeweb.settings import get_settings

MEDIA_DIR = "media"


class UploadTooLarge(ValidationError):
    """The upload went over the size cap; what was received is already deleted."""


def media_dir(team_id: int, data_dir: Path | None = None) -> Path:
    """`<data>/media/<team>`, created on first use."""
    directory = (data_dir or get_settings().data_path) / MEDIA_DIR / str(int(team_id))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def team_upload(root: Path, team_id: int, stored: Path) -> Path:
    """`stored`, if it is a file a writer made for this team (never any other path)."""
    stored = stored.resolve()
    if stored.parent != (root / MEDIA_DIR / str(int(team_id))).resolve() or not stored.is_file():
        raise ValidationError("That upload is not one of this team's files; upload it again.")
    return stored


class MediaUploadWriter:
    """Streams one uploaded file to `<data>/media/<team>/<generated>`; see the module doc."""

    def __init__(
        self, team_id: int, *, max_bytes: int | None = None, data_dir: Path | None = None
    ) -> None:
        self.max_bytes = max_bytes if max_bytes is not None else get_settings().upload_max_bytes
        self.bytes_written = 0
        name = secrets.token_hex(16)
        directory = media_dir(team_id, data_dir)
        self.path = directory / name
        self._part = directory / f".{name}.part"
        self._file: BinaryIO | None = self._part.open("xb")
        self._finished = False

    def write(self, chunk: bytes, offset: int | None = None) -> None:
        """Append `chunk`; `offset` (Reflex's `UploadChunk.offset`) must follow on, if given.

        Over the cap, the part file is deleted and `UploadTooLarge` raised: nothing more is
        kept, so a client that keeps sending cannot fill the disk."""
        if self._file is None:
            raise ValidationError("This upload is already finished or cancelled.")
        if offset is not None and offset != self.bytes_written:
            self.abort()
            raise ValidationError("The upload arrived out of order; please try again.")
        if self.bytes_written + len(chunk) > self.max_bytes:
            self.abort()
            raise UploadTooLarge(
                f"The file is larger than the {describe_bytes(self.max_bytes)} upload limit. "
                "Trim or compress it, then upload it again."
            )
        self._file.write(chunk)
        self.bytes_written += len(chunk)

    def finish(self) -> Path:
        """Close the file and give it its final name; returns its path."""
        if self._file is None:
            raise ValidationError("This upload is already finished or cancelled.")
        file, self._file = self._file, None
        try:
            file.flush()
            os.fsync(file.fileno())
        finally:
            file.close()
        if self.bytes_written == 0:
            self._part.unlink(missing_ok=True)
            raise ValidationError("The file is empty.")
        os.replace(self._part, self.path)
        self._finished = True
        return self.path

    def abort(self) -> None:
        """Drop everything received (safe to call more than once, or after `finish`)."""
        if self._file is not None:
            file, self._file = self._file, None
            file.close()
        self._part.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        # Leaving the block without finish() (an error, a cancelled upload) keeps nothing.
        if not self._finished:
            self.abort()
