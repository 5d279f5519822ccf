"""Where the browser may be sent after signing in: only somewhere on this site."""

from __future__ import annotations


def local_path(candidate: str | None, default: str = "/") -> str:
    """`candidate` if it is a path on this site, else `default` (no open redirects)."""
    # `//host` and `/\host` are protocol-relative URLs to another site in browsers.
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return default
