"""The media upload: streamed in chunks, exact Content-Length, no API key off-site."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from orangeweb.orangeclone import Forbidden, InvalidRequest, OrangeClone, TransportError

from .fakes import API_KEY, UPLOAD_URL, ClientFactory, FakeClock

CHUNK = 64 * 1024


class ReadRecordingFile(io.BytesIO):
    """A seekable file that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_sizes: list[int] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.read_sizes.append(-1 if size is None else size)
        return super().read(size)


def large_payload(size: int = 5 * CHUNK + 123) -> bytes:
    return bytes(range(256)) * (size // 256) + b"x" * (size % 256)


async def test_upload_streams_a_file_in_chunks_with_progress(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    payload = large_payload()
    source = ReadRecordingFile(payload)
    route = api.put(UPLOAD_URL).respond(200)
    progress: list[tuple[int, int]] = []

    await client.dubbing.upload(
        UPLOAD_URL,
        source,
        "video/mp4",
        lambda sent, total: progress.append((sent, total)),
        chunk_size=CHUNK,
    )

    request = route.calls.last.request
    assert request.method == "PUT"
    assert request.content == payload
    assert request.headers["Content-Length"] == str(len(payload))
    assert request.headers["Content-Type"] == "video/mp4"
    assert "Transfer-Encoding" not in request.headers
    # Never read whole: every read asks for at most one chunk, and there were several.
    assert source.read_sizes and max(source.read_sizes) <= CHUNK
    assert -1 not in source.read_sizes
    assert len(source.read_sizes) == 6
    assert progress == [(0, len(payload))] + [
        (min((n + 1) * CHUNK, len(payload)), len(payload)) for n in range(6)
    ]


async def test_upload_never_sends_the_api_key_even_with_client_default_headers(
    api: respx.MockRouter, tmp_path: Path
) -> None:
    media = tmp_path / "clip.mp4"
    media.write_bytes(large_payload(3 * CHUNK))
    route = api.put(UPLOAD_URL).respond(200)
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(api.async_handler),
        headers={"Authorization": f"Bearer {API_KEY}"},  # a careless shared client
    )
    async with http, OrangeClone(API_KEY, http_client=http, tier="enterprise") as client:
        await client.dubbing.upload(UPLOAD_URL, media, "video/mp4", chunk_size=CHUNK)

    request = route.calls.last.request
    assert "Authorization" not in request.headers
    assert API_KEY not in str(request.headers)
    assert request.url.host == "storage.elsewhere.test"
    assert request.content == media.read_bytes()


async def test_upload_from_a_path_closes_the_file_it_opened(
    api: respx.MockRouter, client: OrangeClone, tmp_path: Path, monkeypatch: Any
) -> None:
    media = tmp_path / "clip.mp3"
    media.write_bytes(b"a" * 1000)
    opened_files: list[io.BufferedReader] = []
    real_open = Path.open

    def tracking_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        file = real_open(self, *args, **kwargs)
        opened_files.append(file)
        return file

    monkeypatch.setattr(Path, "open", tracking_open)
    api.put(UPLOAD_URL).respond(200)

    await client.dubbing.upload(UPLOAD_URL, media, "audio/mpeg")

    assert len(opened_files) == 1 and opened_files[0].closed


async def test_upload_retry_after_a_dropped_connection_resends_from_the_start(
    api: respx.MockRouter, client: OrangeClone, clock: FakeClock
) -> None:
    payload = large_payload(2 * CHUNK + 7)
    source = ReadRecordingFile(payload)
    source.seek(100)  # wherever the caller left it, the whole file is sent
    route = api.put(UPLOAD_URL)
    route.side_effect = [httpx.WriteError("connection reset"), httpx.Response(200)]
    progress: list[tuple[int, int]] = []

    await client.dubbing.upload(
        UPLOAD_URL, source, "video/mp4", lambda s, t: progress.append((s, t)), chunk_size=CHUNK
    )

    assert route.call_count == 2
    assert route.calls.last.request.content == payload
    assert progress[-1] == (len(payload), len(payload))
    assert clock.sleeps == [0.5]  # one backoff step, on the fake clock


async def test_upload_errors_are_typed_and_never_show_the_signed_url(
    api: respx.MockRouter, client: OrangeClone, caplog: pytest.LogCaptureFixture
) -> None:
    api.put(UPLOAD_URL).respond(
        403, text=f"<html><title>Signature expired for {UPLOAD_URL}</title></html>"
    )

    with pytest.raises(Forbidden) as caught:
        await client.dubbing.upload(UPLOAD_URL, io.BytesIO(b"data"), "video/mp4")

    assert "s3cr3tsig" not in str(caught.value)
    assert "Signature expired" in str(caught.value)


async def test_upload_transport_failures_keep_the_signed_url_out_of_logs(
    api: respx.MockRouter, client: OrangeClone, caplog: pytest.LogCaptureFixture
) -> None:
    api.put(UPLOAD_URL).mock(side_effect=httpx.ReadTimeout(f"timed out on {UPLOAD_URL}"))

    with caplog.at_level(logging.DEBUG), pytest.raises(TransportError) as caught:
        await client.dubbing.upload(UPLOAD_URL, io.BytesIO(b"data"), "video/mp4")

    assert "s3cr3tsig" not in str(caught.value)
    assert "storage.elsewhere.test" in str(caught.value)
    assert caplog.records  # the retries were logged...
    assert all("s3cr3tsig" not in record.getMessage() for record in caplog.records)  # ...safely


async def test_upload_refuses_what_it_cannot_send(client: OrangeClone) -> None:
    class Unseekable(io.RawIOBase):
        def seekable(self) -> bool:
            return False

    with pytest.raises(InvalidRequest):
        await client.dubbing.upload("ftp://storage.test/x", io.BytesIO(b"x"), "video/mp4")
    with pytest.raises(ValueError, match="seekable"):
        await client.dubbing.upload(UPLOAD_URL, Unseekable(), "video/mp4")  # type: ignore[arg-type]


async def test_upload_does_not_spend_the_api_rate_budget(
    api: respx.MockRouter, make_client: ClientFactory
) -> None:
    client = make_client(tier="free")
    api.put(UPLOAD_URL).respond(200)

    for _ in range(12):  # more than the free tier's 10 a minute
        await client.dubbing.upload(UPLOAD_URL, io.BytesIO(b"x"), "video/mp4")

    assert client.budget.wait_time() == 0.0
