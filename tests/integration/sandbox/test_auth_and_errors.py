"""Auth, rate limits, injected faults and the one error shape, over real HTTP."""

from __future__ import annotations

import time

import httpx

from tests.integration.sandbox.helpers import api_client, assert_rejected
from tests.support.sandbox_server import SandboxServer, poll_until


def test_missing_and_unknown_keys_get_401(sandbox: SandboxServer) -> None:
    with api_client(sandbox, None) as anonymous:
        assert_rejected(anonymous.get("/voices/job_x"), 401, "Authorization: Bearer")
    with api_client(sandbox, "ocsb_not-a-real-key") as stranger:
        assert_rejected(stranger.get("/voices/job_x"), 401, "invalid API key")
    with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": "Basic abc"}) as basic:
        assert_rejected(basic.get("/voices/job_x"), 401)


def test_free_tier_gets_429_with_integer_retry_after(sandbox: SandboxServer) -> None:
    key = sandbox.issue_key(tier="free")
    with api_client(sandbox, key) as client:
        statuses = [client.get("/voices/job_unknown").status_code for _ in range(10)]
        assert statuses == [404] * 10
        limited = client.get("/voices/job_unknown")
    assert_rejected(limited, 429, "10 requests per minute")
    retry_after = limited.headers["Retry-After"]
    assert retry_after.isdigit()
    assert 1 <= int(retry_after) <= 60
    # Limits are per key: another free key is not affected.
    with api_client(sandbox, sandbox.issue_key(tier="free")) as other:
        assert other.get("/voices/job_unknown").status_code == 404


def test_pro_tier_allows_30_requests_per_minute(sandbox: SandboxServer) -> None:
    with api_client(sandbox, sandbox.issue_key(tier="pro")) as client:
        statuses = [client.get("/voices/job_unknown").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_enterprise_tier_is_not_rate_limited(sandbox: SandboxServer) -> None:
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as client:
        statuses = {client.get("/voices/job_unknown").status_code for _ in range(40)}
    assert statuses == {404}


def test_injected_fault_answers_the_next_requests_then_recovers(sandbox: SandboxServer) -> None:
    key = sandbox.issue_key(tier="enterprise")
    sandbox.inject_fault(503, count=2, path_prefix="/voices/")
    with api_client(sandbox, key) as client:
        assert_rejected(client.get("/voices/job_a"), 503, "unavailable")
        # Faults come before auth, as an outage would; other paths are not affected.
        with api_client(sandbox, None) as anonymous:
            assert_rejected(anonymous.get("/voices/job_a"), 503)
        assert client.get("/voices/job_a").status_code == 404


def test_injected_fault_for_a_while_then_recovers(sandbox: SandboxServer) -> None:
    key = sandbox.issue_key(tier="enterprise")
    sandbox.inject_fault(503, seconds=1.0)
    with api_client(sandbox, key) as client:
        started = time.monotonic()
        assert client.get("/characters/char_x").status_code == 503
        recovered = poll_until(
            lambda: client.get("/characters/char_x").status_code == 404, timeout=10
        )
        assert recovered
        assert time.monotonic() - started >= 0.9


def test_injected_429_carries_retry_after(sandbox: SandboxServer) -> None:
    sandbox.inject_fault(429, count=1, retry_after=7)
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as client:
        response = client.get("/voices/job_x")
    assert_rejected(response, 429)
    assert response.headers["Retry-After"] == "7"


def test_clear_faults(sandbox: SandboxServer) -> None:
    sandbox.inject_fault(500, count=100)
    sandbox.clear_faults()
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as client:
        assert client.get("/voices/job_x").status_code == 404


def test_framework_errors_use_the_error_shape(sandbox: SandboxServer) -> None:
    with api_client(sandbox, sandbox.issue_key(tier="enterprise")) as client:
        assert_rejected(client.get("/no_such_endpoint"), 404)
        assert_rejected(client.patch("/voices_clone", json={}), 405)
        assert_rejected(
            client.post(
                "/voices_clone", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            400,
            "not valid JSON",
        )
        assert_rejected(
            client.post(
                "/voices_clone", content=b"text=hi", headers={"Content-Type": "text/plain"}
            ),
            415,
            "application/json",
        )
        assert_rejected(
            client.post("/voices_clone", json={"text": "hi", "character_ids": ["c"], "x": 1}),
            400,
            "unknown field 'x'",
        )
        assert_rejected(client.post("/voices_clone", json={"text": "hi"}), 400, "character_ids")


def test_admin_api_needs_the_admin_token(sandbox: SandboxServer) -> None:
    response = httpx.post(f"{sandbox.root_url}/admin/keys", json={"tier": "free"})
    assert_rejected(response, 401, "admin token")
    key = sandbox.issue_key(tier="free")
    wrong = httpx.post(
        f"{sandbox.root_url}/admin/keys",
        json={"tier": "free"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert_rejected(wrong, 401)


def test_keys_are_prefixed_random_and_hold_their_balance(sandbox: SandboxServer) -> None:
    first = sandbox.issue_key(tier="pro", credits=123, label="ci")
    second = sandbox.issue_key(tier="pro", credits=123)
    assert first.startswith("ocsb_") and second.startswith("ocsb_")
    assert first != second and len(first) > 30
    info = sandbox.key_info(first)
    assert info["tier"] == "pro" and info["credits"] == 123 and info["label"] == "ci"
    sandbox.set_credits(first, 7)
    assert sandbox.credits(first) == 7
    # The key itself is stored only as a hash.
    stored = b"".join(path.read_bytes() for path in sandbox.data_dir.glob("sandbox.db*"))
    assert b"ocsb_" not in stored
