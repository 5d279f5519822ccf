"""Request helpers shared by the routes: the session cookie, the signed-in user, the origin check.

The cookie's name and the safe-redirect check live in `services.accounts` (`cookies`,
`redirects`), which the states use too.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from orangeweb.db import open_session
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.sessions import ABSOLUTE_TIMEOUT, resolve_session
from orangeweb.settings import get_settings


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


def redirect(path: str, **query: str | int) -> RedirectResponse:
    """A 303 (see other) redirect, so a form POST becomes a GET of the target page."""
    target = f"{path}?{urlencode(query)}" if query else path
    return RedirectResponse(target, status_code=303)


# Where a scheme leaves the port out, the port it means (for comparing origins).
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # (scheme, host, port), normalised


def _parse_origin(url: str, *, whole_url: bool = False) -> Origin | None:
    """`url`'s (scheme, host, port), or None if it is not an http(s) origin (e.g. `null`).

    An `Origin` header is only scheme://host[:port]; a `Referer` (`whole_url`) may go on.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # e.g. a port that is not a number
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if not whole_url and (parts.path not in ("", "/") or parts.query or parts.fragment):
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def _own_origins(connection: HTTPConnection) -> set[Origin]:
    """This site's origins: the one the request was sent to, and the configured public URL."""
    scheme = "https" if is_https(connection) else connection.url.scheme
    own = {_parse_origin(f"{scheme}://{connection.url.netloc}")}
    public_url = get_settings().public_url
    if public_url:
        own.add(_parse_origin(public_url, whole_url=True))
    return {origin for origin in own if origin is not None}


def same_origin(request: HTTPConnection) -> bool:
    """CSRF defence on top of SameSite=Lax: a form POST must come from this site.

    The `Origin` header decides (`null`, sent by sandboxed frames and some redirects, is foreign);
    without it, the origin of the `Referer` does. With neither, the post is allowed: browsers send
    `Origin` on every POST today, so only non-browser clients and privacy-stripped requests lack
    both, and the SameSite=Lax session cookie is never sent on a cross-site POST anyway.
    """
    origin_header = request.headers.get("origin")
    if origin_header is not None:
        claimed = _parse_origin(origin_header)
    else:
        referer = request.headers.get("referer")
        if referer is None:
            return True
        claimed = _parse_origin(referer, whole_url=True)
    return claimed is not None and claimed in _own_origins(request)
