"""The admin API (not part of OrangeClone): keys, balances, fault injection and job holds for
tests. Every call needs `Authorization: Bearer <admin token>`."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field, model_validator
from sqlalchemy import func, select

from orangeweb.sandbox.config import Tier
from orangeweb.sandbox.deps import Runtime, json_body
from orangeweb.sandbox.errors import ApiError, not_found
from orangeweb.sandbox.keys import create_key, find_key, update_key
from orangeweb.sandbox.models import ApiKey, Batch, DubbingJob, VoiceJob, iso
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.wire import Absent, RequestBody, ResponseBody


async def require_admin(request: Request, runtime: Runtime) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = runtime.admin_token.encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise ApiError(401, "admin API: send 'Authorization: Bearer <admin token>'")


router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])

TierName = Literal["free", "pro", "enterprise"]


class IssueKeyRequest(RequestBody):
    tier: TierName = "free"
    credits: Annotated[int, Field(ge=0)] = 500
    label: str | None = None


class UpdateKeyRequest(RequestBody):
    credits: Annotated[int, Field(ge=0)] | None = None
    tier: TierName | None = None


class LookupKeyRequest(RequestBody):
    key: Annotated[str, Field(min_length=1)]


class FaultRequest(RequestBody):
    status: Literal[429, 500, 502, 503, 504] = 503
    count: Annotated[int, Field(ge=1)] | None = None
    seconds: Annotated[float, Field(gt=0)] | None = None
    path_prefix: str = ""
    retry_after: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _one_duration(self) -> FaultRequest:
        if (self.count is None) == (self.seconds is None):
            raise ValueError("give exactly one of count and seconds")
        return self


class FailJobsRequest(RequestBody):
    count: Annotated[int, Field(ge=1)] = 1
    message: Annotated[str, Field(min_length=1)] = "injected failure"
    key_id: str | None = None  # only this key's jobs; None: whichever comes first


class HoldRequest(RequestBody):
    held: bool


class KeyView(ResponseBody):
    key_id: str
    tier: TierName
    credits: int
    label: str | None
    created_at: str | None


class IssuedKey(KeyView):
    key: str  # the secret: shown once


class FaultView(ResponseBody):
    status: int
    remaining_requests: int | None
    remaining_seconds: float | None
    path_prefix: str


class FaultsView(ResponseBody):
    faults: list[FaultView]


class HoldView(ResponseBody):
    held: bool


class InjectedView(ResponseBody):
    injected: int


class JobView(ResponseBody):
    kind: Literal["voice", "batch", "dubbing"]
    key_id: str
    status: str
    status_history: list[str]
    estimated_cost: int | None
    held_credits: int
    cost: int | None
    callback_status: str | Absent = None  # batches only


def _key_view(row: ApiKey) -> dict[str, Any]:
    return {
        "keyId": row.id,
        "tier": row.tier,
        "credits": row.credits,
        "label": row.label,
        "createdAt": iso(row.created_at),
    }


@router.post(
    "/keys",
    openapi_extra=json_request(IssueKeyRequest),
    responses=answers(IssuedKey, 400, 415, admin=True),
    response_model=None,
)
async def issue(
    runtime: Runtime, body: Annotated[IssueKeyRequest, Depends(json_body(IssueKeyRequest))]
) -> dict[str, Any]:
    key, row = create_key(runtime.store, Tier(body.tier), body.credits, body.label)
    return {"key": key, **_key_view(row)}


@router.post(
    "/keys/lookup",
    openapi_extra=json_request(LookupKeyRequest),
    responses=answers(KeyView, 400, 404, 415, admin=True),
    response_model=None,
)
async def lookup(
    runtime: Runtime, body: Annotated[LookupKeyRequest, Depends(json_body(LookupKeyRequest))]
) -> dict[str, Any]:
    row = find_key(runtime.store, body.key)
    if row is None:
        raise ApiError(404, "unknown API key")
    return _key_view(row)


@router.get("/keys/{key_id}", responses=answers(KeyView, 404, admin=True), response_model=None)
async def read_key(key_id: str, runtime: Runtime) -> dict[str, Any]:
    with runtime.store.session() as session:
        row = session.get(ApiKey, key_id)
    if row is None:
        raise not_found("key", key_id)
    return _key_view(row)


class JobCountsView(ResponseBody):
    voice: int
    batch: int
    dubbing: int


@router.get(
    "/keys/{key_id}/job-counts",
    responses=answers(JobCountsView, 404, admin=True),
    response_model=None,
)
async def count_jobs(key_id: str, runtime: Runtime) -> dict[str, Any]:
    """How many jobs of each kind the key made: what a client was billed for, counted here."""
    with runtime.store.session() as session:
        if session.get(ApiKey, key_id) is None:
            raise not_found("key", key_id)
        counts = {
            kind: session.scalar(
                select(func.count()).select_from(table).where(table.key_id == key_id)  # type: ignore[attr-defined]
            )
            or 0
            for kind, table in (("voice", VoiceJob), ("batch", Batch), ("dubbing", DubbingJob))
        }
    return counts


@router.patch(
    "/keys/{key_id}",
    openapi_extra=json_request(UpdateKeyRequest),
    responses=answers(KeyView, 400, 404, 415, admin=True),
    response_model=None,
)
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


@router.post(
    "/faults",
    openapi_extra=json_request(FaultRequest),
    responses=answers(FaultsView, 400, 415, admin=True),
    response_model=None,
)
async def add_fault(
    runtime: Runtime, body: Annotated[FaultRequest, Depends(json_body(FaultRequest))]
) -> dict[str, Any]:
    retry_after = body.retry_after
    if body.status == 429 and retry_after is None:
        retry_after = 1  # a 429 always says when to come back
    runtime.faults.add(
        body.status,
        count=body.count,
        seconds=body.seconds,
        path_prefix=body.path_prefix,
        retry_after_seconds=retry_after,
    )
    return {"faults": runtime.faults.describe()}


@router.get("/faults", responses=answers(FaultsView, admin=True), response_model=None)
async def list_faults(runtime: Runtime) -> dict[str, Any]:
    return {"faults": runtime.faults.describe()}


@router.delete("/faults", responses=answers(FaultsView, admin=True), response_model=None)
async def clear_faults(runtime: Runtime) -> dict[str, Any]:
    runtime.faults.clear()
    return {"faults": []}


@router.put(
    "/jobs/hold",
    openapi_extra=json_request(HoldRequest),
    responses=answers(HoldView, 400, 415, admin=True),
    response_model=None,
)
async def hold_jobs(
    runtime: Runtime, body: Annotated[HoldRequest, Depends(json_body(HoldRequest))]
) -> dict[str, Any]:
    runtime.hold_jobs(body.held)
    return {"held": runtime.jobs_held}


@router.post(
    "/jobs/fail-next",
    openapi_extra=json_request(FailJobsRequest),
    responses=answers(InjectedView, 400, 415, admin=True),
    response_model=None,
)
async def fail_next_jobs(
    runtime: Runtime, body: Annotated[FailJobsRequest, Depends(json_body(FailJobsRequest))]
) -> dict[str, Any]:
    """Make the next `count` jobs (batch: scenes) fail with `message` once they start."""
    runtime.inject_job_failures(body.count, body.message, body.key_id)
    return {"injected": body.count}


@router.delete("/jobs/fail-next", responses=answers(InjectedView, admin=True), response_model=None)
async def clear_job_failures(runtime: Runtime) -> dict[str, Any]:
    runtime.clear_injected_failures()
    return {"injected": 0}


@router.get("/jobs/{job_id}", responses=answers(JobView, 404, admin=True), response_model=None)
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
