"""Local accounts for offline and air-gapped instances, in a small SQLite file.

The file sits next to the GeoPackage (incidents.gpkg.users.sqlite), never inside
it: a GeoPackage is copied to QGIS users and partners, and password hashes must
not travel with it. Accounts for single sign-on (method "oidc") hold no password;
they only say which role an identity from the provider gets. An account also keeps
the interface language its owner last chose, the default at their next sign-in.
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
from incidents.auth import throttle
from incidents.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from incidents.auth.strength import check_strength
from incidents.auth.throttle import Refusal, ThrottlePolicy
from incidents.sqlite_transaction import immediate
from incidents.translation import _, supported

METHODS = ("local", "oidc")
WRONG = "Wrong name or password."


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
    language: str = ""  # the interface language last chosen ("ar", "fr", "en"; "" none yet)


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in attempt, and a reason for the audit log."""

    account: Account | None
    reason: str  # "ok", "unknown account", "wrong password", "disabled", "throttled"
    name: str  # the account's own name, or "" when the name typed matches none
    refusal: Refusal | None = None  # set when reason is "throttled"

    @property
    def message(self) -> str:
        """What the person at the sign-in form is told: one sentence for every failure
        (a disabled account too), so the answer never tells which names exist."""
        if self.reason == "ok":
            return ""
        if self.refusal is not None:
            return self.refusal.message
        return WRONG


def account_key(name: str) -> str:
    """How names are compared: Unicode-normalised, case-insensitive, trimmed."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


class Accounts:
    """The accounts file: add, change, list and check accounts."""

    def __init__(self, path: str | Path, policy: ThrottlePolicy | None = None) -> None:
        self.path = Path(path)
        self.policy = policy or ThrottlePolicy()
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Created readable by its owner only: it holds password hashes.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self._transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL,"
                " role TEXT NOT NULL, method TEXT NOT NULL, password TEXT,"
                " disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
                " updated_at TEXT NOT NULL)"
            )  # files made before throttling by client also have failures, locked_until: unused
            _add_language_column(conn)
            throttle.create_table(conn)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        with immediate(conn):
            yield conn

    def add(
        self, name: str, role: Role, password: str | None = None, method: str = "local"
    ) -> Account:
        """A new account; local accounts need a strong password, oidc ones none."""
        name = _valid_name(name)
        if method not in METHODS:
            said = _("method must be one of {methods}")
            raise AccountError(said.format(methods=", ".join(METHODS)))
        stored = None
        if method == "local":
            if password is None:
                raise AccountError(_("a local account needs a password"))
            check_strength(password, name)
            stored = hash_password(password)
        now = _now()
        with self._transaction() as conn:
            if _row(conn, name) is not None:
                raise AccountError(_("an account named '{name}' already exists").format(name=name))
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
        self._update(name, "disabled = ?", int(disabled))
        return self._require(name)

    def set_password(self, name: str, password: str) -> Account:
        account = self._require(name)
        if account.method != "local":
            said = _("'{name}' signs in with single sign-on: no password")
            raise AccountError(said.format(name=account.name))
        check_strength(password, account.name)
        self._update(name, "password = ?", hash_password(password))
        return self._require(name)

    def set_language(self, name: str, code: str) -> Account:
        """Keep the interface language the account's owner chose (a language the
        interface does not speak is refused). Not an account change: updated_at stays."""
        language = supported(code)
        if language is None:
            raise AccountError(_("no interface language '{code}'").format(code=code))
        with self._transaction() as conn:
            if _row(conn, name) is None:
                raise AccountError(_("there is no account named '{name}'").format(name=name))
            conn.execute(
                "UPDATE accounts SET language = ? WHERE key = ?", (language, account_key(name))
            )
        return self._require(name)

    def authenticate(
        self, name: str, password: str, *, client: str, now: float | None = None
    ) -> SignInResult:
        """Check a local sign-in from client (an address or a session's own key).

        Every attempt that is not throttled costs one scrypt computation with the
        current parameters: against the account's hash, or a dummy one when the name
        is unknown, single sign-on only or blank. A failure is counted against the
        client (see throttle.py), never the account; a success takes its count back
        and, if the hash was made with older parameters, replaces it.
        """
        now = time.time() if now is None else now
        with self._transaction() as conn:
            attempt = throttle.reserve(conn, client, now, self.policy)
            row = _row(conn, name) if name.strip() else None
        if isinstance(attempt, Refusal):
            return SignInResult(None, "throttled", row["name"] if row else "", attempt)
        stored = row["password"] if row is not None and row["method"] == "local" else None
        matched = verify_password(password, stored or dummy_hash())
        if row is None or not stored:
            return SignInResult(None, "unknown account", row["name"] if row else "")
        if not matched:
            return SignInResult(None, "wrong password", row["name"])
        if row["disabled"]:
            return SignInResult(None, "disabled", row["name"])
        renewed = hash_password(password) if needs_rehash(stored) else None
        with self._transaction() as conn:
            throttle.release(conn, attempt)
            if renewed:  # only if the password was not changed meanwhile
                conn.execute(
                    "UPDATE accounts SET password = ? WHERE key = ? AND password = ?",
                    (renewed, row["key"], stored),
                )
        return SignInResult(_account(row), "ok", row["name"])

    def _update(self, name: str, sets: str, value: object) -> None:
        with self._transaction() as conn:
            if _row(conn, name) is None:
                raise AccountError(_("there is no account named '{name}'").format(name=name))
            conn.execute(
                f"UPDATE accounts SET {sets}, updated_at = ? WHERE key = ?",
                (value, _now(), account_key(name)),
            )

    def _require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(_("there is no account named '{name}'").format(name=name))
        return account


def _valid_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or len(name) > 200:
        raise AccountError(_("a name needs 1 to 200 characters"))
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise AccountError(_("a name cannot hold control characters"))
    return name


def _add_language_column(conn: sqlite3.Connection) -> None:
    """Files made before accounts kept a language get the column, empty (no choice yet)."""
    columns = {r["name"] for r in conn.execute("PRAGMA table_info(accounts)")}
    if "language" not in columns:
        conn.execute("ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT ''")


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
        supported(row["language"]) or "",
    )


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
