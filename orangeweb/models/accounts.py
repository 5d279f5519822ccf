"""Who may sign in, and to which team: teams, users, memberships, invites, sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from orangeweb.models.base import UTCTable, enum_column, utc_timestamp


class Role(StrEnum):
    """A member's role in a team, strongest first."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Team(UTCTable, table=True):
    __tablename__: ClassVar[str] = "teams"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    created_at: datetime = utc_timestamp()
    # Keep completed outputs in the data directory (they outlive the vendor's signed URLs).
    archive_outputs: bool = Field(
        default=True, sa_column_kwargs={"server_default": sa.text("true")}
    )


class User(UTCTable, table=True):
    __tablename__: ClassVar[str] = "users"

    id: int | None = Field(default=None, primary_key=True)
    # Stored normalised (trimmed, lower case), so the unique index is case-insensitive.
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=255, repr=False)
    created_at: datetime = utc_timestamp()


class Membership(UTCTable, table=True):
    __tablename__: ClassVar[str] = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "team_id", name="uq_membership_user_team"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE", index=True)
    role: Role = Field(sa_type=enum_column(Role))
    created_at: datetime = utc_timestamp()


class Invite(UTCTable, table=True):
    """A single-use, expiring link to join a team; only the token's SHA-256 is kept."""

    __tablename__: ClassVar[str] = "invites"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE", index=True)
    role: Role = Field(sa_type=enum_column(Role))
    token_hash: str = Field(max_length=64, unique=True, index=True, repr=False)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = utc_timestamp()
    expires_at: datetime = utc_timestamp(now_by_default=False)
    used_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    used_at: datetime | None = utc_timestamp(nullable=True)


class AuthSession(UTCTable, table=True):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored here."""

    __tablename__: ClassVar[str] = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True, repr=False)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    created_at: datetime = utc_timestamp()
    last_seen_at: datetime = utc_timestamp()
    idle_expires_at: datetime = utc_timestamp(now_by_default=False)
    absolute_expires_at: datetime = utc_timestamp(now_by_default=False)
    # Shown to the user in "where you are signed in"; never used for a decision.
    user_agent: str = Field(default="", max_length=300)
    ip_address: str = Field(default="", max_length=64)


class FailedSignIn(UTCTable, table=True):
    """The sign-in throttle's memory: one row per failed attempt, pruned as it ages out."""

    __tablename__: ClassVar[str] = "failed_sign_ins"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    ip_address: str = Field(default="", max_length=64, index=True)
    attempted_at: datetime = utc_timestamp(index=True)


class KnownSignInAddress(UTCTable, table=True):
    """An address an account signed in from lately: exempt from the account-wide slowdown.

    Keyed by the normalised email, like `FailedSignIn`, so the throttle needs no user lookup.
    """

    __tablename__: ClassVar[str] = "known_sign_in_addresses"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    ip_address: str = Field(default="", max_length=64)
    signed_in_at: datetime = utc_timestamp()


class UserPreference(UTCTable, table=True):
    """What a user chose to remember, per team (today: the API key they work with)."""

    __tablename__: ClassVar[str] = "user_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "team_id", name="uq_preference_user_team"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    selected_api_key_id: int | None = Field(
        default=None, foreign_key="api_keys.id", ondelete="SET NULL"
    )
