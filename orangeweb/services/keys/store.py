"""OrangeClone API keys: add (verified first), list, revoke, remember a choice, and use.

A key's secret exists in clear in exactly two places: the `add_api_key` call that receives it
(verified, then encrypted) and the `open_client` block that decrypts it to build an SDK client.
Nothing else ever sees it: views carry a label and the last four characters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from orangeweb.models import (
    ApiKey,
    Environment,
    KeyScope,
    Tier,
    User,
    UserPreference,
    utcnow,
)
from orangeweb.orangeclone import NotFound, OrangeClone, OrangeCloneError, RetryPolicy
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.sessions import Clock
from orangeweb.services.api_errors import as_domain_error
from orangeweb.services.errors import NotFoundError, PermissionDenied, ValidationError
from orangeweb.services.keys.secrets import SecretBox, get_secret_box
from orangeweb.settings import Settings, get_settings

LABEL_MAX_LENGTH = 60
SECRET_MAX_LENGTH = 512
# Asking for a character that cannot exist: 404 proves the key is accepted, 401 that it is not.
KEY_CHECK_CHARACTER_ID = "orangeweb-key-check"

KeyVerifier = Callable[[str, Environment, Tier], Awaitable[None]]
"""Checks a key (secret, environment, tier) against its server; raises `KeyRejectedError` (or
another `RemoteApiError`) when it cannot be used."""


@dataclass(frozen=True, slots=True)
class ApiKeyView:
    """A key as the dashboard shows it: never the secret."""

    id: int
    label: str
    last4: str
    environment: Environment
    tier: Tier
    scope: KeyScope
    owner_name: str
    is_mine: bool
    created_at: datetime


def base_url_for(environment: Environment, settings: Settings | None = None) -> str:
    """Where keys of an environment are sent."""
    settings = settings or get_settings()
    if environment is Environment.SANDBOX:
        return settings.sandbox_api_url
    return settings.orangeclone_url


async def verify_with_orangeclone(secret: str, environment: Environment, tier: Tier) -> None:
    """The default verifier: one GET of a character that does not exist.

    No retries: the person adding the key is waiting, and a clear "rate limited, try again in
    N s" beats a silent minute.
    """
    try:
        async with OrangeClone(
            api_key=secret,
            base_url=base_url_for(environment),
            tier=tier.value,
            retry=RetryPolicy(max_retries=0),
        ) as client:
            await client.characters.get(KEY_CHECK_CHARACTER_ID)
    except NotFound:
        return
    except OrangeCloneError as error:
        raise as_domain_error(error) from error


def _clean_label(label: str) -> str:
    cleaned = " ".join(label.split())
    if not cleaned:
        raise ValidationError("Give the key a label, e.g. “Alex's free key”.")
    if len(cleaned) > LABEL_MAX_LENGTH:
        raise ValidationError(f"Labels are at most {LABEL_MAX_LENGTH} characters.")
    return cleaned


def _clean_secret(secret: str) -> str:
    cleaned = secret.strip()
    if not cleaned:
        raise ValidationError("Paste the API key.")
    if len(cleaned) > SECRET_MAX_LENGTH or not cleaned.isprintable() or " " in cleaned:
        raise ValidationError("That does not look like an API key (no spaces, one line).")
    return cleaned


def _to_view(api_key: ApiKey, owner_name: str, actor: CurrentUser) -> ApiKeyView:
    assert api_key.id is not None
    return ApiKeyView(
        id=api_key.id,
        label=api_key.label,
        last4=api_key.last4,
        environment=api_key.environment,
        tier=api_key.tier,
        scope=api_key.scope,
        owner_name=owner_name,
        is_mine=api_key.owner_id == actor.user_id,
        created_at=api_key.created_at,
    )


async def add_api_key(
    session: Session,
    actor: CurrentUser,
    label: str,
    secret: str,
    environment: Environment,
    tier: Tier,
    scope: KeyScope,
    verifier: KeyVerifier = verify_with_orangeclone,
    *,
    box: SecretBox | None = None,
) -> ApiKeyView:
    """Verify a key with its server, then store it encrypted. Commits.

    Members add personal keys; team keys need an owner or admin. A rejected key stores nothing.
    """
    environment, tier, scope = Environment(environment), Tier(tier), KeyScope(scope)
    if scope is KeyScope.TEAM and not actor.is_admin:
        raise PermissionDenied("Only owners and admins can add team keys. Add it as personal.")
    label = _clean_label(label)
    secret = _clean_secret(secret)
    await verifier(secret, environment, tier)
    api_key = ApiKey(
        team_id=actor.team_id,
        owner_id=actor.user_id,
        label=label,
        environment=environment,
        tier=tier,
        scope=scope,
        ciphertext=(box or get_secret_box()).encrypt(secret),
        last4=secret[-4:],
    )
    session.add(api_key)
    session.commit()
    return _to_view(api_key, actor.display_name, actor)


def _visible_to(actor: CurrentUser) -> object:
    """Team keys for every member; personal keys for their owner only."""
    return or_(col(ApiKey.scope) == KeyScope.TEAM, col(ApiKey.owner_id) == actor.user_id)


def list_api_keys(session: Session, actor: CurrentUser) -> list[ApiKeyView]:
    """The keys the actor may use (not revoked), team keys first, then newest first."""
    rows = session.exec(
        select(ApiKey, User.display_name)
        .join(User, col(User.id) == col(ApiKey.owner_id))
        .where(
            ApiKey.team_id == actor.team_id,
            col(ApiKey.revoked_at).is_(None),
            _visible_to(actor),
        )
        .order_by(col(ApiKey.created_at).desc(), col(ApiKey.id).desc())
    ).all()
    views = [_to_view(api_key, owner_name, actor) for api_key, owner_name in rows]
    return sorted(views, key=lambda view: view.scope is not KeyScope.TEAM)


def usable_api_key(session: Session, actor: CurrentUser, api_key_id: int) -> ApiKey:
    """The key row if the actor may use it; `NotFoundError` otherwise (also for other teams)."""
    api_key = session.exec(
        select(ApiKey).where(
            ApiKey.id == api_key_id,
            ApiKey.team_id == actor.team_id,
            col(ApiKey.revoked_at).is_(None),
            _visible_to(actor),
        )
    ).first()
    if api_key is None:
        raise NotFoundError("That API key does not exist or is not yours to use.")
    return api_key


def revoke_api_key(
    session: Session, actor: CurrentUser, api_key_id: int, *, clock: Clock = utcnow
) -> None:
    """Stop using a key: its owner for a personal key, owners/admins for a team key. Commits.

    The row stays (characters made with it still point at it), but it can no longer be used.
    """
    api_key = usable_api_key(session, actor, api_key_id)
    if api_key.scope is KeyScope.TEAM and not actor.is_admin:
        raise PermissionDenied("Only owners and admins can revoke team keys.")
    api_key.revoked_at = clock()
    session.commit()


def select_api_key(session: Session, actor: CurrentUser, api_key_id: int | None) -> None:
    """Remember which key the actor works with (None forgets the choice). Commits."""
    if api_key_id is not None:
        usable_api_key(session, actor, api_key_id)
    preference = session.exec(
        select(UserPreference).where(
            UserPreference.user_id == actor.user_id, UserPreference.team_id == actor.team_id
        )
    ).first()
    if preference is None:
        preference = UserPreference(user_id=actor.user_id, team_id=actor.team_id)
        session.add(preference)
    preference.selected_api_key_id = api_key_id
    session.commit()


def selected_api_key(session: Session, actor: CurrentUser) -> ApiKeyView | None:
    """The remembered key, if the actor may still use it; otherwise their only usable key (a
    member whose one key is the team's works with it without choosing); else None."""
    preference = session.exec(
        select(UserPreference).where(
            UserPreference.user_id == actor.user_id, UserPreference.team_id == actor.team_id
        )
    ).first()
    if preference is not None and preference.selected_api_key_id is not None:
        try:
            api_key = usable_api_key(session, actor, preference.selected_api_key_id)
        except NotFoundError:
            pass
        else:
            owner = session.get(User, api_key.owner_id)
            return _to_view(api_key, owner.display_name if owner else "", actor)
    usable = list_api_keys(session, actor)
    return usable[0] if len(usable) == 1 else None


@asynccontextmanager
async def open_client(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    *,
    box: SecretBox | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[OrangeClone]:
    """The only way to use a key: an SDK client for the duration of the block.

    Checks the actor may use the key, decrypts it here and hands it straight to the client; the
    secret is not returned, logged, or kept anywhere that outlives the block. The client runs
    at the key's tier and shares that key's rate budget with every other user of the key.
    `client_options` go to `OrangeClone` (e.g. `on_wait` to show rate-limit waits, or a
    retry policy / clock / transport in tests).
    """
    api_key = usable_api_key(session, actor, api_key_id)
    client = _client_for(api_key, box, client_options)
    end_read_transaction(session)
    async with client:
        yield client


def _client_for(
    api_key: ApiKey, box: SecretBox | None, client_options: Mapping[str, Any] | None
) -> OrangeClone:
    return OrangeClone(
        api_key=(box or get_secret_box()).decrypt(api_key.ciphertext),
        base_url=base_url_for(api_key.environment),
        tier=api_key.tier.value,
        **(client_options or {}),
    )


def end_read_transaction(session: Session) -> None:
    """Before a request to the API: a transaction that only read ends here, so no connection
    (on PostgreSQL) or lock (SQLite) is held while the request waits. Pending writes stay for
    their owner to commit."""
    if not (session.new or session.dirty or session.deleted):
        session.commit()


@asynccontextmanager
async def open_client_for_team(
    session: Session,
    team_id: int,
    api_key_id: int,
    *,
    box: SecretBox | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[OrangeClone]:
    """`open_client` for background work that acts for a team, not a signed-in member (the job
    tracker following a job someone submitted, a result fetched for a teammate).

    Same rules otherwise: the key must belong to `team_id` and not be revoked (`NotFoundError`);
    it is decrypted here, only for the block, at its tier and with its shared rate budget.
    Callers must already have checked that the work they do belongs to `team_id`.
    """
    api_key = session.exec(
        select(ApiKey).where(
            ApiKey.id == api_key_id,
            ApiKey.team_id == team_id,
            col(ApiKey.revoked_at).is_(None),
        )
    ).first()
    if api_key is None:
        raise NotFoundError("That API key no longer exists or was revoked.")
    client = _client_for(api_key, box, client_options)
    end_read_transaction(session)
    async with client:
        yield client
