"""PostgreSQL's large batches (incidents/store/pg_batch.py): staged COPYs moved while
the client prepares the next chunk, and an empty table's indexes built once at the end.
What a person sees must not change: the same records as the GeoPackage holds, in file
order, searchable, with every index back and the audit chain whole. Synthetic data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

from incidents.importer import ImportOptions, import_file
from incidents.query import Query
from incidents.store import pg_batch
from incidents.synthetic import write_synthetic_csv
from tests.conftest import EDITOR

ROWS = pg_batch.DEFER_INDEXES_FROM + 1_020  # the last chunk is small: written directly


def _url() -> str:
    url = os.environ.get("INCIDENTS_TEST_PG")
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("INCIDENTS_TEST_PG is not set: scripts/test.sh starts PostGIS in CI")
        pytest.skip("no PostGIS server (scripts/test.sh starts one)")
    return url


@pytest.fixture
def pg() -> Iterator[object]:
    from incidents.store.postgis import PostGISStore

    store = PostGISStore(_url(), schema="t_" + uuid.uuid4().hex[:12])
    try:
        yield store
    finally:
        store.drop_schema()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_csv(tmp_path_factory.mktemp("batch") / "big.csv", ROWS, seed=3)


def _indexes(store) -> set[tuple[str, str]]:
    import psycopg

    with psycopg.connect(store.url) as conn:
        rows = conn.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = %s", [store.schema]
        ).fetchall()
    return set(rows)


def _file_order(store) -> list[str]:
    import psycopg

    with psycopg.connect(store.url) as conn:
        rows = conn.execute(f'SELECT id FROM "{store.schema}".incidents ORDER BY fid').fetchall()
    return [r[0] for r in rows]


def _records(store) -> pd.DataFrame:
    times = ["fid", "created_at", "updated_at"]  # when each store wrote, not what
    frame = store.query(Query(), EDITOR).drop(columns=times, errors="ignore")
    return frame.sort_values("id").reset_index(drop=True)


def test_a_first_large_import_matches_the_geopackage_and_keeps_every_index(pg, gpkg_store, big_csv):
    made = _indexes(pg)
    report = import_file(big_csv, pg, EDITOR)
    assert report.imported == ROWS
    assert _indexes(pg) == made  # dropped for the batch, built again from their own SQL
    import_file(big_csv, gpkg_store, EDITOR)
    pd.testing.assert_frame_equal(_records(pg), _records(gpkg_store), check_dtype=False)
    assert _file_order(pg) == list(pd.read_csv(big_csv, dtype=str)["id"])
    assert pg.verify_audit() == []
    some = _records(pg).iloc[ROWS // 2]
    assert some["id"] in set(pg.query(Query(text=some["id"]), EDITOR)["id"])


def test_a_check_of_a_large_file_leaves_an_empty_store_as_it_was(pg, big_csv):
    made = _indexes(pg)
    report = import_file(big_csv, pg, EDITOR, ImportOptions(dry_run=True))
    assert report.imported == ROWS
    assert _indexes(pg) == made
    assert pg.count(Query(), EDITOR) == 0


def test_a_second_large_import_into_a_filled_table_updates_in_place(pg, gpkg_store, tmp_path):
    """Into a table that holds records: staged, indexes kept, the changed rows updated."""
    first = write_synthetic_csv(tmp_path / "first.csv", 1_500, seed=5)
    frame = pd.read_csv(first, dtype=str, keep_default_na=False)
    frame.loc[::3, "description"] = "Changed after the first import (synthetic)."
    again = tmp_path / "again.csv"
    frame.to_csv(again, index=False)
    for store in (pg, gpkg_store):
        import_file(first, store, EDITOR)
        report = import_file(again, store, EDITOR)
        assert report.updated - report.unchanged == 500
    pd.testing.assert_frame_equal(_records(pg), _records(gpkg_store), check_dtype=False)
    assert pg.verify_audit() == []


def test_a_role_that_may_not_make_temporary_tables_writes_directly():
    import psycopg
    from psycopg.rows import dict_row

    url = _url()
    database, role = "t_" + uuid.uuid4().hex[:12], "r_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
        admin.execute(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
        admin.execute(f"CREATE ROLE {role} LOGIN")
    try:
        parts = urlsplit(url)._replace(path="/" + database)
        allowed = urlunsplit(parts)
        refused = urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rsplit('@', 1)[-1]}"))
        for address, expected in ((allowed, True), (refused, False)):
            with psycopg.connect(address, row_factory=dict_row) as conn:
                assert (pg_batch.staging(conn, ROWS) is not None) is expected
                assert pg_batch.staging(conn, pg_batch.STAGE_FROM - 1) is None
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {database}")
            admin.execute(f"DROP ROLE {role}")
