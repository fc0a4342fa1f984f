"""GeoPackages: our own store's file round-trips losslessly; other GeoPackages read too."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io import geopackage
from incidents.io.tabular import FileUnusable
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore
from incidents.synthetic import write_synthetic_csv

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
EDITOR = Viewer("test", Role.EDITOR)


def _ids(store: GeoPackageStore) -> list[str]:
    return sorted(store.query(Query(), EDITOR)["id"])


def _template_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


SECRET_ROW = {
    "id": "secret-1",
    "type": "enforced_disappearance",
    "date_start": "2020-06",
    "place": "Tarhuna",
    "latitude": "32.435",
    "longitude": "13.6336",
    "location_precision": "town",
    "sensitivity": "restricted",
    "public_date_to_month": "yes",
    "confidential_notes": "SYNTHETIC — note for entitled staff",
    "victim_details": "SYNTHETIC — no real person",
    "witness_details": "SYNTHETIC — no real witness",
    **{f"source{n}_title": f"Synthetic source {n}" for n in range(1, 6)},
    "source2_sha256": "ab" * 32,
    "source5_url": "https://example.org/synthetic/5",
}


@pytest.fixture
def filled(tmp_path: Path) -> GeoPackageStore:
    """A store filled from every fixture, synthetic rows, and a record with secrets."""
    store = GeoPackageStore(tmp_path / "a.gpkg")
    for name in ("acled_sample.csv", "ucdp_sample.csv", "hxl_sample.csv", "sample.geojson"):
        import_file(FIXTURES / name, store, EDITOR)
    import_file(write_synthetic_csv(tmp_path / "synthetic.csv", 150, seed=7), store, EDITOR)
    import_file(_template_csv(tmp_path / "secret.csv", [SECRET_ROW]), store, EDITOR)
    return store


def test_store_file_reads_as_a_table(filled: GeoPackageStore) -> None:
    table = geopackage.read(filled.path)
    assert len(table.rows) == len(_ids(filled))
    assert {"id", "type", "latitude", "source1_title", "victim_details"} <= set(table.header)
    row = next(
        dict(zip(table.header, cells, strict=True))
        for _, cells in table.rows
        if cells[table.header.index("id")] == "secret-1"
    )
    assert row["source5_url"] == "https://example.org/synthetic/5"
    assert row["witness_details"] == "SYNTHETIC — no real witness"
    assert table.layout == "GeoPackage layer 'incidents' (this tool's own layout)"


def test_round_trip_between_stores_loses_nothing(filled: GeoPackageStore, tmp_path: Path) -> None:
    other = GeoPackageStore(tmp_path / "b.gpkg")
    report = import_file(filled.path, other, EDITOR)
    ids = _ids(filled)
    assert report.rows_read == report.imported == len(ids)
    assert not report.rejected
    assert _ids(other) == ids
    for incident_id in ids:
        before, after = filled.get(incident_id, EDITOR), other.get(incident_id, EDITOR)
        assert before is not None and after is not None
        assert after.content() == before.content(), incident_id
    secret = other.get("secret-1", EDITOR)
    assert secret is not None
    assert len(secret.sources) == 5
    assert secret.victim_details == "SYNTHETIC — no real person"


def test_reimport_changes_nothing(filled: GeoPackageStore, tmp_path: Path) -> None:
    other = GeoPackageStore(tmp_path / "b.gpkg")
    first = import_file(filled.path, other, EDITOR)
    again = import_file(filled.path, other, EDITOR)
    itself = import_file(filled.path, filled, EDITOR)
    assert again.imported == itself.imported == 0
    assert again.updated == again.unchanged == first.imported
    assert itself.updated == itself.unchanged == first.imported


def test_uploaded_bytes(filled: GeoPackageStore, tmp_path: Path) -> None:
    other = GeoPackageStore(tmp_path / "b.gpkg")
    data = filled.path.read_bytes()
    report = import_file("upload.gpkg", other, EDITOR, data=data, name="upload.gpkg")
    assert report.imported == len(_ids(filled))


def test_unconfirmed_place_survives_the_round_trip(tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "a.gpkg")
    row = {"id": "u-1", "type": "killing", "date_start": "2020-06-05"}
    row |= {"place": "Qaryat Synthetic Nowhere", "admin1": "Murqub"}
    import_file(_template_csv(tmp_path / "u.csv", [row]), store, EDITOR)
    before = store.get("u-1", EDITOR)
    assert before is not None and before.place_confirmed is False
    other = GeoPackageStore(tmp_path / "b.gpkg")
    import_file(store.path, other, EDITOR)
    after = other.get("u-1", EDITOR)
    assert after is not None and after.place_confirmed is False


def _write_layers(path: Path, point_layer: str | None) -> None:
    """A GeoPackage as QGIS users make them: a polygon layer first, then points."""
    areas = gpd.GeoDataFrame({"name": ["area"]}, geometry=[box(13, 32, 14, 33)], crs=4326)
    areas.to_file(path, layer="areas", driver="GPKG", engine="pyogrio")
    if point_layer:
        sites = gpd.GeoDataFrame(
            {
                "type": ["mass_grave", "killing"],
                "date_start": [date(2020, 6, 5), date(2019, 4, 1)],
                "title": ["SYNTHETIC site A", "SYNTHETIC site B"],
                "killed_best": [12, None],
                "sensitivity": ["public", "public"],
            },
            geometry=[Point(13.6336, 32.435), Point(13.1913, 32.8872)],
            crs=4326,
        )
        sites.to_file(path, layer=point_layer, driver="GPKG", engine="pyogrio")


def test_foreign_geopackage_first_point_layer(tmp_path: Path) -> None:
    path = tmp_path / "qgis.gpkg"
    _write_layers(path, "sites")
    table = geopackage.read(path)
    rows = [dict(zip(table.header, cells, strict=True)) for _, cells in table.rows]
    assert [r["title"] for r in rows] == ["SYNTHETIC site A", "SYNTHETIC site B"]
    assert rows[0]["date_start"] == "2020-06-05"
    assert (rows[0]["latitude"], rows[0]["longitude"]) == (32.435, 13.6336)
    assert rows[0]["killed_best"] == 12 and rows[1]["killed_best"] is None
    store = GeoPackageStore(tmp_path / "store.gpkg")
    report = import_file(path, store, EDITOR)
    assert (report.rows_read, report.imported) == (2, 2)
    assert report.layout.startswith("GeoPackage layer 'sites'; ")


def test_geopackage_without_points_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "areas.gpkg"
    _write_layers(path, None)
    with pytest.raises(FileUnusable, match="no point layer"):
        geopackage.read(path)


def test_not_a_geopackage(tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "store.gpkg")
    with pytest.raises(ImportFailed, match="not a GeoPackage"):
        import_file("x.gpkg", store, EDITOR, data=b"PK\x03\x04 not sqlite", name="x.gpkg")
