"""HTTP errors map to typed exceptions carrying the server's message, from any body shape."""

from __future__ import annotations

import json

import pytest
import respx

from orangeweb.orangeclone import (
    AuthError,
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    OrangeClone,
    OrangeCloneError,
    RateLimited,
    RetryPolicy,
    ServerError,
    UnexpectedResponse,
)
from orangeweb.orangeclone.error_body import MAX_MESSAGE_CHARS, error_message

from .fakes import API_KEY, ClientFactory


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, InvalidRequest),
        (401, AuthError),
        (402, InsufficientCredits),
        (403, Forbidden),
        (404, NotFound),
        (413, InvalidRequest),
        (415, InvalidRequest),
        (422, InvalidRequest),
        (429, RateLimited),
        (500, ServerError),
        (501, ServerError),
        (418, UnexpectedResponse),
        (409, UnexpectedResponse),
    ],
)
async def test_status_maps_to_error_class_with_the_servers_message(
    api: respx.MockRouter,
    make_client: ClientFactory,
    status: int,
    error_class: type[OrangeCloneError],
) -> None:
    client = make_client(retry=RetryPolicy(max_retries=0))
    api.get("/voices/j1").respond(status, json={"success": False, "error": f"reason {status}"})

    with pytest.raises(error_class) as caught:
        await client.voices.status("j1")

    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.message == f"reason {status}"
    assert str(caught.value) == f"reason {status} (HTTP {status})"


async def test_rate_limited_carries_retry_after(
    api: respx.MockRouter, make_client: ClientFactory
) -> None:
    client = make_client(retry=RetryPolicy(max_retries=0))
    api.get("/voices/j1").respond(
        429, headers={"Retry-After": "7"}, json={"success": False, "error": "slow down"}
    )

    with pytest.raises(RateLimited) as caught:
        await client.voices.status("j1")

    assert caught.value.retry_after == 7.0


async def test_all_errors_share_the_base_class(api: respx.MockRouter, client: OrangeClone) -> None:
    api.post("/voices_clone").respond(402, json={"success": False, "error": "Not enough credits"})

    with pytest.raises(OrangeCloneError, match="Not enough credits"):
        await client.voices.clone("Hello", ["c1"])


BODY_VARIANTS = [
    ("application/json", json.dumps({"success": False, "error": "Invalid key"}), "Invalid key"),
    ("application/json", json.dumps({"error": {"message": "Nested message"}}), "Nested message"),
    ("application/json", json.dumps({"message": "Top message"}), "Top message"),
    ("application/json", json.dumps({"detail": "Detail string"}), "Detail string"),
    (
        "application/json",
        json.dumps(
            {
                "detail": [
                    {"loc": ["body", "name"], "msg": "field required", "type": "missing"},
                    {"loc": ["body", "avatarStyle"], "msg": "bad style", "type": "value_error"},
                ]
            }
        ),
        "body.name: field required; body.avatarStyle: bad style",
    ),
    ("text/plain", "  Upstream   went\naway  ", "Upstream went away"),
    (
        "text/html",
        "<!DOCTYPE html><html><head><title>502 Bad Gateway &amp; co</title></head>"
        "<body><h1>nginx</h1><script>secret()</script></body></html>",
        "502 Bad Gateway & co",
    ),
    ("application/json", "{not json", "{not json"),
    ("application/json", json.dumps({"unexpected": 1}), "HTTP 400 Bad Request"),
    ("", "", "HTTP 400 Bad Request"),
    ("application/json", json.dumps("a bare JSON string"), "a bare JSON string"),
]


@pytest.mark.parametrize(("content_type", "body", "expected"), BODY_VARIANTS)
async def test_error_body_variants(
    api: respx.MockRouter, client: OrangeClone, content_type: str, body: str, expected: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    api.get("/dubbing/d1").respond(400, headers=headers, content=body.encode())

    with pytest.raises(InvalidRequest) as caught:
        await client.dubbing.status("d1")

    assert caught.value.message == expected


def test_html_page_without_a_title_gives_a_short_generic_message() -> None:
    page = "<html><body>" + "<div>internal stack trace</div>" * 500 + "</body></html>"

    message = error_message(page.encode(), "text/html; charset=utf-8", 500)

    assert message == "the server returned an HTML error page"


def test_html_is_recognised_without_a_content_type() -> None:
    page = b"<html><head><title>Service Unavailable</title></head></html>"

    assert error_message(page, None, 503) == "Service Unavailable"


def test_long_messages_are_truncated_to_one_line() -> None:
    message = error_message(("word " * 500).encode(), "text/plain", 400)

    assert len(message) <= MAX_MESSAGE_CHARS and message.endswith("…")
    assert "\n" not in message


def test_undecodable_bytes_still_give_a_message() -> None:
    assert error_message(b"\xff\xfe\x00bad", "text/plain", 500).startswith("\ufffd")
    assert error_message(b"", None, 599) == "HTTP 599 error"


async def test_the_api_key_is_redacted_from_error_messages(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    api.get("/voices/j1").respond(401, json={"error": f"Unknown key {API_KEY}"})

    with pytest.raises(AuthError) as caught:
        await client.voices.status("j1")

    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert "[redacted]" in caught.value.message


async def test_a_2xx_saying_success_false_is_an_error(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    api.post("/voices_clone").respond(200, json={"success": "false", "error": "queue full"})

    with pytest.raises(UnexpectedResponse, match="queue full"):
        await client.voices.clone("Hello", ["c1"])


@pytest.mark.parametrize(
    "body",
    [b"<html>oops</html>", b"[1, 2]", b'{"success": true, "data": {"status": "queued"}}'],
)
async def test_a_2xx_without_the_documented_result_is_unexpected(
    api: respx.MockRouter, client: OrangeClone, body: bytes
) -> None:
    api.post("/voices_clone").respond(200, content=body)

    with pytest.raises(UnexpectedResponse) as caught:
        await client.voices.clone("Hello", ["c1"])

    assert caught.value.status_code == 200
    assert "POST /voices_clone" in caught.value.message
