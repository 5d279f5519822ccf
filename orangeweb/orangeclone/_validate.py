"""Checks on what we are about to send ("strict in what we send", CONTRACT rule 1).

A call the docs would not accept is refused here with `InvalidRequest(status_code=None)`, before
it spends a request from the rate budget or risks a charge. Only the documented constraints are
checked; open-ended values (avatar styles, tones) are left for the server to judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from orangeweb.orangeclone.errors import InvalidRequest


def require_text(value: object, what: str) -> str:
    """A non-blank string, sent as given."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{what} must be a non-empty string")
    return value


def require_length(value: object, what: str, *, minimum: int, maximum: int) -> str:
    text = require_text(value, what)
    if not minimum <= len(text) <= maximum:
        raise InvalidRequest(f"{what} must be {minimum} to {maximum} characters long")
    return text


def require_choice(value: object, what: str, choices: Iterable[str]) -> str:
    allowed = tuple(choices)
    if value not in allowed:
        raise InvalidRequest(f"{what} must be one of: {', '.join(allowed)}")
    return str(value)


def require_ids(values: object, what: str) -> list[str]:
    """A non-empty list of non-blank id strings (a lone string is refused, not split)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
        raise InvalidRequest(f"{what} must be a non-empty list of ids")
    return [require_text(value, f"each of {what}") for value in values]


def require_number(value: object, what: str, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(f"{what} must be a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidRequest(f"{what} must be a finite number")
    if value < 0 or (positive and value == 0):
        raise InvalidRequest(f"{what} must be {'positive' if positive else 'zero or more'}")
    return value
