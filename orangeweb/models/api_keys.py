"""OrangeClone API keys, encrypted at rest (see `orangeweb.services.keys.secrets`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sqlmodel import Field, Text

from orangeweb.models.base import UTCTable, enum_column, utc_timestamp


class Environment(StrEnum):
    """Which server a key belongs to: the real OrangeClone API or the built-in sandbox."""

    ORANGECLONE = "orangeclone"
    SANDBOX = "sandbox"


class Tier(StrEnum):
    """The key's pricing tier (decides its rate limit and duration cap)."""

    FREE = "free"
    PRO = "pro"
    ENTERPRISE = "enterprise"


class KeyScope(StrEnum):
    """Personal keys are usable by their owner only; team keys by every member."""

    PERSONAL = "personal"
    TEAM = "team"


class ApiKey(UTCTable, table=True):
    __tablename__: ClassVar[str] = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE", index=True)
    owner_id: int = Field(foreign_key="users.id", index=True)
    label: str = Field(max_length=60)
    environment: Environment = Field(sa_type=enum_column(Environment))
    tier: Tier = Field(sa_type=enum_column(Tier))
    scope: KeyScope = Field(sa_type=enum_column(KeyScope))
    # Fernet token of the key; never in a repr, never decrypted outside `open_client`.
    ciphertext: str = Field(sa_type=Text, repr=False)
    last4: str = Field(max_length=4)
    created_at: datetime = utc_timestamp()
    revoked_at: datetime | None = utc_timestamp(nullable=True)
