"""Test doubles for the SDK tests: a fake clock and helpers to read captured requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx

from orangeweb.orangeclone import OrangeClone

API_KEY = "sk_test_Zq8vN3kR7pW2mX9c"
BASE_URL = "https://api.orangeclone.test/api"
# `make_client(**options)`: an OrangeClone on the fake server and clock (see conftest).
ClientFactory = Callable[..., OrangeClone]

UPLOAD_URL = "https://storage.elsewhere.test/media/abc.mp4?X-Signature=s3cr3tsig&expires=99"


class FakeClock:
    """Monotonic and wall time that only move when something sleeps (or `advance` is called)."""

    def __init__(self, wall_start: float = 1_700_000_000.0) -> None:
        self.now = 1000.0
        self._wall_offset = wall_start - self.now
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now + self._wall_offset

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def multipart_fields(request: httpx.Request) -> dict[str, tuple[str | None, str | None, bytes]]:
    """{field name: (file name, content type, bytes)} of a multipart/form-data request."""
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
    message = BytesParser(policy=HTTP).parsebytes(raw)
    fields: dict[str, tuple[str | None, str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        part_type = part.get("Content-Type")
        fields[name] = (part.get_filename(), None if part_type is None else str(part_type), payload)
    return fields
