"""Every route that issues a session ends the one the browser carried: the old cookie stops
resolving at once, on the server, and stops serving `/media/...`."""

from __future__ import annotations

import httpx
from sqlmodel import Session

from orangeweb.models import Role
from orangeweb.services.accounts import sessions, teams
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from tests.unit.services.support import PASSWORD

from .conftest import SITE, Browser

SAME_SITE = {"Origin": SITE}


def _cookie(raw_session_id: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={raw_session_id}"}


async def _sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await client.post(
        "/auth/sign-in", data={"email": email, "password": password}, headers=SAME_SITE
    )
    assert response.status_code == 200, response.text
    return response.cookies[SESSION_COOKIE]


async def _media_status(probe: httpx.AsyncClient, raw_session_id: str) -> int:
    """401 when the cookie is no session; 404 (no such character) when it is one."""
    return (await probe.get("/media/samples/999", headers=_cookie(raw_session_id))).status_code


async def test_signing_in_again_ends_the_old_session(
    session: Session, owner: CurrentUser, browser: Browser
) -> None:
    tab, probe = browser(), browser()
    old_id = await _sign_in(tab, owner.email)
    assert await _media_status(probe, old_id) == 404
    new_id = await _sign_in(tab, owner.email)  # the browser still carries old_id
    assert new_id != old_id
    assert sessions.resolve_session(session, old_id) is None
    assert sessions.resolve_session(session, new_id) == owner
    assert await _media_status(probe, old_id) == 401
    assert await _media_status(probe, new_id) == 404


async def test_signing_in_as_someone_else_ends_the_first_users_session(
    session: Session, owner: CurrentUser, browser: Browser
) -> None:
    raw_token, _ = teams.create_invite(session, owner, Role.MEMBER)
    teams.accept_invite(session, raw_token, "mia@example.com", "Mia", PASSWORD)
    shared_machine, probe = browser(), browser()
    owners_id = await _sign_in(shared_machine, owner.email)
    await _sign_in(shared_machine, "mia@example.com")
    assert await _media_status(probe, owners_id) == 401


async def test_a_failed_sign_in_keeps_the_old_session(
    session: Session, owner: CurrentUser, browser: Browser
) -> None:
    tab = browser()
    raw_id = await _sign_in(tab, owner.email)
    response = await tab.post(
        "/auth/sign-in", data={"email": owner.email, "password": "wrong"}, headers=SAME_SITE
    )
    assert response.status_code == 401
    assert sessions.resolve_session(session, raw_id) == owner


async def test_accepting_an_invite_ends_the_session_the_browser_carried(
    session: Session, owner: CurrentUser, browser: Browser
) -> None:
    tab, probe = browser(), browser()
    owners_id = await _sign_in(tab, owner.email)
    raw_token, _ = teams.create_invite(session, owner, Role.MEMBER)
    response = await tab.post(
        "/auth/accept-invite",
        data={
            "token": raw_token,
            "email": "nina@example.com",
            "display_name": "Nina",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
        headers=SAME_SITE,
    )
    assert response.status_code == 200, response.text
    new_user = sessions.resolve_session(session, response.cookies[SESSION_COOKIE])
    assert new_user is not None and new_user.email == "nina@example.com"
    assert sessions.resolve_session(session, owners_id) is None
    assert await _media_status(probe, owners_id) == 401


async def test_signing_up_replaces_a_stale_cookie(session: Session, browser: Browser) -> None:
    # A fresh install has no account, hence no session to carry; a stale cookie from before a
    # reset is simply ignored and replaced.
    tab = browser()
    tab.cookies.set(SESSION_COOKIE, "left over from an earlier install")
    response = await tab.post(
        "/auth/sign-up",
        data={
            "team_name": "Acme Voices",
            "email": "olivia@example.com",
            "display_name": "Olivia",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
        headers=SAME_SITE,
    )
    assert response.status_code == 200, response.text
    assert sessions.resolve_session(session, response.cookies[SESSION_COOKIE]) is not None
