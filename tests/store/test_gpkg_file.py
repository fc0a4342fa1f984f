"""The GeoPackage file as other programs see it: GDAL/QGIS readers, tampering, R-tree."""

import sqlite3

import pyogrio
import pytest

from incidents.importer import import_file
from tests.conftest import EDITOR, EXAMPLE
from tests.store.test_store import incident


def test_gdal_reads_a_point_layer_with_readable_columns(gpkg_store):
    import_file(EXAMPLE, gpkg_store, EDITOR)
    layers = dict(pyogrio.list_layers(gpkg_store.path))
    assert layers["incidents"] == "Point"
    frame = pyogrio.read_dataframe(gpkg_store.path, layer="incidents")
    assert len(frame) >= 5
    assert {"type", "title", "date_start", "location_precision"} <= set(frame.columns)
    assert frame.crs.to_epsg() == 4326
    point = frame.geometry.iloc[0]
    assert abs(point.y - 32.435) < 0.01 and abs(point.x - 13.633) < 0.01
    # Confidential fields are not in the layer QGIS shows by default.
    assert "confidential_notes" not in frame.columns


def test_rtree_index_follows_the_points(gpkg_store):
    import_file(EXAMPLE, gpkg_store, EDITOR)
    with sqlite3.connect(gpkg_store.path) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
        (points,) = conn.execute("SELECT COUNT(*) FROM incidents WHERE geom IS NOT NULL").fetchone()
    assert count == points > 0


def test_tampering_with_the_audit_log_is_detected(gpkg_store):
    import_file(EXAMPLE, gpkg_store, EDITOR)
    assert gpkg_store.verify_audit() == []
    with sqlite3.connect(gpkg_store.path) as conn:
        try:
            conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
            raise AssertionError("the audit log accepted an update")
        except sqlite3.IntegrityError:
            pass
        # Someone with the file can drop the guard; the hash chain still tells.
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
    problems = gpkg_store.verify_audit()
    assert problems and "entry 2" in problems[0]


def test_batch_write_fills_the_rtree_as_the_trigger_would_and_restores_it(gpkg_store):
    """write_batch defers the R-tree to one statement: same entries, trigger back after."""
    import_file(EXAMPLE, gpkg_store, EDITOR)
    with sqlite3.connect(gpkg_store.path) as conn:
        trigger = "SELECT sql FROM sqlite_master WHERE name = 'rtree_incidents_geom_insert'"
        assert conn.execute(trigger).fetchone() is not None
        entries = conn.execute("SELECT * FROM rtree_incidents_geom ORDER BY id").fetchall()
        # The trigger's own rows, recomputed into a fresh R-tree from the same points.
        conn.execute("CREATE VIRTUAL TABLE expect USING rtree(id, minx, maxx, miny, maxy)")
        conn.execute(
            "INSERT INTO expect SELECT fid, longitude, longitude, latitude, latitude "
            "FROM incidents WHERE geom IS NOT NULL"
        )
        expected = conn.execute("SELECT * FROM expect ORDER BY id").fetchall()
    assert entries == expected and entries
    # A later single save goes through the restored trigger.
    record = gpkg_store.get(_first_id(gpkg_store), EDITOR)
    assert record is not None
    gpkg_store.save(record.replace(id="later-one", version=0), EDITOR)
    with sqlite3.connect(gpkg_store.path) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
    assert count == len(entries) + 1


def _first_id(store) -> str:
    with sqlite3.connect(store.path) as conn:
        return conn.execute("SELECT id FROM incidents ORDER BY fid LIMIT 1").fetchone()[0]


def _schema_of_incidents(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'incidents' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()


def test_a_batch_that_doubles_the_table_builds_its_indexes_at_the_end(gpkg_store):
    """Indexes dropped for a large first import come back as they were, and serve."""
    before = _schema_of_incidents(gpkg_store.path)
    records = [incident(1).replace(id=f"bulk-{n}", title=f"Synthetic {n}") for n in range(12_000)]
    gpkg_store.write_batch(records, EDITOR)
    assert _schema_of_incidents(gpkg_store.path) == before
    with sqlite3.connect(gpkg_store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE date_start = '2020-05-01'"
        ).fetchall()
        (count,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
    assert "incidents_date_start" in str(plan)
    assert count == 12_000


def test_a_large_batch_that_fails_leaves_table_indexes_and_trigger_as_they_were(gpkg_store):
    import_file(EXAMPLE, gpkg_store, EDITOR)
    before = _schema_of_incidents(gpkg_store.path)
    records = [incident(1).replace(id=f"bulk-{n}") for n in range(12_000)]
    records.append(incident(2).replace(id="broken", title=None))  # NOT NULL, last chunk
    with pytest.raises(sqlite3.IntegrityError):
        gpkg_store.write_batch(records, EDITOR)
    assert _schema_of_incidents(gpkg_store.path) == before
    with sqlite3.connect(gpkg_store.path) as conn:
        (rows,) = conn.execute("SELECT COUNT(*) FROM incidents WHERE id LIKE 'bulk-%'").fetchone()
    assert rows == 0
    assert gpkg_store.verify_audit() == []


def test_no_index_on_columns_the_snapshot_filters_and_older_stores_lose_theirs(tmp_path):
    """Type and admin1 are filtered in the column snapshot: an index on them only costs
    every write. A store made with them has them dropped when it is opened."""
    from incidents.store.gpkg import GeoPackageStore

    path = tmp_path / "older.gpkg"
    GeoPackageStore(path)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE INDEX incidents_type ON incidents(type)")
        conn.execute("CREATE INDEX incidents_admin1 ON incidents(admin1_code)")
    store = GeoPackageStore(path)
    import_file(EXAMPLE, store, EDITOR)
    names = {name for name, _ in _schema_of_incidents(path)}
    assert "incidents_type" not in names and "incidents_admin1" not in names
    assert {"incidents_date_start", "incidents_date_end", "incidents_source_event"} <= names
