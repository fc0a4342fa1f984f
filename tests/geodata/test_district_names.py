"""One display name per district code, and every known name searchable."""

from __future__ import annotations

import pytest

from geodata import district_by_code
from geodata.district_names import (
    display_name,
    known_names,
    reader_label,
    reader_name,
    search_label,
)


def test_a_district_has_one_display_name_whatever_the_record_calls_it() -> None:
    assert display_name("LY-MB", "Al Marqab") == "Murqub" == display_name("ly-mb")
    district = district_by_code("LY-MB")
    assert district is not None and display_name("LY-MB") == district.name_en
    assert display_name("XX-ZZ", "Somewhere") == "Somewhere"  # not bundled: as recorded


@pytest.mark.parametrize("typed", ["Marqab", "marqab", "Murgub", "Khoms", "المرقب", "LY-MB"])
def test_every_known_name_finds_the_district_in_its_filter_label(typed: str) -> None:
    label = search_label("LY-MB")
    assert label.startswith("Murqub (LY-MB)")  # what a chosen chip shows first
    assert typed.casefold() in label.casefold()


def test_known_names_list_each_name_once_display_name_first() -> None:
    names = known_names("LY-MB")
    assert names[0] == "Murqub" and "Al Marqab" in names and "LY-MB" in names
    assert len(names) == len(set(names))
    assert known_names("XX-ZZ") == () and search_label("XX-ZZ") == "XX-ZZ"


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Murqub"), ("fr", "Murqub"), ("ar", "شعبية المرقب")]
)
def test_the_reader_sees_the_districts_name_in_their_language(language: str, name: str) -> None:
    assert reader_name("LY-MB", language, "Al Marqab (LY-MB)") == name
    assert reader_label("ly-mb", language, "Al Marqab (LY-MB)") == f"{name} (LY-MB)"
    assert search_label("LY-MB", language).startswith(f"{name} (LY-MB) · ")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_district_not_bundled_keeps_the_records_spelling(language: str) -> None:
    assert reader_name("XX-ZZ", language, "Somewhere") == "Somewhere"
    assert reader_name("", language, "Somewhere") == "Somewhere"
    assert reader_label("", language, "Somewhere") == "Somewhere"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("typed", ["Marqab", "Murqub", "Murgub", "المرقب", "شعبية المرقب"])
def test_every_known_name_is_in_the_label_in_every_language(language: str, typed: str) -> None:
    label = search_label("LY-MB", language)
    assert typed.casefold() in label.casefold()
    assert label.count("Murqub") == 1  # the one name once, not again among the others


def test_the_tripoli_district_is_named_alike_in_arabic_and_english() -> None:
    """Natural Earth gives LY-TN the former Tajura district's Arabic name while every
    view names it "Tripoli District"; the Arabic reader sees Tripoli too, and the old
    name still finds it in the filter."""
    assert reader_name("LY-TN", "en") == "Tripoli District"
    assert reader_name("LY-TN", "ar") == "شعبية طرابلس"
    assert "شعبية طرابلس" in known_names("LY-TN") and "طرابلس" in known_names("LY-TN")
    assert any("تاجوراء" in name for name in known_names("LY-TN"))
