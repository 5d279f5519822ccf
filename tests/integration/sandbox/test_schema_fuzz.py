"""Schemathesis against the running sandbox: cases generated from its own OpenAPI schema, sent
with a valid enterprise key, must never get a server error, and every answer must be one the
schema documents (status code, content type, body).

Every operation of the public API gets cases that fit the schema (positive: they reach the
route's own checks, e.g. unknown ids) and cases that break it (negative: they exercise the
validation messages). Bounded and reproducible: derandomized Hypothesis with no example
database, at most MAX_EXAMPLES cases per operation and mode, a per-case deadline and a timeout
on the whole run. The admin API (`/admin/...`) is left out: it is not part of the OrangeClone
API, and fuzzing it with the admin token would inject faults into the shared server.

(Schemathesis' pytest plugin, `from_fixture(...).parametrize()`, does not run under pytest 9;
the operations are driven here through its Python API instead.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.sandbox_server import SandboxServer

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=timedelta(seconds=10),
    derandomize=True,  # the same cases on every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _public_api(sandbox: SandboxServer) -> BaseSchema:
    config = SchemathesisConfig.from_dict(
        # The key is given as a fixed header; generated credentials would only test 401s.
        {"request-timeout": 30, "generation": {"with-security-parameters": False}}
    )
    schema = schemathesis.openapi.from_url(f"{sandbox.root_url}/openapi.json", config=config)
    return schema.exclude(path_regex="^/admin/")


def _operations(schema: BaseSchema) -> list[APIOperation]:
    operations: list[APIOperation] = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # raises if the schema of an operation is invalid
    return operations


def _fuzz(
    operation: APIOperation, mode: GenerationMode, headers: dict[str, str], cases: Counter[str]
) -> str | None:
    """Run the cases of one operation in one mode; the (shrunk) failure, or None.

    A mode with no possible case (nothing to break in `GET /voices/{job_id}`: any string is a
    job id) runs no case; the caller checks that each operation got cases in some mode."""
    label = f"{operation.label} ({mode.value})"

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(mode, headers=headers))
    def run(case: Case) -> None:
        cases[label] += 1
        response = case.call(timeout=30)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        return None
    except (AssertionError, FailureGroup) as failure:  # checks failed: report with the others
        return f"{label}: {failure}"
    return None


@pytest.mark.timeout(110)
def test_the_sandbox_api_conforms_to_its_schema(sandbox: SandboxServer) -> None:
    key = sandbox.issue_key(tier="enterprise", credits=1_000_000, label="schema fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    operations = _operations(_public_api(sandbox))
    assert len(operations) >= 16, [operation.label for operation in operations]
    assert not any(operation.path.startswith("/admin/") for operation in operations)

    cases: Counter[str] = Counter()
    runs: list[Callable[[], str | None]] = [
        lambda operation=operation, mode=mode: _fuzz(operation, mode, headers, cases)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]
    failures = [failure for run in runs if (failure := run()) is not None]
    assert not failures, "\n\n".join(failures)
    # Every operation got positive cases, and every one with a body or query negative ones.
    for operation in operations:
        assert cases[f"{operation.label} (positive)"] >= 5, operation.label
        if operation.body or operation.query:
            assert cases[f"{operation.label} (negative)"] >= 5, operation.label
