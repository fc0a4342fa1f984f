"""Which new passwords are refused: too short or long, common, or trivially patterned.

Length alone let through "password1234", "123456789012" and twelve spaces. Guessing
tools try common passwords first, then the same with digits or symbols around them,
then runs and repeats, then the account's own name: each of those is refused here
with a sentence saying what to choose instead.

The common passwords are zxcvbn's bundled list (30,000 most frequent passwords of
leaked sets, as ranked by the zxcvbn project; the Python port on PyPI, MIT licence,
pinned in requirements.txt), so no list is kept in this repository.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata

from incidents.translation import N_, _

MIN_LENGTH = 12
MAX_LENGTH = 1024  # the same bound as hashing's: a megabyte "password" is a cheap attack
MIN_NAME_LENGTH = 3  # a one- or two-letter name is in too many good passwords to refuse them

ADVICE = N_("choose a phrase of several unrelated words")
# Runs a guessing tool tries: the alphabet, digits (9 wraps to 0, as on "1234567890"),
# and keyboard rows. A password that reads along one of them, either way, is a run.
_RUNS = (
    string.ascii_lowercase,
    string.digits,
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_AROUND = " " + string.digits + string.punctuation


class WeakPassword(ValueError):
    """The password is refused; the message says what a good one needs."""


def check_strength(password: str, name: str = "") -> None:
    """Raise WeakPassword, with the reason and what to do instead, for a weak password."""
    problem = weakness(password, name)
    if problem:
        raise WeakPassword(problem)


def weakness(password: str, name: str = "") -> str:
    """Why password is too weak for the account name ("" when it is acceptable)."""
    if len(password) > MAX_LENGTH:
        return _("a password can have at most {n} characters").format(n=MAX_LENGTH)
    folded = _fold(password)
    bare = "".join(folded.split())  # spaces do not make "1 2 3 4 5 6" any harder to guess
    key = _fold(name)
    named = len(key) >= MIN_NAME_LENGTH and key in folded
    run = N_("a password cannot be a run of letters, digits or keys like 'abcd' or '1234'")
    rules = (
        (not bare, N_("a password cannot be only spaces")),
        (len(password) < MIN_LENGTH, N_("a password needs at least {n} characters")),
        (named, N_("a password must not contain the account name")),
        (len(set(bare)) == 1, N_("a password cannot be one character repeated")),
        (_is_run(bare), run),
        (re.fullmatch(r"(.+?)\1+", bare, flags=re.DOTALL) is not None,
         N_("a password cannot be the same few characters repeated")),
    )  # fmt: skip
    advised = _("{why}; {advice}")
    for broken, why in rules:
        if broken:
            return advised.format(why=_(why).format(n=MIN_LENGTH), advice=_(ADVICE))
    if _is_common(folded):
        why = _("this password is on a list of the most common passwords")
        return advised.format(why=why, advice=_(ADVICE))
    return ""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _is_run(text: str) -> bool:
    for run in _RUNS:
        for way in (run, run[::-1]):
            cycled = way * (len(text) // len(way) + 2)
            if text in cycled:
                return True
    return False


def _is_common(folded: str) -> bool:
    """The password, with spaces taken out or digits and symbols trimmed from its
    ends ("password1234", "!!monkey!!2024"), is one of the common passwords."""
    common = _common_passwords()
    bare = "".join(folded.split())
    trimmed = folded.strip(_AROUND)
    return any(c in common for c in (folded, bare, trimmed, "".join(trimmed.split())))


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 30,000 names: loaded when needed

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= 4)
