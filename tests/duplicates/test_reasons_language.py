"""The reasons a pair is proposed are written in the reader's language, with their
numbers, and the same codes give the English words in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from incidents import translation
from incidents.duplicates import reason_text
from incidents.duplicates.profile import profile
from incidents.record import Source
from tests.duplicates.blocked_pairs import compare
from tests.duplicates.test_scoring import ARTICLE, record


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    translation.set_language("en")


def _text(lang: str) -> str:
    translation.set_language(lang)
    a = record("org-1", sources=(ARTICLE,), killed_best=12)
    b = record(
        "acled:LBY1",
        title="مقبرة جماعية في ترهونة",
        latitude=32.46,
        longitude=13.62,
        location_precision="town",
        source_event_id="acled:LBY1",
        sources=(Source("x", "ACLED", "", "http://reuters.com/a/1/"),),
        killed_best=12,
    )
    return reason_text(compare(profile(a), profile(b)))


def test_reasons_in_arabic() -> None:
    text = _text("ar")
    for words in (
        "اليوم نفسه",
        "على بعد 3 كم",
        "كلاهما يستشهد بالمصدر نفسه",
        "كلاهما يذكر 12 قتيلاً",
    ):
        assert words in text
    assert "، " in text
    assert not any("a" <= ch.lower() <= "z" for ch in text), text


def test_reasons_in_french() -> None:
    text = _text("fr")
    for words in ("même jour", "à 3 km l’un de l’autre", "les deux citent la même source"):
        assert words in text
    assert "les deux font état de 12 tués" in text
    assert "same" not in text and "apart" not in text


def test_reasons_in_english_are_unchanged() -> None:
    text = _text("en")
    assert "same day, 3 km apart" in text and "both say 12 killed" in text


def test_days_apart_counts_in_arabic() -> None:
    translation.set_language("ar")
    a = record("a")
    b = record("b", date_start=record("x").date_start.replace(day=4), date_end=None)
    b = b.replace(date_end=b.date_start)
    said = reason_text(compare(profile(a), profile(b)))
    assert "بفارق 3 أيام" in said, said
