"""Retries: which failures, how often, how long to wait; paid calls never run twice."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
import respx

from orangeweb.orangeclone import (
    InvalidRequest,
    OrangeClone,
    RateLimited,
    RetryPolicy,
    ServerError,
    TransportError,
)
from orangeweb.orangeclone.retry import parse_retry_after

from .fakes import ClientFactory, FakeClock, multipart_fields

STATUS_OK = httpx.Response(200, json={"data": {"status": "processing"}})


def fail_then_ok(route: respx.Route, *failures: httpx.Response | Exception) -> None:
    route.side_effect = [*failures, STATUS_OK]


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(504),
        httpx.Response(429),
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("reset by peer"),
        httpx.RemoteProtocolError("server hung up"),
        httpx.PoolTimeout("pool exhausted"),
    ],
    ids=lambda failure: getattr(failure, "status_code", type(failure).__name__),
)
async def test_reads_are_retried_on_every_transient_failure(
    api: respx.MockRouter,
    client: OrangeClone,
    clock: FakeClock,
    failure: httpx.Response | Exception,
) -> None:
    route = api.get("/voices/j1")
    fail_then_ok(route, failure, failure)

    result = await client.voices.status("j1")

    assert result.status == "processing"
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]  # capped exponential backoff (jitter fixed at full step)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 500, 501])
async def test_definite_answers_are_not_retried(
    api: respx.MockRouter, client: OrangeClone, clock: FakeClock, status: int
) -> None:
    route = api.get("/voices/j1").respond(status, json={"error": "no"})

    with pytest.raises(Exception):  # noqa: B017 - the class is covered in test_sdk_errors
        await client.voices.status("j1")

    assert route.call_count == 1
    assert clock.sleeps == []


async def test_configuration_faults_are_not_retried(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.get("/voices/j1").mock(side_effect=httpx.UnsupportedProtocol("no such scheme"))

    with pytest.raises(TransportError) as caught:
        await client.voices.status("j1")

    assert route.call_count == 1
    assert caught.value.retryable is False


async def test_retries_give_up_after_max_retries_with_the_last_error(
    api: respx.MockRouter, make_client: ClientFactory, clock: FakeClock
) -> None:
    client = make_client(
        retry=RetryPolicy(max_retries=4, base_delay=1.0, max_delay=5.0, jitter=lambda: 1.0)
    )
    route = api.get("/voices/j1").respond(503, json={"error": "maintenance"})

    with pytest.raises(ServerError, match="maintenance"):
        await client.voices.status("j1")

    assert route.call_count == 5
    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0]  # doubling, capped at max_delay


async def test_jitter_spreads_each_wait_between_half_and_all_of_the_step(
    api: respx.MockRouter, make_client: ClientFactory, clock: FakeClock
) -> None:
    draws = iter([0.0, 0.5])
    client = make_client(
        retry=RetryPolicy(max_retries=2, base_delay=2.0, jitter=lambda: next(draws))
    )
    fail_then_ok(api.get("/voices/j1"), httpx.Response(502), httpx.Response(502))

    await client.voices.status("j1")

    assert clock.sleeps == [1.0, 3.0]  # step 2 s -> 1 s at jitter 0; step 4 s -> 3 s at 0.5


async def test_retry_after_seconds_is_honoured(
    api: respx.MockRouter, client: OrangeClone, clock: FakeClock
) -> None:
    fail_then_ok(api.get("/voices/j1"), httpx.Response(503, headers={"Retry-After": "12"}))

    await client.voices.status("j1")

    assert clock.sleeps == [12.0]


async def test_retry_after_http_date_is_honoured(
    api: respx.MockRouter, client: OrangeClone, clock: FakeClock
) -> None:
    moment = datetime.fromtimestamp(clock.wall() + 30, tz=UTC)
    header = format_datetime(moment, usegmt=True)
    fail_then_ok(api.get("/voices/j1"), httpx.Response(429, headers={"Retry-After": header}))

    await client.voices.status("j1")

    assert clock.sleeps == [pytest.approx(30.0, abs=1.0)]  # HTTP dates have 1 s resolution


async def test_missing_or_garbled_retry_after_falls_back_to_backoff(
    api: respx.MockRouter, client: OrangeClone, clock: FakeClock
) -> None:
    fail_then_ok(
        api.get("/voices/j1"),
        httpx.Response(429),
        httpx.Response(429, headers={"Retry-After": "soon-ish"}),
    )

    await client.voices.status("j1")

    assert clock.sleeps == [0.5, 1.0]


async def test_retry_after_is_capped_but_reported_as_sent(
    api: respx.MockRouter, make_client: ClientFactory, clock: FakeClock
) -> None:
    client = make_client(retry=RetryPolicy(max_retries=1, max_retry_after=60.0))
    api.get("/voices/j1").respond(429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimited) as caught:
        await client.voices.status("j1")

    assert clock.sleeps == [60.0]
    assert caught.value.retry_after == 3600.0


async def test_on_wait_hears_about_every_retry_wait(
    api: respx.MockRouter, make_client: ClientFactory
) -> None:
    waits: list[float] = []
    client = make_client(on_wait=waits.append)
    fail_then_ok(api.get("/voices/j1"), httpx.Response(503, headers={"Retry-After": "4"}))

    await client.voices.status("j1")

    assert waits == [4.0]


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/characters/c1"), ("DELETE", "/characters/delete"), ("PUT", "/dubbing/d1")],
)
async def test_puts_and_deletes_are_retried_like_reads(
    api: respx.MockRouter, client: OrangeClone, method: str, path: str
) -> None:
    route = api.route(method=method, path=path)
    route.side_effect = [
        httpx.ReadTimeout("slow"),
        httpx.Response(503),
        httpx.Response(200, json={}),
    ]

    if path == "/characters/c1":
        await client.characters.update("c1", name="Bo")
    elif method == "DELETE":
        await client.characters.delete("c1")
    else:
        await client.dubbing.update_settings("d1", "es", True, {})

    assert route.call_count == 3


# Every call that creates a job or charges credits, with the answer it expects.
PaidCall = Callable[[OrangeClone], Awaitable[object]]
PAID_CALLS: list[tuple[str, str, dict[str, object], PaidCall]] = [
    ("POST", "/voices_clone", {"data": {"jobId": "j"}}, lambda c: c.voices.clone("Hi", ["c1"])),
    (
        "POST",
        "/batch_tts",
        {"data": {"batchJobId": "b"}},
        lambda c: c.batch.create("s", [{"text": "Hi", "characterId": "c1"}]),
    ),
    (
        "POST",
        "/scripts_generate",
        {"script": "Hi"},
        lambda c: c.scripts.generate("single", "ctx", [{"id": "1", "name": "A"}]),
    ),
    (
        "POST",
        "/dubbing_transcribe",
        {"data": {"jobId": "d"}},
        lambda c: c.dubbing.transcribe("m/1.mp4", "video", 60, 5),
    ),
    ("POST", "/dubbing_translate", {}, lambda c: c.dubbing.translate("d", "fr")),
    (
        "POST",
        "/dubbing_segments",
        {},
        lambda c: c.dubbing.translate_segments("d", "fr", ["s1"]),
    ),
    (
        "POST",
        "/dubbing_segments",
        {},
        lambda c: c.dubbing.update_segments("d", [{"id": "s1", "text": "Hi"}]),
    ),
    ("POST", "/dubbing_clone", {}, lambda c: c.dubbing.clone("d")),
    (
        "POST",
        "/characters/create",
        {"characterId": "c"},
        lambda c: c.characters.create("Alex", "micah", io.BytesIO(b"RIFF"), filename="a.wav"),
    ),
    (
        "POST",
        "/characters/c1/audio",
        {},
        lambda c: c.characters.replace_voice("c1", io.BytesIO(b"RIFF"), filename="a.wav"),
    ),
]
PAID_IDS = [f"{path}#{index}" for index, (_, path, _, _) in enumerate(PAID_CALLS)]


@pytest.mark.parametrize(("method", "path", "answer", "call"), PAID_CALLS, ids=PAID_IDS)
@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("server hung up mid-answer"),
        httpx.Response(503),
        httpx.Response(502),
        httpx.Response(504),
    ],
    ids=["read-timeout", "dropped", "503", "502", "504"],
)
async def test_paid_calls_are_not_retried_once_they_may_have_run(
    api: respx.MockRouter,
    client: OrangeClone,
    method: str,
    path: str,
    answer: dict[str, object],
    call: PaidCall,
    failure: httpx.Response | Exception,
) -> None:
    route = api.route(method=method, path=path)
    route.side_effect = [failure, httpx.Response(200, json=answer)]

    with pytest.raises((TransportError, ServerError)):
        await call(client)

    assert route.call_count == 1


@pytest.mark.parametrize(("method", "path", "answer", "call"), PAID_CALLS, ids=PAID_IDS)
@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.Response(429, headers={"Retry-After": "2"}),
    ],
    ids=["connect-error", "connect-timeout", "429"],
)
async def test_paid_calls_are_retried_when_they_never_ran(
    api: respx.MockRouter,
    client: OrangeClone,
    method: str,
    path: str,
    answer: dict[str, object],
    call: PaidCall,
    failure: httpx.Response | Exception,
) -> None:
    route = api.route(method=method, path=path)
    route.side_effect = [failure, httpx.Response(200, json=answer)]

    await call(client)

    assert route.call_count == 2


async def test_a_retried_multipart_upload_resends_the_whole_file(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.post("/characters/create")
    route.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"success": "true", "characterId": "c9"}),
    ]

    await client.characters.create("Alex", "micah", io.BytesIO(b"RIFF-full-sample"), "a.wav")

    assert multipart_fields(route.calls.last.request)["voiceFile"][2] == b"RIFF-full-sample"


async def test_get_upload_url_is_retried_like_a_read(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.post("/dubbing_transcribe", params={"action": "get_upload_url"})
    route.side_effect = [
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json={"data": {"uploadUrl": "https://s.test/u", "mediaPath": "m"}}),
    ]

    target = await client.dubbing.get_upload_url("a.mp4", "video/mp4")

    assert target.media_path == "m" and route.call_count == 2


async def test_client_side_refusals_are_never_sent_or_retried(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.post("/voices_clone").respond(200, json={"data": {"jobId": "j"}})

    with pytest.raises(InvalidRequest) as caught:
        await client.voices.clone("Speaker 1: Hi\nSpeaker 3: Bye", ["c1", "c2"])

    assert caught.value.status_code is None
    assert "Speaker 3" in caught.value.message
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("-3", None),
        ("1_000", None),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: go now
        ("Thu, 01 Jan 2099 00:00:00 GMT", 4070908800.0 - 1_700_000_000.0),
        ("tomorrow", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=1_700_000_000.0) == expected
