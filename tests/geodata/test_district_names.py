"""One display name per district code, and every known name searchable."""

from __future__ import annotations

import pytest

from geodata import district_by_code
from geodata.district_names import display_label, display_name, known_names, search_label


def test_a_district_has_one_display_name_whatever_the_record_calls_it() -> None:
    assert display_name("LY-MB", "Al Marqab") == "Murqub" == display_name("ly-mb")
    assert display_label("LY-MB", "Al Marqab") == "Murqub (LY-MB)"
    district = district_by_code("LY-MB")
    assert district is not None and display_name("LY-MB") == district.name_en
    assert display_name("XX-ZZ", "Somewhere") == "Somewhere"  # not bundled: as recorded
    assert display_label("", "Somewhere") == "Somewhere"


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
