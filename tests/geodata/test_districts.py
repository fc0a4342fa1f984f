"""District and country boundaries: real committed extracts, no network, no mocks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely

import geodata
from geodata import districts

DATA = Path(districts.__file__).resolve().parent / "data"
TARHUNA = (32.43501, 13.6332)


def test_extract_has_22_libyan_districts_with_names() -> None:
    gdf = geodata.admin1_frame("LY")
    assert len(gdf) == 22
    assert list(gdf.columns) == ["code", "name_en", "name_ar", "gn_id", "country", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf["code"].is_unique
    assert gdf["code"].str.match(r"^LY-[A-Z]{2}$").all()
    assert (gdf["name_en"].str.len() > 0).all()
    assert gdf["name_ar"].map(lambda s: any("\u0600" <= c <= "\u06ff" for c in s)).all()
    assert (gdf["country"] == "LY").all()
    assert gdf.geometry.is_valid.all()
    assert not gdf.geometry.is_empty.any()


def test_frames_are_copies() -> None:
    gdf = geodata.admin1_frame()
    gdf.loc[0, "name_en"] = "changed"
    assert geodata.admin1_frame().loc[0, "name_en"] != "changed"
    cf = geodata.countries_frame()
    cf.loc[0, "name"] = "changed"
    assert geodata.countries_frame().loc[0, "name"] != "changed"


def test_committed_files_are_small_and_rounded() -> None:
    assert (DATA / "admin1_LY.geojson").stat().st_size < 200_000
    assert (DATA / "countries.geojson").stat().st_size < 1_500_000
    feat = json.loads((DATA / "admin1_LY.geojson").read_text(encoding="utf-8"))["features"][0]
    x, y = feat["geometry"]["coordinates"][0][0]
    assert round(x, 5) == x
    assert round(y, 5) == y


def test_tarhuna_is_in_murqub() -> None:
    d = geodata.district_at(*TARHUNA)
    assert d is not None
    assert d.code == "LY-MB"
    assert d.name_en == "Murqub"
    assert d.name_ar == "شعبية المرقب"
    assert d.country == "LY"
    assert d.gn_id == 7602691


def test_district_centroids_lie_inside_their_polygon() -> None:
    gdf = geodata.admin1_frame()
    for row in gdf.itertuples():
        d = geodata.district_by_code(row.code)
        assert d is not None
        assert row.geometry.contains(shapely.Point(d.centroid_lon, d.centroid_lat))
        assert geodata.district_at(d.centroid_lat, d.centroid_lon) == d


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (34.0, 18.0),  # Gulf of Sidra, open sea
        (33.2, 13.2),  # off Tripoli
        (36.0, 15.0),  # between Malta and Sicily
        (0.0, 0.0),
    ],
)
def test_points_at_sea_have_no_district(lat: float, lon: float) -> None:
    assert geodata.district_at(lat, lon) is None
    assert geodata.districts_for_points([lat], [lon]) == [None]


def test_points_abroad_have_their_own_district_and_country() -> None:
    tunis = geodata.district_at(36.8, 10.18)
    assert tunis is not None
    assert (tunis.code, tunis.country) == ("TN-11", "TN")
    assert geodata.district_at(36.8, 10.18, country="LY") is None
    assert geodata.country_of_point(36.8, 10.18) == "TN"
    assert geodata.country_of_point(30.04, 31.24) == "EG"  # Cairo
    assert geodata.country_of_point(*TARHUNA) == "LY"
    assert geodata.country_of_point(34.0, 18.0) is None


def test_country_filter() -> None:
    assert geodata.district_at(*TARHUNA, country="LY") is not None
    assert geodata.district_at(*TARHUNA, country="SY") is None


def test_districts_for_points_matches_single_lookups() -> None:
    rng = np.random.default_rng(42)
    lats = rng.uniform(18.0, 35.0, 2_000)
    lons = rng.uniform(8.0, 27.0, 2_000)
    codes = geodata.districts_for_points(lats, lons, country="LY")
    assert len(codes) == 2_000
    assert {c for c in codes if c} == set(geodata.admin1_frame()["code"])
    assert None in codes
    for lat, lon, code in list(zip(lats, lons, codes, strict=True))[:200]:
        d = geodata.district_at(lat, lon, country="LY")
        assert (d.code if d else None) == code
    anywhere = geodata.districts_for_points(lats, lons)
    assert {c[:2] for c in anywhere if c} >= {"LY", "TN", "DZ", "EG", "TD", "NE", "SD"}
    # Neighbours are simplified to ~2-5 km, Libya to ~100 m: a point within a few
    # km of the border may land in both; anywhere else the answers agree.
    same = [a == c for a, c in zip(anywhere, codes, strict=True) if c]
    assert sum(same) >= 0.99 * len(same)


def test_districts_for_points_many_points_and_bad_input() -> None:
    rng = np.random.default_rng(0)
    n = 100_000
    lats = rng.normal(TARHUNA[0], 0.5, n)
    lons = rng.normal(TARHUNA[1], 0.5, n)
    codes = geodata.districts_for_points(lats, lons)
    assert len(codes) == n
    assert codes.count("LY-MB") > n // 10
    assert geodata.districts_for_points([math.nan, TARHUNA[0]], [13.0, TARHUNA[1]]) == [
        None,
        "LY-MB",
    ]
    assert geodata.districts_for_points([], []) == []
    with pytest.raises(ValueError, match="differ in length"):
        geodata.districts_for_points([1.0, 2.0], [1.0])


@pytest.mark.parametrize(
    "name",
    ["Al Marqab", "Murqub", "murqub", "المرقب", "شعبية المرقب", "LY-MB", "ly-mb", "Al-Marqab"],
)
def test_find_district_murqub(name: str) -> None:
    d = geodata.find_district(name)
    assert d is not None
    assert d.code == "LY-MB"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Misrata", "LY-MI"),
        ("Misurata", "LY-MI"),
        ("شعبية مصراتة", "LY-MI"),
        ("Sebha", "LY-SB"),
        ("Benghazi", "LY-BA"),
        ("بنغازي", "LY-BA"),
        ("Tripoli District", "LY-TN"),
        ("Surt", "LY-SR"),
        ("Kufra", "LY-KF"),
    ],
)
def test_find_district_other_names(name: str, code: str) -> None:
    d = geodata.find_district(name)
    assert d is not None
    assert d.code == code


@pytest.mark.parametrize("name", ["", "asdfgh", "Unknown", "District", "Wadi", "Derna"])
def test_find_district_rejects_unknown(name: str) -> None:
    assert geodata.find_district(name) is None


def test_district_by_code() -> None:
    assert geodata.district_by_code("ly-mb") == geodata.find_district("Murqub")
    assert geodata.district_by_code("LY-XX") is None


def test_countries_frame_and_bounds() -> None:
    cf = geodata.countries_frame()
    assert list(cf.columns) == ["iso2", "name", "geometry"]
    assert cf.crs.to_epsg() == 4326
    assert cf.geometry.is_valid.all()
    libya = cf[cf["iso2"] == "LY"]
    assert libya["name"].tolist() == ["Libya"]
    assert "XK" in set(cf["iso2"])  # Kosovo: no ISO number, matched by name
    minx, miny, maxx, maxy = geodata.country_bounds("ly")
    assert 9.0 < minx < 10.0
    assert 19.0 < miny < 20.0
    assert 25.0 < maxx < 25.5
    assert 33.0 < maxy < 33.5
    with pytest.raises(KeyError):
        geodata.country_bounds("QQ")


def test_attribution_names_both_sources() -> None:
    assert "GeoNames" in geodata.ATTRIBUTION
    assert "Natural Earth" in geodata.ATTRIBUTION
    assert "CC BY 4.0" in geodata.ATTRIBUTION


def test_available_countries() -> None:
    assert "LY" in geodata.available_countries()
    with pytest.raises(FileNotFoundError, match="build_geodata"):
        geodata.admin1_frame("QQ")


def test_the_main_country_is_where_most_incidents_are() -> None:
    """From district codes counted (any order, empty and malformed codes ignored)."""
    counts = [("LY-TB", 2), ("", 40), ("AF-BAL", 3), ("AF-KAP", 1), ("junk", 9), ("LY-MB", 1)]
    assert geodata.countries_of(counts) == ("AF", "LY")
    assert geodata.main_country(counts) == "AF"
    assert geodata.main_country([("", 5)]) == geodata.FALLBACK_COUNTRY
    assert geodata.countries_of([("AF-BAL", 0)]) == ()


def test_a_code_without_a_dash_or_outlines_names_no_country() -> None:
    """'TB' alone, a CSV's 'NA', a made-up 'ZZ-AA': no map could be drawn of them, so
    they never choose the map's country (the page would fail on missing outlines)."""
    counts = [("TB", 50), ("NA", 40), ("ZZ-AA", 30), ("LY-TB", 1)]
    assert geodata.countries_of(counts) == ("LY",)


def test_a_records_country_is_its_own_else_its_districts_else_the_fallback() -> None:
    assert geodata.record_country("af", "LY-MB") == "AF"
    assert geodata.record_country(None, "AF-KAB") == "AF"
    assert geodata.record_country("", " af-kab ") == "AF"
    assert geodata.record_country("", "") == geodata.FALLBACK_COUNTRY
    assert geodata.record_country(None, "junk") == geodata.FALLBACK_COUNTRY
    assert geodata.record_country(float("nan"), float("nan")) == geodata.FALLBACK_COUNTRY
