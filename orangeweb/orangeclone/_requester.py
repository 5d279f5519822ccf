"""The one place every HTTP call goes through: rate budget, retries, error mapping, redaction.

Resources describe a call (`Call`) and get back a successful `httpx.Response` or a typed error.
Each attempt rebuilds the request from the description, so a retried upload re-reads its file
from the start instead of sending a half-consumed stream.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import SecretStr, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from orangeweb.orangeclone._tolerant import ApiModel, lenient_bool, unwrap
from orangeweb.orangeclone.clock import Clock
from orangeweb.orangeclone.error_body import error_message, generic_message, message_from_json
from orangeweb.orangeclone.errors import (
    OrangeCloneError,
    RateLimited,
    TransportError,
    UnexpectedResponse,
    error_for_status,
)
from orangeweb.orangeclone.ratelimit import RateBudget, WaitCallback
from orangeweb.orangeclone.retry import RetryPolicy, parse_retry_after

logger = logging.getLogger("orangeweb.orangeclone")


class _HideQueryStrings(logging.Filter):
    """httpx logs every request URL at INFO; a pre-signed upload URL's query string is a
    credential, so it is cut from those records before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg.copy_with(query=None) if isinstance(arg, httpx.URL) and arg.query else arg
                for arg in record.args
            )
        return True


_HIDE_QUERY_STRINGS = _HideQueryStrings()
logging.getLogger("httpx").addFilter(_HIDE_QUERY_STRINGS)  # same instance: added once only

ModelT = TypeVar("ModelT", bound=ApiModel)
_REDACTED = "[redacted]"

# The request never left the machine: safe to resend even a call that charges credits.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Faults of configuration, not of the network: retrying cannot help.
_NOT_RETRYABLE = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)


@dataclass(frozen=True, slots=True)
class Call:
    """One logical API call, rebuilt into a fresh `httpx.Request` for every attempt.

    `label` names the call in logs and errors ("POST /voices_clone"); for the upload it names
    only the host, so a signed URL is never logged.
    """

    method: str
    url: str
    label: str
    idempotent: bool
    authenticated: bool = True  # False for the pre-signed upload URL: no API key off-site
    rate_limited: bool = True  # the pre-signed upload is not an API request
    params: Mapping[str, str] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None
    files: Callable[[], dict[str, Any]] | None = None
    content: Callable[[], AsyncIterator[bytes]] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: httpx.Timeout | None = None
    secrets: tuple[str, ...] = ()  # extra strings to redact from messages (e.g. a signed URL)

    def __repr__(self) -> str:
        # The URL may be signed and the body may hold user text: show only the label.
        return f"Call({self.label!r})"


class Requester:
    """Sends `Call`s with the key, the shared budget and the retry policy."""

    def __init__(
        self,
        *,
        api_key: SecretStr,
        base_url: str,
        http: httpx.AsyncClient,
        budget: RateBudget,
        retry: RetryPolicy,
        default_timeout: httpx.Timeout,
        clock: Clock,
        on_wait: WaitCallback | None,
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._http = http
        self._budget = budget
        self._retry = retry
        self._default_timeout = default_timeout
        self._clock = clock
        self._on_wait = on_wait

    def __repr__(self) -> str:
        return f"Requester(base_url={self._base_url!r})"

    def url(self, *segments: str) -> str:
        """An API URL; each segment is percent-encoded, so an id can never change the path."""
        return "/".join([self._base_url, *(quote(segment, safe="") for segment in segments)])

    async def send(self, call: Call) -> httpx.Response:
        """Send `call`, retrying per the policy; a 2xx response or a typed error."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._retry.max_retries + 1),
            retry=retry_if_exception(
                lambda error: self._retry.should_retry(error, idempotent=call.idempotent)
            ),
            wait=self._wait_before_retry,
            sleep=self._sleep,
            before_sleep=lambda state: _log_retry(call, state),
            reraise=True,
        )
        return await retrying(self._attempt, call)

    async def send_json(self, call: Call) -> dict[str, Any]:
        """Send `call` and return its JSON object body (checked for `success: false`)."""
        response = await self.send(call)
        return self.read_json(response, call)

    async def send_ack(self, call: Call) -> None:
        """Send a call whose answer carries no data (`{"success": true}`, or an empty body)."""
        response = await self.send(call)
        if response.content.strip():
            self.read_json(response, call)

    async def send_for_model(self, call: Call, model: type[ModelT], *wrappers: str) -> ModelT:
        """Send `call` and read its body as `model`, looking inside the first of `wrappers`
        present (e.g. "data"), or at the top level if none is."""
        response = await self.send(call)
        # An empty 2xx body satisfies a model whose fields are all optional (an undocumented
        # step answer); for any other model it fails validation as a missing field.
        payload = self.read_json(response, call) if response.content.strip() else {}
        return parse_model(model, unwrap(payload, *wrappers), call.label, response.status_code)

    async def _attempt(self, call: Call) -> httpx.Response:
        if call.rate_limited:
            await self._budget.acquire(self._on_wait)
        request = self._build(call)
        try:
            response = await self._http.send(request)
        except httpx.TransportError as error:
            # Not chained: our message already names the failure, redacted; the original's
            # text is not, and a traceback would print it.
            raise self._transport_error(error, call) from None
        if response.is_success:
            return response
        raise self._status_error(response, call)

    def _build(self, call: Call) -> httpx.Request:
        request = self._http.build_request(
            call.method,
            call.url,
            params=call.params,
            json=call.json,
            data=call.data,
            files=call.files() if call.files else None,
            content=call.content() if call.content else None,
            headers={"Accept": "application/json", **call.headers},
            timeout=call.timeout or self._default_timeout,
        )
        if call.authenticated:
            request.headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        else:
            # Even an injected client with default auth headers must not leak the key off-site.
            request.headers.pop("Authorization", None)
        return request

    def _status_error(self, response: httpx.Response, call: Call) -> OrangeCloneError:
        message = error_message(
            response.content, response.headers.get("Content-Type"), response.status_code
        )
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self._clock.wall())
        error = error_for_status(
            response.status_code, self._redact(message, call), retry_after=retry_after
        )
        if isinstance(error, RateLimited) and call.rate_limited:
            # The whole key is over its limit, not just this call: hold every caller back.
            if retry_after is None:
                self._budget.drain()
            else:
                self._budget.pause_for(self._retry.cap_retry_after(retry_after))
        return error

    def _transport_error(self, error: httpx.TransportError, call: Call) -> TransportError:
        detail = str(error) or type(error).__name__
        message = self._redact(f"{call.label} failed: {type(error).__name__}: {detail}", call)
        return TransportError(
            message,
            may_have_reached_server=not isinstance(error, _NOT_SENT),
            retryable=not isinstance(error, _NOT_RETRYABLE),
        )

    def read_json(self, response: httpx.Response, call: Call) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError:
            raise UnexpectedResponse(
                f"{call.label}: expected a JSON body", status_code=response.status_code
            ) from None
        if not isinstance(payload, dict):
            raise UnexpectedResponse(
                f"{call.label}: expected a JSON object", status_code=response.status_code
            )
        if lenient_bool(payload.get("success")) is False:
            # A 2xx that says it failed is a failure; never read it as a result.
            reason = message_from_json(payload) or generic_message(response.status_code)
            raise UnexpectedResponse(
                self._redact(f"{call.label}: {reason}", call), status_code=response.status_code
            )
        return payload

    def _redact(self, text: str, call: Call) -> str:
        for secret in (self._api_key.get_secret_value(), *call.secrets):
            if secret:
                text = text.replace(secret, _REDACTED)
        return text

    def _wait_before_retry(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        return self._retry.delay_before_retry(error, state.attempt_number)

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            if self._on_wait is not None:
                self._on_wait(seconds)
            await self._clock.sleep(seconds)


def parse_model(
    model: type[ModelT], payload: dict[str, Any], label: str, status_code: int
) -> ModelT:
    """`payload` as `model`, or UnexpectedResponse naming the fields that were wrong."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        fields = sorted(
            {
                ".".join(str(part) for part in issue["loc"]) or "body"
                for issue in error.errors(include_url=False, include_input=False)
            }
        )
        raise UnexpectedResponse(
            f"{label}: the response lacks a valid {', '.join(fields)}", status_code=status_code
        ) from None


def _log_retry(call: Call, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    # Transport errors already name the call; HTTP errors carry only the server's message.
    described = str(error) if isinstance(error, TransportError) else f"{call.label}: {error}"
    logger.warning("%s; retry %d in %.1fs", described, state.attempt_number, wait)


def host_of(url: str) -> str:
    """The host of a URL, for labels that must not carry a signed query string."""
    return urlsplit(url).netloc or "upload host"
