"""The streamed chunk writer: generated names under the team's media dir, the size cap while
streaming, nothing left behind on abort, memory flat whatever the size."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.upload import MediaUploadWriter, UploadTooLarge

CHUNK = b"\x5a" * (256 * 1024)


def _leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_chunks_become_one_file_with_a_generated_name(data_dir: Path) -> None:
    writer = MediaUploadWriter(team_id=7)
    pieces = [b"first ", b"second ", b"third"]
    offset = 0
    for piece in pieces:
        writer.write(piece, offset=offset)
        offset += len(piece)
    path = writer.finish()
    assert path.read_bytes() == b"first second third"
    assert path.parent == data_dir.resolve() / "media" / "7"
    assert len(path.name) == 32 and all(c in "0123456789abcdef" for c in path.name)
    assert writer.bytes_written == 18
    assert _leftovers(path.parent) == [path.name]  # the part file became the final file


def test_names_never_repeat(data_dir: Path) -> None:
    paths = set()
    for _ in range(5):
        with MediaUploadWriter(team_id=1) as writer:
            writer.write(b"x")
            paths.add(writer.finish())
    assert len(paths) == 5


def test_the_cap_stops_the_upload_and_deletes_what_came(data_dir: Path) -> None:
    cap = 3 * len(CHUNK) + 10
    writer = MediaUploadWriter(team_id=1, max_bytes=cap)
    for _ in range(3):
        writer.write(CHUNK)
    with pytest.raises(UploadTooLarge, match="larger than the 768 KB upload limit"):
        writer.write(CHUNK)
    assert _leftovers(data_dir / "media" / "1") == []
    with pytest.raises(ValidationError, match="already finished or cancelled"):
        writer.write(b"more")


def test_exactly_the_cap_is_accepted(data_dir: Path) -> None:
    writer = MediaUploadWriter(team_id=1, max_bytes=2 * len(CHUNK))
    writer.write(CHUNK)
    writer.write(CHUNK)
    assert writer.finish().stat().st_size == 2 * len(CHUNK)


def test_the_cap_defaults_to_the_setting(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orangeweb.settings import get_settings

    monkeypatch.setenv("ORANGEWEB_UPLOAD_MAX_BYTES", "5")
    get_settings.cache_clear()
    writer = MediaUploadWriter(team_id=1)
    assert writer.max_bytes == 5
    with pytest.raises(UploadTooLarge):
        writer.write(b"123456")


def test_default_cap_is_two_gib(data_dir: Path) -> None:
    assert MediaUploadWriter(team_id=1).max_bytes == 2 * 1024**3


def test_abort_and_leaving_the_block_keep_nothing(data_dir: Path) -> None:
    writer = MediaUploadWriter(team_id=1)
    writer.write(b"half a file")
    writer.abort()
    writer.abort()  # twice is fine
    with pytest.raises(RuntimeError), MediaUploadWriter(team_id=1) as second:
        second.write(b"interrupted")
        raise RuntimeError("the browser went away")
    assert _leftovers(data_dir / "media" / "1") == []


def test_out_of_order_chunks_are_refused(data_dir: Path) -> None:
    writer = MediaUploadWriter(team_id=1)
    writer.write(b"abc", offset=0)
    with pytest.raises(ValidationError, match="out of order"):
        writer.write(b"xyz", offset=10)
    assert _leftovers(data_dir / "media" / "1") == []


def test_an_empty_upload_is_refused(data_dir: Path) -> None:
    writer = MediaUploadWriter(team_id=1)
    with pytest.raises(ValidationError, match="empty"):
        writer.finish()
    assert _leftovers(data_dir / "media" / "1") == []


def test_memory_stays_flat_for_a_large_upload(data_dir: Path) -> None:
    chunk = os.urandom(1024 * 1024)
    tracemalloc.start()
    try:
        writer = MediaUploadWriter(team_id=1)
        for _ in range(128):  # 128 MiB through the writer
            writer.write(chunk)
        path = writer.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert path.stat().st_size == 128 * 1024 * 1024
    assert peak < 1024 * 1024, f"peak Python allocation {peak} bytes"
