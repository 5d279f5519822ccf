"""Sandbox API keys: issued with a tier and a credit balance, stored only as a SHA-256 hash.

The functions taking a `SandboxConfig` are the admin interface (CLI, tests, the dashboard's
setup); they open the data dir's store themselves and work while a server runs on it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import select

from orangeweb.sandbox.config import SandboxConfig, Tier
from orangeweb.sandbox.models import ApiKey, new_id
from orangeweb.sandbox.store import Store

KEY_PREFIX = "ocsb_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    store: Store, tier: Tier, credits: int, label: str | None = None
) -> tuple[str, ApiKey]:
    """A new random key and its stored row; the key itself is returned once and never stored."""
    if credits < 0:
        raise ValueError("credits must not be negative")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=new_id("key"),
        key_hash=hash_key(key),
        tier=Tier(tier).value,
        credits=credits,
        label=label,
    )
    with store.session() as session:
        session.add(row)
        session.commit()
    return key, row


def find_key(store: Store, key: str) -> ApiKey | None:
    with store.session() as session:
        return session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()


def update_key(
    store: Store, key_id: str, *, credits: int | None = None, tier: Tier | None = None
) -> ApiKey | None:
    """Set a key's balance and/or tier; None when there is no such key."""
    if credits is not None and credits < 0:
        raise ValueError("credits must not be negative")
    with store.session() as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            return None
        if credits is not None:
            row.credits = credits
        if tier is not None:
            row.tier = Tier(tier).value
        session.add(row)
        session.commit()
        return row


@contextmanager
def _open_store(config: SandboxConfig) -> Iterator[Store]:
    store = Store(config)
    try:
        yield store
    finally:
        store.close()


def issue_key(
    config: SandboxConfig, tier: Tier | str, credits: int, label: str | None = None
) -> str:
    """Issue a sandbox API key (`ocsb_...`) with a tier and a credit balance; returns the key."""
    with _open_store(config) as store:
        key, _row = create_key(store, Tier(tier), credits, label)
        return key


def get_credits(config: SandboxConfig, key: str) -> int:
    """The key's credit balance; KeyError for an unknown key."""
    with _open_store(config) as store:
        row = find_key(store, key)
        if row is None:
            raise KeyError("unknown sandbox API key")
        return row.credits


def set_credits(config: SandboxConfig, key: str, credits: int) -> None:
    """Set the key's credit balance; KeyError for an unknown key."""
    with _open_store(config) as store:
        row = find_key(store, key)
        if row is None or update_key(store, row.id, credits=credits) is None:
            raise KeyError("unknown sandbox API key")
