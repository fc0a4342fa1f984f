"""Local accounts: scrypt hashes, no plaintext, lock-out, and the `users` command line."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest

from incidents.access import SYSTEM, Role
from incidents.auth.accounts import MAX_FAILURES, AccountError, Accounts
from incidents.auth.passwords import WeakPassword, hash_password, verify_password
from incidents.cli import main
from incidents.store import open_store

GOOD = "correct horse battery staple"


def test_scrypt_hash_is_salted_and_names_its_parameters():
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first != second  # a fresh 16-byte salt each time
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_password(GOOD, first) and verify_password(GOOD, second)
    assert not verify_password(GOOD + "!", first)
    assert not verify_password(GOOD, "scrypt$broken")
    assert not verify_password(GOOD, "md5$" + first[7:])


def test_the_accounts_file_holds_no_password_and_only_its_owner_reads_it(tmp_path):
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("Amina", Role.EDITOR, GOOD)
    raw = (tmp_path / "users.sqlite").read_bytes()
    assert GOOD.encode() not in raw
    assert (tmp_path / "users.sqlite").stat().st_mode & 0o077 == 0


def test_weak_passwords_and_bad_names_are_refused(tmp_path):
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


def test_sign_in_outcomes(tmp_path):
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("Amina", Role.EDITOR, GOOD)
    accounts.add("sso@example.org", Role.VIEWER, method="oidc")
    ok = accounts.authenticate("amina", GOOD)
    assert ok.account is not None and ok.account.role is Role.EDITOR and ok.name == "Amina"
    unknown = accounts.authenticate("nobody", GOOD)
    assert (unknown.reason, unknown.name) == ("unknown account", "")
    assert unknown.message == accounts.authenticate("amina", "wrong password!!").message
    # A single sign-on account has no password: a local sign-in never succeeds.
    assert accounts.authenticate("sso@example.org", "").account is None
    accounts.set_disabled("amina", True)
    assert accounts.authenticate("amina", GOOD).reason == "disabled"
    accounts.set_disabled("amina", False)
    assert accounts.authenticate("amina", GOOD).account is not None


def test_repeated_failures_lock_the_account_for_a_while(tmp_path):
    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("amina", Role.EDITOR, GOOD)
    now = 1_000_000.0
    reasons = [accounts.authenticate("amina", "guess number one", now).reason
               for _ in range(MAX_FAILURES)]  # fmt: skip
    assert reasons[-1] == "locked"
    # Even the right password is refused while locked ...
    assert accounts.authenticate("amina", GOOD, now + 60).reason == "locked"
    # ... and accepted once the lock has passed.
    assert accounts.authenticate("amina", GOOD, now + 16 * 60).reason == "ok"


def run_cli(args: list[str], stdin: str = "", monkeypatch=None) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(args)


def test_users_command_line_changes_accounts_and_logs_each_change(tmp_path, monkeypatch, capsys):
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
    capsys.readouterr()
    assert run_cli(["--db", db, "users", "list"], "", monkeypatch) == 0
    listing = capsys.readouterr().out
    assert "Amina" in listing and "admin" in listing and "disabled" in listing
    # The accounts live next to the GeoPackage, never inside it.
    accounts = Accounts(Path(db + ".users.sqlite"))
    assert accounts.authenticate("amina", "another long passphrase").account is not None
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
