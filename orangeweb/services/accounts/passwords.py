"""Password policy and hashing: argon2id through argon2-cffi, NFKC-normalised first.

NFKC makes the same password typed on different keyboards (composed vs decomposed accents,
full-width digits) hash the same. Hashes carry their parameters, so when the library's defaults
change, `needs_rehash` says so and sign-in upgrades the stored hash.
"""

from __future__ import annotations

import os
import unicodedata
from contextlib import suppress
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from orangeweb.services.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256

# The test suite's switch to argon2's cheapest profile (a hash in microseconds, not 0.1 s):
# never set in a deployment. A hash made with it is upgraded at the next sign-in once unset.
FAST_TEST_HASHING_ENV = "ORANGEWEB_TEST_FAST_PASSWORD_HASHING"


def _make_hasher() -> PasswordHasher:
    """argon2id with the library's RFC 9106 "low memory" profile (t=3, m=64 MiB, p=4)."""
    if os.environ.get(FAST_TEST_HASHING_ENV) == "1":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_hasher = _make_hasher()


def normalize_password(password: str) -> str:
    """The form a password is hashed and checked in."""
    return unicodedata.normalize("NFKC", password)


def check_password_policy(password: str) -> str:
    """The normalised password if it is acceptable; otherwise a `ValidationError` in words."""
    normalized = normalize_password(password)
    if len(normalized) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Use at least {MIN_PASSWORD_LENGTH} characters for your password.")
    if len(normalized) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Passwords are at most {MAX_PASSWORD_LENGTH} characters.")
    return normalized


def hash_password(password: str) -> str:
    """An argon2id hash of an acceptable password (checks the policy first)."""
    return _hasher.hash(check_password_policy(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; never raises for a wrong or odd input."""
    normalized = normalize_password(password)
    if len(normalized) > MAX_PASSWORD_LENGTH:
        burn_verification_time()  # no shortcut that would time differently
        return False
    try:
        return _hasher.verify(password_hash, normalized)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("orangeweb-no-such-account")


def burn_verification_time() -> None:
    """Spend what a real verification costs, so unknown emails answer as slowly as known ones."""
    with suppress(VerificationError):
        _hasher.verify(_dummy_hash(), "not-the-password")
