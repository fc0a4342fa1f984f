"""One store's column snapshots read in full (the public's, then an editor's), in a new
process: CPU and wall of each read and the process's peak memory.

    INCIDENTS_INDEX_CACHE=$(mktemp -d) .venv/bin/python benchmarks/snapshot_read.py STORE

Run it from each tree to compare (an empty index cache each time, so both read).
"""

from __future__ import annotations

import os
import resource
import sys
import time

sys.path.insert(0, os.getcwd())

from incidents.access import Role, Viewer
from incidents.store import open_store


def main() -> None:
    store = open_store(sys.argv[1])
    out = []
    for role in (Role.PUBLIC, Role.EDITOR):
        cpu, wall = time.process_time(), time.perf_counter()
        store.snapshot(Viewer("benchmark", role))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        out.append(f"{role.value}: CPU {cpu:.2f} s, wall {wall:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(os.getcwd(), " | ".join(out), f"| peak {peak} MB | load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
