"""Strict in what we send: calls the docs would not accept are refused before any request."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import httpx
import pytest
import respx

from orangeweb.orangeclone import InvalidRequest, OrangeClone

Refused = Callable[[OrangeClone], Awaitable[object]]

REFUSED_CALLS: dict[str, Refused] = {
    "name too short": lambda c: c.characters.create("A", "micah", io.BytesIO(b"x")),
    "name too long": lambda c: c.characters.create("A" * 51, "micah", io.BytesIO(b"x")),
    "blank avatar": lambda c: c.characters.create("Alex", " ", io.BytesIO(b"x")),
    "update nothing": lambda c: c.characters.update("c1"),
    "blank id": lambda c: c.characters.get(""),
    "delete blank id": lambda c: c.characters.delete("  "),
    "empty text": lambda c: c.voices.clone("", ["c1"]),
    "no ids": lambda c: c.voices.clone("Hi", []),
    "ids as a string": lambda c: c.voices.clone("Hi", "c1"),
    "blank id in list": lambda c: c.voices.clone("Hi", ["c1", ""]),
    "speaker without id": lambda c: c.voices.clone("Speaker 2: Hi", ["c1"]),
    "no scenes": lambda c: c.batch.create("s", []),
    "scene out of order": lambda c: c.batch.create(
        "s", [{"index": 1, "text": "Hi", "characterId": "c"}]
    ),
    "scene typo": lambda c: c.batch.create("s", [{"text": "Hi", "charId": "c"}]),
    "scene empty text": lambda c: c.batch.create("s", [{"text": "", "characterId": "c"}]),
    "callback not a url": lambda c: c.batch.create(
        "s", [{"text": "Hi", "characterId": "c"}], callback_url="javascript:alert(1)"
    ),
    "bad mode": lambda c: c.scripts.generate("monologue", "ctx", [{"id": "1", "name": "A"}]),  # type: ignore[arg-type]
    "context too long": lambda c: c.scripts.generate(
        "single", "x" * 2001, [{"id": "1", "name": "A"}]
    ),
    "empty context": lambda c: c.scripts.generate("single", "", [{"id": "1", "name": "A"}]),
    "bad template": lambda c: c.scripts.generate(
        "single", "ctx", [{"id": "1", "name": "A"}], template="haiku"
    ),
    "bad length": lambda c: c.scripts.generate(
        "single", "ctx", [{"id": "1", "name": "A"}], length="Medium"
    ),
    "character without name": lambda c: c.scripts.generate("single", "ctx", [{"id": "1"}]),
    "bad media type": lambda c: c.dubbing.transcribe("m", "podcast", 10, 1),  # type: ignore[arg-type]
    "zero duration": lambda c: c.dubbing.transcribe("m", "video", 0, 1),
    "nan size": lambda c: c.dubbing.transcribe("m", "video", 10, float("nan")),
    "bool duration": lambda c: c.dubbing.transcribe("m", "video", True, 1),
    "unknown language": lambda c: c.dubbing.translate("d", "xx"),
    "language name": lambda c: c.dubbing.translate("d", "Spanish"),
    "no segment ids": lambda c: c.dubbing.translate_segments("d", "es", []),
    "edit changes nothing": lambda c: c.dubbing.update_segments("d", [{"id": "s1"}]),
    "edit typo": lambda c: c.dubbing.update_segments("d", [{"id": "s1", "txt": "Hi"}]),
    "no edits": lambda c: c.dubbing.update_segments("d", []),
    "settings bad language": lambda c: c.dubbing.update_settings("d", "klingon", True, {}),
    "translate_all not bool": lambda c: c.dubbing.update_settings("d", "es", "yes", {}),  # type: ignore[arg-type]
    "character without id": lambda c: c.dubbing.update_settings(
        "d", "es", True, {"speaker_1": {"type": "character"}}
    ),
    "original with id": lambda c: c.dubbing.update_settings(
        "d", "es", True, {"speaker_1": {"type": "original", "characterId": "c"}}
    ),
    "unknown voice type": lambda c: c.dubbing.update_settings(
        "d", "es", True, {"speaker_1": {"type": "robot"}}
    ),
    "blank job id": lambda c: c.dubbing.clone(""),
}


@pytest.mark.parametrize("call", REFUSED_CALLS.values(), ids=REFUSED_CALLS.keys())
async def test_invalid_calls_are_refused_before_sending(
    api: respx.MockRouter, client: OrangeClone, call: Refused
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await call(client)

    assert caught.value.status_code is None
    assert caught.value.message
    assert api.calls.call_count == 0


@pytest.mark.parametrize(
    ("api_key", "options"),
    [
        ("", {}),
        (" sk_padded ", {}),
        ("sk_with\nnewline", {}),
        ("sk_ünicode", {}),
        ("sk_ok", {"tier": "platinum"}),
    ],
)
def test_the_client_refuses_a_bad_configuration(api_key: str, options: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        OrangeClone(api_key, **options)  # type: ignore[arg-type]


async def test_the_client_takes_a_transport_or_a_client_not_both() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(ValueError, match="not both"):
            OrangeClone("sk_ok", http_client=http, transport=transport)
