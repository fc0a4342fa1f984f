"""The real importer on one synthetic CSV, this checkout against an earlier commit,
in alternated runs (the machine is shared, so its load varies between runs).

    git worktree add --detach /tmp/bench-old <commit>
    .venv/bin/python benchmarks/import_compare.py --old /tmp/bench-old --rows 100000 --rounds 3
    .venv/bin/python benchmarks/import_compare.py --old /tmp/bench-old --also /tmp/variant

--also adds a checkout (a variant of this one, e.g. with one cost left out) that takes
its turn in every round beside the two.

Each run is a fresh process (its own imports, a new GeoPackage in a temporary folder)
with PYTHONPATH set to the checkout it times; the CSV is written once, by this
checkout's incidents.synthetic, so both import the same bytes. Prints wall and CPU
seconds per run, the load average at its start, and the best of each side.
With --pg URL each run imports into a new schema of that PostGIS database (its wall
time then includes the server's work; CPU is the client's). Synthetic data only. With
--profile FILE each side is profiled once instead (cProfile timed by CPU, into FILE.old
and FILE.new).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

# Run in the child: import the CSV into a new GeoPackage and print its figures as JSON.
CHILD = """
import cProfile, json, os, sys, time
from pathlib import Path
from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.store import open_store

csv_path, db_path = sys.argv[1], sys.argv[2]
if db_path.startswith("postgres"):  # a schema of its own, dropped after the run
    from incidents.store.postgis import PostGISStore
    store = PostGISStore(db_path, schema=sys.argv[3])
else:
    store = open_store(db_path)
profile_out = os.environ.get("IMPORT_PROFILE")
profiler = cProfile.Profile(time.process_time) if profile_out else None
c0, w0 = time.process_time(), time.perf_counter()
if profiler:
    profiler.enable()
report = import_file(Path(csv_path), store, Viewer("benchmark", Role.EDITOR))
if profiler:
    profiler.disable()
    profiler.dump_stats(profile_out)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "rows": report.rows_read,
                  "imported": report.imported}))
if db_path.startswith("postgres"):
    store.drop_schema()
"""


def run_once(
    checkout: Path, csv_path: Path, workdir: Path, profile: str | None, pg: str | None = None
) -> dict:
    """One import in a fresh interpreter whose incidents package comes from checkout,
    into a new GeoPackage, or with pg into a new schema of that PostgreSQL database."""
    db = workdir / f"import_{uuid.uuid4().hex[:8]}.gpkg"
    env = dict(os.environ, PYTHONPATH=str(checkout))
    if profile:  # CPU time per function (the machine's load does not inflate it)
        env["IMPORT_PROFILE"] = profile
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(csv_path), pg or str(db), db.stem],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["load_1m"] = load
    for leftover in workdir.glob(db.name + "*"):
        leftover.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=Path, required=True, help="checkout of the earlier commit")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="profile each side once into FILE.old, FILE.new")
    parser.add_argument("--pg", help="import into a new schema of this PostGIS database")
    parser.add_argument(
        "--also", type=Path, action="append", default=[],
        help="another checkout to take its turn in every round (a variant of this one)",
    )  # fmt: skip
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from incidents.synthetic import write_synthetic_csv

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        csv_path = workdir / f"synthetic_{args.rows}.csv"
        write_synthetic_csv(csv_path, args.rows, seed=1)
        stores = workdir / "stores"
        stores.mkdir()
        if args.profile:
            for side, checkout in (("old", args.old), ("new", HERE)):
                figures = run_once(checkout, csv_path, stores, f"{args.profile}.{side}", args.pg)
                print(side, json.dumps(figures), flush=True)
            return
        sides = [("old", args.old), ("new", HERE), *((str(p), p) for p in args.also)]
        results: dict[str, list[dict]] = {side: [] for side, _ in sides}
        for _ in range(args.rounds):
            for side, checkout in sides:
                figures = run_once(checkout, csv_path, stores, None, args.pg)
                results[side].append(figures)
                print(side, json.dumps(figures), flush=True)
    for side, runs in results.items():
        best_wall = min(r["wall_s"] for r in runs)
        best_cpu = min(r["cpu_s"] for r in runs)
        print(f"{side}: best wall {best_wall:.2f} s, best CPU {best_cpu:.2f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
