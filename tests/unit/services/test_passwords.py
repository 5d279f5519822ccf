from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from orangeweb.services.accounts import passwords
from orangeweb.services.errors import ValidationError


def _full_width(ascii_text: str) -> str:
    """The full-width forms (as typed with some East Asian keyboards) of ASCII letters/digits."""
    return "".join(chr(ord(character) - 0x21 + 0xFF01) for character in ascii_text)


def test_hash_is_argon2id_and_verifies() -> None:
    password_hash = passwords.hash_password("long enough password")
    assert password_hash.startswith("$argon2id$")
    assert passwords.verify_password(password_hash, "long enough password")
    assert not passwords.verify_password(password_hash, "long enough passworD")
    assert not passwords.needs_rehash(password_hash)


@pytest.mark.parametrize("too_short", ["", "short", "123456789", _full_width("short")])
def test_short_passwords_are_refused_in_words(too_short: str) -> None:
    with pytest.raises(ValidationError, match="at least 10 characters"):
        passwords.hash_password(too_short)


def test_length_limits_are_inclusive() -> None:
    assert passwords.verify_password(passwords.hash_password("x" * 10), "x" * 10)
    assert passwords.verify_password(passwords.hash_password("x" * 256), "x" * 256)
    with pytest.raises(ValidationError, match="at most 256"):
        passwords.hash_password("x" * 257)
    assert not passwords.verify_password(passwords.hash_password("x" * 256), "x" * 100_000)


def test_any_unicode_is_accepted_and_normalised_with_nfkc() -> None:
    # Composed "é" and "e" + combining accent are one password; so are full-width digits.
    composed = "caf\u00e9 au lait ☕ 密码"
    decomposed = "cafe\u0301 au lait ☕ 密码"
    password_hash = passwords.hash_password(composed)
    assert passwords.verify_password(password_hash, decomposed)
    full_width_hash = passwords.hash_password(_full_width("1234567890"))
    assert passwords.verify_password(full_width_hash, "1234567890")


def test_wrong_or_garbage_hashes_never_raise() -> None:
    assert not passwords.verify_password("not a hash", "whatever password")
    assert passwords.needs_rehash("not a hash")


def test_old_parameters_need_a_rehash() -> None:
    weak_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(
        "long enough password"
    )
    assert passwords.verify_password(weak_hash, "long enough password")
    assert passwords.needs_rehash(weak_hash)
