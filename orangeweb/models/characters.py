"""The dashboard's record of remote characters (the API has no list endpoint)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from orangeweb.models.base import UTCTable, utc_timestamp


class Character(UTCTable, table=True):
    __tablename__: ClassVar[str] = "characters"
    __table_args__ = (
        # A remote id is unique per account, and an account is reached through a key.
        sa.UniqueConstraint("api_key_id", "remote_id", name="uq_character_key_remote"),
        sa.Index("ix_characters_team_created", "team_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    api_key_id: int = Field(foreign_key="api_keys.id", index=True)
    remote_id: str = Field(max_length=200)
    name: str = Field(max_length=50)
    # Plain text, not an enum: an imported character may carry a style we do not offer.
    avatar_style: str = Field(max_length=40)
    # Relative to the data directory; None for a character imported by id (no local sample).
    sample_path: str | None = Field(default=None, max_length=300)
    sample_duration_s: float | None = Field(default=None)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = utc_timestamp()
    # A copy made on another key's account ("Make available on <key>") points at the family's
    # first character; None for that first one. One character in the gallery, several homes.
    origin_id: int | None = Field(
        default=None, foreign_key="characters.id", ondelete="SET NULL", index=True
    )
    # What the avatar is drawn from, kept by every copy ("" means the remote id).
    avatar_seed: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})


class CharacterSpeechRate(UTCTable, table=True):
    """How fast a character speaks, learned from its finished takes: totals, so each take adds
    to them and the rate is `seconds / text_chars` (`services.jobs.speech_rates`)."""

    __tablename__: ClassVar[str] = "character_speech_rates"
    __table_args__ = (
        sa.UniqueConstraint("character_id", "language", name="uq_speech_rate_character_language"),
    )

    id: int | None = Field(default=None, primary_key=True)
    character_id: int = Field(foreign_key="characters.id", ondelete="CASCADE", index=True)
    # "" when the text's language is not known (voice jobs and stories send none).
    language: str = Field(default="", max_length=10)
    takes: int = Field(default=0)
    text_chars: int = Field(default=0)
    seconds: float = Field(default=0.0)
    updated_at: datetime = utc_timestamp()
