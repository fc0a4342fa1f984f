"""Text that is not Unicode text rejects its row alone (incidents.io.broken_text).

Found in a red-team pass: one lone surrogate in a GeoJSON title, or one title of
bytes that are not UTF-8 in a GeoPackage, stopped the whole import with an
unexpected error, and the file's good rows were lost. The rows are SYNTHETIC.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io.broken_text import may_hold_surrogates
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore

EDITOR = Viewer("test", Role.EDITOR)
REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
MARIUPOL = REAL / "timemap_project_mariupol_excerpt.json"


def _feature(n: int, title: str) -> dict:
    properties = {"id": f"bt-{n}", "type": "killing", "title": title,
                  "date_start": "2021-03-14", "country": "LY", "sensitivity": "public"}  # fmt: skip
    point = {"type": "Point", "coordinates": [13.7, 32.5 + n / 10]}
    return {"type": "Feature", "geometry": point, "properties": properties}


def _ids(store: GeoPackageStore) -> list[str]:
    return sorted(store.query(Query(), EDITOR)["id"])


def test_a_lone_surrogate_in_geojson_rejects_that_feature_only(tmp_path):
    titles = ["SYNTHETIC kept \U0001f600", "SYNTHETIC broken \ud800 here", "SYNTHETIC kept"]
    features = [_feature(n, t) for n, t in enumerate(titles)]
    path = tmp_path / "broken.geojson"
    # ensure_ascii: the emoji as a surrogate pair of escapes (valid), the lone one alone
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert may_hold_surrogates(path.read_bytes())
    store = GeoPackageStore(tmp_path / "s.gpkg")
    report = import_file(path, store, EDITOR)
    assert (report.imported, len(report.rejected)) == (2, 1)
    rejected = report.rejected[0]
    assert rejected.row == 2
    assert rejected.reasons[0][0] == "title"
    assert "not text" in rejected.reasons[0][1]
    assert "SYNTHETIC broken \ufffd here" in report.rejected_csv().decode("utf-8-sig")
    assert _ids(store) == ["bt-0", "bt-2"]
    assert "\U0001f600" in store.get("bt-0", EDITOR).title


def test_a_lone_surrogate_in_a_timemap_event_rejects_that_event_only(tmp_path):
    document = json.loads(MARIUPOL.read_text(encoding="utf-8"))
    event = document["Events"][3]
    event["description"] = "SYNTHETIC \udc00 " + str(event.get("description", ""))
    path = tmp_path / "timemap.json"
    path.write_text(json.dumps(document))
    report = import_file(path, GeoPackageStore(tmp_path / "s.gpkg"), EDITOR)
    assert (report.imported, len(report.rejected)) == (21, 1)
    assert report.rejected[0].row == 4
    assert report.rejected[0].reasons[0][0] == "description"


def test_text_not_utf8_in_a_geopackage_rejects_that_row_only(tmp_path):
    source = GeoPackageStore(tmp_path / "source.gpkg")
    features = [_feature(n, f"SYNTHETIC title {n}") for n in range(3)]
    plain = tmp_path / "plain.geojson"
    plain.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert import_file(plain, source, EDITOR).imported == 3
    with sqlite3.connect(source.path) as conn:  # a cp1252 ellipsis, as another program wrote
        conn.execute("UPDATE incidents SET title = CAST(X'53594E2085' AS TEXT) WHERE id = 'bt-1'")
    before = source.path.read_bytes()
    store = GeoPackageStore(tmp_path / "s.gpkg")
    report = import_file(source.path, store, EDITOR)
    assert (report.imported, len(report.rejected)) == (2, 1)
    assert report.rejected[0].reasons[0][0] == "title"
    assert "not UTF-8" in report.rejected[0].reasons[0][1]
    assert "SYN \ufffd" in report.rejected_csv().decode("utf-8-sig")
    assert _ids(store) == ["bt-0", "bt-2"]
    assert source.path.read_bytes() == before  # the file read is never changed


def test_ordinary_json_is_not_checked_value_by_value():
    assert not may_hold_surrogates(b'{"title": "\\u0627\\u0644 and \\u00e9"}')
    assert may_hold_surrogates(b'{"title": "\\uD83D\\uDE00"}')


def test_a_geopackage_whose_triggers_cannot_run_is_mended_on_a_copy_without_them(tmp_path):
    """Found in a review: a trigger calling a function this program lacks, or named in
    bytes that are not UTF-8, made the repair itself fail, and the whole file with it."""
    source = GeoPackageStore(tmp_path / "source.gpkg")
    features = [_feature(n, f"SYNTHETIC title {n}") for n in range(3)]
    plain = tmp_path / "plain.geojson"
    plain.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert import_file(plain, source, EDITOR).imported == 3
    with sqlite3.connect(source.path) as conn:
        conn.execute("UPDATE incidents SET title = CAST(X'53594E2085' AS TEXT) WHERE id = 'bt-2'")
        conn.execute(
            "CREATE TRIGGER t_missing AFTER UPDATE ON incidents BEGIN SELECT no_such(); END"
        )
        conn.execute("CREATE TRIGGER t_named AFTER DELETE ON incidents BEGIN SELECT 1; END")
        conn.execute("PRAGMA writable_schema = ON")
        named = b'CREATE TRIGGER "t\xff" AFTER DELETE ON incidents BEGIN SELECT 1; END'
        conn.execute(
            f"UPDATE sqlite_master SET name = CAST(X'74FF' AS TEXT), "
            f"sql = CAST(X'{named.hex()}' AS TEXT) WHERE name = 't_named'"
        )
    store = GeoPackageStore(tmp_path / "s.gpkg")
    report = import_file(source.path, store, EDITOR)
    assert (report.imported, len(report.rejected)) == (2, 1)
    assert report.rejected[0].cells["id"] == "bt-2"
    assert _ids(store) == ["bt-0", "bt-1"]


def _events_layer(path: Path) -> Path:
    """A GeoPackage of three SYNTHETIC features in a layer 'events', as GDAL writes one."""
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        {"id": [f"bt-{n}" for n in range(3)], "type": ["killing"] * 3,
         "title": [f"SYNTHETIC title {n}" for n in range(3)],
         "date_start": ["2021-03-14"] * 3, "country": ["LY"] * 3,
         "sensitivity": ["public"] * 3},
        geometry=[Point(13.7, 32.5 + n / 10) for n in range(3)], crs="EPSG:4326",
    )  # fmt: skip
    frame.to_file(path, layer="events", driver="GPKG", engine="pyogrio", SPATIAL_INDEX="NO")
    return path


def _layer_over(path: Path, create: str, fill: str) -> None:
    """The features copied into a layer 'incidents' of another shape (the tool reads it
    first), registered as GeoPackage layers are."""
    columns = "geom, id, type, title, date_start, country, sensitivity"
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE {create}")
        conn.execute(fill.format(columns=columns))
        conn.execute(
            "INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id) "
            "VALUES ('incidents', 'features', 'incidents', 4326)"
        )
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('incidents', 'geom', 'POINT', 4326, 0, 0)"
        )
        conn.execute(
            "UPDATE events SET title = CAST(X'53594E2085' AS TEXT) WHERE id = 'bt-0'"
        )  # a view shows it too


def test_the_broken_row_is_the_one_rejected_whatever_the_layer_s_key(tmp_path):
    """Found in a review: a layer whose first key column numbered its rows otherwise
    than GDAL's feature ids rejected a good row and stored the broken one."""
    path = _events_layer(tmp_path / "keyed.gpkg")
    _layer_over(
        path,
        "TABLE incidents (k INTEGER, tag TEXT, geom BLOB, id TEXT, type TEXT, title TEXT, "
        "date_start TEXT, country TEXT, sensitivity TEXT, PRIMARY KEY (k, tag))",
        "INSERT INTO incidents(rowid, k, tag, {columns}) "
        "SELECT fid, (fid % 3) + 1, 't', {columns} FROM events ORDER BY fid",
    )
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE incidents SET title = CAST(X'53594E2085' AS TEXT) WHERE id = 'bt-0'")
    store = GeoPackageStore(tmp_path / "s.gpkg")
    report = import_file(path, store, EDITOR)
    assert (report.imported, len(report.rejected)) == (2, 1)
    assert report.rejected[0].cells["id"] == "bt-0"
    assert _ids(store) == ["bt-1", "bt-2"]


def test_a_view_with_text_not_utf8_is_refused_in_one_sentence(tmp_path):
    path = _events_layer(tmp_path / "view.gpkg")
    _layer_over(
        path,
        "VIEW incidents AS SELECT fid, geom, id, type, title, date_start, "
        "country, sensitivity FROM events",
        "SELECT 1",
    )
    with pytest.raises(ImportFailed, match="holds text that is not UTF-8, and the tool cannot"):
        import_file(path, GeoPackageStore(tmp_path / "s.gpkg"), EDITOR)
