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


def _scattered(n: int) -> list:
    """n synthetic records at n points around Tarhuna (a few with no point)."""
    return [
        incident(1).replace(
            id=f"bulk-{k}",
            latitude=None if k % 97 == 0 else 31.5 + (k * 37 % 1000) / 500,
            longitude=None if k % 97 == 0 else 12.5 + (k * 53 % 1000) / 400,
        )
        for k in range(n)
    ]


def test_a_batch_that_doubles_the_table_packs_the_rtree_as_sqlite_reads_it(gpkg_store):
    """The R-tree of a large first import is written in one pass (rtree_pack): SQLite's
    rtreecheck() accepts it, it holds what the trigger would have written, GDAL's box
    filter (which reads it) finds what the columns say, and later saves keep it."""
    gpkg_store.write_batch(_scattered(12_000), EDITOR)
    path = gpkg_store.path
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT rtreecheck('rtree_incidents_geom')").fetchone() == ("ok",)
        entries = conn.execute("SELECT * FROM rtree_incidents_geom ORDER BY id").fetchall()
        (nodes,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom_node").fetchone()
        leaves = -(-len(entries) // 51)  # packed full: SQLite's own inserts leave a third free
        assert nodes == leaves + -(-leaves // 51) + 1
        conn.execute("CREATE VIRTUAL TABLE temp.expect USING rtree(id, minx, maxx, miny, maxy)")
        conn.execute(
            "INSERT INTO expect SELECT fid, longitude, longitude, latitude, latitude "
            "FROM incidents WHERE geom IS NOT NULL"
        )
        assert entries == conn.execute("SELECT * FROM expect ORDER BY id").fetchall()
        inside = conn.execute(
            "SELECT fid FROM incidents WHERE longitude BETWEEN 13 AND 13.5 "
            "AND latitude BETWEEN 32 AND 32.5 ORDER BY fid"
        ).fetchall()
    frame = pyogrio.read_dataframe(
        path, layer="incidents", bbox=(13, 32, 13.5, 32.5), fid_as_index=True
    )
    assert sorted(frame.index) == [fid for (fid,) in inside] and len(inside) > 100
    record = gpkg_store.get("bulk-5", EDITOR)
    assert record is not None
    gpkg_store.save(record.replace(latitude=30.0, longitude=20.0), EDITOR)  # the trigger's way
    gpkg_store.save(record.replace(id="later-one", version=0), EDITOR)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT rtreecheck('rtree_incidents_geom')").fetchone() == ("ok",)
        (count,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
    assert count == len(entries) + 1


def test_where_sqlite_refuses_the_rtree_s_own_tables_the_rows_go_in_one_by_one(
    gpkg_store, monkeypatch
):
    """SQLite's defensive mode (SQLITE_DBCONFIG_DEFENSIVE) refuses writes to an R-tree's
    shadow tables with "table may not be modified"; Python 3.11 cannot switch it on, so
    the refusal is raised where SQLite would raise it. The batch still lands whole."""
    from incidents.store import rtree_pack

    def refused(conn, rtree, *_):
        conn.execute(f'DELETE FROM "{rtree}_node"')  # a first write, then SQLite's refusal
        raise sqlite3.OperationalError(f"table {rtree}_node may not be modified")

    monkeypatch.setattr(rtree_pack, "pack", refused)
    gpkg_store.write_batch(_scattered(12_000), EDITOR)
    with sqlite3.connect(gpkg_store.path) as conn:
        assert conn.execute("SELECT rtreecheck('rtree_incidents_geom')").fetchone() == ("ok",)
        (count,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
        (points,) = conn.execute("SELECT COUNT(*) FROM incidents WHERE geom IS NOT NULL").fetchone()
    assert count == points > 11_000
