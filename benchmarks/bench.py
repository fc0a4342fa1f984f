"""Benchmarks: each scenario beside its baseline, measured in the same run.

    .venv/bin/python benchmarks/bench.py --sizes 10000,100000 [--pg postgresql://...]

Prints a table, then ratios, and as its last line one JSON object with every figure
(for a check to read). Synthetic data only (incidents.synthetic).
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

import geopandas as gpd
from streamlit_folium import _get_feature_group_string

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.maps import MAP_COLUMNS, MapOptions, basemap, data_layer
from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import Store
from incidents.synthetic import write_synthetic_csv

EDITOR = Viewer("benchmark", Role.EDITOR)
FILTER = Query(
    types=("killing", "enforced_disappearance", "mass_grave"),
    date_from=date(2016, 1, 1),
    date_to=date(2020, 12, 31),
)
PLACES = ["Tarhuna", "Tarhouna", "ترهونة", "Misrata", "مصراتة", "Sirte", "Derna", "Sabha"]


def timed(func: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of repeat runs (seconds), and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_import(store: Store, csv_path: Path) -> dict[str, float]:
    seconds, report = timed(lambda: import_file(csv_path, store, EDITOR))
    assert report.accounted
    return {"import_s": seconds, "import_rows_per_s": report.rows_read / seconds}


def our_payload(store: Store, view: tuple[float, float, float, float] | None) -> tuple[int, int]:
    """Server side of a filter change: query, draw the data layer, render it as the app sends it.

    The app keeps the basemap mounted and sends only the data layer (streamlit-folium's
    feature_group_to_add), so the payload is that feature group's script.
    """
    frame = store.query(FILTER, EDITOR, list(MAP_COLUMNS))
    group, drawn = data_layer(frame, MapOptions(), view)
    m = basemap("LY")
    script = _get_feature_group_string(group, m)
    return len(script.encode()), drawn.drawn


def explore_payload(store: Store) -> int:
    """Baseline: what gdf.explore() sends for the same selection (every point, GeoJson)."""
    frame = store.query(
        FILTER,
        EDITOR,
        ["id", "type", "title", "description", "date_start", "latitude", "longitude"],
    )
    frame = frame.dropna(subset=["latitude", "longitude"])
    gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=4326
    )
    return len(gdf.explore(tiles=None).get_root().render())


def bench_payload(store: Store) -> dict[str, float]:
    libya = (9.3, 19.5, 25.2, 33.2)
    ours_s, (ours_bytes, drawn) = timed(lambda: our_payload(store, libya), repeat=3)
    base_s, base_bytes = timed(lambda: explore_payload(store))
    return {
        "filter_to_payload_s": ours_s,
        "payload_bytes": ours_bytes,
        "payload_items_drawn": drawn,
        "explore_s": base_s,
        "explore_bytes": base_bytes,
        "payload_ratio": base_bytes / max(ours_bytes, 1),
        "speed_ratio": base_s / max(ours_s, 1e-9),
    }


def bench_query(store: Store) -> dict[str, float]:
    count_s, count = timed(lambda: store.count(FILTER, EDITOR), repeat=3)
    box = Query(bbox=(13.0, 32.0, 14.0, 33.0))
    bbox_s, _ = timed(lambda: store.count(box, EDITOR), repeat=3)
    return {"count_filter_s": count_s, "count_bbox_s": bbox_s, "selection": count}


def bench_geocode(n: int = 10_000) -> dict[str, float]:
    from geodata import gazetteer

    names = [f"{PLACES[i % len(PLACES)]}" if i % 10 else f"Unknown place {i}" for i in range(n)]
    seconds, _ = timed(lambda: gazetteer.geocode_many(names, country="LY"))
    return {"geocode_10k_s": seconds}


def bench_png(store: Store) -> dict[str, float]:
    try:
        from incidents.export import static_map
    except ImportError:
        return {}
    render = getattr(static_map, "render_png", None)
    if render is None:
        return {}
    frame = store.query(Query(), EDITOR)
    seconds, data = timed(lambda: render(frame))
    return {"png_export_s": seconds, "png_bytes": len(data)}


def run_size(n: int, workdir: Path, pg_url: str | None) -> dict[str, dict[str, float]]:
    csv_path = workdir / f"synthetic_{n}.csv"
    write_synthetic_csv(csv_path, n, seed=1)
    results: dict[str, dict[str, float]] = {}
    stores: list[tuple[str, Store]] = [("gpkg", open_store(str(workdir / f"b{n}.gpkg")))]
    if pg_url:
        from incidents.store.postgis import PostGISStore

        stores.append(("postgis", PostGISStore(pg_url, schema="bench_" + uuid.uuid4().hex[:8])))
    for name, store in stores:
        figures = bench_import(store, csv_path)
        figures |= bench_query(store)
        figures |= bench_payload(store)
        if name == "gpkg":
            figures |= bench_png(store)
        results[f"{name}_{n}"] = figures
        if name == "postgis":
            store.drop_schema()  # type: ignore[attr-defined]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pg", default=os.environ.get("INCIDENTS_TEST_PG"))
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {"geocoding": bench_geocode()}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            results |= run_size(n, Path(tmp), args.pg)
    results["process"] = {"max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    for scenario, figures in results.items():
        print(f"\n{scenario}")
        for key, value in figures.items():
            print(f"  {key:24s} {value:14,.3f}")
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
