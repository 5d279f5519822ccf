"""The sandbox's `/openapi.json` describes every request body and every answer of the public
API, and the suite's answer check (schema_check.py) really refuses undocumented answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from schemathesis.core.failures import FailureGroup

from tests.integration.sandbox.schema_check import DocumentedAnswers, UndocumentedAnswer
from tests.support.sandbox_server import SandboxServer

ERROR_REF = {"$ref": "#/components/schemas/ErrorAnswer"}
# What any API operation can answer, whatever it is: bad key, rate limit, injected fault.
EVERY_OPERATION = {"401", "429", "5XX"}


@pytest.fixture(scope="module")
def openapi(sandbox: SandboxServer) -> dict[str, Any]:
    response = httpx.get(f"{sandbox.root_url}/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _public_operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in openapi["paths"].items()
        if path.startswith("/api/")
        for method, operation in operations.items()
    ]


def _component(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].rsplit("/", 1)[1]
    component: dict[str, Any] = openapi["components"]["schemas"][name]
    return component


def test_every_body_and_answer_is_described(openapi: dict[str, Any]) -> None:
    operations = _public_operations(openapi)
    assert len(operations) == 16
    for method, path, operation in operations:
        label = f"{method} {path}"
        responses = operation["responses"]
        assert set(responses) >= EVERY_OPERATION, label
        assert "422" not in responses, label  # FastAPI's shape; the sandbox answers 400
        for status, answer in responses.items():
            schema = answer["content"]["application/json"]["schema"]
            if status == "200":
                refs = schema.get("anyOf", [schema])
                for ref in refs:
                    assert _component(openapi, ref)["properties"], label
            else:
                assert schema == ERROR_REF, (label, status)
        if method in ("POST", "PUT", "DELETE"):
            body = operation["requestBody"]
            assert body["required"] is True, label
            ((media_type, content),) = body["content"].items()
            assert media_type in ("application/json", "multipart/form-data"), label
            for ref in content["schema"].get("anyOf", [content["schema"]]):
                assert _component(openapi, ref)["properties"], label
        assert operation["security"] == [{"apiKey": []}], label


def test_the_wire_names_and_the_error_shape(openapi: dict[str, Any]) -> None:
    components = openapi["components"]["schemas"]

    def fields(name: str) -> set[str]:
        return set(components[name]["properties"])

    # camelCase as the docs spell it, and the one documented snake_case field.
    assert fields("BatchRequest") == {"storyId", "scenes", "callbackUrl"}
    assert fields("SceneRequest") == {"index", "text", "characterId"}
    assert fields("VoicesCloneRequest") == {"text", "character_ids"}
    assert fields("TranscribeRequest") == {"mediaPath", "mediaType", "duration", "fileSizeMB"}
    assert fields("CreateCharacterForm") == {"name", "avatarStyle", "voiceFile"}
    assert components["CreateCharacterForm"]["properties"]["voiceFile"]["format"] == "binary"
    assert fields("SettingsRequest") == {"targetLanguage", "translateAll", "voiceMapping"}
    assert components["CharacterCreated"]["properties"]["success"]["const"] == "true"
    error = components["ErrorAnswer"]
    assert error["required"] == ["success", "error"]
    assert error["properties"]["success"]["const"] is False
    assert error["additionalProperties"] is False


def test_the_answer_check_refuses_undocumented_answers(sandbox: SandboxServer) -> None:
    checker = DocumentedAnswers(sandbox.root_url)
    request = httpx.Request("GET", f"{sandbox.base_url}/voices/job_x")

    def answer(status: int, body: object, content_type: str = "application/json") -> None:
        content = body if isinstance(body, bytes) else httpx.Response(200, json=body).content
        checker.check(
            httpx.Response(
                status, content=content, headers={"content-type": content_type}, request=request
            )
        )

    answer(404, {"success": False, "error": "job 'job_x' not found"})
    answer(200, {"success": True, "data": {"status": "queued", "createdAt": "2024-01-01"}})
    with pytest.raises(UndocumentedAnswer, match="status 418"):
        answer(418, {"success": False, "error": "teapot"})
    with pytest.raises(UndocumentedAnswer, match="content type"):
        answer(404, b"<html>not found</html>", "text/html")
    # A body off the schema: one failure, or several (FailureGroup).
    with pytest.raises((AssertionError, FailureGroup), match=r"violates schema|failure"):
        answer(200, {"success": True, "data": {"status": "lost", "createdAt": "x"}})
    with pytest.raises((AssertionError, FailureGroup), match=r"violates schema|failure"):
        answer(404, {"detail": "Not Found"})
