"""Typed domain errors. Each message is written for the person using the dashboard."""

from __future__ import annotations


class DomainError(Exception):
    """A failure whose message can be shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """The input is not acceptable (too short, wrong type of file, ...)."""


class PermissionDenied(DomainError):
    """The actor's role or ownership does not allow this."""


class NotFoundError(DomainError):
    """No such thing in the actor's team (also what another team's ids look like)."""


class ConflictError(DomainError):
    """It already exists, or the current state does not allow the change."""


class AuthenticationError(DomainError):
    """Wrong email or password, or an unusable invite."""


class ThrottledError(DomainError):
    """Too many attempts; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RemoteApiError(DomainError):
    """The OrangeClone API (or the sandbox) refused or failed; the message says why, in words."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SandboxUnavailable(RemoteApiError):
    """The built-in sandbox's admin API could not be reached, or refused the dashboard."""


class KeyRejectedError(RemoteApiError):
    """The API does not accept this key (HTTP 401)."""
