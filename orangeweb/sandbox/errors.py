"""Every rejection the sandbox sends: `{"success": false, "error": "<clear message>"}`.

The handlers installed here also reshape FastAPI's own errors (validation 422 -> 400, unknown
routes 404, wrong method 405) so that a client never sees another error shape from the sandbox.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A rejection with its HTTP status and a user-facing message."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(what: str, identifier: str) -> ApiError:
    # The same answer for "never existed" and "belongs to another key": ids are not an oracle.
    return ApiError(404, f"{what} {identifier!r} not found")


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"success": False, "error": message}, status_code=status, headers=dict(headers or {})
    )


def describe_validation_errors(errors: Sequence[Any]) -> str:
    """One readable sentence per pydantic error, e.g. `scenes[0].text: Field required`."""
    parts: list[str] = []
    for error in errors:
        location = _location(error.get("loc", ()))
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            parts.append("request body is not valid JSON")
        elif error.get("type") == "missing" and tuple(error.get("loc", ()))[:1] == ("query",):
            parts.append(f"the {location} query parameter is required")
        elif error.get("type") == "extra_forbidden":
            parts.append(f"unknown field {location!r}")
        elif location:
            parts.append(f"{location}: {message}")
        elif error.get("type") == "model_type":
            parts.append("the request body must be a JSON object")
        else:
            parts.append(message)
    return "; ".join(parts) or "invalid request"


def _location(loc: Sequence[Any]) -> str:
    # Drop FastAPI's "body"/"query" prefix; render list indexes as [n].
    parts = [part for part in loc if part not in ("body", "query", "path", "header")]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return error_response(error.status, error.message, error.headers)

    async def on_validation_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError | ValidationError)
        return error_response(400, describe_validation_errors(error.errors()))

    async def on_http_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        return error_response(error.status_code, str(error.detail), error.headers)

    async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
        # Log the route template, never the URL: signed URLs carry tokens.
        route_path = getattr(request.scope.get("route"), "path", "unknown route")
        logger.exception("unexpected error in %s %s", request.method, route_path)
        return error_response(500, "internal sandbox error")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
