"""A town's Arabic name, as an Arabic page shows it on the map and in the detail panel."""

from __future__ import annotations

import pytest

from geodata.spellings import arabic_name, arabic_of


@pytest.mark.parametrize(
    ("spelling", "arabic"),
    [
        ("Tarhuna", "ترهونة"),
        ("Tarhouna", "ترهونة"),  # the example's own spelling
        ("ترهونة", "ترهونة"),
        ("Tripoli", "طرابلس"),  # the committed alias, not GeoNames' first (Persian) form
        ("Benghazi", "بنغازي"),
        ("Misrata", "مصراتة"),
        ("Nowhere at all", ""),
    ],
)
def test_a_towns_arabic_name(spelling: str, arabic: str) -> None:
    assert arabic_name(spelling, "LY") == arabic


def test_persian_kurdish_and_marked_spellings_are_not_taken() -> None:
    assert arabic_of(["Tripoli", "ترىپولى", "تەرابلوس", "طَرَابُلُس", "طرابلس، لیبیا"]) == ""
    assert arabic_of(["sbھa", "سبها"]) == "سبها"
