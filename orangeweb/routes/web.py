"""Request helpers shared by the routes: the session cookie, the signed-in user, safe redirects."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlencode

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from orangeweb.db import open_session
from orangeweb.services.identity import CurrentUser
from orangeweb.services.sessions import ABSOLUTE_TIMEOUT, resolve_session

SESSION_COOKIE = "orangeweb_session"


def session_id_from_cookie_header(cookie_header: str) -> str | None:
    """The raw session id in a `Cookie:` header (how states read it from the websocket)."""
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header or "")
    except Exception:  # a malformed header from a browser extension is no session
        return None
    morsel = cookies.get(SESSION_COOKIE)
    return morsel.value if morsel else None


def current_user(connection: HTTPConnection) -> CurrentUser | None:
    """The signed-in user of a request, resolved on the server from the cookie."""
    raw_session_id = connection.cookies.get(SESSION_COOKIE)
    if not raw_session_id:
        return None
    with open_session() as session:
        return resolve_session(session, raw_session_id)


def client_ip(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"


def is_https(connection: HTTPConnection) -> bool:
    forwarded = connection.headers.get("x-forwarded-proto", "")
    return connection.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def set_session_cookie(response: Response, request: Request, raw_session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        raw_session_id,
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )


def local_path(candidate: str | None, default: str = "/") -> str:
    """`candidate` if it is a path on this site, else `default` (no open redirects)."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return default


def redirect(path: str, **query: str | int) -> RedirectResponse:
    """A 303 (see other) redirect, so a form POST becomes a GET of the target page."""
    target = f"{path}?{urlencode(query)}" if query else path
    return RedirectResponse(target, status_code=303)


def same_origin(request: Request) -> bool:
    """Defence in depth on top of SameSite=Lax: a form POST must come from this site."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # older browsers omit it on same-origin form posts; the cookie is Lax anyway
    return origin == f"{request.url.scheme}://{request.url.netloc}" or origin == (
        f"https://{request.url.netloc}"
    )
