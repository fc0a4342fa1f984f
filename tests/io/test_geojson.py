"""GeoJSON: features become rows, shapes their centroid, bad files a plain message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.importer import ImportFailed, import_file
from incidents.io import geojson, template
from incidents.io.formats import detect, read_any
from incidents.io.tabular import FileUnusable
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


def test_polygon_is_placed_at_its_centroid_with_a_radius() -> None:
    shape = records()[2]
    assert (shape["latitude"], shape["longitude"]) == pytest.approx((32.41, 13.61))
    assert shape["location_precision"] == "approximate"
    # Half the diagonal of a 0.02-degree square at 32.4 N: about 1.5 km.
    assert shape["location_uncertainty_km"] == pytest.approx(1.5, abs=0.1)


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
    assert (grave.location_precision, grave.location_uncertainty_km) == ("approximate", 1.5)
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
    assert again.updated == again.unchanged == 4
