"""Benchmark-only: fill a store with synthetic incidents fast, bypassing the importer.

    .venv/bin/python benchmarks/bulk_load.py 1000000 /tmp/b1m.gpkg
    .venv/bin/python benchmarks/bulk_load.py 1000000 postgresql://... [--schema bench_1m]

The real import path (validation, one audit entry per record) is measured at 100k by
bench.py; this loader writes the same table rows the stores write (columns.py layout,
gpkg point blobs, PostGIS points, one source row each) plus one audit event, so the
query and map benchmarks can run on a million records without a 30-minute import.
Never use it for real data: nothing is validated and no per-record audit entry is kept.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from incidents.access import Role, Viewer
from incidents.schema import SOURCE_PARTS
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.columns import INCIDENT_COLUMNS
from incidents.synthetic import synthetic_frame

LOADER = Viewer("bulk-loader", Role.ADMIN)
CHUNK = 100_000


def table_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents-table columns of a synthetic frame, typed as the stores keep them."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    out = pd.DataFrame(index=frame.index)
    for f in INCIDENT_COLUMNS:
        if f.name in ("created_by", "updated_by"):
            out[f.name] = LOADER.name
        elif f.name in ("created_at", "updated_at"):
            out[f.name] = now
        elif f.name == "version":
            out[f.name] = 1
        elif f.kind == "boolean":
            out[f.name] = frame[f.name].map(lambda v: str(v).lower() in ("true", "1", "yes"))
        elif f.kind in ("number", "integer"):
            out[f.name] = pd.to_numeric(frame[f.name], errors="coerce")
        else:
            out[f.name] = frame[f.name].fillna("").astype(str)
    return out


def _records(frame: pd.DataFrame) -> list[list[Any]]:
    """Rows as Python lists with None for missing numbers (what both drivers expect)."""
    values = frame.astype(object).where(frame.notna(), None)
    return values.to_numpy().tolist()


def _sources(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    cols = [f"source1_{p}" for p in SOURCE_PARTS]
    parts = frame[cols].fillna("").astype(str).to_numpy().tolist()
    return [(i, 1, *p) for i, p in zip(frame["id"], parts, strict=True)]


def chunks(n: int, seed: int) -> Iterator[pd.DataFrame]:
    """Synthetic frames of at most CHUNK rows, with ids unique over the whole load."""
    done = 0
    while done < n:
        gc.collect()  # the last chunk's cycles, if any: bulk_load turns the automatic passes off
        size = min(CHUNK, n - done)
        frame = synthetic_frame(size, seed=seed + done)
        frame["id"] = [f"syn-{done + k + 1}" for k in range(size)]
        done += size
        yield frame


def load_gpkg(store: Any, n: int, seed: int) -> None:
    from incidents.store import geopackage_format as gpkg

    names = [f.name for f in INCIDENT_COLUMNS]
    # The store's own batch writes (bulk_inserts): the text index, the R-tree and the
    # secondary indexes filled once at the end, not by per-row triggers (146 s for 1M
    # with the text index's triggers, against 88 s for e71460f's loader without it).
    with store._backend() as db, db.bulk_inserts(n):
        conn = db.conn
        for frame in chunks(n, seed):
            rows = table_rows(frame)
            rows["public_date_to_month"] = rows["public_date_to_month"].astype(int)
            rows["place_confirmed"] = rows["place_confirmed"].astype(int)
            blobs = [
                gpkg.point_blob(lon, lat) if lat == lat and lon == lon else None
                for lat, lon in zip(rows["latitude"], rows["longitude"], strict=True)
            ]
            marks = ", ".join("?" * len(names))
            conn.executemany(
                f"INSERT INTO incidents (geom, {', '.join(names)}) VALUES (?, {marks})",
                [[b, *r] for b, r in zip(blobs, _records(rows), strict=True)],
            )
            conn.executemany(
                f"INSERT INTO incident_sources (incident_id, position, {', '.join(SOURCE_PARTS)}) "
                f"VALUES ({', '.join('?' * (len(SOURCE_PARTS) + 2))})",
                _sources(frame),
            )
            print(f"  {len(frame):,} rows", flush=True)
        conn.execute("UPDATE store_meta SET value = '1' WHERE key = 'data_version'")
    with store._reading() as conn:
        conn.execute("ANALYZE")


def load_postgis(store: Any, n: int, seed: int) -> None:
    from incidents.store import pg_batch
    from incidents.store.postgis import _PgBackend

    names = ["geom", *(f.name for f in INCIDENT_COLUMNS)]
    sources = ["incident_id", "position", *SOURCE_PARTS]
    # The store's own batch writes: each chunk COPYd into staging tables and moved while
    # the next one is made (incidents/store/pg_batch.py). The indexes and keys an import
    # into the empty store would make again at its end are dropped here and made after
    # the commit in two lanes, as pg_restore --jobs does: the store is benchmark-only
    # and new, so there is no reader to keep out and nothing to roll back to.
    with store._connection() as conn:
        conn.execute("SELECT set_config('search_path', %s, false)", [store._search_path])
        deferred = pg_batch.deferrable(conn)
        for each in deferred:
            conn.execute(each["drop"])
        with _PgBackend.pipelined(conn) as backend, backend.bulk_inserts(n, keeps=False):
            for frame in chunks(n, seed):
                rows = table_rows(frame)
                backend._copy("incidents", names, _postgis_rows(rows))
                backend._copy("incident_sources", sources, _sources(frame))
                backend.end_of_chunk()
                print(f"  {len(frame):,} rows", flush=True)
        conn.execute("UPDATE store_meta SET value = '1' WHERE key = 'data_version'")
        conn.commit()
    body = [each["sql"] for each in deferred if each["drop"].endswith("_text_lower_body")]
    rest = [each["sql"] for each in deferred if each["sql"] not in body]
    lanes = [body, [*rest, "VACUUM ANALYZE incidents"]]
    with ThreadPoolExecutor(len(lanes)) as pool:
        for done in [pool.submit(_lane, store, lane) for lane in lanes]:
            done.result()


def _lane(store: Any, statements: list[str]) -> None:
    """Statements run in order on a connection of their own (autocommit): the text
    copy's body GIN index is most of the end (16 s of 21 at 1M, on one core), while the
    other lane builds the other indexes, adds the keys back and vacuums."""
    with store._connection() as conn:
        conn.autocommit = True
        conn.execute("SELECT set_config('search_path', %s, false)", [store._search_path])
        for sql in statements:
            conn.execute(sql)


def _postgis_rows(rows: pd.DataFrame) -> Iterator[list[Any]]:
    """The incidents table's rows as COPY takes them, the point first (EWKT), one at a
    time: a list of them beside _records' held 33 MB more at the load's peak."""
    lat, lon = rows["latitude"].to_numpy(float), rows["longitude"].to_numpy(float)
    geom = [
        None if np.isnan(a) or np.isnan(b) else f"SRID=4326;POINT({b:.7f} {a:.7f})"
        for a, b in zip(lat, lon, strict=True)
    ]
    return ([g, *r] for g, r in zip(geom, _records(rows), strict=True))


def bulk_load(store: Store, n: int, seed: int = 1) -> float:
    """Fill an empty store with n synthetic records; returns the seconds it took."""
    start = time.perf_counter()
    # Each chunk holds millions of small lists at once (its rows): the collector's
    # automatic passes over them took 5 of the PostGIS load's 21 s of client CPU. One
    # pass between chunks (chunks()) still frees what cycles a chunk left.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if hasattr(store, "_transaction"):
            load_gpkg(store, n, seed)
        else:
            load_postgis(store, n, seed)
    finally:
        if collecting:
            gc.enable()
    store.log_event(LOADER, "bulk-load", {"records": n, "note": "benchmark-only synthetic load"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("target", help="a .gpkg path or a postgresql:// URL")
    parser.add_argument("--schema", default="public")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.target.startswith("postgres"):
        from incidents.store.postgis import PostGISStore

        store: Store = PostGISStore(args.target, schema=args.schema)
    else:
        store = open_store(args.target)
    if store.data_version() != "0":
        raise SystemExit("the store is not empty: bulk-load only into a new one")
    print(f"loaded {args.n:,} in {bulk_load(store, args.n, args.seed):.1f} s")


if __name__ == "__main__":
    main()
