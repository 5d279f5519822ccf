"""Sign-up, sign-in, invite acceptance, sign-out and API-key submission, as plain HTTP.

The pages post their forms here with `fetch` (see `components/post_form.py`); every answer is JSON,
`{"redirect": path}` on success or `{"error": message}` with a 4xx status, so error text is shown
inline and never reflected through a URL.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from orangeweb.db import open_session
from orangeweb.services.accounts import auth, sessions, teams
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.redirects import local_path
from orangeweb.services.errors import DomainError, ThrottledError
from orangeweb.services.keys import store as key_store

from .web import (
    clear_session_cookie,
    client_ip,
    current_user,
    same_origin,
    set_session_cookie,
)

FORM_FIELD_MAX = 4096  # no legitimate field is longer; bounds the work a request can cause


CROSS_SITE_REFUSED = "Cross-site form submission refused."


def _error(message: str, status: int = 400, **extra: int) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _throttled(error: ThrottledError) -> JSONResponse:
    response = _error(str(error), 429, retry_after=int(error.retry_after))
    response.headers["retry-after"] = str(int(error.retry_after))
    return response


def _status_for(error: DomainError) -> int:
    if isinstance(error, ThrottledError):
        return 429
    return 400


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=20)
    return {key: str(value)[:FORM_FIELD_MAX] for key, value in form.items()}


def _signed_in(request: Request, user: CurrentUser, raw_session_id: str, to: str) -> Response:
    response = JSONResponse({"redirect": to})
    set_session_cookie(response, request, raw_session_id)
    return response


async def sign_up(request: Request) -> Response:
    """The very first account of a fresh install; it owns a new team."""
    if not same_origin(request):
        return _error(CROSS_SITE_REFUSED, 403)
    form = await _form(request)
    if form.get("password", "") != form.get("password_confirm", ""):
        return _error("The two passwords differ.")
    try:
        with open_session() as session:
            user = auth.sign_up_first(
                session,
                team_name=form.get("team_name", ""),
                email=form.get("email", ""),
                display_name=form.get("display_name", ""),
                password=form.get("password", ""),
            )
            raw_session_id = _start_session(session, request, user)
    except DomainError as error:
        return _error(str(error), _status_for(error))
    return _signed_in(request, user, raw_session_id, "/")


def _start_session(session: Session, request: Request, user: CurrentUser) -> str:
    """A new session for the browser of `request`, replacing the one its cookie carried."""
    return sessions.start_session(
        session,
        user.user_id,
        user.team_id,
        client_ip(request),
        request.headers.get("user-agent", ""),
        replaces_raw_id=request.cookies.get(SESSION_COOKIE),
    )


async def sign_in(request: Request) -> Response:
    if not same_origin(request):
        return _error(CROSS_SITE_REFUSED, 403)
    form = await _form(request)
    try:
        with open_session() as session:
            raw_session_id, user = auth.sign_in(
                session,
                form.get("email", ""),
                form.get("password", ""),
                client_ip(request),
                request.headers.get("user-agent", ""),
                replaces_raw_id=request.cookies.get(SESSION_COOKIE),
            )
    except ThrottledError as error:
        return _throttled(error)
    except DomainError as error:
        return _error(str(error), 401)
    return _signed_in(request, user, raw_session_id, local_path(form.get("next")))


async def accept_invite(request: Request) -> Response:
    if not same_origin(request):
        return _error(CROSS_SITE_REFUSED, 403)
    form = await _form(request)
    if form.get("password", "") != form.get("password_confirm", form.get("password", "")):
        return _error("The two passwords differ.")
    try:
        with open_session() as session:
            user = teams.accept_invite(
                session,
                form.get("token", ""),
                form.get("email", ""),
                form.get("display_name", ""),
                form.get("password", ""),
            )
            raw_session_id = _start_session(session, request, user)
    except DomainError as error:
        return _error(str(error), _status_for(error))
    return _signed_in(request, user, raw_session_id, "/")


async def sign_out(request: Request) -> Response:
    """Deletes the session on the server, then the cookie. Works as a plain form POST too."""
    if not same_origin(request):  # else any site could sign a visitor out
        return _error(CROSS_SITE_REFUSED, 403)
    with open_session() as session:
        sessions.sign_out(session, request.cookies.get(SESSION_COOKIE))
    wants_json = "application/json" in request.headers.get("accept", "")
    response: Response = (
        JSONResponse({"redirect": "/sign-in"})
        if wants_json
        else Response(status_code=303, headers={"location": "/sign-in"})
    )
    clear_session_cookie(response, request)
    return response


async def add_api_key(request: Request) -> Response:
    """A member adds an OrangeClone key: verified with its server, then stored encrypted."""
    if not same_origin(request):
        return _error(CROSS_SITE_REFUSED, 403)
    user = current_user(request)
    if user is None:
        return _error("Your session has ended. Sign in again.", 401)
    form = await _form(request)
    try:
        with open_session() as session:
            view = await key_store.add_api_key(
                session,
                user,
                label=form.get("label", ""),
                secret=form.get("secret", ""),
                environment=form.get("environment", "sandbox"),
                tier=form.get("tier", "free"),
                scope=form.get("scope", "personal"),
            )
    except ValueError:
        return _error("Choose an environment, a tier and who can use the key.")
    except DomainError as error:
        return _error(str(error), _status_for(error))
    return JSONResponse({"message": f"Key “{view.label}” added (…{view.last4})."})


routes = [
    Route("/auth/sign-up", sign_up, methods=["POST"]),
    Route("/auth/sign-in", sign_in, methods=["POST"]),
    Route("/auth/accept-invite", accept_invite, methods=["POST"]),
    Route("/auth/sign-out", sign_out, methods=["POST"]),
    Route("/auth/api-keys", add_api_key, methods=["POST"]),
]
