"""Local accounts: scrypt hashes, no plaintext, the `users` command line.

Sign-in throttling is in test_accounts_throttle.py, password strength in
test_accounts_strength.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from incidents.access import SYSTEM, Role
from incidents.auth import passwords
from incidents.auth.accounts import AccountError, Accounts
from incidents.auth.passwords import (
    PRODUCTION_COST,
    ScryptCost,
    hash_password,
    needs_rehash,
    verify_password,
)
from incidents.auth.strength import WeakPassword
from incidents.cli import main
from incidents.store import open_store

GOOD = "correct horse battery staple"
CHEAP = ScryptCost(2**10, 8, 1)  # the test-only cost (passwords.COST), for speed


def test_production_scrypt_cost_is_n_2_17_and_hashes_name_it():
    """OWASP's minimum for scrypt; run at the real cost, not the tests' cheap one."""
    assert (PRODUCTION_COST.n, PRODUCTION_COST.r, PRODUCTION_COST.p) == (2**17, 8, 1)
    assert passwords.COST is PRODUCTION_COST  # nothing outside tests lowers it
    stored = hash_password(GOOD)
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password(GOOD, stored) and not needs_rehash(stored)
    # OpenSSL refuses that cost within its default 32 MiB: maxmem must be passed.
    with pytest.raises(ValueError, match="memory"):
        hashlib.scrypt(b"x", salt=b"s" * 16, n=2**17, r=8, p=1, dklen=32)


def test_scrypt_hash_is_salted_and_refuses_malformed_values(monkeypatch):
    monkeypatch.setattr(passwords, "COST", CHEAP)
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first != second  # a fresh 16-byte salt each time
    assert first.startswith("scrypt$1024$8$1$")
    assert verify_password(GOOD, first) and verify_password(GOOD, second)
    assert not verify_password(GOOD + "!", first)
    assert not verify_password(GOOD, "scrypt$broken")
    assert not verify_password(GOOD, "md5$" + first[7:])
    # A stored value asking for absurd memory is refused, not computed.
    assert not verify_password(GOOD, "scrypt$1073741824$8$1$" + first.split("$", 4)[4])


def old_format_hash(password: str) -> str:
    """A hash as the code before this change stored it: N=2^14, r=8, p=1."""
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def test_an_older_hash_is_replaced_at_its_next_sign_in(tmp_path):
    """A file made before the change (old columns, N=2^14 hash) still signs in, and the
    hash is then remade at the production cost; a failed sign-in changes nothing."""
    path = tmp_path / "users.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " role TEXT NOT NULL, method TEXT NOT NULL, password TEXT,"
            " disabled INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,"
            " locked_until REAL NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL)"
        )
        old = old_format_hash(GOOD)
        conn.execute(
            "INSERT INTO accounts (key, name, role, method, password, created_at, updated_at)"
            " VALUES ('amina', 'Amina', 'editor', 'local', ?, 'x', 'x')",
            (old,),
        )
    accounts = Accounts(path)

    def stored() -> str:
        with sqlite3.connect(path) as conn:
            return str(conn.execute("SELECT password FROM accounts").fetchone()[0])

    assert needs_rehash(old)
    assert accounts.authenticate("amina", "not the password", client="a").account is None
    assert stored() == old
    assert accounts.authenticate("amina", GOOD, client="a").reason == "ok"
    renewed = stored()
    assert renewed.startswith("scrypt$131072$8$1$") and not needs_rehash(renewed)
    assert verify_password(GOOD, renewed)
    assert accounts.authenticate("amina", GOOD, client="a").reason == "ok"
    assert stored() == renewed  # made once, not at every sign-in


def test_the_accounts_file_holds_no_password_and_only_its_owner_reads_it(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "COST", CHEAP)
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("Amina", Role.EDITOR, GOOD)
    raw = (tmp_path / "users.sqlite").read_bytes()
    assert GOOD.encode() not in raw
    assert (tmp_path / "users.sqlite").stat().st_mode & 0o077 == 0


def test_weak_passwords_and_bad_names_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "COST", CHEAP)
    accounts = Accounts(tmp_path / "users.sqlite")
    with pytest.raises(WeakPassword):
        accounts.add("amina", Role.VIEWER, "short")
    with pytest.raises(WeakPassword):
        accounts.add("amina", Role.VIEWER, "my name is amina, ok?")
    with pytest.raises(AccountError):
        accounts.add("bad\x00name", Role.VIEWER, GOOD)
    accounts.add("Amina", Role.VIEWER, GOOD)
    with pytest.raises(AccountError, match="already exists"):
        accounts.add("AMINA", Role.ADMIN, GOOD)  # names compare without case
    with pytest.raises(WeakPassword, match="common"):
        accounts.set_password("amina", "password1234")


def test_sign_in_outcomes(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "COST", CHEAP)
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("Amina", Role.EDITOR, GOOD)
    accounts.add("sso@example.org", Role.VIEWER, method="oidc")
    ok = accounts.authenticate("amina", GOOD, client="c")
    assert ok.account is not None and ok.account.role is Role.EDITOR and ok.name == "Amina"
    unknown = accounts.authenticate("nobody", GOOD, client="c")
    assert (unknown.reason, unknown.name) == ("unknown account", "")
    # A single sign-on account has no password: a local sign-in never succeeds.
    assert accounts.authenticate("sso@example.org", "", client="c").account is None
    accounts.set_disabled("amina", True)
    assert accounts.authenticate("amina", GOOD, client="c").reason == "disabled"
    accounts.set_disabled("amina", False)
    assert accounts.authenticate("amina", GOOD, client="c").account is not None


def run_cli(args: list[str], stdin: str = "", monkeypatch=None) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(args)


def test_users_command_line_changes_accounts_and_logs_each_change(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(passwords, "COST", CHEAP)
    db = str(tmp_path / "incidents.gpkg")
    assert run_cli(["--db", db, "users", "add", "Amina", "--role", "editor",
                    "--password-stdin"], GOOD + "\n", monkeypatch) == 0  # fmt: skip
    assert run_cli(["--db", db, "users", "add", "sso@example.org", "--role", "viewer",
                    "--oidc"], "", monkeypatch) == 0  # fmt: skip
    assert run_cli(["--db", db, "users", "set-role", "amina", "admin"], "", monkeypatch) == 0
    assert run_cli(["--db", db, "users", "disable", "sso@example.org"], "", monkeypatch) == 0
    assert run_cli(["--db", db, "users", "passwd", "amina", "--password-stdin"],
                   "another long passphrase\n", monkeypatch) == 0  # fmt: skip
    assert run_cli(["--db", db, "users", "add", "x", "--role", "viewer", "--password-stdin"],
                   "short\n", monkeypatch) == 2  # fmt: skip
    assert run_cli(["--db", db, "users", "add", "x", "--role", "viewer", "--password-stdin"],
                   "123456789012\n", monkeypatch) == 2  # fmt: skip
    assert "Not changed: a password cannot be a run of" in capsys.readouterr().err
    assert run_cli(["--db", db, "users", "list"], "", monkeypatch) == 0
    listing = capsys.readouterr().out
    assert "Amina" in listing and "admin" in listing and "disabled" in listing
    # The accounts live next to the GeoPackage, never inside it.
    accounts = Accounts(Path(db + ".users.sqlite"))
    assert accounts.authenticate("amina", "another long passphrase", client="c").account is not None
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert not any("account" in t or "user" in t for t in tables)
    store = open_store(db)
    actions = [e.action for e in store.audit_log(SYSTEM)]
    assert actions == ["users:add", "users:add", "users:set-role", "users:disable", "users:passwd"]
    assert store.verify_audit() == []
    log = Path(db).read_bytes()
    for secret in (GOOD, "another long passphrase", "scrypt$"):
        assert secret.encode() not in log
