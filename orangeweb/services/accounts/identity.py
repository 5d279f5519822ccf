"""Who is acting (`CurrentUser`) and the small rules about names, emails and roles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from orangeweb.models import Role
from orangeweb.services.errors import PermissionDenied, ValidationError

EMAIL_MAX_LENGTH = 254
DISPLAY_NAME_MAX_LENGTH = 80
TEAM_NAME_MAX_LENGTH = 80
# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces.
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The signed-in user as every handler sees and checks it (no secrets in here)."""

    user_id: int
    team_id: int
    role: Role
    email: str
    display_name: str

    @property
    def is_admin(self) -> bool:
        """Owners and admins manage members, invites and team keys."""
        return self.role in (Role.OWNER, Role.ADMIN)


def parse_role(value: str) -> Role:
    """A role named in a request (owner, admin or member)."""
    try:
        return Role(value)
    except ValueError:
        raise ValidationError("Choose a role: owner, admin or member.") from None


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: trimmed, NFKC, lower case."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def validate_email(email: str) -> str:
    """The normalised email, or a `ValidationError` saying what is wrong with it."""
    normalized = normalize_email(email)
    if len(normalized) > EMAIL_MAX_LENGTH or not _EMAIL_SHAPE.match(normalized):
        raise ValidationError("Enter a valid email address, like name@example.com.")
    return normalized


def validate_display_name(display_name: str) -> str:
    """A trimmed display name of 1 to 80 characters."""
    cleaned = " ".join(unicodedata.normalize("NFKC", display_name).split())
    if not cleaned:
        raise ValidationError("Enter your name.")
    if len(cleaned) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(f"Names are at most {DISPLAY_NAME_MAX_LENGTH} characters.")
    return cleaned


def validate_team_name(team_name: str) -> str:
    """A trimmed team name of 1 to 80 characters."""
    cleaned = " ".join(unicodedata.normalize("NFKC", team_name).split())
    if not cleaned:
        raise ValidationError("Enter a team name.")
    if len(cleaned) > TEAM_NAME_MAX_LENGTH:
        raise ValidationError(f"Team names are at most {TEAM_NAME_MAX_LENGTH} characters.")
    return cleaned


def require_admin(actor: CurrentUser, doing: str) -> None:
    """Raise `PermissionDenied` unless the actor is an owner or admin."""
    if not actor.is_admin:
        raise PermissionDenied(f"Only owners and admins can {doing}.")
