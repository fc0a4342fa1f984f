"""What only the PostGIS store has to get right: its spatial index, several writers
at once (as with several app replicas), and agreeing with the GeoPackage store."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import psycopg
import pytest

from incidents.access import PUBLIC
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store import open_store
from incidents.store.base import StaleEdit, StoreError
from incidents.store.postgis import PostGISStore, redact_url
from incidents.store.sql import lookup_where
from tests.conftest import ADMIN, EDITOR, VIEWER
from tests.conftest import postgis_url as pg_url

pytestmark = pytest.mark.postgis


@pytest.fixture
def schema() -> Iterator[str]:
    """A fresh schema name, dropped afterwards whoever created it."""
    name = "t_" + uuid.uuid4().hex[:12]
    url = pg_url()
    yield name
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def pg(schema: str) -> PostGISStore:
    return PostGISStore(pg_url(), schema=schema)


def record(n: int, **changes: Any) -> Incident:
    """A synthetic record, spread over Libya so a small box holds few of many."""
    base = Incident(
        id=f"pg-{n}",
        type="killing",
        title=f"Synthetic {n}",
        date_start=date(2020, 1 + n % 12, 1 + n % 28),
        date_end=date(2020, 1 + n % 12, 1 + n % 28),
        latitude=25.0 + (n * 37 % 800) / 100,
        longitude=10.0 + (n * 53 % 1400) / 100,
        admin1_code="LY-TB",
        sensitivity="public",
        sources=(Source(title="Synthetic source", url=f"https://example.org/{n}"),),
        confidential_notes=f"CANARY-{n}",
    )
    return base.replace(**changes)


def raw(url: str, schema: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(url, autocommit=True)
    conn.execute(f'SET search_path TO "{schema}", public')
    return conn


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start the jobs in threads at the same moment; each result or the exception raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_gist_index_exists_and_a_bbox_query_uses_it(pg: PostGISStore, schema: str):
    with raw(pg_url(), schema) as conn:
        # Rows straight in SQL: this is about the index and the planner, not the write path.
        conn.execute(
            "INSERT INTO incidents (geom, id, type, title, date_start, date_end, version, "
            "latitude, longitude) SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326), 'g-' || n, "
            "'killing', 'Synthetic', DATE '2020-01-01', DATE '2020-01-01', 1, lat, lon "
            "FROM (SELECT n, 25 + (n * 37 % 800) / 100.0 AS lat, "
            "10 + (n * 53 % 1400) / 100.0 AS lon FROM generate_series(1, 20000) n) s"
        )
        indexes = [
            r[0]
            for r in conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = 'incidents'",
                [schema],
            )
        ]
        assert any("USING gist (geom)" in i for i in indexes)
        for column in ("date_start", "date_end", "source_event_id"):
            assert any(f"btree ({column})" in i for i in indexes), column
        for column in ("type", "admin1_code"):  # the column snapshot filters them
            assert not any(f"btree ({column})" in i for i in indexes), column
        conn.execute("ANALYZE incidents")
        # QGIS and other GIS clients ask for a box this way; the app's box is the snapshot's.
        sql = "SELECT id FROM incidents WHERE geom && ST_MakeEnvelope(13.0, 32.0, 13.5, 32.5, 4326)"
        plan = json.dumps(conn.execute(f"EXPLAIN (FORMAT JSON) {sql}").fetchone())
    assert "incidents_geom" in plan, plan
    assert '"Seq Scan"' not in plan, plan
    assert pg.count(Query(bbox=(13.0, 32.0, 13.5, 32.5)), EDITOR) > 0


def test_concurrent_writers_all_succeed_and_the_chain_holds(pg: PostGISStore, schema: str):
    writers = 4

    def writer(w: int) -> int:
        mine = PostGISStore(pg_url(), schema=schema)  # its own store, like another replica
        for n in range(10):
            mine.save(record(w * 100 + n), EDITOR)
        mine.write_batch([record(w * 100 + n) for n in range(10, 30)], EDITOR)
        return 30

    results = run_together([lambda w=w: writer(w) for w in range(writers)])
    assert results == [30] * writers
    assert pg.count(Query(), EDITOR) == 30 * writers
    log = pg.audit_log(ADMIN)
    assert [e.seq for e in log] == list(range(1, 30 * writers + 1))
    assert pg.verify_audit() == []


def test_schema_creation_is_safe_when_replicas_start_together(schema: str):
    stores = run_together([lambda: PostGISStore(pg_url(), schema=schema) for _ in range(6)])
    assert all(isinstance(s, PostGISStore) for s in stores), stores
    stores[0].write_batch([record(1)], EDITOR)
    assert stores[5].get("pg-1", EDITOR) is not None


def test_a_stale_edit_from_another_connection_is_refused(pg: PostGISStore, schema: str):
    pg.write_batch([record(1)], EDITOR)
    other = PostGISStore(pg_url(), schema=schema)
    mine, theirs = pg.get("pg-1", EDITOR), other.get("pg-1", EDITOR)
    assert mine is not None and theirs is not None
    other.save(theirs.replace(title="Saved first"), EDITOR)
    with pytest.raises(StaleEdit):
        pg.save(mine.replace(title="Saved second"), EDITOR)
    assert pg.get("pg-1", EDITOR).title == "Saved first"  # type: ignore[union-attr]


def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(
    pg: PostGISStore, schema: str
):
    pg.write_batch([record(1)], EDITOR)
    base = pg.get("pg-1", EDITOR)
    assert base is not None
    stores = [pg, PostGISStore(pg_url(), schema=schema)]
    results = run_together(
        [
            lambda s=s, n=n: s.save(base.replace(title=f"Editor {n}"), EDITOR)
            for n, s in enumerate(stores)
        ]
    )
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["Incident", "StaleEdit"], results
    assert pg.get("pg-1", EDITOR).version == 2  # type: ignore[union-attr]
    assert pg.verify_audit() == []


def test_the_audit_log_refuses_update_delete_and_truncate(pg: PostGISStore, schema: str):
    pg.write_batch([record(1)], EDITOR)
    with raw(pg_url(), schema) as conn:
        for sql in (
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(sql)
    assert pg.verify_audit() == []


def test_frames_and_records_match_the_geopackage_store(pg: PostGISStore, tmp_path: Path):
    gpkg = open_store(str(tmp_path / "same.gpkg"))
    records = [
        record(1, tags=("a", "b"), killed_best=3, place_confirmed=False),
        record(2, latitude=None, longitude=None, public_date_to_month=True),
        record(3, sensitivity="restricted", location_uncertainty_km=2.5),
        record(4, id="pg-10", perpetrators=("Group",)),  # ordering by id must agree
    ]
    for store in (gpkg, pg):
        store.write_batch(records, EDITOR)
    moving = ["created_at", "updated_at"]
    for viewer, columns in ((EDITOR, None), (VIEWER, None), (PUBLIC, None), (EDITOR, ["id"])):
        a = gpkg.query(Query(), viewer, columns).drop(columns=moving, errors="ignore")
        b = pg.query(Query(), viewer, columns).drop(columns=moving, errors="ignore")
        pd.testing.assert_frame_equal(a, b)
    for r in records:
        assert gpkg.get(r.id, EDITOR).content() == pg.get(r.id, EDITOR).content()  # type: ignore[union-attr]
    assert pg.count(Query(bbox=(13.0, 30.0, 15.0, 33.0)), EDITOR) == gpkg.count(
        Query(bbox=(13.0, 30.0, 15.0, 33.0)), EDITOR
    )


def test_passwords_are_not_shown():
    url = "postgresql://app:s3cret@db.example.org:5432/incidents?password=x2&sslmode=require"
    shown = redact_url(url)
    assert "s3cret" not in shown and "x2" not in shown
    assert "app:***@db.example.org:5432/incidents" in shown and "sslmode=require" in shown
    assert "hunter2" not in redact_url("host=db user=app password=hunter2 dbname=incidents")


def test_unsafe_schema_names_and_dropping_public_are_refused():
    with pytest.raises(StoreError):
        PostGISStore("postgresql://nowhere.invalid/db", schema='x"; DROP SCHEMA public; --')
    with pytest.raises(StoreError, match="public"):
        PostGISStore.drop_schema(SimpleNamespace(schema="public"))  # type: ignore[arg-type]


def _points_differ(schema: str) -> int:
    """Stored geometries that are not what ST_MakePoint makes of the row's coordinates."""
    with psycopg.connect(pg_url()) as conn:
        conn.execute(f'SET search_path TO "{schema}", public')
        (differ,) = conn.execute(
            "SELECT COUNT(*) FROM incidents WHERE geom IS DISTINCT FROM "
            "CASE WHEN latitude IS NULL THEN NULL "
            "ELSE ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END"
        ).fetchone()
    return differ


def test_a_large_batch_goes_through_copy_with_the_same_points_and_children(pg, schema):
    """Batches of 50+ rows are written with COPY (points as EWKB): the stored geometry is
    what ST_MakePoint makes of the coordinates, and sources, confidential fields and audit
    entries are all there; a single save afterwards still works (pipeline restored), and
    its point, an edit's and a removed point's are stored alike."""
    records = [record(n) for n in range(120)] + [record(500, latitude=None, longitude=None)]
    pg.write_batch(records, EDITOR)
    with psycopg.connect(pg_url()) as conn:
        conn.execute(f'SET search_path TO "{schema}", public')
        counts = [
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("incidents", "incident_sources", "incident_confidential", "audit_log")
        ]
    assert _points_differ(schema) == 0
    assert counts == [121, 121, 121, 121]
    assert pg.get("pg-7", ADMIN) == records[7].replace(
        **{
            k: getattr(pg.get("pg-7", ADMIN), k)
            for k in ("created_by", "created_at", "updated_by", "updated_at", "version")
        }
    )
    pg.save(record(900), EDITOR)
    pg.save(pg.get("pg-7", ADMIN).replace(latitude=32.1, longitude=13.2), EDITOR)
    pg.save(pg.get("pg-8", ADMIN).replace(latitude=None, longitude=None), EDITOR)
    pg.save(pg.get("pg-500", ADMIN).replace(latitude=31.5, longitude=13.5), EDITOR)
    assert _points_differ(schema) == 0
    assert pg.count(Query(bbox=(13.1, 32.0, 13.3, 32.2)), EDITOR) >= 1
    assert pg.verify_audit() == []


def test_a_text_with_another_filter_is_answered_by_the_narrow_copys_index(
    pg: PostGISStore, schema: str
):
    """The rows' own columns carry no trigram index: a text with a tag filter is looked
    up in the narrow copy (through its GIN index at scale), and the four wide indexes
    a store made before kept (upkeep on every write, read by nothing) are dropped on
    its next open."""
    pg.write_batch([record(n, tags=("Kaniyat",) if n % 2 else ()) for n in range(1, 41)], EDITOR)
    with raw(pg_url(), schema) as conn:  # as a store made before: a wide index
        (ops,) = conn.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        ).fetchone()
        conn.execute(
            f'CREATE INDEX incidents_trgm_title ON incidents USING GIN (title "{ops}".gin_trgm_ops)'
        )
    reopened = PostGISStore(pg_url(), schema=schema)
    query = Query(text="synthetic 17", tags=("kaniyat",))
    where = lookup_where(query, "ILIKE", side=True)
    with raw(pg_url(), schema) as conn:
        wide = conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s "
            "AND indexname LIKE 'incidents\\_trgm%%'",
            [schema],
        ).fetchall()
        sql = f"EXPLAIN (FORMAT JSON) SELECT i.fid FROM incidents i WHERE {where.sql()}"
        plan = json.dumps(conn.execute(sql, where.params).fetchone())
    assert wide == []
    assert '"Relation Name": "incidents_text_lower"' in plan, plan
    assert "title" not in plan, plan  # no ILIKE on the wide rows
    assert list(reopened.query(query, EDITOR)["id"]) == ["pg-17"]
    assert list(reopened.query(Query(text="synthetic 18", tags=("kaniyat",)), EDITOR)["id"]) == []
