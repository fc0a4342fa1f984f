"""The normalising table is built from committed ranges; it must delete exactly what
testing every code point of the Basic Multilingual Plane deleted."""

from __future__ import annotations

import re
import unicodedata

from geodata._combining import COMBINING_RANGES
from geodata._text import _AR_MAP, _QUOTES, _table, normalize

_AR_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e]"
)


def test_the_committed_ranges_are_this_pythons_combining_marks() -> None:
    listed = {cp for start, end in COMBINING_RANGES for cp in range(start, end + 1)}
    assert listed == {cp for cp in range(0x10000) if unicodedata.combining(chr(cp))}


def test_the_table_is_the_one_testing_every_code_point_built() -> None:
    before: dict[int, int | str | None] = {
        cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))
    }
    before.update({cp: None for cp in range(0x10000) if _AR_MARKS.match(chr(cp))})
    before.update({ord(q): None for q in _QUOTES})
    before.update(_AR_MAP)
    assert _table() == before
    assert normalize("Tarhūnah") == normalize("TARHUNAH")
