"""New passwords: common and trivially patterned ones are refused, each with a sentence."""

from __future__ import annotations

import pytest

from incidents.access import Role
from incidents.auth import passwords
from incidents.auth.accounts import Accounts
from incidents.auth.passwords import ScryptCost
from incidents.auth.strength import MIN_LENGTH, WeakPassword, check_strength, weakness


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (" " * 12, "only spaces"),
        ("\t \u00a0" * 5, "only spaces"),
        ("password1234", "most common passwords"),
        ("Dragon!!1234", "most common passwords"),  # common, with digits and symbols added
        ("iloveyou 2024", "most common passwords"),
        ("123456789012", "run of letters, digits or keys"),  # 9 wraps to 0, as on a keyboard
        ("abcdefghijklm", "run of letters, digits or keys"),
        ("ZYXWVUTSRQPO", "run of letters, digits or keys"),
        ("qwertyuiopasd", "run of letters, digits or keys"),
        ("1 2 3 4 5 6 7 8 9", "run of letters, digits or keys"),
        ("aaaaaaaaaaaa", "one character repeated"),
        ("............", "one character repeated"),
        ("abcabcabcabc", "same few characters repeated"),
        ("passwordpassword", "same few characters repeated"),
        ("amina's own secret", "the account name"),
        ("my AMINA words here", "the account name"),
        ("short", f"at least {MIN_LENGTH} characters"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, why):
    assert why in weakness(password, "Amina")
    with pytest.raises(WeakPassword, match="choose a phrase of several unrelated words"):
        check_strength(password, "Amina")


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "a long test passphrase",  # the passwords the other test suites use
        "a long passphrase for the browser test",
        "another long passphrase",
        "throw-away-Passw0rd-7!",
        "olive tree under the bridge",
        "زيتونة تحت الجسر القديم",
    ],
)
def test_reasonable_passphrases_are_accepted(password):
    assert weakness(password, "amina") == ""


def test_a_short_name_does_not_forbid_its_letters():
    assert weakness("olive tree under the bridge", "Al") == ""


def test_accounts_refuse_weak_passwords_on_creation_and_change(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "COST", ScryptCost(2**10, 8, 1))
    accounts = Accounts(tmp_path / "users.sqlite")
    for weak in (" " * 12, "password1234", "123456789012"):
        with pytest.raises(WeakPassword):
            accounts.add("amina", Role.ADMIN, weak)
    accounts.add("amina", Role.ADMIN, "olive tree under the bridge")
    with pytest.raises(WeakPassword, match="account name"):
        accounts.set_password("amina", "amina amina amina")
