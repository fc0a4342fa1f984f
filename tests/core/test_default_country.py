"""The default country an import offers (incidents.default_country)."""

from __future__ import annotations

import pytest

from incidents.default_country import FALLBACK, FROM_FILE, FROM_STORE, Offer, offered_country


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
    assert offered_country({"country": cells}, _never) == Offer(offered, FROM_FILE)


def test_a_file_naming_none_offers_the_stored_records_country_else_libya():
    """Each offer says where it comes from: the summary names it ("placed in Somalia
    (SO), the country most stored records are in"), not "the project's" whatever."""
    assert offered_country({"country": ["", None]}, lambda: ("AF", "SO")) == ("AF", FROM_STORE)
    assert offered_country({"place": ["Baidoa"]}, lambda: ("SO",)) == ("SO", FROM_STORE)
    assert offered_country({}, tuple) == ("LY", FALLBACK)  # an empty store: the first case


def test_hostile_cells_are_data():
    cells = ["{{ 7*7 }}", '=HYPERLINK("x")', "\u202eaylibL", "x" * 1_000_000, "Libya"]
    assert offered_country({"country": cells}, _never).code == "LY"
