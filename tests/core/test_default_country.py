"""The default country an import offers (incidents.default_country)."""

from __future__ import annotations

import pytest

from incidents.default_country import suggested_country


def _never() -> tuple[str, ...]:
    raise AssertionError("the store is read only when the file names no country")


@pytest.mark.parametrize(
    ("cells", "offered"),
    [
        (["Somalia", "SO", " somalia ", "Libya", ""], "SO"),  # spellings counted together
        (["LY", "Libya", "SO", "SO"], "LY"),  # tie: two each, the first code in order
        (["ليبيا", "ليبيا", "Somalia"], "LY"),  # Arabic names count too
        (["Somalia", "Atlantis", "Atlantis"], "SO"),  # what is no country counts for none
    ],
)
def test_the_file_s_most_named_country_is_offered(cells, offered):
    assert suggested_country({"country": cells}, _never) == offered


def test_a_file_naming_none_offers_the_stored_records_country_else_libya():
    assert suggested_country({"country": ["", None]}, lambda: ("AF", "SO")) == "AF"
    assert suggested_country({"place": ["Baidoa"]}, lambda: ("SO",)) == "SO"
    assert suggested_country({}, tuple) == "LY"  # an empty store: the first case served


def test_hostile_cells_are_data():
    cells = ["{{ 7*7 }}", '=HYPERLINK("x")', "\u202eaylibL", "x" * 1_000_000, "Libya"]
    assert suggested_country({"country": cells}, _never) == "LY"
