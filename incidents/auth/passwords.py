"""Password hashing: scrypt with a random salt per password, compared in constant time.

The stored form names its parameters ("scrypt$16384$8$1$salt$hash"), so they can be
raised later without locking anyone out. No plaintext is kept anywhere.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

N, R, P, SALT_BYTES, KEY_BYTES = 2**14, 8, 1, 16, 32
MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" would be a cheap denial of service


class WeakPassword(ValueError):
    """The password is refused; the message says what a good one needs."""


def check_strength(password: str, name: str = "") -> None:
    """Refuse passwords that are short, absurdly long, or the account name itself."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password can have at most {MAX_LENGTH} characters")
    if name and name.casefold() in password.casefold():
        raise WeakPassword("a password must not contain the account name")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when password matches; a malformed stored value never matches."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_LENGTH:
            return False
        expected = base64.b64decode(key)
        got = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


@functools.cache
def dummy_hash() -> str:
    """Checked when the account does not exist, so a wrong name takes as long as a
    wrong password and timing does not tell which names exist."""
    return hash_password(secrets.token_urlsafe(16))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=64 * 2**20
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
