"""Request plumbing shared by the API routes: the runtime, auth + rate limits, faults, strict
JSON bodies and absolute URLs built from the request (so they work standalone and mounted)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from orangeweb.sandbox.config import Tier
from orangeweb.sandbox.errors import ApiError, describe_validation_errors
from orangeweb.sandbox.keys import find_key
from orangeweb.sandbox.models import ApiKey
from orangeweb.sandbox.runtime import SandboxRuntime

ModelT = TypeVar("ModelT", bound=BaseModel)


def get_runtime(request: Request) -> SandboxRuntime:
    runtime: SandboxRuntime = request.app.state.sandbox
    return runtime


Runtime = Annotated[SandboxRuntime, Depends(get_runtime)]


def site_url(request: Request) -> str:
    """This app's absolute root URL, including the ASGI root_path (e.g. a `/sandbox` mount).

    Starlette's `request.base_url` is the outermost app's root, not a mounted sub-app's, so
    the root is taken from the scope's own `root_path`.
    """
    root_path = str(request.scope.get("root_path", "")).rstrip("/")
    return str(request.url.replace(path=root_path, query="", fragment="")).rstrip("/")


def api_path(request: Request) -> str:
    """The request path below `/api`, e.g. `/voices/job_1`."""
    path = str(request.scope["path"])
    root_path = str(request.scope.get("root_path", ""))
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :]
    return path.removeprefix("/api")


async def apply_faults(request: Request, runtime: Runtime) -> None:
    """Answer with an injected fault (admin API) before anything else, as an outage would."""
    fault = runtime.faults.take(api_path(request))
    if fault is None:
        return
    headers: dict[str, str] = {}
    if fault.retry_after_seconds is not None:
        headers["Retry-After"] = str(fault.retry_after_seconds)
    message = "rate limited (injected fault)" if fault.status == 429 else "service unavailable"
    raise ApiError(fault.status, f"{message}; try again later", headers)


async def authenticate(request: Request, runtime: Runtime) -> ApiKey:
    """The caller's key from `Authorization: Bearer <key>`, counted against its tier's limit."""
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(401, "missing API key: send the header 'Authorization: Bearer <API key>'")
    row = find_key(runtime.store, key.strip())
    if row is None:
        raise ApiError(401, "invalid API key")
    limit = runtime.config.rate_limit_per_minute.get(Tier(row.tier))
    retry_after = runtime.limiter.check(row.id, limit)
    if retry_after is not None:
        raise ApiError(
            429,
            f"rate limit exceeded: the {row.tier} tier allows {limit} requests per minute",
            {"Retry-After": str(retry_after)},
        )
    return row


CallerKey = Annotated[ApiKey, Depends(authenticate)]


def json_body(model: type[ModelT]) -> Callable[[Request], Awaitable[ModelT]]:
    """A dependency reading a strict JSON body into `model`, with clear 400/415 messages.

    Done by hand rather than by FastAPI's body inference so that a wrong Content-Type is named
    as such instead of surfacing as a confusing type error.
    """

    async def read(request: Request) -> ModelT:
        content_type = request.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise ApiError(
                415, f"Content-Type must be application/json (got {content_type or 'none'!r})"
            )
        body = await request.body()
        if not body.strip():
            raise ApiError(400, "request body is empty; a JSON object is required")
        try:
            return model.model_validate_json(body)
        except ValidationError as error:
            raise ApiError(400, describe_validation_errors(error.errors())) from error

    return read


def download_url(request: Request, runtime: SandboxRuntime, relative_path: str, name: str) -> str:
    """An absolute, signed, expiring URL for a stored file; `name` is only for the browser."""
    token = runtime.signer.download_token(relative_path)
    return f"{site_url(request)}/files/{token}/{name}"


def upload_url(request: Request, runtime: SandboxRuntime, upload_id: str) -> str:
    return f"{site_url(request)}/uploads/{runtime.signer.upload_token(upload_id)}"
