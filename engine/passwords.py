"""Password hashing (argon2) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from engine.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 200
_HASHER = PasswordHasher()
# A real hash to verify against when the account does not exist, so that an
# unknown e-mail takes as long to refuse as a wrong password.
_DUMMY = _HASHER.hash("not a password of anyone")


@cache
def _common() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's leaked-password list."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh salt."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; always spends the time of one check."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused (a message id), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return N_("Use at least 8 characters.")
    if len(password) > MAX_LENGTH:
        return N_("Use at most 200 characters.")
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) < 3:
        return N_("This password is too common. Choose one that is harder to guess.")
    local_part = email.partition("@")[0].lower()
    if (local_part and local_part in lowered) or (name and name.lower() in lowered):
        return N_("The password must not contain your e-mail address or name.")
    return None
