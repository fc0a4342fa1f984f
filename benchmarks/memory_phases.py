"""Peak memory and time of bench.py's steps, one after another, on an existing store.

    .venv/bin/python benchmarks/memory_phases.py /tmp/b1m.gpkg [--explore] [--png]

bench.py reports one peak for its whole process (both stores, every step); this says
which step raises it. Each line: the step, the process's peak so far (ru_maxrss), its
resident size now, seconds since start.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench

from incidents.access import PUBLIC
from incidents.store import open_store
from incidents.store.column_load import build_index, cached_index

START = time.perf_counter()


def report(step: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm") as statm:
        now = int(statm.read().split()[1]) * resource.getpagesize() / 1e6
    seconds = time.perf_counter() - START
    print(f"{step:24s} peak {peak:8.0f} MB  now {now:8.0f} MB  {seconds:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", help="a .gpkg path or a postgresql:// URL")
    parser.add_argument("--explore", action="store_true", help="the gdf.explore() baseline")
    parser.add_argument("--png", action="store_true", help="the public PNG export")
    args = parser.parse_args()
    store = open_store(args.store)
    report("open")
    index = build_index(store, bench.EDITOR)
    report("build_index staff")
    with tempfile.TemporaryDirectory() as folder:
        cached_index(store, bench.EDITOR, Path(folder))
        cached_index(store, bench.EDITOR, Path(folder))
    report("cached_index twice")
    bench.page_work(store, index, bench.FILTER, bench.LIBYA, bench.EDITOR)
    report("filter change staff")
    public = build_index(store, PUBLIC)
    bench.page_work(store, public, bench.FILTER, bench.LIBYA, PUBLIC)
    report("filter change public")
    del public
    for view in (bench.PAN, bench.ZOOM):
        bench.layer_bytes(store, index, bench.FILTER, view, bench.EDITOR)
    report("pan and zoom")
    columns = ["id", "type", "title", "description", "date_start", "latitude", "longitude"]
    store.query(bench.FILTER, bench.EDITOR, columns)
    report("read the selection")
    bench.sql_page_work(store, bench.FILTER, bench.EDITOR)
    report("SQL summaries")
    if args.explore:
        bench.explore_payload(store, bench.FILTER)
        report("gdf.explore baseline")
    if args.png:
        bench.bench_png(store)
        report("PNG export")


if __name__ == "__main__":
    main()
