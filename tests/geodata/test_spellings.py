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
        ("Sirte", "سرت"),  # three letters: the search's spellings leave such names out
        ("Ghat", "غات"),
        ("Nowhere at all", ""),
    ],
)
def test_a_towns_arabic_name(spelling: str, arabic: str) -> None:
    assert arabic_name(spelling, "LY") == arabic


def test_persian_kurdish_and_marked_spellings_are_not_taken() -> None:
    assert arabic_of(["Tripoli", "ترىپولى", "تەرابلوس", "طَرَابُلُس", "طرابلس، لیبیا"]) == ""
    assert arabic_of(["sbھa", "سبها"]) == "سبها"


def test_a_town_is_named_before_the_unit_around_it() -> None:
    """GeoNames lists "شعبية يفرن" (Yafran's district) first: the Arabic map said so."""
    assert arabic_name("Yafran", "LY") == "يفرن"
    assert arabic_of(["Oran", "ولاية وهران", "وهران"]) == "وهران"
    assert arabic_of(["Nahiyat Bahar", "ناحية بحار"]) == "ناحية بحار"  # no other name


def test_the_detail_panel_and_the_map_name_a_town_alike() -> None:
    from incidents.maps.place_labels import arabic_names, label_rows

    labels = {row[2]: arabic for row, arabic in zip(label_rows(), arabic_names(), strict=True)}
    for town in ("Tarhuna", "Sirte", "Ghat", "Tripoli", "Benghazi"):
        assert labels[town] == arabic_name(town, "LY"), town


def test_a_stray_direction_mark_is_not_part_of_a_name() -> None:
    assert arabic_of(["Al Abyar", "الأبيار\u200e"]) == "الأبيار"


# Libyan towns whose Arabic name is not known here (neither GeoNames nor aliases.csv):
# an Arabic page names them as the record spells them. The first two romanizations
# cannot be read back with confidence; قصر ليبيا as an alias would also find Bani Walid
# (aliases must resolve to their own town).
NO_ARABIC_YET = {"Al-'Alūaṣ", "Umm Sā'ad", "Qaşr Lībiyā"}


def test_every_libyan_town_but_three_has_its_arabic_name() -> None:
    """Sixteen towns (At Taj, Sultan, Al Uwaynat...) were written in Latin letters on
    Arabic maps and exports; aliases.csv now gives thirteen of them their Arabic name."""
    from geodata.gazetteer import load_places

    missing = {p.names[0] for p in load_places("LY") if not arabic_of(p.names)}
    assert missing == NO_ARABIC_YET
    assert arabic_name("Sultan", "LY") == "سلطان"
    assert arabic_name("At Taj", "LY") == "التاج"
