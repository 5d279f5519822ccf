"""What the Team page offers is what the checks accept: `member_actions` and `change_role` /
`remove_member` read one statement of the rules, so an offered action succeeds and a withheld
one is refused."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.models import Role
from orangeweb.services.accounts import teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import DomainError


def _actions(session: Session, actor: CurrentUser) -> dict[int, teams.MemberActions]:
    return {m.user_id: m.actions for m in teams.list_members(session, actor)}


def test_an_admin_is_offered_nothing_on_the_owner_and_no_owner_role(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    actions = _actions(session, admin)
    assert actions[owner.user_id] == teams.NO_ACTIONS
    assert actions[member.user_id] == teams.MemberActions(
        can_change_role=True, can_remove=True, roles=(Role.ADMIN, Role.MEMBER)
    )


def test_a_member_is_offered_nothing(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    assert set(_actions(session, member).values()) == {teams.NO_ACTIONS}


def test_the_last_owner_is_offered_nothing_until_there_is_another(
    session: Session, owner: CurrentUser, admin: CurrentUser
) -> None:
    assert _actions(session, owner)[owner.user_id] == teams.NO_ACTIONS
    assert _actions(session, owner)[admin.user_id].roles == (Role.OWNER, Role.ADMIN, Role.MEMBER)
    teams.change_role(session, owner, admin.user_id, Role.OWNER)
    assert _actions(session, owner)[owner.user_id].can_remove is True


def test_offered_changes_are_accepted_and_withheld_ones_refused(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    offered = _actions(session, admin)[member.user_id].roles
    assert Role.OWNER not in offered
    with pytest.raises(DomainError):
        teams.change_role(session, admin, member.user_id, Role.OWNER)
    teams.change_role(session, admin, member.user_id, Role.ADMIN)
    assert Role.ADMIN in offered
    assert _actions(session, owner)[owner.user_id].roles == ()
    with pytest.raises(DomainError, match="at least one owner"):
        teams.change_role(session, owner, owner.user_id, Role.ADMIN)


@pytest.mark.parametrize("who", ["admin", "member"])
def test_withheld_removals_are_refused(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser, who: str
) -> None:
    actor = {"admin": admin, "member": member}[who]
    assert _actions(session, actor)[owner.user_id].can_remove is False
    with pytest.raises(DomainError):
        teams.remove_member(session, actor, owner.user_id)


def test_an_admin_may_invite_members_and_admins_but_not_owners(
    session: Session, owner: CurrentUser, admin: CurrentUser
) -> None:
    assert teams.grantable_roles(owner) == (Role.MEMBER, Role.ADMIN, Role.OWNER)
    assert teams.grantable_roles(admin) == (Role.MEMBER, Role.ADMIN)
    for role in teams.grantable_roles(admin):
        teams.create_invite(session, admin, role)
    with pytest.raises(DomainError, match="Only an owner can make someone an owner"):
        teams.create_invite(session, admin, Role.OWNER)
