"""Script generation: top-level answer, 1 credit, and strict validation."""

from __future__ import annotations

import re

import httpx

from tests.integration.sandbox.helpers import assert_rejected
from tests.support.sandbox_server import SandboxServer

DOCS_EXAMPLE: dict[str, object] = {
    "mode": "dialogue",
    "template": "podcast_intro",
    "context": "A tech podcast discussing the future of AI",
    "characters": [{"id": "1", "name": "Alex"}, {"id": "2", "name": "Jordan"}],
    "tone": "Professional",
    "length": "Medium (1-2m)",
}


def test_dialogue_script_costs_one_credit(
    sandbox: SandboxServer, key: str, client: httpx.Client
) -> None:
    response = client.post("/scripts_generate", json=DOCS_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"script", "generationId"}  # documented: top level
    lines = [line for line in body["script"].splitlines() if line.strip()]
    assert len(lines) >= 2
    assert all(re.match(r"^Speaker [12]: \S", line) for line in lines), body["script"]
    assert sandbox.credits(key) == 499
    again = client.post("/scripts_generate", json=DOCS_EXAMPLE).json()
    assert again["generationId"] != body["generationId"]


def test_single_script_with_only_required_fields(client: httpx.Client) -> None:
    body = client.post(
        "/scripts_generate",
        json={
            "mode": "single",
            "context": "Our new bakery",
            "characters": [{"id": "a", "name": "Sam"}],
        },
    ).json()
    assert body["script"].strip()
    assert "Speaker 2:" not in body["script"]


def test_a_context_of_punctuation_only_is_answered(client: httpx.Client) -> None:
    # Found by schema fuzzing: it used to crash the script engine (500).
    for context in (".", "?!", "..."):
        body = {"mode": "single", "context": context, "characters": [{"id": "a", "name": "Sam"}]}
        response = client.post("/scripts_generate", json=body)
        assert response.status_code == 200, response.text
        assert "Sam" in response.json()["script"]


def test_validation(client: httpx.Client, sandbox: SandboxServer, key: str) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({**DOCS_EXAMPLE, "mode": "monologue"}, "mode"),
        ({**DOCS_EXAMPLE, "template": "haiku"}, "template"),
        ({**DOCS_EXAMPLE, "length": "Medium"}, "length"),
        ({**DOCS_EXAMPLE, "context": ""}, "context"),
        ({**DOCS_EXAMPLE, "context": "x" * 2001}, "2000"),
        ({**DOCS_EXAMPLE, "characters": []}, "characters"),
        ({**DOCS_EXAMPLE, "characters": [{"id": "1"}]}, "name"),
        ({**DOCS_EXAMPLE, "characters": [{"id": "1", "name": "Alex"}]}, "two characters"),
        ({**DOCS_EXAMPLE, "tone": ""}, "tone"),
        ({**DOCS_EXAMPLE, "style": "x"}, "unknown field"),
        ({key: value for key, value in DOCS_EXAMPLE.items() if key != "mode"}, "mode"),
        ({key: value for key, value in DOCS_EXAMPLE.items() if key != "characters"}, "characters"),
    ]
    for body, fragment in cases:
        assert_rejected(client.post("/scripts_generate", json=body), 400, fragment)
    # 2000 characters exactly is fine.
    assert client.post("/scripts_generate", json={**DOCS_EXAMPLE, "context": "y" * 2000}).is_success
    assert sandbox.credits(key) == 499  # rejections cost nothing


def test_402_without_credits(sandbox: SandboxServer, key: str, client: httpx.Client) -> None:
    sandbox.set_credits(key, 0)
    assert_rejected(client.post("/scripts_generate", json=DOCS_EXAMPLE), 402, "credits")
