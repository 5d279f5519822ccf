"""Every answer the sandbox suite receives, checked against the sandbox's own OpenAPI schema.

`api_client` (helpers.py) installs `DocumentedAnswers.check` as a response hook, so each test
of the suite also proves that the answers it gets (success, rejection, fault) are the ones
`/openapi.json` documents: status code, content type and body. A request outside the schema
(an unknown path, a wrong method: the tests of framework errors) is not checked.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import httpx
import schemathesis
from schemathesis.schemas import APIOperation

_PARAMETER = re.compile(r"\{[^/]+\}")


class UndocumentedAnswer(AssertionError):
    """The sandbox answered with a status code or content type its schema does not list."""


class DocumentedAnswers:
    """The operations of one sandbox's schema, matched by method and path."""

    def __init__(self, root_url: str) -> None:
        schema = schemathesis.openapi.from_url(f"{root_url}/openapi.json")
        self._operations: list[tuple[str, re.Pattern[str], APIOperation]] = []
        for result in schema.get_all_operations():
            operation = result.ok()
            literal_parts = _PARAMETER.split(operation.path)
            pattern = re.compile("[^/]+".join(map(re.escape, literal_parts)) + "$")
            self._operations.append((operation.method.upper(), pattern, operation))
        # Literal paths first: `/characters/create` before `/characters/{character_id}`.
        self._operations.sort(key=lambda entry: entry[2].path.count("{"))
        self.checked: Counter[str] = Counter()

    def find(self, method: str, path: str) -> APIOperation | None:
        for operation_method, pattern, operation in self._operations:
            if operation_method == method and pattern.match(path):
                return operation
        return None

    def check(self, response: httpx.Response) -> None:
        """Raise when `response` is not an answer its operation documents."""
        operation = self.find(response.request.method, response.request.url.path)
        if operation is None:
            return
        response.read()
        definition = operation.responses.find_by_status_code(response.status_code)
        if definition is None:
            raise UndocumentedAnswer(f"{operation.label}: status {response.status_code}")
        documented_types = set(definition.definition.get("content", {}))
        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip()
        if documented_types and content_type not in documented_types:
            raise UndocumentedAnswer(f"{operation.label}: content type {content_type!r}")
        # The body against the documented schema. Schemathesis also reads the request, whose
        # body may have been a stream already sent: it gets a copy without one.
        sent = httpx.Request(response.request.method, response.request.url)
        answer = httpx.Response(
            response.status_code, headers=response.headers, content=response.content, request=sent
        )
        answer.elapsed = timedelta(0)  # the original is still open: no timing yet
        operation.validate_response(answer)
        self.checked[f"{operation.label} {response.status_code}"] += 1


_BY_SERVER: dict[str, DocumentedAnswers] = {}


def documented_answers(root_url: str) -> DocumentedAnswers:
    """The checker for the sandbox at `root_url` (its schema fetched once)."""
    if root_url not in _BY_SERVER:
        _BY_SERVER[root_url] = DocumentedAnswers(root_url)
    return _BY_SERVER[root_url]
