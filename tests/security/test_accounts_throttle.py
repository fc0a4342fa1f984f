"""Failed sign-ins: one answer and one hash for every failure, throttled by client and
overall, never an account locked. Real accounts files; scrypt is counted, not replaced."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from incidents.access import Role
from incidents.auth import passwords
from incidents.auth.accounts import WRONG, Accounts
from incidents.auth.passwords import ScryptCost
from incidents.auth.settings import load_settings
from incidents.auth.throttle import (
    CLIENT_WINDOW,
    GLOBAL_PER_MINUTE,
    PER_CLIENT,
    ThrottlePolicy,
    client_address,
)

GOOD = "correct horse battery staple"
NOW = 1_000_000.0


@pytest.fixture
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented test-only cost (passwords.COST), so many attempts stay fast."""
    monkeypatch.setattr(passwords, "COST", ScryptCost(2**10, 8, 1))


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """Every scrypt computation, with its (n, r, p): hashlib's own, wrapped to count."""
    calls: list[tuple[int, int, int]] = []
    real: Callable[..., bytes] = hashlib.scrypt

    def counted(password: bytes, **kw: Any) -> bytes:
        calls.append((kw["n"], kw["r"], kw["p"]))
        return real(password, **kw)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls


def make_accounts(path: Path, policy: ThrottlePolicy | None = None) -> Accounts:
    accounts = Accounts(path / "users.sqlite", policy)
    accounts.add("Ada", Role.ADMIN, GOOD)
    accounts.add("sso@example.org", Role.VIEWER, method="oidc")
    accounts.add("Gone", Role.VIEWER, GOOD)
    accounts.set_disabled("gone", True)
    return accounts


def test_every_failure_gives_the_same_answer_and_the_same_work(tmp_path, scrypt_calls):
    """Unknown, known with a wrong password, single sign-on only, disabled, blank: one
    scrypt computation each, at the production cost, and the same sentence. Before,
    only the answer was alike, and only until an account was locked."""
    accounts = make_accounts(tmp_path)
    scrypt_calls.clear()
    tries = [("nobody", GOOD), ("ada", "not the password"), ("sso@example.org", GOOD),
             ("gone", GOOD), ("gone", "not the password"), ("", GOOD), ("   ", "")]  # fmt: skip
    for number, (name, password) in enumerate(tries):
        result = accounts.authenticate(name, password, client=f"client {number}", now=NOW)
        assert result.account is None
        assert result.message == WRONG
        assert scrypt_calls == [(2**17, 8, 1)], (name, password)
        scrypt_calls.clear()


def test_after_five_failures_a_known_and_an_unknown_name_answer_alike(
    tmp_path, cheap, scrypt_calls
):
    """The old code answered "locked" for a real name and "wrong" for an unknown one."""
    accounts = make_accounts(tmp_path)
    for _ in range(PER_CLIENT):
        assert accounts.authenticate("ada", "guess", client="x", now=NOW).message == WRONG
    scrypt_calls.clear()
    known = accounts.authenticate("ada", "guess", client="x", now=NOW + 1)
    unknown = accounts.authenticate("nobody", "guess", client="x", now=NOW + 1)
    assert known.reason == unknown.reason == "throttled"
    assert known.message == unknown.message
    assert "Too many failed sign-ins from here" in known.message
    assert scrypt_calls == []  # neither checks a password: the same (no) work
    # After five failures a name that was never tried answers as one that was.
    fresh = accounts.authenticate("nobody", "guess", client="y", now=NOW + 1)
    tried = accounts.authenticate("ada", "guess", client="z", now=NOW + 1)
    assert fresh.message == tried.message == WRONG


def test_the_owner_signs_in_from_another_client_while_a_guesser_waits(tmp_path, cheap):
    accounts = make_accounts(tmp_path)
    for _ in range(PER_CLIENT):
        accounts.authenticate("ada", "guess", client="address:203.0.113.9", now=NOW)
    # The guesser is held even with the right password: it is not checked ...
    held = accounts.authenticate("ada", GOOD, client="address:203.0.113.9", now=NOW + 60)
    assert held.reason == "throttled" and held.account is None
    assert "wait 14 minutes" in held.message
    # ... while the owner, elsewhere, signs in at once: no account is locked.
    owner = accounts.authenticate("ada", GOOD, client="address:198.51.100.4", now=NOW + 60)
    assert owner.reason == "ok"
    # And the guesser's turn comes back once the window has passed.
    later = NOW + CLIENT_WINDOW + 1
    assert (
        accounts.authenticate("ada", GOOD, client="address:203.0.113.9", now=later).reason == "ok"
    )


def test_a_client_is_throttled_whichever_names_it_tries(tmp_path, cheap):
    accounts = make_accounts(tmp_path)
    for number in range(PER_CLIENT):
        accounts.authenticate(f"name {number}", "guess", client="x", now=NOW + number)
    assert accounts.authenticate("sso@example.org", "", client="x", now=NOW + 9).reason == (
        "throttled"
    )


def test_a_success_is_not_counted_and_does_not_wipe_the_failures(tmp_path, cheap):
    """Signing in to one's own account must not buy more guesses at another."""
    accounts = make_accounts(tmp_path)
    for _ in range(PER_CLIENT - 1):
        accounts.authenticate("ada", "guess", client="x", now=NOW)
    assert accounts.authenticate("ada", GOOD, client="x", now=NOW).reason == "ok"
    assert accounts.authenticate("ada", "guess", client="x", now=NOW).reason == "wrong password"
    assert accounts.authenticate("ada", GOOD, client="x", now=NOW).reason == "throttled"


def test_a_global_cap_slows_every_client_for_a_minute(tmp_path, cheap):
    """Many clients each under their own limit (a spread-out attack) still meet the cap."""
    accounts = make_accounts(tmp_path, ThrottlePolicy(global_limit=3))
    for number in range(3):
        accounts.authenticate("ada", "guess", client=f"bot {number}", now=NOW)
    capped = accounts.authenticate("ada", GOOD, client="someone new", now=NOW + 10)
    assert capped.reason == "throttled"
    assert capped.message == (
        "Too many failed sign-ins on this site just now: wait a minute, then try again."
    )
    assert accounts.authenticate("ada", GOOD, client="someone new", now=NOW + 61).reason == "ok"


def test_the_production_limits(tmp_path):
    policy = ThrottlePolicy()
    assert (policy.per_client, policy.client_window) == (PER_CLIENT, CLIENT_WINDOW) == (5, 900)
    assert (policy.global_limit, policy.global_window) == (GLOBAL_PER_MINUTE, 60) == (60, 60)
    assert Accounts(tmp_path / "users.sqlite").policy == policy


def test_every_process_and_session_on_the_file_shares_the_counts(tmp_path, cheap):
    """Two Accounts on one file (two app processes, or a restarted one) see the same
    failures: the counts live in the accounts file, not in one process's memory."""
    first = make_accounts(tmp_path)
    second = Accounts(first.path)
    for _ in range(PER_CLIENT):
        first.authenticate("ada", "guess", client="x", now=NOW)
    assert second.authenticate("ada", GOOD, client="x", now=NOW + 1).reason == "throttled"


def test_parallel_guesses_cannot_slip_past_the_limit(tmp_path, cheap, scrypt_calls):
    """Attempts are counted before their password is checked, in one locked step."""
    accounts = make_accounts(tmp_path)
    scrypt_calls.clear()
    results: list[str] = []
    start = threading.Barrier(12)

    def guess() -> None:
        start.wait()
        results.append(accounts.authenticate("ada", "guess", client="x", now=NOW).reason)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("wrong password") == PER_CLIENT
    assert results.count("throttled") == 12 - PER_CLIENT
    assert len(scrypt_calls) == PER_CLIENT


def test_the_failures_table_holds_no_address(tmp_path, cheap):
    accounts = make_accounts(tmp_path)
    accounts.authenticate("ada", "guess", client="address:203.0.113.9", now=NOW)
    assert b"203.0.113.9" not in accounts.path.read_bytes()


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", [], (), "203.0.113.9"),
        ("203.0.113.9", ["10.0.0.1"], (), "203.0.113.9"),  # anyone can send the header
        (None, ["10.9.9.9, 198.51.100.4"], (), "198.51.100.4"),  # a proxy on this host
        ("192.0.2.1", ["10.9.9.9,198.51.100.4"], ("192.0.2.1",), "198.51.100.4"),
        (None, [], (), None),  # localhost, no proxy: the session's own key is used
        ("2001:db8:1:2:aaaa::1", [], (), "2001:db8:1:2::/64"),  # one /64 is one client
        ("::ffff:203.0.113.9", [], (), "203.0.113.9"),
        (None, ["2001:db8:1:2::99"], (), "2001:db8:1:2::/64"),
    ],
)
def test_the_client_address(peer, forwarded, trusted, expected):
    assert client_address(peer, forwarded, trusted) == expected


def test_trusted_proxies_are_read_from_the_environment():
    env = {"INCIDENTS_TRUSTED_PROXIES": "192.0.2.1, 192.0.2.2"}
    assert load_settings(env).trusted_proxies == ("192.0.2.1", "192.0.2.2")
    assert load_settings({}).trusted_proxies == ()
