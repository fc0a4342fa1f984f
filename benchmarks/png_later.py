"""Benchmark: the later PNG export's CPU, as a median of several in one process.

    .venv/bin/python benchmarks/png_later.py /tmp/b1m.gpkg [--exports 6]

bench.py takes one sample of a later export, and a later export's CPU swings by about
0.1 s between samples: this takes one export as a warm-up (it reads the export
reader's column snapshot), then times several and prints their median and least CPU.
Run it on each tree's store in turn (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.access import Role, Viewer
from incidents.export.service import ExportRequest, run_export
from incidents.query import Query
from incidents.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="a GeoPackage path or a postgresql:// URL")
    parser.add_argument("--exports", type=int, default=6)
    args = parser.parse_args()
    store = open_store(args.address)
    editor, request = Viewer("benchmark", Role.EDITOR), ExportRequest(fmt="png", profile="public")
    run_export(store, editor, Query(), request)  # warm-up: the export reader's snapshot
    seconds = []
    for _ in range(args.exports):
        started = time.process_time()
        run_export(store, editor, Query(), request)
        seconds.append(time.process_time() - started)
    print(f"later PNG export CPU: median {statistics.median(seconds):.3f} s, "
          f"least {min(seconds):.3f} s, of {len(seconds)}")  # fmt: skip


if __name__ == "__main__":
    main()
