"""GeoJSON: features become rows, shapes a point on them, bad files a plain message;
real files with nested properties, OSM names and polygons import."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io import geojson, template
from incidents.io.formats import detect, read_any
from incidents.io.tabular import FileUnusable, Table
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "sample.geojson"
EDITOR = Viewer("test", Role.EDITOR)


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "incidents.gpkg")


def records() -> dict[int, dict[str, object]]:
    table = geojson.read(FIXTURE)
    return {n: dict(zip(table.header, cells, strict=True)) for n, cells in table.rows}


def test_features_become_numbered_rows() -> None:
    table = read_any(FIXTURE)
    assert [n for n, _ in table.rows] == [1, 2, 3, 4, 5]
    assert {"latitude", "longitude", "id", "type", "date_start"} <= set(table.header)
    assert detect(table) is template


def test_point_and_list_properties() -> None:
    first = records()[1]
    assert (first["latitude"], first["longitude"]) == (32.435, 13.6336)
    assert first["perpetrators"] == "Militia X (synthetic); Militia Y (synthetic)"
    assert first["killed_best"] == 12


def test_polygon_is_placed_on_its_surface_with_an_equal_area_radius() -> None:
    shape = records()[2]
    assert (shape["latitude"], shape["longitude"]) == pytest.approx((32.41, 13.61))
    assert shape["location_precision"] == "approximate"
    # A 0.02-degree square at 32.4 N is 1.88 km x 2.22 km, 4.17 km2: a circle of the
    # same area has a radius of 1.15 km (its half diagonal, 1.45 km, was used before).
    assert shape["location_uncertainty_km"] == pytest.approx(1.2, abs=0.05)


def test_a_crescent_is_placed_inside_itself() -> None:
    """A U-shaped site: its centroid lies in the gap, outside the site."""
    u_shape = [
        [
            *[[13.60, 32.40], [13.63, 32.40], [13.63, 32.43], [13.62, 32.43], [13.62, 32.41]],
            *[[13.61, 32.41], [13.61, 32.43], [13.60, 32.43], [13.60, 32.40]],
        ]
    ]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": u_shape}}
    table = geojson.read(Path("u.geojson"), json.dumps(feature).encode(), "u.geojson")
    row = dict(zip(table.header, table.rows[0][1], strict=True))
    from shapely.geometry import Point, shape

    site = shape(feature["geometry"])
    assert not site.contains(site.centroid)
    assert site.contains(Point(row["longitude"], row["latitude"]))


def test_stated_precision_is_kept_for_a_shape(tmp_path: Path) -> None:
    square = [[[13.6, 32.4], [13.62, 32.4], [13.62, 32.42], [13.6, 32.42], [13.6, 32.4]]]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": square},
        "properties": {"location_precision": "town"},
    }
    table = geojson.read(Path("x.geojson"), json.dumps(feature).encode(), "x.geojson")
    row = dict(zip(table.header, table.rows[0][1], strict=True))
    assert row["location_precision"] == "town"
    assert "location_uncertainty_km" not in row


def test_feature_without_geometry_has_no_point() -> None:
    row = records()[4]
    assert row["latitude"] is None and row["longitude"] is None
    assert row["admin1"] == "Murqub"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "FeatureCollection", "features": [', "not valid GeoJSON"),
        (b"[1, 2, 3]", "expected a FeatureCollection"),
        (b'{"type": "Topology"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Point"}]}', "feature 1"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_unusable_files_say_why(content: bytes, message: str) -> None:
    with pytest.raises(FileUnusable, match=message):
        geojson.read(Path("bad.geojson"), content, "bad.geojson")


def test_other_coordinate_systems_are_refused() -> None:
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [],
    }
    with pytest.raises(FileUnusable, match="not WGS84"):
        geojson.read(Path("m.geojson"), json.dumps(document).encode(), "m.geojson")


def test_invalid_json_upload_fails_the_import(store: GeoPackageStore) -> None:
    with pytest.raises(ImportFailed, match="not valid GeoJSON"):
        import_file("upload.geojson", store, EDITOR, data=b"{not json", name="upload.geojson")


def test_import_accounts_for_every_row(store: GeoPackageStore) -> None:
    report = import_file(FIXTURE, store, EDITOR)
    assert report.rows_read == 5
    assert report.imported + report.updated + len(report.rejected) == report.rows_read
    assert [r.row for r in report.rejected] == [5]  # type 'flood'
    grave = store.get("geo-002", EDITOR)
    assert grave is not None
    assert (grave.location_precision, grave.location_uncertainty_km) == ("approximate", 1.2)
    assert grave.sensitivity == "restricted"
    first = store.get("geo-001", EDITOR)
    assert first is not None
    assert first.perpetrators == ("Militia X (synthetic)", "Militia Y (synthetic)")
    secret = store.get("geo-003", EDITOR)
    assert secret is not None
    assert secret.victim_details == "SYNTHETIC — no real person"
    district = store.get("geo-004", EDITOR)
    assert district is not None
    assert (district.location_precision, district.admin1_code) == ("district", "LY-MB")


def test_upload_bytes_and_reimport(store: GeoPackageStore) -> None:
    data = FIXTURE.read_bytes()
    first = import_file("upload.geojson", store, EDITOR, data=data, name="upload.geojson")
    again = import_file(FIXTURE, store, EDITOR)
    assert first.imported == 4
    assert again.imported == 0
    assert again.unchanged == 4  # nothing changed, whether or not counted as updated


REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
UNMISS = REAL / "unmiss_incidents_osm_excerpt.geojson"


def test_nested_osm_properties_are_read() -> None:
    """UNMISS map: the incident's fields sit in properties.properties, namespaced
    (incident:date:start ...), beside OSM's name, name:ar and place=town."""
    rows = {r["id"]: r for r in _rows(read_any(UNMISS))}
    gumuruk = rows["node/2290290063"]
    assert gumuruk["date_start"] == "2022-12-24T00:00:00.000Z"
    assert gumuruk["source_url"].startswith("https://reliefweb.int/report/south-sudan/")
    assert gumuruk["place"] == "Gumuruk (قمروك)"  # the Arabic name kept in the place
    assert gumuruk["osm_place"] == "town"  # a kind of place, not its name
    assert (gumuruk["type"], gumuruk["tags"]) == ("other", "type: violence")
    assert rows["node/243415089"]["place"] == "Likuangole"
    assert "properties" not in read_any(UNMISS).header


def test_real_polygon_and_line_take_a_point_on_them_and_their_size() -> None:
    from pyproj import Geod
    from shapely.geometry import Point, shape

    features = json.loads(UNMISS.read_text(encoding="utf-8"))["features"]
    rows = {r["id"]: r for r in _rows(read_any(UNMISS))}
    polygon = next(f for f in features if f["geometry"]["type"] == "Polygon")
    area = shape(polygon["geometry"])
    row = rows[polygon["id"]]
    assert area.contains(Point(row["longitude"], row["latitude"]))
    square_m, _ = Geod(ellps="WGS84").geometry_area_perimeter(area)
    radius_km = (abs(square_m) / 3.141592653589793) ** 0.5 / 1000
    assert row["location_precision"] == "approximate"
    assert row["location_uncertainty_km"] == pytest.approx(radius_km, abs=0.05)
    line = next(f for f in features if f["geometry"]["type"] == "LineString")
    on_line = rows[line["id"]]
    point = Point(on_line["longitude"], on_line["latitude"])
    assert shape(line["geometry"]).distance(point) < 1e-5  # on the line (6 decimals kept)
    assert on_line["location_precision"] == "approximate" and on_line["location_uncertainty_km"] > 0


def test_real_unmiss_file_stores_every_feature(store: GeoPackageStore) -> None:
    """South Sudan: the file names no country; each feature takes the country its point
    is in (it was refused as far from Libya, the default), with no options."""
    report = import_file(UNMISS, store, EDITOR)
    assert (report.rows_read, report.imported, len(report.rejected)) == (4, 4, 0)
    gumuruk = store.get("node/2290290063", EDITOR)
    assert gumuruk is not None and gumuruk.country == "SS"
    assert (gumuruk.place, gumuruk.type, gumuruk.date_start.isoformat()) == (
        "Gumuruk (قمروك)",
        "other",
        "2022-12-24",
    )
    assert gumuruk.sources[0].url.startswith("https://reliefweb.int/")
    assert "type: violence" in gumuruk.tags
    assert any('"violence" as Other (4)' in note for note in report.notes)  # said so


def _rows(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.header, cells, strict=True)) for _, cells in table.rows]


def test_real_lebanon_fires_import_with_a_type_and_date_for_every_row(
    store: GeoPackageStore,
) -> None:
    """The AUB fire reports name places in Arabic only and carry no date nor type: the
    import says so, and imports every feature once the user gives both for all rows."""
    path = REAL / "lebanon_fires_2019_arabic_excerpt.geojson"
    with pytest.raises(ImportFailed, match="needs at least 'type' and 'date_start'"):
        import_file(path, store, EDITOR)
    every_row = {"type": "destruction_of_property", "date_start": "2019-10"}
    report = import_file(path, store, EDITOR, ImportOptions(default_country="LB", fixed=every_row))
    assert (report.rows_read, report.imported, len(report.rejected)) == (30, 30, 0)
    places = set(store.query(Query(), EDITOR)["place"])
    assert {"برج رحال", "دبّية"} <= places  # outer spaces trimmed, shadda kept
    # The default country left as it is (Libya): each point takes its own country, the
    # port of Naameh too, just off the simplified coast (it was refused "at sea").
    again = import_file(path, store, EDITOR, ImportOptions(fixed=every_row))
    assert (again.rows_read, len(again.rejected), again.unchanged) == (30, 0, 30)


@pytest.mark.parametrize(
    ("properties", "place"),
    [
        ({"name": "Mass grave near the farm", "type": "mass_grave"}, None),  # a uMap label
        ({"name": "Tarhuna", "name:ar": "ترهونة"}, "Tarhuna (ترهونة)"),
        ({"name:ar": "ترهونة", "id": "node/1"}, "ترهونة"),
        ({"name": "Tarhuna", "place": "town"}, "Tarhuna"),
        ({"name": "Tarhuna", "place": "Qasr Tarhuna", "name:ar": "ترهونة"}, "Qasr Tarhuna"),
        ({"name": "Tarhuna", "location": "Qasr", "id": "way/2"}, None),  # location is the place
    ],
)
def test_osm_names_feed_the_place(properties: dict[str, Any], place: str | None) -> None:
    feature = {"type": "Feature", "geometry": None, "properties": properties}
    table = geojson.read(Path("x.geojson"), json.dumps(feature).encode(), "x.geojson")
    row = dict(zip(table.header, table.rows[0][1], strict=True))
    assert row.get("place") == place


WILD_KEYS = st.sampled_from(
    [
        *["properties", "name", "name:ar", "place", "id", "tags", "type", "date_start"],
        *["incident:type", "incident:date:start", "incident:source:url", "location"],
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WILD_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(deadline=None, max_examples=40)
@given(st.lists(st.dictionaries(WILD_KEYS, JSON, max_size=6), min_size=1, max_size=4))
def test_wild_properties_are_rows_accounted_or_a_sentence(properties: list[Any]) -> None:
    """Nested, namespaced and OSM-named properties holding any JSON values: every
    feature is imported or rejected with its reason, or the file refused in a sentence."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.6, 32.4]},
         "properties": p}
        for p in properties
    ]  # fmt: skip
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    with tempfile.TemporaryDirectory() as folder:
        store = GeoPackageStore(Path(folder) / "s.gpkg")
        try:
            report = import_file("wild.geojson", store, EDITOR, data=data, name="wild.geojson")
        except ImportFailed as refused:
            assert "unexpected" not in str(refused), str(refused)
            return
    assert report.rows_read == len(features) and report.accounted, report.lines()


def test_a_property_given_twice_with_different_values_refuses_the_file(tmp_path: Path) -> None:
    """Tried as a red team would: {"sensitivity": "restricted", "sensitivity": "public"}
    kept the last value (Python's json) and the record was published without a word."""
    feature = (
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.5, 32.5]}, '
        '"properties": {"type": "killing", "date_start": "2020-01-01", '
        '"sensitivity": "restricted", "sensitivity": "%s"}}'
    )
    path = tmp_path / "twice.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [%s]}' % (feature % "public"))
    with pytest.raises(FileUnusable) as refused:
        read_any(path)
    assert str(refused.value) == (
        "twice.geojson: 'sensitivity' is given twice in one place of the file, with "
        'different values ("restricted" and "public"); keep one of them'
    )
    path.write_text('{"type": "FeatureCollection", "features": [%s]}' % (feature % "restricted"))
    assert len(read_any(path).rows) == 1  # the same value twice is one value
