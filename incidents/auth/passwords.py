"""Password hashing: scrypt with a random salt per password, compared in constant time.

The stored form names its parameters ("scrypt$131072$8$1$salt$hash"), so a hash made
with older, cheaper parameters still verifies, and is replaced by one made with the
current ones the next time its owner signs in (needs_rehash). No plaintext is kept.

Cost: N=2^17, r=8, p=1, OWASP's recommended minimum for scrypt (Password Storage
Cheat Sheet). That takes 128 MiB and about 0.6 s of one core per hash, so at most
MAX_PARALLEL hashes run at once in a process: a burst of sign-ins queues rather than
taking the server's memory. OpenSSL refuses more than 32 MiB unless told, so maxmem is
passed explicitly, computed from the parameters.

Test-only setting: tests may lower the cost by replacing COST (pytest's monkeypatch,
as tests/security/test_accounts.py does). Nothing reads it from the environment or a
settings file, so a deployment cannot weaken it by configuration; a test checks that
the production value is N=2^17.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

SALT_BYTES, KEY_BYTES = 16, 32
MAX_LENGTH = 1024  # hashing a megabyte "password" would be a cheap denial of service
MAX_PARALLEL = 2
MAX_MEMORY = 2**28 + 2**20  # a stored value asking for more is refused, not computed


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's work factors: n (CPU and memory), r (block size), p (parallelism)."""

    n: int
    r: int
    p: int

    @property
    def maxmem(self) -> int:
        """OpenSSL's own need, 128 * r * (n + p + 2) bytes, plus a little room."""
        return 128 * self.r * (self.n + self.p + 2) + 2**16


PRODUCTION_COST = ScryptCost(n=2**17, r=8, p=1)
COST = PRODUCTION_COST  # test-only override: see the module docstring
_HASHING = threading.BoundedSemaphore(MAX_PARALLEL)


def hash_password(password: str) -> str:
    """A new stored value for password, made with the current cost and a fresh salt."""
    cost = COST
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, cost)
    return _stored(cost, salt, key)


def verify_password(password: str, stored: str) -> bool:
    """True when password matches; a malformed stored value never matches.

    Exactly one scrypt computation with the stored parameters, whatever the outcome
    (none only for a value that is malformed or asks for absurd parameters).
    """
    parsed = _parse(stored)
    if parsed is None or len(password) > MAX_LENGTH:
        return False
    cost, salt, expected = parsed
    try:
        got = _scrypt(password, salt, cost)
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str) -> bool:
    """True when stored was made with other parameters than the current ones."""
    parsed = _parse(stored)
    return parsed is None or parsed[0] != COST


def dummy_hash() -> str:
    """Checked when the account does not exist (or has no password), so a wrong name
    costs the same single scrypt computation, with the same parameters, as a wrong
    password: neither the answer nor the work tells which names exist.

    Made without hashing anything (a random key no password produces), so even the
    first unknown name of a process costs no more than later ones.
    """
    return _dummy_for(COST)


@functools.cache
def _dummy_for(cost: ScryptCost) -> str:
    return _stored(cost, secrets.token_bytes(SALT_BYTES), secrets.token_bytes(KEY_BYTES))


def _parse(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        cost = ScryptCost(int(n), int(r), int(p))
        if scheme != "scrypt" or min(cost.n - 1, cost.r, cost.p) < 1 or cost.maxmem > MAX_MEMORY:
            return None
        return cost, base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except ValueError:
        return None


def _scrypt(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    with _HASHING:
        return hashlib.scrypt(
            password.encode(),
            salt=salt,
            n=cost.n,
            r=cost.r,
            p=cost.p,
            dklen=KEY_BYTES,
            maxmem=cost.maxmem,
        )


def _stored(cost: ScryptCost, salt: bytes, key: bytes) -> str:
    return f"scrypt${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
