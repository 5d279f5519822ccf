"""The sandbox's OpenAPI schema (`/openapi.json`): every request body and every answer.

The routes read their bodies by hand (`deps.json_body`, multipart forms) so that a wrong
Content-Type or a bad field gets the sandbox's own clear message; FastAPI therefore cannot see
the bodies, and the routes describe them here instead (`openapi_extra=json_request(Model)`).
Answers are described with `responses=answers(...)`: success and the error shape with their
status codes. FastAPI's own 422 is removed (the sandbox answers 400 instead).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from orangeweb.sandbox.responses import ErrorAnswer

_COMPONENTS = "#/components/schemas/"
# Every request body model a route names, and every answer given as one of several models:
# FastAPI sees neither, so their schemas are added to the components here.
_BODY_MODELS: dict[str, type[BaseModel]] = {}
_ANSWER_MODELS: dict[str, type[BaseModel]] = {}

STATUS_MEANINGS: dict[int | str, str] = {
    400: "Invalid input (the message says which field and why)",
    401: "Missing or unknown key",
    402: "Not enough credits",
    403: "Not allowed for this key's tier (e.g. media longer than the tier's cap)",
    404: "Unknown id, or not this key's",
    409: "Conflicting state",
    413: "File too large",
    415: "Unsupported Content-Type or media",
    429: "Rate limited; Retry-After says when to try again (seconds)",
    "5XX": "Server fault (injected through the admin API, or an internal error)",
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 0},
    }
}
# What any API route can answer, whatever its body: auth, rate limit, injected faults.
_EVERY_API_ROUTE: tuple[int | str, ...] = (401, 429, "5XX")
_EVERY_ADMIN_ROUTE: tuple[int | str, ...] = (401, "5XX")
SECURITY_SCHEMES = {
    "apiKey": {"type": "http", "scheme": "bearer", "description": "An OrangeClone API key"},
    "adminToken": {"type": "http", "scheme": "bearer", "description": "The sandbox admin token"},
}


def _body(media_type: str, models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    for model in models:
        _BODY_MODELS[model.__name__] = model
    refs = [{"$ref": f"{_COMPONENTS}{model.__name__}"} for model in models]
    schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema}}}}


def json_request(*models: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route reading a JSON body of one of `models`."""
    return _body("application/json", models)


def multipart_request(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route reading a multipart form shaped like `model`."""
    return _body("multipart/form-data", (model,))


def answers(
    ok: type[BaseModel] | tuple[type[BaseModel], ...], *statuses: int, admin: bool = False
) -> dict[int | str, dict[str, Any]]:
    """`responses` for a route: `ok` (a model, or any of several) for 200, and the error shape
    for `statuses` plus the ones every route can give."""
    documented: dict[int | str, dict[str, Any]] = {}
    if isinstance(ok, tuple):
        for model in ok:
            _ANSWER_MODELS[model.__name__] = model
        schema = {"anyOf": [{"$ref": f"{_COMPONENTS}{model.__name__}"} for model in ok]}
        documented[200] = {
            "description": "Success",
            "content": {"application/json": {"schema": schema}},
        }
    else:
        documented[200] = {"model": ok, "description": "Success"}
    for status in (*statuses, *(_EVERY_ADMIN_ROUTE if admin else _EVERY_API_ROUTE)):
        documented[status] = {"model": ErrorAnswer, "description": STATUS_MEANINGS[status]}
        if status in (429, "5XX"):
            documented[status]["headers"] = _RETRY_AFTER
    return documented


def install_openapi(app: FastAPI) -> None:
    """Serve the complete schema from `app.openapi()` (built once)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {})
        _, definitions = models_json_schema(
            [(model, "validation") for model in _BODY_MODELS.values()]
            + [(model, "serialization") for model in _ANSWER_MODELS.values()],
            ref_template=_COMPONENTS + "{model}",
        )
        components.setdefault("schemas", {}).update(definitions.get("$defs", {}))
        components["securitySchemes"] = SECURITY_SCHEMES
        for path, operations in schema.get("paths", {}).items():
            scheme = "adminToken" if path.startswith("/admin") else "apiKey"
            for operation in operations.values():
                operation["responses"].pop("422", None)
                operation["security"] = [{scheme: []}]
        for unused in ("HTTPValidationError", "ValidationError"):
            components["schemas"].pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
