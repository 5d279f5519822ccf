"""The session cookie read from a raw `Cookie:` header (as states get it), and safe redirects."""

from __future__ import annotations

import pytest

from orangeweb.services.accounts.cookies import SESSION_COOKIE, session_id_from_cookie_header
from orangeweb.services.accounts.redirects import local_path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"theme=dark; {SESSION_COOKIE}=abc123", "abc123"),
        ("theme=dark", None),
        ("", None),
        (None, None),
    ],
)
def test_the_session_id_comes_from_its_own_cookie(header: str | None, expected: str | None) -> None:
    assert session_id_from_cookie_header(header) == expected


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/dubbing?project=3", "/dubbing?project=3"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        (None, "/"),
        ("", "/"),
    ],
)
def test_only_paths_on_this_site_are_followed(candidate: str | None, expected: str) -> None:
    assert local_path(candidate) == expected
