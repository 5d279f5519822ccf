"""Invites (expiry, single use, roles) and member management (last owner, admin vs owner)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from orangeweb.models import ApiKey, Environment, Invite, KeyScope, Role, Tier
from orangeweb.services.accounts import auth, teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDenied,
)

from .support import PASSWORD, FakeClock, join


def test_invite_token_is_returned_once_and_only_its_hash_is_stored(
    session: Session, owner: CurrentUser
) -> None:
    raw_token, view = teams.create_invite(session, owner, Role.MEMBER)
    stored = session.exec(select(Invite)).one()
    assert stored.token_hash != raw_token and raw_token not in repr(stored)
    assert view.role is Role.MEMBER and view.created_by_name == "Olivia"
    preview = teams.preview_invite(session, raw_token)
    assert preview.team_name == "Acme Voices" and preview.role is Role.MEMBER


def test_accepting_creates_the_user_and_membership(session: Session, owner: CurrentUser) -> None:
    raw_token, _ = teams.create_invite(session, owner, Role.ADMIN)
    joined = teams.accept_invite(session, raw_token, "New@Example.com", "Nia", PASSWORD)
    assert (joined.team_id, joined.role, joined.email) == (
        owner.team_id,
        Role.ADMIN,
        "new@example.com",
    )
    _, signed_in = auth.sign_in(session, "new@example.com", PASSWORD, "10.0.0.1", "ua")
    assert signed_in == joined


def test_invites_are_single_use(session: Session, owner: CurrentUser) -> None:
    raw_token, _ = teams.create_invite(session, owner, Role.MEMBER)
    teams.accept_invite(session, raw_token, "first@example.com", "First", PASSWORD)
    with pytest.raises(AuthenticationError, match="already been used"):
        teams.accept_invite(session, raw_token, "second@example.com", "Second", PASSWORD)
    with pytest.raises(AuthenticationError):
        teams.preview_invite(session, raw_token)
    invite = session.exec(select(Invite)).one()
    assert invite.used_by_id == teams.list_members(session, owner)[-1].user_id


def test_invites_expire(session: Session, owner: CurrentUser, clock: FakeClock) -> None:
    raw_token, _ = teams.create_invite(
        session, owner, Role.MEMBER, valid_for=timedelta(days=2), clock=clock
    )
    clock.advance(days=2)
    with pytest.raises(AuthenticationError, match="expired"):
        teams.accept_invite(session, raw_token, "late@example.com", "Late", PASSWORD, clock=clock)
    assert teams.list_invites(session, owner, clock=clock) == []


def test_unknown_tokens_are_refused(session: Session, owner: CurrentUser) -> None:
    for raw_token in ("", "made-up", "x" * 5000):
        with pytest.raises(AuthenticationError, match="not valid"):
            teams.accept_invite(session, raw_token, "x@example.com", "X", PASSWORD)


def test_who_may_invite_whom(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    with pytest.raises(PermissionDenied):
        teams.create_invite(session, member, Role.MEMBER)
    with pytest.raises(PermissionDenied, match="owner"):
        teams.create_invite(session, admin, Role.OWNER)
    teams.create_invite(session, admin, Role.ADMIN)
    teams.create_invite(session, owner, Role.OWNER)


def test_a_failed_accept_leaves_the_invite_usable(session: Session, owner: CurrentUser) -> None:
    raw_token, _ = teams.create_invite(session, owner, Role.MEMBER)
    with pytest.raises(AuthenticationError, match="enter its password"):
        teams.accept_invite(session, raw_token, owner.email, "Olivia", "not her password")
    with pytest.raises(ConflictError, match="already a member"):
        teams.accept_invite(session, raw_token, owner.email, "Olivia", PASSWORD)
    teams.accept_invite(session, raw_token, "real@example.com", "Real", PASSWORD)


def test_revoked_invites_cannot_be_used(session: Session, owner: CurrentUser) -> None:
    raw_token, view = teams.create_invite(session, owner, Role.MEMBER)
    assert [invite.id for invite in teams.list_invites(session, owner)] == [view.id]
    teams.revoke_invite(session, owner, view.id)
    with pytest.raises(AuthenticationError):
        teams.accept_invite(session, raw_token, "x@example.com", "X", PASSWORD)


def test_list_members(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    listed = teams.list_members(session, member)
    assert [(m.display_name, m.role) for m in listed] == [
        ("Olivia", Role.OWNER),
        ("Adam", Role.ADMIN),
        ("Mia", Role.MEMBER),
    ]


def test_members_cannot_manage(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    with pytest.raises(PermissionDenied):
        teams.change_role(session, member, admin.user_id, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        teams.remove_member(session, member, admin.user_id)


def test_admins_cannot_touch_owners_or_make_them(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    with pytest.raises(PermissionDenied):
        teams.change_role(session, admin, owner.user_id, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        teams.remove_member(session, admin, owner.user_id)
    with pytest.raises(PermissionDenied):
        teams.change_role(session, admin, member.user_id, Role.OWNER)
    teams.change_role(session, admin, member.user_id, Role.ADMIN)
    teams.remove_member(session, admin, member.user_id)
    assert [m.display_name for m in teams.list_members(session, owner)] == ["Olivia", "Adam"]


def test_the_last_owner_can_never_be_demoted_or_removed(
    session: Session, owner: CurrentUser, admin: CurrentUser
) -> None:
    with pytest.raises(ConflictError, match="at least one owner"):
        teams.change_role(session, owner, owner.user_id, Role.ADMIN)
    with pytest.raises(ConflictError, match="last owner"):
        teams.remove_member(session, owner, owner.user_id)
    teams.change_role(session, owner, admin.user_id, Role.OWNER)
    # With a second owner, the first may step down.
    teams.change_role(session, owner, owner.user_id, Role.ADMIN)
    assert {m.role for m in teams.list_members(session, admin)} == {Role.OWNER, Role.ADMIN}


def test_removing_a_member_revokes_their_personal_keys(
    session: Session, owner: CurrentUser, member: CurrentUser
) -> None:
    session.add(
        ApiKey(
            team_id=member.team_id,
            owner_id=member.user_id,
            label="Mia's",
            environment=Environment.SANDBOX,
            tier=Tier.FREE,
            scope=KeyScope.PERSONAL,
            ciphertext="opaque",
            last4="abcd",
        )
    )
    session.commit()
    teams.remove_member(session, owner, member.user_id)
    assert session.exec(select(ApiKey)).one().revoked_at is not None
    with pytest.raises(AuthenticationError, match="no longer a member"):
        auth.sign_in(session, member.email, PASSWORD, "10.0.0.1", "ua")


def test_a_removed_member_can_rejoin_with_their_password(
    session: Session, owner: CurrentUser, member: CurrentUser
) -> None:
    teams.remove_member(session, owner, member.user_id)
    rejoined = join(session, owner, Role.MEMBER, member.email)
    assert rejoined.user_id == member.user_id


def test_other_teams_members_are_not_found(
    session: Session, owner: CurrentUser, other_team_owner: CurrentUser
) -> None:
    with pytest.raises(NotFoundError):
        teams.remove_member(session, owner, other_team_owner.user_id)
    with pytest.raises(NotFoundError):
        teams.change_role(session, owner, other_team_owner.user_id, Role.MEMBER)
    assert other_team_owner.user_id not in {m.user_id for m in teams.list_members(session, owner)}
