"""Benchmarks: each scenario beside its baseline, measured in the same run.

    .venv/bin/python benchmarks/bench.py --sizes 10000,100000,1000000 \\
        [--pg postgresql://...] [--browser-sizes 100000,1000000]

For each size and store (GeoPackage; PostGIS with --pg) it times, wall and CPU, best of
--repeat: reading the column index and loading it from its disk cache; a filter change
to the map payload ready (what the page does on the server: counts, histogram, layer,
the feature group as streamlit-folium sends it) against gdf.explore() of the same
selection and against the same summaries in SQL; pan and zoom steps; PNG export of
the whole selection; CSV import through the real importer (sizes up to
--import-max; larger stores are filled by bulk_load.py, benchmark-only); the text filter
the first time after opening the store (text_bench.py). Then geocoding
of 10k names, and, for --browser-sizes, the dashboard in headless Chromium
(browser_bench.py). Prints a table, the ratios, and as its last line one JSON object
with every figure. Synthetic data only (incidents.synthetic).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd
from streamlit_folium import _get_feature_group_string

from incidents.access import PUBLIC, Role, Viewer
from incidents.importer import import_file
from incidents.maps import MapOptions, basemap, plan
from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.column_index import ColumnIndex
from incidents.store.column_load import build_index, cached_index
from incidents.synthetic import write_synthetic_csv
from tests.sql_oracles import SqlSummaries

EDITOR = Viewer("benchmark", Role.EDITOR)
FILTER = Query(
    types=("killing", "enforced_disappearance", "mass_grave"),
    date_from=date(2016, 1, 1),
    date_to=date(2020, 12, 31),
)
LIBYA = (9.3, 19.5, 25.2, 33.2)  # the whole country, as the page first shows it
PAN = (10.3, 19.8, 26.2, 33.5)
ZOOM = (12.4, 31.9, 14.4, 33.1)  # Tripoli and around: markers at this zoom
PLACES = ["Tarhuna", "Tarhouna", "ترهونة", "Misrata", "مصراتة", "Sirte", "Derna", "Sabha"]
Figures = dict[str, float]


def timed(func: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Best wall and best CPU seconds of repeat runs, and the last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = func()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, result


def page_work(store: Store, idx: ColumnIndex, query: Query, view: tuple, who: Viewer) -> int:
    """The server side of a filter change on the map page, from the column index:
    headline and per-filter counts, the histogram, the map layer rendered as
    streamlit-folium sends it. Returns the payload's bytes."""
    idx.count(Query())
    shown = idx.count(query)
    for reset in ({"types": ()}, {"date_from": None, "date_to": None}):
        idx.count(query.replace(**reset)) - shown
    idx.histogram(query.replace(date_from=None, date_to=None), "month")  # as the page asks
    return layer_bytes(store, idx, query, view, who)


def layer_bytes(store: Store, idx: ColumnIndex, query: Query, view: tuple, who: Viewer) -> int:
    """A map step: the data layer for a view, rendered as the component receives it."""
    rows: plan.Rows = lambda q, cols, n: store.rows_for(idx.first_fids(q, n), who, cols)  # noqa: E731
    group, _, _ = plan.layer(idx, query, MapOptions(), view, rows, plan.zoom_for(view))
    return len(_get_feature_group_string(group, basemap("LY")).encode())


def sql_page_work(store: Store, query: Query, who: Viewer) -> None:
    """The same summaries straight from SQL (approach (a) without the index; the SQL
    oracle the tests check the index against)."""
    sql = SqlSummaries(store)
    sql.count(query, who)
    sql.date_counts(query.replace(date_from=None, date_to=None), who)
    sql.point_counts(query.replace(bbox=LIBYA), who, 0.5)


def explore_payload(store: Store, query: Query) -> int:
    """Baseline: what gdf.explore() sends for the same selection (every point, GeoJson)."""
    columns = ["id", "type", "title", "description", "date_start", "latitude", "longitude"]
    frame = store.query(query, EDITOR, columns).dropna(subset=["latitude", "longitude"])
    points = gpd.points_from_xy(frame["longitude"], frame["latitude"])
    gdf = gpd.GeoDataFrame(frame, geometry=points, crs=4326)
    return len(gdf.explore(tiles=None).get_root().render().encode())


def bench_map(store: Store, repeat: int, explore: bool) -> Figures:
    out: Figures = {}
    wall, cpu, built = timed(lambda: build_index(store, EDITOR))
    out |= {"index_read_s": wall, "index_read_cpu_s": cpu, "index_mb": built.nbytes() / 1e6}
    del built  # timed only: the page works on the store's own snapshot (below), as the app
    with tempfile.TemporaryDirectory() as cache:
        cached_index(store, EDITOR, Path(cache))
        wall, cpu, _ = timed(lambda: cached_index(store, EDITOR, Path(cache)), repeat)
    out |= {"index_load_s": wall, "index_load_cpu_s": cpu}
    idx = store.snapshot(EDITOR)  # the map page's read model (app_pages/common.py)
    for who, tag in ((EDITOR, ""), (PUBLIC, "public_")):
        index = store.snapshot(who)
        wall, cpu, size = timed(lambda: page_work(store, index, FILTER, LIBYA, who), repeat)  # noqa: B023
        out |= {f"{tag}filter_s": wall, f"{tag}filter_cpu_s": cpu, f"{tag}payload_bytes": size}
    for name, view in (("pan", PAN), ("zoom", ZOOM)):
        wall, cpu, size = timed(lambda: layer_bytes(store, idx, FILTER, view, EDITOR), repeat)  # noqa: B023
        out |= {f"{name}_s": wall, f"{name}_cpu_s": cpu, f"{name}_payload_bytes": size}
    columns = ["id", "type", "title", "description", "date_start", "latitude", "longitude"]
    wall, cpu, _ = timed(lambda: store.query(FILTER, EDITOR, columns), repeat)
    out |= {"read_selection_s": wall, "read_selection_cpu_s": cpu}  # a data export's read
    wall, cpu, _ = timed(lambda: sql_page_work(store, FILTER, EDITOR), 1)
    out |= {"sql_filter_s": wall, "sql_filter_cpu_s": cpu}
    out["selection"] = float(idx.count(FILTER))
    out["peak_mb_before_explore"] = _peak_mb()
    if explore:
        explore_payload(store, FILTER.replace(types=("mass_grave",)))  # imports, warm-up
        wall, cpu, size = timed(lambda: explore_payload(store, FILTER), min(repeat, 2))
        out |= {"explore_s": wall, "explore_cpu_s": cpu, "explore_bytes": size}
        out["payload_ratio"] = size / max(out["payload_bytes"], 1)
        out["speed_ratio"] = wall / max(out["filter_s"], 1e-9)
    return out


def bench_png(store: Store) -> Figures:
    """The real PNG export (incidents.export) of the whole selection, twice: the first
    after a data change also reads the export reader's column index; later ones load it."""
    from incidents.export.service import ExportRequest, run_export

    request = ExportRequest(fmt="png", profile="public")
    out: Figures = {}
    for name in ("png_export_first", "png_export"):
        c0, w0 = time.process_time(), time.perf_counter()
        result = run_export(store, EDITOR, Query(), request)
        out |= {f"{name}_s": time.perf_counter() - w0, f"{name}_cpu_s": time.process_time() - c0}
    out["png_bytes"] = len(result.data)
    return out


def bench_geocode(n: int = 10_000) -> Figures:
    from geodata import gazetteer

    names = [f"{PLACES[i % len(PLACES)]}" if i % 10 else f"Unknown place {i}" for i in range(n)]
    wall, cpu, _ = timed(lambda: gazetteer.geocode_many(names, country="LY"))
    return {"geocode_10k_s": wall, "geocode_10k_cpu_s": cpu}


def fill(store: Store, n: int, csv_path: Path, import_max: int) -> Figures:
    """The real importer up to import_max records; the benchmark-only bulk loader above."""
    if n > import_max:
        from bulk_load import bulk_load

        return {"bulk_load_s": bulk_load(store, n)}
    c0, w0 = time.process_time(), time.perf_counter()
    report = import_file(csv_path, store, EDITOR)
    seconds = time.perf_counter() - w0
    assert report.accounted
    return {
        "import_s": seconds,
        "import_cpu_s": time.process_time() - c0,
        "import_rows_per_s": report.rows_read / seconds,
    }


def run_size(n: int, workdir: Path, args: argparse.Namespace) -> dict[str, Figures]:
    csv_path = workdir / f"synthetic_{n}.csv"
    if n <= args.import_max:
        write_synthetic_csv(csv_path, n, seed=1)
    addresses = [("gpkg", str(workdir / f"b{n}.gpkg"))]
    if args.pg:
        addresses.append(("postgis", new_database(args.pg)))
    results: dict[str, Figures] = {}
    for name, address in addresses:
        store = open_store(address)
        print(f"[{name} {n:,}] filling", file=sys.stderr, flush=True)
        figures = fill(store, n, csv_path, args.import_max)
        figures["peak_mb_after_fill"] = _peak_mb()
        print(f"[{name} {n:,}] map", file=sys.stderr, flush=True)
        figures |= bench_map(store, args.repeat, explore=True)
        figures["peak_mb_after_map"] = _peak_mb()
        from text_bench import run as text_run  # the text filter, first time, new process

        figures |= text_run(_address(store))
        if n in args.png_sizes:
            figures |= bench_png(store)
            figures["peak_mb_after_png"] = _peak_mb()
        if n in args.browser_sizes:
            from browser_bench import run as browser_run

            print(f"[{name} {n:,}] browser", file=sys.stderr, flush=True)
            figures |= {f"browser_{k}": v for k, v in browser_run(_address(store), None).items()}
        results[f"{name}_{n}"] = figures
        del store  # a server holds one store: the next store's phase starts without this one's
        if name == "postgis":
            drop_database(address)
    return results


def _peak_mb() -> float:
    """The process's peak memory so far: read after each phase, it says which phase
    raised bench_max_rss_mb (the peak of the whole run)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _address(store: Store) -> str:
    """What INCIDENTS_DB must say for the app to open this store."""
    return store.url


def new_database(url: str) -> str:
    """A new, empty database with PostGIS beside the one url names (the app opens a
    database's public schema, so each benchmark store gets a database of its own)."""
    import psycopg

    name = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return target


def drop_database(target: str) -> None:
    import psycopg

    base, name = target.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _print(results: dict[str, Figures]) -> None:
    for scenario, figures in results.items():
        print(f"\n{scenario}")
        for key, value in figures.items():
            print(f"  {key:32s} {value:16,.3f}")
    print("\nratios (baseline / ours, same run)")
    for scenario, figures in results.items():
        if "payload_ratio" in figures:
            print(
                f"  {scenario:16s} payload {figures['payload_ratio']:8.1f}x smaller, "
                f"filter->payload {figures['speed_ratio']:8.1f}x faster than gdf.explore(); "
                f"{figures['sql_filter_s'] / max(figures['filter_s'], 1e-9):6.1f}x faster "
                "than the same summaries in SQL"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pg", default=os.environ.get("INCIDENTS_TEST_PG"))
    parser.add_argument("--import-max", type=int, default=100_000)
    parser.add_argument("--png-sizes", default="100000,1000000")
    parser.add_argument("--browser-sizes", default="")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.png_sizes = {int(s) for s in args.png_sizes.split(",") if s}
    args.browser_sizes = {int(s) for s in args.browser_sizes.split(",") if s}
    results: dict[str, Figures] = {"geocoding": bench_geocode()}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            results |= run_size(n, Path(tmp), args)
    results["process"] = {"bench_max_rss_mb": _peak_mb(), "load_avg_1m": os.getloadavg()[0]}
    _print(results)
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
