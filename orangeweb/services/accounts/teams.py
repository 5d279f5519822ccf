"""Team membership: invites (single use, expiring, hashed) and member management.

Rules: owners and admins invite and manage; only an owner can make or touch an owner; a team
always keeps at least one owner. Managing members states them once (`_refusal`): the checks
and the Team page's offered actions (`member_actions`) both read it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from orangeweb.models import (
    ApiKey,
    Invite,
    KeyScope,
    Membership,
    Role,
    Team,
    User,
    as_utc,
    utcnow,
)
from orangeweb.services.accounts import passwords
from orangeweb.services.accounts.identity import (
    CurrentUser,
    require_admin,
    validate_display_name,
    validate_email,
)
from orangeweb.services.accounts.sessions import Clock, end_all_sessions
from orangeweb.services.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)

DEFAULT_INVITE_LIFETIME = timedelta(days=7)
MAX_INVITE_LIFETIME = timedelta(days=30)
_UNUSABLE_INVITE = "This invite link is not valid. Ask for a new one."


@dataclass(frozen=True, slots=True)
class InviteView:
    id: int
    role: Role
    created_at: datetime
    expires_at: datetime
    created_by_name: str | None


@dataclass(frozen=True, slots=True)
class InvitePreview:
    """What the accept page shows before someone signs up."""

    team_name: str
    role: Role
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class MemberActions:
    """What the actor may do to one member, by the same rules `change_role` and
    `remove_member` enforce (`_refusal`), so the Team page offers only what will be accepted."""

    can_change_role: bool
    can_remove: bool
    # The roles the actor may choose for this member (their current one included); empty when
    # the role cannot be changed.
    roles: tuple[Role, ...]


NO_ACTIONS = MemberActions(can_change_role=False, can_remove=False, roles=())


@dataclass(frozen=True, slots=True)
class MemberView:
    user_id: int
    email: str
    display_name: str
    role: Role
    joined_at: datetime
    actions: MemberActions = NO_ACTIONS


def _hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def grantable_roles(actor: CurrentUser) -> tuple[Role, ...]:
    """The roles the actor may give in an invite: an admin may not make an owner."""
    return tuple(
        role
        for role in (Role.MEMBER, Role.ADMIN, Role.OWNER)
        if role is not Role.OWNER or actor.role is Role.OWNER
    )


def _check_may_grant(actor: CurrentUser, role: Role) -> None:
    if role not in grantable_roles(actor):
        raise PermissionDenied("Only an owner can make someone an owner.")


def create_invite(
    session: Session,
    actor: CurrentUser,
    role: Role,
    *,
    valid_for: timedelta = DEFAULT_INVITE_LIFETIME,
    clock: Clock = utcnow,
) -> tuple[str, InviteView]:
    """A new invite to the actor's team. Returns the raw token, shown once and never stored."""
    require_admin(actor, "invite people")
    role = Role(role)
    _check_may_grant(actor, role)
    if not timedelta(minutes=5) <= valid_for <= MAX_INVITE_LIFETIME:
        raise ValidationError("Invites last between 5 minutes and 30 days.")
    raw_token = secrets.token_urlsafe(32)
    now = clock()
    invite = Invite(
        team_id=actor.team_id,
        role=role,
        token_hash=_hash_token(raw_token),
        created_by_id=actor.user_id,
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(invite)
    session.commit()
    assert invite.id is not None
    return raw_token, InviteView(
        id=invite.id,
        role=role,
        created_at=now,
        expires_at=now + valid_for,
        created_by_name=actor.display_name,
    )


def _usable_invite(session: Session, raw_token: str, now: datetime) -> Invite:
    """The invite behind a token, if it is known, unused and unexpired (one message for all)."""
    if not raw_token or len(raw_token) > 128:
        raise AuthenticationError(_UNUSABLE_INVITE)
    invite = session.exec(select(Invite).where(Invite.token_hash == _hash_token(raw_token))).first()
    if invite is None:
        raise AuthenticationError(_UNUSABLE_INVITE)
    if invite.used_at is not None:
        raise AuthenticationError("This invite has already been used. Ask for a new one.")
    if now >= as_utc(invite.expires_at):
        raise AuthenticationError("This invite has expired. Ask for a new one.")
    return invite


def preview_invite(session: Session, raw_token: str, *, clock: Clock = utcnow) -> InvitePreview:
    """Which team and role an invite leads to (raises if it cannot be used)."""
    invite = _usable_invite(session, raw_token, clock())
    team = session.get(Team, invite.team_id)
    assert team is not None
    return InvitePreview(team_name=team.name, role=invite.role, expires_at=invite.expires_at)


def accept_invite(
    session: Session,
    raw_token: str,
    email: str,
    display_name: str,
    password: str,
    *,
    clock: Clock = utcnow,
) -> CurrentUser:
    """Join a team through an invite: a new account, or an existing one proven by its password.

    The invite is used up atomically (a conditional UPDATE), so two people racing for one link
    cannot both get in. Commits. The caller then starts a session (`sessions.start_session`).
    """
    now = clock()
    invite = _usable_invite(session, raw_token, now)
    email = validate_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email,
            display_name=validate_display_name(display_name),
            password_hash=passwords.hash_password(password),
        )
        session.add(user)
        session.flush()
    elif not passwords.verify_password(user.password_hash, password):
        raise AuthenticationError(
            "An account with this email exists; enter its password to join this team."
        )
    assert user.id is not None and invite.id is not None
    already_member = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.team_id == invite.team_id
        )
    ).first()
    if already_member is not None:
        session.rollback()
        raise ConflictError("You are already a member of this team. Sign in instead.")
    claimed = session.exec(
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
        .values(used_at=now, used_by_id=user.id)
    )
    if claimed.rowcount != 1:
        session.rollback()
        raise AuthenticationError("This invite has already been used. Ask for a new one.")
    session.add(Membership(user_id=user.id, team_id=invite.team_id, role=invite.role))
    session.commit()
    return CurrentUser(
        user_id=user.id,
        team_id=invite.team_id,
        role=invite.role,
        email=user.email,
        display_name=user.display_name,
    )


def list_invites(
    session: Session, actor: CurrentUser, *, clock: Clock = utcnow
) -> list[InviteView]:
    """The team's pending invites (unused, unexpired), newest first. Owners and admins only."""
    require_admin(actor, "see invites")
    rows = session.exec(
        select(Invite, User.display_name)
        .join(User, col(User.id) == col(Invite.created_by_id), isouter=True)
        .where(
            Invite.team_id == actor.team_id,
            col(Invite.used_at).is_(None),
            Invite.expires_at > clock(),
        )
        .order_by(col(Invite.created_at).desc())
    ).all()
    return [
        InviteView(
            id=invite.id or 0,
            role=invite.role,
            created_at=invite.created_at,
            expires_at=invite.expires_at,
            created_by_name=creator_name,
        )
        for invite, creator_name in rows
    ]


def revoke_invite(session: Session, actor: CurrentUser, invite_id: int) -> None:
    """Delete a pending invite of the actor's team. Commits."""
    require_admin(actor, "revoke invites")
    invite = session.exec(
        select(Invite).where(Invite.id == invite_id, Invite.team_id == actor.team_id)
    ).first()
    if invite is None:
        raise NotFoundError("That invite does not exist.")
    if invite.role is Role.OWNER:
        _check_may_grant(actor, invite.role)
    session.delete(invite)
    session.commit()


def list_members(session: Session, actor: CurrentUser) -> list[MemberView]:
    """Everyone in the actor's team, owners first, then by name."""
    rows = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.team_id == actor.team_id)
    ).all()
    role_rank = {Role.OWNER: 0, Role.ADMIN: 1, Role.MEMBER: 2}
    owners = sum(1 for _user, membership in rows if membership.role is Role.OWNER)
    members = [
        MemberView(
            user_id=user.id or 0,
            email=user.email,
            display_name=user.display_name,
            role=membership.role,
            joined_at=membership.created_at,
            actions=member_actions(actor, membership.role, owners),
        )
        for user, membership in rows
    ]
    return sorted(members, key=lambda m: (role_rank[m.role], m.display_name.casefold()))


def _refusal(
    actor: CurrentUser, target_role: Role, owners: int, new_role: Role | None
) -> DomainError | None:
    """Why the actor may not give a member of `target_role` the role `new_role` (None: remove
    them), in a team with `owners` owners; None when allowed. The one statement of the rules."""
    if not actor.is_admin:
        return PermissionDenied("Only owners and admins can manage members.")
    if target_role is Role.OWNER and actor.role is not Role.OWNER:
        return PermissionDenied("Only an owner can change or remove an owner.")
    if new_role is Role.OWNER and actor.role is not Role.OWNER:
        return PermissionDenied("Only an owner can make someone an owner.")
    if target_role is Role.OWNER and new_role is not Role.OWNER and owners <= 1:
        if new_role is None:
            return ConflictError("The last owner cannot be removed.")
        return ConflictError("A team needs at least one owner. Make someone else owner first.")
    return None


def member_actions(actor: CurrentUser, target_role: Role, owners: int) -> MemberActions:
    """What the actor may do to a member of `target_role`, in a team with `owners` owners."""
    roles = tuple(
        role
        for role in (Role.OWNER, Role.ADMIN, Role.MEMBER)
        if role is target_role or _refusal(actor, target_role, owners, role) is None
    )
    return MemberActions(
        can_change_role=len(roles) > 1,
        can_remove=_refusal(actor, target_role, owners, None) is None,
        roles=roles if len(roles) > 1 else (),
    )


def _target_membership(session: Session, actor: CurrentUser, user_id: int) -> Membership:
    require_admin(actor, "manage members")
    membership = session.exec(
        select(Membership).where(Membership.user_id == user_id, Membership.team_id == actor.team_id)
    ).first()
    if membership is None:
        raise NotFoundError("That person is not a member of your team.")
    return membership


def _owner_count(session: Session, team_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .where(Membership.team_id == team_id, Membership.role == Role.OWNER)
    ).one()


def _check_allowed(
    session: Session, actor: CurrentUser, membership: Membership, new_role: Role | None
) -> None:
    refusal = _refusal(actor, membership.role, _owner_count(session, actor.team_id), new_role)
    if refusal is not None:
        raise refusal


def change_role(session: Session, actor: CurrentUser, user_id: int, new_role: Role) -> None:
    """Give a member another role. Commits."""
    new_role = Role(new_role)
    membership = _target_membership(session, actor, user_id)
    _check_allowed(session, actor, membership, new_role)
    membership.role = new_role
    session.commit()


def remove_member(session: Session, actor: CurrentUser, user_id: int) -> None:
    """Remove someone from the team: ends their sessions and revokes their personal keys here.

    Characters they created stay with the team. Commits.
    """
    membership = _target_membership(session, actor, user_id)
    _check_allowed(session, actor, membership, None)
    session.delete(membership)
    # Their personal keys were theirs alone; nobody in this team may use them any more.
    session.exec(
        update(ApiKey)
        .where(
            col(ApiKey.team_id) == actor.team_id,
            col(ApiKey.owner_id) == user_id,
            col(ApiKey.scope) == KeyScope.PERSONAL,
            col(ApiKey.revoked_at).is_(None),
        )
        .values(revoked_at=utcnow())
    )
    end_all_sessions(session, user_id, team_id=actor.team_id)
    session.commit()
