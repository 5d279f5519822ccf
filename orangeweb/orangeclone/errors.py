"""Typed errors: one class per way an OrangeClone call can fail.

Every error carries the HTTP status (None when no response arrived or the request was refused
before sending) and a short, human-readable message taken from the server's body. Messages are
cleaned and truncated by `error_body.py`, and the API key is redacted from them before they are
raised, so an error is always safe to log or show.
"""

from __future__ import annotations


class OrangeCloneError(Exception):
    """Base class of every error the SDK raises."""

    def __init__(
        self, message: str, *, status_code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        # Seconds the server asked us to wait (Retry-After header), as sent, or None.
        self.retry_after = retry_after

    def __str__(self) -> str:
        if self.status_code is None:
            return self.message
        return f"{self.message} (HTTP {self.status_code})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r})"


class AuthError(OrangeCloneError):
    """401: the API key is missing, unknown or revoked."""


class InsufficientCredits(OrangeCloneError):
    """402: the account has not enough credits for this call."""


class Forbidden(OrangeCloneError):
    """403: the tier does not allow this (e.g. media longer than the tier's cap)."""


class NotFound(OrangeCloneError):
    """404: unknown id, or an id that belongs to another API key."""


class InvalidRequest(OrangeCloneError):
    """400/413/415/422: the server rejected the input.

    Also raised with `status_code=None` when the SDK refuses to send a request the docs would
    not accept (strict in what we send), so one `except InvalidRequest` covers both.
    """


class RateLimited(OrangeCloneError):
    """429: over the tier's requests per minute; `retry_after` says when to try again."""


class ServerError(OrangeCloneError):
    """5xx: a fault on the server's side."""


class UnexpectedResponse(OrangeCloneError):
    """A response the SDK cannot use: an unmapped status, a body that is not the documented
    shape (e.g. a job without a `jobId`), or `success: false` on a 2xx."""


class TransportError(OrangeCloneError):
    """No usable HTTP response: timeout, refused connection, broken connection."""

    def __init__(
        self, message: str, *, may_have_reached_server: bool, retryable: bool = True
    ) -> None:
        super().__init__(message)
        # False only when the request provably never left (connect failure, pool timeout):
        # then even a call that charges credits is safe to send again.
        self.may_have_reached_server = may_have_reached_server
        # False for configuration faults (bad proxy, unsupported scheme) no retry can fix.
        self.retryable = retryable


_ERROR_BY_STATUS: dict[int, type[OrangeCloneError]] = {
    400: InvalidRequest,
    401: AuthError,
    402: InsufficientCredits,
    403: Forbidden,
    404: NotFound,
    413: InvalidRequest,
    415: InvalidRequest,
    422: InvalidRequest,
    429: RateLimited,
}


def error_for_status(
    status_code: int, message: str, *, retry_after: float | None = None
) -> OrangeCloneError:
    """The typed error for an HTTP error status."""
    error_class = _ERROR_BY_STATUS.get(status_code)
    if error_class is None:
        error_class = ServerError if 500 <= status_code <= 599 else UnexpectedResponse
    return error_class(message, status_code=status_code, retry_after=retry_after)
