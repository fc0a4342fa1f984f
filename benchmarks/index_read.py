"""Benchmark: reading an editor's column index from a store, three times in one process.

    .venv/bin/python benchmarks/index_read.py /tmp/b1m.gpkg

bench.py takes one sample of the read (its `index_read` figures), the first in its
process; this takes three, for comparing two trees' stores in alternated runs
(docs/benchmarks.md). Prints the CPU seconds of each read.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incidents.access import Role, Viewer
from incidents.store import open_store
from incidents.store.column_load import build_index


def main() -> None:
    store, editor = open_store(sys.argv[1]), Viewer("benchmark", Role.EDITOR)
    seconds = []
    for _ in range(3):
        started = time.process_time()
        build_index(store, editor)
        seconds.append(time.process_time() - started)
    print("column index read CPU: " + ", ".join(f"{s:.2f}" for s in seconds) + " s")


if __name__ == "__main__":
    main()
