"""What the duplicate look at import costs: the real importer on N synthetic rows into
a GeoPackage that already holds M synthetic records of the same years, with the look
and without it, in alternated runs in one process (the machine is shared, so its load
varies between runs; alternating spreads it over both sides).

    .venv/bin/python benchmarks/import_duplicates_bench.py --rows 10000 --stored 10000

The stored records and the file are two synthetic sets (seeds 0 and 1, the file's ids
renamed "new-N"), so every row is new and the look compares the file with all stored
records of its days (the synthetic years span the whole store). Each run imports into
a fresh copy of the filled store. "Without" replaces the importer's call of the look
(incidents.duplicates.on_import.count_like_existing) by one that does nothing, the
only difference between the two sides. Prints CPU and wall seconds per run, the load
average, the medians and the look's cost in per cent of the import without it, and
the cost in each round (its two runs back to back, so at about the same load).
Synthetic data only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import incidents.importer as importer  # noqa: E402
from incidents.access import Role, Viewer  # noqa: E402
from incidents.store import open_store  # noqa: E402
from incidents.synthetic import synthetic_frame  # noqa: E402

EDITOR = Viewer("benchmark", Role.EDITOR)
LOOK = importer.count_like_existing


def _no_look(*_: Any) -> None:
    return None


def prepare(work: Path, rows: int, stored: int) -> tuple[Path, Path]:
    """The filled store (imported once, the look off) and the new file."""
    base, new = work / "stored.csv", work / "new.csv"
    synthetic_frame(stored, seed=0, description_chars=200).to_csv(base, index=False)
    frame = synthetic_frame(rows, seed=1, description_chars=200)
    frame["id"] = [f"new-{k}" for k in range(1, rows + 1)]
    frame.to_csv(new, index=False)
    db = work / "stored.gpkg"
    importer.count_like_existing = _no_look  # type: ignore[assignment]
    report = importer.import_file(base, open_store(str(db)), EDITOR)
    print(f"store: {report.imported:,} records imported", flush=True)
    return db, new


def run(db: Path, new: Path, look: bool, work: Path) -> dict[str, float]:
    """One import of the new file into a fresh copy of the store."""
    copy = work / f"run-{time.monotonic_ns()}.gpkg"
    shutil.copyfile(db, copy)
    store = open_store(str(copy))
    importer.count_like_existing = LOOK if look else _no_look  # type: ignore[assignment]
    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    report = importer.import_file(new, store, EDITOR)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for leftover in work.glob(copy.name + "*"):
        leftover.unlink()
    return {"cpu": cpu, "wall": wall, "load": load, "like": float(report.like_existing),
            "imported": float(report.imported)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db, new = prepare(work, args.rows, args.stored)
        runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
        run(db, new, True, work)  # warm-up: first loads (gazetteer, caches) on neither side
        for k in range(args.rounds):
            for look in (k % 2 == 0, k % 2 != 0):
                r = run(db, new, look, work)
                runs[look].append(r)
                print(
                    f"{'with   ' if look else 'without'} the look: {r['cpu']:.2f} s CPU, "
                    f"{r['wall']:.2f} s wall, load {r['load']:.1f}, {r['imported']:.0f} "
                    f"imported, {r['like']:.0f} like stored records",
                    flush=True,
                )
    paired = [w["cpu"] / wo["cpu"] - 1 for w, wo in zip(runs[True], runs[False], strict=True)]
    cpu = {s: statistics.median(r["cpu"] for r in runs[s]) for s in runs}
    wall = {s: statistics.median(r["wall"] for r in runs[s]) for s in runs}
    print(
        f"median: without {cpu[False]:.2f} s CPU ({wall[False]:.2f} s wall), with "
        f"{cpu[True]:.2f} s CPU ({wall[True]:.2f} s wall): the look costs "
        f"{100 * (cpu[True] / cpu[False] - 1):+.0f}% CPU, "
        f"{100 * (wall[True] / wall[False] - 1):+.0f}% wall"
    )
    print(  # each round's two runs ran back to back, at about the same load
        "per round (with against without, CPU): "
        + ", ".join(f"{100 * r:+.0f}%" for r in paired)
        + f"; median {100 * statistics.median(paired):+.0f}%"
    )


if __name__ == "__main__":
    main()
