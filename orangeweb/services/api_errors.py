"""OrangeClone SDK errors in words a dashboard user can act on, in one place for every page."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from orangeweb.orangeclone.errors import (
    AuthError,
    Forbidden,
    InsufficientCredits,
    InvalidRequest,
    NotFound,
    OrangeCloneError,
    RateLimited,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from orangeweb.services.errors import KeyRejectedError, RemoteApiError

# The API's errors carry no code, only `{"error": "<message>"}` (CONTRACT, "Errors"), so a
# known refusal is recognised by the form field it names (the message's "field:" prefix) and
# the phrase of its reason, as the sandbox and the API word them.
NO_VOICE_HEARD = (
    "We could not hear a voice in this recording — record again closer to the microphone."
)
_KNOWN_REFUSALS: tuple[tuple[str, str, str], ...] = (
    ("voiceFile", "no voiced speech", NO_VOICE_HEARD),
)


def _known_refusal(message: str) -> str | None:
    field, separator, reason = message.partition(":")
    if not separator:
        return None
    for known_field, phrase, words in _KNOWN_REFUSALS:
        if field.strip() == known_field and phrase in reason.casefold():
            return words
    return None


def _wait_words(retry_after: float | None) -> str:
    if retry_after is None or retry_after <= 0:
        return "try again in a minute"
    return f"try again in {math.ceil(retry_after)} s"


def describe_api_error(error: BaseException) -> str:
    """One sentence saying what went wrong with an API call and, where possible, what to do.

    The SDK's messages are already cleaned and free of the key, so they may be quoted.
    """
    if isinstance(error, AuthError):
        return "This key was rejected by OrangeClone. Check it, or add a new one."
    if isinstance(error, InsufficientCredits):
        return "Not enough credits on this key's account. Top up, then try again."
    if isinstance(error, Forbidden):
        return f"This key's plan does not allow that: {error.message}"
    if isinstance(error, NotFound):
        return "OrangeClone does not know it (deleted, or it belongs to another key's account)."
    if isinstance(error, RateLimited):
        return f"Rate limited, {_wait_words(error.retry_after)}."
    if isinstance(error, InvalidRequest):
        known = _known_refusal(error.message)
        return known or f"OrangeClone did not accept this: {error.message}"
    if isinstance(error, ServerError):
        return "OrangeClone had a problem on its side. Try again in a few minutes."
    if isinstance(error, TransportError):
        return "Could not reach OrangeClone. Check the connection and try again."
    if isinstance(error, UnexpectedResponse):
        return f"OrangeClone answered in an unexpected way: {error.message}"
    if isinstance(error, OrangeCloneError):
        return f"OrangeClone call failed: {error.message}"
    return "Something went wrong talking to OrangeClone."


def as_domain_error(error: OrangeCloneError) -> RemoteApiError:
    """The SDK error as a `RemoteApiError` carrying `describe_api_error`'s words."""
    error_class = KeyRejectedError if isinstance(error, AuthError) else RemoteApiError
    return error_class(describe_api_error(error), status_code=error.status_code)


@contextmanager
def api_errors_in_words() -> Iterator[None]:
    """Re-raise SDK errors inside the block as `RemoteApiError`s (usable around awaits)."""
    try:
        yield
    except OrangeCloneError as error:
        raise as_domain_error(error) from error
