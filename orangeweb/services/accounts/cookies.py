"""The session cookie, as both the HTTP routes and the Reflex states read it.

Routes get cookies parsed by Starlette; states only have the raw `Cookie:` header their
websocket connected with, so the parsing of that header lives here, beside the cookie's name.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

SESSION_COOKIE = "orangeweb_session"


def session_id_from_cookie_header(cookie_header: str | None) -> str | None:
    """The raw session id in a `Cookie:` header (how states read it from the websocket)."""
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header or "")
    except Exception:  # a malformed header from a browser extension is no session
        return None
    morsel = cookies.get(SESSION_COOKIE)
    return morsel.value if morsel else None
