"""The API key (and a signed upload URL) never shows in a repr, a log line or an error."""

from __future__ import annotations

import io
import logging

import httpx
import pytest
import respx

from orangeweb.orangeclone import OrangeClone, TransportError

from .fakes import API_KEY, UPLOAD_URL, ClientFactory

SIGNATURE = "s3cr3tsig"


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)


def test_reprs_do_not_show_the_key(make_client: ClientFactory) -> None:
    client = make_client()

    shown = " ".join(
        repr(thing)
        for thing in (
            client,
            client.budget,
            client.characters._requester,  # the object holding the key
            vars(client),
        )
    )

    assert API_KEY not in shown
    assert "OrangeClone(base_url=" in repr(client)


async def test_logs_of_retried_calls_and_uploads_hold_no_secrets(
    api: respx.MockRouter, client: OrangeClone, caplog: pytest.LogCaptureFixture
) -> None:
    route = api.get("/voices/j1")
    route.side_effect = [
        httpx.ConnectError(f"refused for Bearer {API_KEY}"),
        httpx.Response(503, json={"error": f"bad key {API_KEY}"}),
        httpx.Response(200, json={"data": {"status": "queued"}}),
    ]
    api.put(UPLOAD_URL).respond(200)

    with caplog.at_level(logging.DEBUG):
        await client.voices.status("j1")
        await client.dubbing.upload(UPLOAD_URL, io.BytesIO(b"media"), "video/mp4")

    logged = everything_logged(caplog)
    assert "retry 1" in logged and "retry 2" in logged  # the retries were logged
    assert "storage.elsewhere.test" in logged  # httpx's own request line, with the host
    assert API_KEY not in logged
    assert SIGNATURE not in logged


async def test_transport_errors_redact_the_key(api: respx.MockRouter, client: OrangeClone) -> None:
    api.post("/voices_clone").mock(side_effect=httpx.ReadError(f"echo {API_KEY}"))

    with pytest.raises(TransportError) as caught:
        await client.voices.clone("Hi", ["c1"])

    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert caught.value.may_have_reached_server


async def test_the_upload_target_repr_hides_the_signed_url(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    api.post("/dubbing_transcribe", params={"action": "get_upload_url"}).respond(
        200, json={"data": {"uploadUrl": UPLOAD_URL, "mediaPath": "media/abc.mp4"}}
    )

    target = await client.dubbing.get_upload_url("abc.mp4", "video/mp4")

    assert target.upload_url == UPLOAD_URL
    assert SIGNATURE not in repr(target) and SIGNATURE not in str(target)
    assert "media/abc.mp4" in repr(target)
