"""The admin API (not part of OrangeClone): keys, balances, fault injection and job holds for
tests. Every call needs `Authorization: Bearer <admin token>`."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from orangeweb.sandbox.config import Tier
from orangeweb.sandbox.deps import Runtime, json_body
from orangeweb.sandbox.errors import ApiError, not_found
from orangeweb.sandbox.keys import create_key, find_key, update_key
from orangeweb.sandbox.models import ApiKey, Batch, DubbingJob, VoiceJob, iso


async def require_admin(request: Request, runtime: Runtime) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = runtime.admin_token.encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise ApiError(401, "admin API: send 'Authorization: Bearer <admin token>'")


router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])

TierName = Literal["free", "pro", "enterprise"]


class IssueKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    tier: TierName = "free"
    credits: Annotated[int, Field(ge=0)] = 500
    label: str | None = None


class UpdateKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    credits: Annotated[int, Field(ge=0)] | None = None
    tier: TierName | None = None


class LookupKeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    key: Annotated[str, Field(min_length=1)]


class FaultRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    status: Literal[429, 500, 502, 503, 504] = 503
    count: Annotated[int, Field(ge=1)] | None = None
    seconds: Annotated[float, Field(gt=0)] | None = None
    pathPrefix: str = ""
    retryAfter: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _one_duration(self) -> FaultRequest:
        if (self.count is None) == (self.seconds is None):
            raise ValueError("give exactly one of count and seconds")
        return self


class FailJobsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    count: Annotated[int, Field(ge=1)] = 1
    message: Annotated[str, Field(min_length=1)] = "injected failure"
    keyId: str | None = None  # only this key's jobs; None: whichever comes first


class HoldRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    held: bool


def _key_view(row: ApiKey) -> dict[str, Any]:
    return {
        "keyId": row.id,
        "tier": row.tier,
        "credits": row.credits,
        "label": row.label,
        "createdAt": iso(row.created_at),
    }


@router.post("/keys")
async def issue(
    runtime: Runtime, body: Annotated[IssueKeyRequest, Depends(json_body(IssueKeyRequest))]
) -> dict[str, Any]:
    key, row = create_key(runtime.store, Tier(body.tier), body.credits, body.label)
    return {"key": key, **_key_view(row)}


@router.post("/keys/lookup")
async def lookup(
    runtime: Runtime, body: Annotated[LookupKeyRequest, Depends(json_body(LookupKeyRequest))]
) -> dict[str, Any]:
    row = find_key(runtime.store, body.key)
    if row is None:
        raise ApiError(404, "unknown API key")
    return _key_view(row)


@router.get("/keys/{key_id}")
async def read_key(key_id: str, runtime: Runtime) -> dict[str, Any]:
    with runtime.store.session() as session:
        row = session.get(ApiKey, key_id)
    if row is None:
        raise not_found("key", key_id)
    return _key_view(row)


@router.patch("/keys/{key_id}")
async def change_key(
    key_id: str,
    runtime: Runtime,
    body: Annotated[UpdateKeyRequest, Depends(json_body(UpdateKeyRequest))],
) -> dict[str, Any]:
    tier = None if body.tier is None else Tier(body.tier)
    row = update_key(runtime.store, key_id, credits=body.credits, tier=tier)
    if row is None:
        raise not_found("key", key_id)
    runtime.limiter.reset(key_id)
    return _key_view(row)


@router.post("/faults")
async def add_fault(
    runtime: Runtime, body: Annotated[FaultRequest, Depends(json_body(FaultRequest))]
) -> dict[str, Any]:
    retry_after = body.retryAfter
    if body.status == 429 and retry_after is None:
        retry_after = 1  # a 429 always says when to come back
    runtime.faults.add(
        body.status,
        count=body.count,
        seconds=body.seconds,
        path_prefix=body.pathPrefix,
        retry_after_seconds=retry_after,
    )
    return {"faults": runtime.faults.describe()}


@router.get("/faults")
async def list_faults(runtime: Runtime) -> dict[str, Any]:
    return {"faults": runtime.faults.describe()}


@router.delete("/faults")
async def clear_faults(runtime: Runtime) -> dict[str, Any]:
    runtime.faults.clear()
    return {"faults": []}


@router.put("/jobs/hold")
async def hold_jobs(
    runtime: Runtime, body: Annotated[HoldRequest, Depends(json_body(HoldRequest))]
) -> dict[str, Any]:
    runtime.hold_jobs(body.held)
    return {"held": runtime.jobs_held}


@router.post("/jobs/fail-next")
async def fail_next_jobs(
    runtime: Runtime, body: Annotated[FailJobsRequest, Depends(json_body(FailJobsRequest))]
) -> dict[str, Any]:
    """Make the next `count` jobs (batch: scenes) fail with `message` once they start."""
    runtime.inject_job_failures(body.count, body.message, body.keyId)
    return {"injected": body.count}


@router.delete("/jobs/fail-next")
async def clear_job_failures(runtime: Runtime) -> dict[str, Any]:
    runtime.clear_injected_failures()
    return {"injected": 0}


@router.get("/jobs/{job_id}")
async def read_job(job_id: str, runtime: Runtime) -> dict[str, Any]:
    """A job's internals (any key's): kind, status history, credits held and charged."""
    with runtime.store.session() as session:
        rows: list[tuple[str, VoiceJob | Batch | DubbingJob | None]] = [
            ("voice", session.get(VoiceJob, job_id)),
            ("batch", session.get(Batch, job_id)),
            ("dubbing", session.get(DubbingJob, job_id)),
        ]
    for kind, row in rows:
        if row is None:
            continue
        view: dict[str, Any] = {
            "kind": kind,
            "keyId": row.key_id,
            "status": row.status,
            "statusHistory": list(row.status_history or []),
            "estimatedCost": row.estimated_cost,
            "heldCredits": row.held_credits,
            "cost": row.cost,
        }
        if isinstance(row, Batch):
            view["callbackStatus"] = row.callback_status
        return view
    raise not_found("job", job_id)
