"""Every form POST refuses another site: a foreign `Origin` (or, without one, a foreign `Referer`)
and `Origin: null` get 403 before anything happens; this site's own origin (as the browser saw
it: X-Forwarded-Proto honoured, or the configured public URL) goes through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.routing import Route

from orangeweb.models import AuthSession, Role, User
from orangeweb.services.accounts import auth, sessions, teams
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.settings import get_settings
from tests.unit.services.support import PASSWORD

from .conftest import ROUTE_MODULES, SITE, Browser

# Each checked route with a request that would do its work if the origin were allowed.
FormBuilder = Callable[[Session, CurrentUser], dict[str, Any]]


def _sign_in_form(session: Session, owner: CurrentUser) -> dict[str, Any]:
    return {"data": {"email": owner.email, "password": PASSWORD}}


def _invite_form(session: Session, owner: CurrentUser) -> dict[str, Any]:
    raw_token, _ = teams.create_invite(session, owner, Role.MEMBER)
    fields = {"token": raw_token, "email": "eve@example.com", "display_name": "Eve"}
    return {"data": {**fields, "password": PASSWORD, "password_confirm": PASSWORD}}


def _api_key_form(session: Session, owner: CurrentUser) -> dict[str, Any]:
    # An environment that does not exist: past the origin check this is a 400, never a call out.
    fields = {"label": "Mine", "secret": "oc_live_0000000000001234", "environment": "nope"}
    return {"data": {**fields, "tier": "free", "scope": "personal"}}


def _recording_body(session: Session, owner: CurrentUser) -> dict[str, Any]:
    return {"content": b"not audio at all"}


def _no_form(session: Session, owner: CurrentUser) -> dict[str, Any]:
    return {}


# route -> (request builder, status once past the origin check)
CHECKED_ROUTES: dict[str, tuple[FormBuilder, int]] = {
    "/auth/sign-in": (_sign_in_form, 200),
    "/auth/accept-invite": (_invite_form, 200),
    "/auth/sign-out": (_no_form, 303),  # the plain HTML form: a redirect to /sign-in
    "/auth/api-keys": (_api_key_form, 400),
    "/media/recordings": (_recording_body, 400),
}
# Sign-up is checked on a fresh install below. The batch hook is the vendor's server calling
# back: no cookie rides on it (the random token in its path is its only credential), so there is
# no forged-request risk to check for, and servers send no Origin anyway.
SIGN_UP = "/auth/sign-up"
EXEMPT_ROUTES = {"/hooks/batch/{token}"}

FOREIGN = {
    "foreign origin": {"Origin": "https://evil.example"},
    "foreign referer": {"Referer": "https://evil.example/phish?next=/auth/sign-out"},
    "null origin": {"Origin": "null"},
}
ALSO_FOREIGN = {
    "other port": {"Origin": "http://orangeweb.test:3001"},
    "default port is another port": {"Origin": "http://orangeweb.test"},
    "other scheme": {"Origin": "https://orangeweb.test:3000"},
    "lookalike host": {"Origin": "http://orangeweb.test.evil.example:3000"},
    "origin with a path": {"Origin": f"{SITE}/sign-in"},
    "origin decides over referer": {"Origin": "https://evil.example", "Referer": f"{SITE}/"},
    "referer that is no url": {"Referer": "not a url"},
    "referer of another scheme": {"Referer": "ftp://orangeweb.test:3000/"},
}


def _cookie(raw_session_id: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={raw_session_id}"}


def _counts(session: Session) -> tuple[int, int]:
    session.expire_all()
    users = session.exec(select(func.count()).select_from(User)).one()
    signed_in = session.exec(select(func.count()).select_from(AuthSession)).one()
    return users, signed_in


def test_every_post_route_is_covered() -> None:
    posts = {
        route.path
        for module in ROUTE_MODULES
        for route in module.routes
        if isinstance(route, Route) and "POST" in (route.methods or ())
    }
    assert posts == set(CHECKED_ROUTES) | {SIGN_UP} | EXEMPT_ROUTES


@pytest.mark.parametrize("headers", FOREIGN.values(), ids=FOREIGN.keys())
@pytest.mark.parametrize("path", CHECKED_ROUTES)
async def test_foreign_posts_are_refused_before_anything_happens(
    session: Session,
    owner: CurrentUser,
    browser: Browser,
    data_dir: Path,
    path: str,
    headers: dict[str, str],
) -> None:
    raw_id, _ = auth.sign_in(session, owner.email, PASSWORD, "127.0.0.1", "pytest")
    build, _ = CHECKED_ROUTES[path]
    request = build(session, owner)
    before = _counts(session)
    response = await browser().post(path, headers={**headers, **_cookie(raw_id)}, **request)
    assert response.status_code == 403
    assert "refused" in response.json()["error"]
    assert "set-cookie" not in response.headers
    assert _counts(session) == before  # nobody joined, no session started or ended
    assert sessions.resolve_session(session, raw_id) == owner
    assert not list((data_dir / "recordings").rglob("*.*"))


@pytest.mark.parametrize("path", CHECKED_ROUTES)
async def test_posts_from_this_site_go_through(
    session: Session, owner: CurrentUser, browser: Browser, path: str
) -> None:
    raw_id, _ = auth.sign_in(session, owner.email, PASSWORD, "127.0.0.1", "pytest")
    build, expected_status = CHECKED_ROUTES[path]
    response = await browser().post(
        path, headers={"Origin": SITE, **_cookie(raw_id)}, **build(session, owner)
    )
    assert response.status_code == expected_status, response.text


@pytest.mark.parametrize("headers", FOREIGN.values(), ids=FOREIGN.keys())
async def test_sign_up_refuses_foreign_posts(
    session: Session, browser: Browser, headers: dict[str, str]
) -> None:
    response = await browser().post(SIGN_UP, headers=headers, data=_sign_up_form())
    assert response.status_code == 403
    assert auth.needs_first_account(session)


async def test_sign_up_from_this_site_goes_through(session: Session, browser: Browser) -> None:
    response = await browser().post(SIGN_UP, headers={"Origin": SITE}, data=_sign_up_form())
    assert response.status_code == 200, response.text
    assert not auth.needs_first_account(session)


def _sign_up_form() -> dict[str, str]:
    fields = {"team_name": "Acme", "email": "olivia@example.com", "display_name": "Olivia"}
    return {**fields, "password": PASSWORD, "password_confirm": PASSWORD}


async def _sign_out_status(
    session: Session, owner: CurrentUser, browser: Browser, headers: dict[str, str]
) -> int:
    """Sign out with `headers`; checks the session ended exactly when the route said so."""
    raw_id, _ = auth.sign_in(session, owner.email, PASSWORD, "127.0.0.1", "pytest")
    response = await browser().post(
        "/auth/sign-out", headers={"Accept": "application/json", **headers, **_cookie(raw_id)}
    )
    still_signed_in = sessions.resolve_session(session, raw_id) is not None
    assert still_signed_in == (response.status_code == 403)
    return response.status_code


@pytest.mark.parametrize("headers", ALSO_FOREIGN.values(), ids=ALSO_FOREIGN.keys())
async def test_near_misses_are_foreign_too(
    session: Session, owner: CurrentUser, browser: Browser, headers: dict[str, str]
) -> None:
    assert await _sign_out_status(session, owner, browser, headers) == 403


SAME_SITE = {
    "origin": {"Origin": SITE},
    "referer without origin": {"Referer": f"{SITE}/team?tab=members"},
    "neither header (SameSite=Lax covers it)": {},
    "behind a TLS proxy": {"X-Forwarded-Proto": "https", "Origin": "https://orangeweb.test:3000"},
    "default port left out": {
        "Host": "orangeweb.test",
        "X-Forwarded-Proto": "https",
        "Origin": "https://orangeweb.test:443",
    },
}


@pytest.mark.parametrize("headers", SAME_SITE.values(), ids=SAME_SITE.keys())
async def test_this_sites_own_posts_are_accepted(
    session: Session, owner: CurrentUser, browser: Browser, headers: dict[str, str]
) -> None:
    assert await _sign_out_status(session, owner, browser, headers) == 200


async def test_the_configured_public_url_is_this_site(
    session: Session, owner: CurrentUser, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = {"Origin": "https://dash.example.com"}
    assert await _sign_out_status(session, owner, browser, public) == 403
    monkeypatch.setenv("ORANGEWEB_PUBLIC_URL", "https://dash.example.com/orangeweb/")
    get_settings.cache_clear()
    assert await _sign_out_status(session, owner, browser, public) == 200
    referer = {"Referer": "https://dash.example.com/orangeweb/settings"}
    assert await _sign_out_status(session, owner, browser, referer) == 200
    assert await _sign_out_status(session, owner, browser, {"Origin": SITE}) == 200


async def test_the_batch_hook_needs_no_origin(browser: Browser, owner: CurrentUser) -> None:
    # Unknown token: 404, whatever the headers say (its token is its credential, see above).
    response = await browser().post("/hooks/batch/unknown", headers=FOREIGN["foreign origin"])
    assert response.status_code == 404
