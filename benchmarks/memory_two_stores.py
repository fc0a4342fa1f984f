"""bench.py's map and PNG phases for two stores in one process, as bench.py runs them.

    INCIDENTS_INDEX_CACHE=$(mktemp -d) .venv/bin/python benchmarks/memory_two_stores.py \\
        /tmp/b1m.gpkg postgresql://.../b1m [--keep]

bench.py at 1M fills each store first (minutes); this runs the same bench_map and
bench_png on stores already filled (bulk_load.py), so the process's peak memory
(bench_max_rss_mb, set by the second store's phase) can be compared between trees in a
few minutes. As bench.py, it lets each store go after its phases (a server holds one
store); --keep holds them all to the end, as bench.py did before (diagnostic only: it
says how much of the peak a first store's snapshots are). Use an empty index cache, as
bench.py's new stores have none.
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench

from incidents.store import open_store


def _mb() -> tuple[float, float]:
    """The process's peak so far (ru_maxrss) and its resident size now, in MB."""
    with open("/proc/self/statm") as statm:
        now = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stores", nargs="+", help=".gpkg paths or postgresql:// URLs")
    parser.add_argument("--keep", action="store_true", help="hold every store to the end")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    kept = []
    for address in args.stores:
        store = open_store(address)
        if args.keep:
            kept.append(store)
        figures = bench.bench_map(store, args.repeat, explore=True)
        before = figures.get("peak_mb_before_explore", float("nan"))
        print(f"{address}: peak before explore {before:.0f}, after map %.0f, now %.0f" % _mb())
        bench.bench_png(store)
        print(f"{address}: peak after png %.0f, now %.0f" % _mb(), flush=True)
        del store
    print(f"max_rss_mb {_mb()[0]:.0f}")


if __name__ == "__main__":
    main()
