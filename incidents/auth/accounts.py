"""Local accounts for offline and air-gapped instances, in a small SQLite file.

The file sits next to the GeoPackage (incidents.gpkg.users.sqlite), never inside
it: a GeoPackage is copied to QGIS users and partners, and password hashes must
not travel with it. Accounts for single sign-on (method "oidc") hold no password;
they only say which role an identity from the provider gets.
"""

from __future__ import annotations

import os
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from incidents.access import Role
from incidents.auth.passwords import check_strength, dummy_hash, hash_password, verify_password

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
METHODS = ("local", "oidc")


class AccountError(Exception):
    """An account change that cannot be made; the message says why."""


@dataclass(frozen=True)
class Account:
    """One person's access: their name, role, and how they sign in."""

    name: str
    role: Role
    method: str
    disabled: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in attempt, and a reason for the audit log."""

    account: Account | None
    reason: str  # "ok", "unknown account", "wrong password", "disabled", "locked"
    name: str  # the account's own name, or "" when the name typed matches none

    @property
    def message(self) -> str:
        """What the person at the sign-in form is told (never which names exist)."""
        if self.reason == "ok":
            return ""
        if self.reason == "locked":
            return "Too many failed attempts: wait 15 minutes, then try again."
        if self.reason == "disabled":
            return "This account is disabled. Ask an administrator."
        return "Wrong name or password."


def account_key(name: str) -> str:
    """How names are compared: Unicode-normalised, case-insensitive, trimmed."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


class Accounts:
    """The accounts file: add, change, list and check accounts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Created readable by its owner only: it holds password hashes.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self._transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL,"
                " role TEXT NOT NULL, method TEXT NOT NULL, password TEXT,"
                " disabled INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,"
                " locked_until REAL NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
                " updated_at TEXT NOT NULL)"
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def add(
        self, name: str, role: Role, password: str | None = None, method: str = "local"
    ) -> Account:
        """A new account; local accounts need a strong password, oidc ones none."""
        name = _valid_name(name)
        if method not in METHODS:
            raise AccountError(f"method must be one of {', '.join(METHODS)}")
        stored = None
        if method == "local":
            if password is None:
                raise AccountError("a local account needs a password")
            check_strength(password, name)
            stored = hash_password(password)
        now = _now()
        with self._transaction() as conn:
            if _row(conn, name) is not None:
                raise AccountError(f"an account named '{name}' already exists")
            conn.execute(
                "INSERT INTO accounts (key, name, role, method, password, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (account_key(name), name, Role(role).value, method, stored, now, now),
            )
        return self._require(name)

    def get(self, name: str) -> Account | None:
        with self._transaction() as conn:
            row = _row(conn, name)
        return _account(row) if row is not None else None

    def all(self) -> list[Account]:
        with self._transaction() as conn:
            rows = conn.execute("SELECT * FROM accounts ORDER BY key").fetchall()
        return [_account(r) for r in rows]

    def set_role(self, name: str, role: Role) -> Account:
        self._update(name, "role = ?", Role(role).value)
        return self._require(name)

    def set_disabled(self, name: str, disabled: bool) -> Account:
        """Disable (or enable) an account; a signed-in session ends at its next step."""
        self._update(name, "disabled = ?, failures = 0, locked_until = 0", int(disabled))
        return self._require(name)

    def set_password(self, name: str, password: str) -> Account:
        account = self._require(name)
        if account.method != "local":
            raise AccountError(f"'{account.name}' signs in with single sign-on: no password")
        check_strength(password, account.name)
        self._update(name, "password = ?, failures = 0, locked_until = 0", hash_password(password))
        return self._require(name)

    def authenticate(self, name: str, password: str, now: float | None = None) -> SignInResult:
        """Check a local sign-in, counting failures and locking after too many."""
        now = time.time() if now is None else now
        with self._transaction() as conn:
            row = _row(conn, name) if name.strip() else None
            if row is None or row["method"] != "local" or not row["password"]:
                verify_password(password, dummy_hash())
                return SignInResult(None, "unknown account", row["name"] if row else "")
            if row["locked_until"] > now:
                return SignInResult(None, "locked", row["name"])
            if not verify_password(password, row["password"]):
                failures = row["failures"] + 1
                locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else 0
                conn.execute(
                    "UPDATE accounts SET failures = ?, locked_until = ? WHERE key = ?",
                    (0 if locked else failures, locked, row["key"]),
                )
                reason = "locked" if locked else "wrong password"
                return SignInResult(None, reason, row["name"])
            conn.execute("UPDATE accounts SET failures = 0 WHERE key = ?", (row["key"],))
            account = _account(row)
        if account.disabled:
            return SignInResult(None, "disabled", account.name)
        return SignInResult(account, "ok", account.name)

    def _update(self, name: str, sets: str, value: object) -> None:
        with self._transaction() as conn:
            if _row(conn, name) is None:
                raise AccountError(f"there is no account named '{name}'")
            conn.execute(
                f"UPDATE accounts SET {sets}, updated_at = ? WHERE key = ?",
                (value, _now(), account_key(name)),
            )

    def _require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(f"there is no account named '{name}'")
        return account


def _valid_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or len(name) > 200:
        raise AccountError("a name needs 1 to 200 characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise AccountError("a name cannot hold control characters")
    return name


def _row(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM accounts WHERE key = ?", (account_key(name),)
    ).fetchone()
    return row


def _account(row: sqlite3.Row) -> Account:
    return Account(
        row["name"],
        Role(row["role"]),
        row["method"],
        bool(row["disabled"]),
        row["created_at"],
        row["updated_at"],
    )


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
