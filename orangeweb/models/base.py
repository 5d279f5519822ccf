"""Shared pieces of the dashboard's tables: UTC timestamps and enum columns.

Every timestamp is stored as `DateTime(timezone=True)`. PostgreSQL gives those back aware; SQLite
drops the offset and gives them back naive. `UTCTable` re-attaches UTC whenever a row is loaded or
refreshed, so Python code only ever sees aware UTC datetimes, whatever the database. (A custom
`TypeDecorator` would do the same, but alembic would render it into migrations as an unimported
module path.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_timestamp(
    *, nullable: bool = False, index: bool = False, now_by_default: bool = True
) -> Any:
    """A timestamp column; defaults to "now" unless it is nullable or told otherwise."""
    if nullable or not now_by_default:
        return Field(
            default=None,
            sa_type=sa.DateTime(timezone=True),
            nullable=nullable,
            index=index,
        )
    return Field(
        default_factory=utcnow,
        sa_type=sa.DateTime(timezone=True),
        nullable=False,
        index=index,
    )


def enum_column(enum_type: type[StrEnum]) -> sa.Enum:
    """Store a `StrEnum` by value in a VARCHAR (no native PostgreSQL enum to migrate later)."""
    return sa.Enum(
        enum_type,
        native_enum=False,
        length=max(len(member.value) for member in enum_type) + 8,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UTCTable(SQLModel):
    """Base of every dashboard table: timestamps always come back aware, in UTC."""


def _restore_utc(target: SQLModel, attribute_names: Any = None) -> None:
    mapper = sa.inspect(type(target))
    for column_attribute in mapper.column_attrs:
        key = column_attribute.key
        if attribute_names is not None and key not in attribute_names:
            continue
        column_type = column_attribute.columns[0].type
        if not (isinstance(column_type, sa.DateTime) and column_type.timezone):
            continue
        value = target.__dict__.get(key)
        if isinstance(value, datetime) and value.tzinfo is None:
            # set_committed_value: not a change the session should write back.
            set_committed_value(target, key, value.replace(tzinfo=UTC))


@event.listens_for(UTCTable, "load", propagate=True)
def _on_load(target: SQLModel, _context: Any) -> None:
    _restore_utc(target)


@event.listens_for(UTCTable, "refresh", propagate=True)
def _on_refresh(target: SQLModel, _context: Any, attribute_names: Any) -> None:
    _restore_utc(target, attribute_names)
