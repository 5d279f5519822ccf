"""The dashboard's tables, all on SQLModel's default metadata (read by alembic / Reflex)."""

from orangeweb.models.accounts import (
    AuthSession,
    FailedSignIn,
    Invite,
    KnownSignInAddress,
    Membership,
    Role,
    Team,
    User,
    UserPreference,
)
from orangeweb.models.api_keys import ApiKey, Environment, KeyScope, Tier
from orangeweb.models.base import UTCTable, as_utc, utcnow
from orangeweb.models.characters import Character, CharacterSpeechRate
from orangeweb.models.dubbing import Cast, DubbingProject, DubbingTake
from orangeweb.models.jobs import GeneratedScript, Job, JobEvent, Story, TrackerLease

__all__ = [
    "ApiKey",
    "AuthSession",
    "Cast",
    "Character",
    "CharacterSpeechRate",
    "DubbingProject",
    "DubbingTake",
    "Environment",
    "FailedSignIn",
    "GeneratedScript",
    "Invite",
    "Job",
    "JobEvent",
    "KeyScope",
    "KnownSignInAddress",
    "Membership",
    "Role",
    "Story",
    "Team",
    "Tier",
    "TrackerLease",
    "UTCTable",
    "User",
    "UserPreference",
    "as_utc",
    "utcnow",
]
