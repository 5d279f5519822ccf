"""The batch callback's SSRF policy over real HTTP: loopback and wrapped-loopback callback URLs
are refused at submit (400, nothing contacted), a name resolving to loopback is skipped at send
time, the send goes to the address checked, redirects are not followed, and the test setting
`allow_loopback_callbacks` lets a local receiver get its callback."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.sandbox.helpers import (
    api_client,
    assert_rejected,
    create_character,
    wait_for_batch,
)
from tests.support.callbacks import CallbackReceiver
from tests.support.sandbox_server import SandboxFactory, SandboxServer, poll_until

CALLBACK_HOST = "callback.test"
# Loopback as a callback host, literally or wrapped in IPv6 transition forms.
LOOPBACK_HOSTS = [
    "127.0.0.1",
    "127.1",
    "2130706433",
    "localhost",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::127.0.0.1]",
    "[64:ff9b::7f00:1]",
    "[64:ff9b:1::7f00:1]",
    "[2002:7f00:1::1]",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]",
]

Lookups = list[str]


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], Lookups]:
    """Make CALLBACK_HOST resolve to the given addresses in turn (the last one repeats) for
    the in-process sandbox; returns the list of lookups of that name as they happen."""
    real_getaddrinfo = socket.getaddrinfo

    def install(answers: list[str]) -> Lookups:
        lookups: Lookups = []

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host != CALLBACK_HOST:
                return real_getaddrinfo(host, port, *args, **kwargs)
            lookups.append(host)
            address = answers[min(len(lookups), len(answers)) - 1]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return lookups

    return install


def _batch(client: httpx.Client, voice_wav: Path, callback_url: str) -> httpx.Response:
    character_id = create_character(client, voice_wav)
    scenes = [{"index": 0, "text": "Hello.", "characterId": character_id}]
    return client.post(
        "/batch_tts", json={"storyId": "s", "scenes": scenes, "callbackUrl": callback_url}
    )


def _callback_status(server: SandboxServer, batch_id: str, final: str) -> str:
    return poll_until(
        lambda: server.job_info(batch_id)["callbackStatus"] == final and final,
        timeout=30,
        message=f"callbackStatus {final}",
    )


def test_loopback_callbacks_are_refused_at_submit(
    sandbox_factory: SandboxFactory, voice_wav: Path
) -> None:
    server = sandbox_factory(allow_loopback_callbacks=False)
    key = server.issue_key(tier="enterprise", credits=500)
    with CallbackReceiver() as receiver, api_client(server, key) as client:
        character_id = create_character(client, voice_wav)
        scenes = [{"index": 0, "text": "Hello.", "characterId": character_id}]
        urls = [receiver.url] + [
            f"https://{host}:{receiver.port}/hooks/batch" for host in LOOPBACK_HOSTS
        ]
        for url in urls:
            body = {"storyId": "s", "scenes": scenes, "callbackUrl": url}
            message = assert_rejected(client.post("/batch_tts", json=body), 400, "callbackUrl")
            assert "https" in message or "loopback" in message or "wraps" in message, message
        assert server.credits(key) == 500  # nothing was held: no batch exists
    assert receiver.attempts == 0


def test_a_name_resolving_to_loopback_is_skipped_at_send(
    sandbox_factory: SandboxFactory, voice_wav: Path, fake_dns: Callable[[list[str]], Lookups]
) -> None:
    server = sandbox_factory(allow_loopback_callbacks=False)
    lookups = fake_dns(["127.0.0.1"])
    with CallbackReceiver() as receiver, api_client(server, server.issue_key("enterprise")) as c:
        # A name passes at submit: what it resolves to is judged when the callback is sent.
        response = _batch(c, voice_wav, f"https://{CALLBACK_HOST}:{receiver.port}/hooks/batch")
        assert response.status_code == 200, response.text
        batch_id = response.json()["data"]["batchJobId"]
        assert wait_for_batch(c, batch_id)["status"] == "completed"
        _callback_status(server, batch_id, "refused")
    assert receiver.attempts == 0
    assert lookups == [CALLBACK_HOST]  # refused on the first look, not retried


def test_the_test_setting_delivers_to_the_address_it_checked(
    sandbox_factory: SandboxFactory, voice_wav: Path, fake_dns: Callable[[list[str]], Lookups]
) -> None:
    server = sandbox_factory(allow_loopback_callbacks=True)
    # A rebinding DNS: the first answer is checked; a second lookup would lead elsewhere.
    lookups = fake_dns(["127.0.0.1", "192.0.2.1"])
    with CallbackReceiver() as receiver, api_client(server, server.issue_key("enterprise")) as c:
        url = f"http://{CALLBACK_HOST}:{receiver.port}/hooks/batch"
        batch_id = _batch(c, voice_wav, url).json()["data"]["batchJobId"]
        poll_until(lambda: receiver.bodies, timeout=30, message="the callback")
        _callback_status(server, batch_id, "delivered")
    assert receiver.bodies == [{"batchJobId": batch_id, "storyId": "s", "status": "completed"}]
    # Connected to the pinned address, naming the original host.
    assert receiver.hosts == [f"{CALLBACK_HOST}:{receiver.port}"]
    assert lookups == [CALLBACK_HOST]


def test_redirects_are_not_followed(sandbox_factory: SandboxFactory, voice_wav: Path) -> None:
    server = sandbox_factory(allow_loopback_callbacks=True, callback_attempts=1)
    with (
        CallbackReceiver() as target,
        CallbackReceiver(redirect_to=target.url) as redirector,
        api_client(server, server.issue_key("enterprise")) as client,
    ):
        batch_id = _batch(client, voice_wav, redirector.url).json()["data"]["batchJobId"]
        _callback_status(server, batch_id, "failed")
    assert redirector.attempts == 1
    assert target.attempts == 0
