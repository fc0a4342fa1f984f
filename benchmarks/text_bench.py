"""Benchmark: the text filter the first time, in a new process that has just opened the store.

    .venv/bin/python benchmarks/text_bench.py /tmp/b1m.gpkg [postgresql://.../db ...]
    .venv/bin/python benchmarks/text_bench.py --size 100000   # bulk-loads a new store first

Each figure is one run in its own process: open the store, read the viewer's column
snapshot (not timed: the app reads it before any text is typed, app_pages/
map_warm_start.py, and the public's town search compares its arrays), then ask for
the ids matching a text, as the column index asks when a text is typed
(RecordReads.matching_fids), for an editor and for the public. "gazetteer warm": the
gazetteer was loaded before, by looking up another town (as the app's map has loaded
it to draw town names), so no answer for the text itself is cached; otherwise nothing
of the search is cached in the process. Beside it, the same filter as the LIKE scan
the stores ran before the full-text index (the baseline). The CPU figures are this
process's only, not the database server's. Prints one JSON object. bench.py calls
run() for each store it fills.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# A town by three spellings (the gazetteer widens each), a phrase, and a rare id.
TERMS = {
    "town": "Tarhuna",
    "town_ar": "ترهونة",
    "phrase": "arbitrary detention",
    "rare": "syn-777777",
}
WARM_UP_TOWN = "Misrata"  # loads the gazetteer without caching any searched text's answer


def _once(address: str, text: str, who: str, gazetteer: str = "cold") -> dict[str, Any]:
    """In this (new) process: open the store, read the viewer's snapshot (untimed, as
    the app has it before a text is typed), then the first text filter. gazetteer
    "warm": another town's spellings and point were looked up before (as the app's map,
    drawing town names, has loaded the gazetteer), so the figure is the search's alone
    and no answer for this text is cached."""
    from incidents.access import PUBLIC, Role, Viewer
    from incidents.query import Query
    from incidents.store import open_store
    from incidents.store.public_town_search import named_towns
    from incidents.store.text_index import search_needles

    if gazetteer == "warm":
        search_needles(WARM_UP_TOWN)
        named_towns(WARM_UP_TOWN)
    viewer = PUBLIC if who == "public" else Viewer("benchmark", Role.EDITOR)
    w0 = time.perf_counter()
    store = open_store(address)
    opened = time.perf_counter() - w0
    store.snapshot(viewer)
    w1, c1 = time.perf_counter(), time.process_time()
    found = store.matching_fids(Query(text=text), viewer)
    return {
        "open_s": opened,
        "first_s": time.perf_counter() - w1,
        "first_cpu_s": time.process_time() - c1,  # this process only (not PostgreSQL's)
        "matches": len(found),
    }


def _like_baseline(address: str, text: str) -> float:
    """The LIKE scan the stores ran before the index, timed on the same store."""
    from incidents.store import open_store

    store = open_store(address)
    like = "ILIKE" if address.startswith("postgres") else "LIKE"
    needle = f"%{text}%"
    cols = ("title", "description", "place", "id")
    sql = "SELECT i.fid AS fid FROM incidents i WHERE " + " OR ".join(
        f"i.{c} {like} %s" for c in cols
    )
    w0 = time.perf_counter()
    store.tuples(sql, [needle] * len(cols))
    return time.perf_counter() - w0


def _in_new_process(*args: str) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, "--once", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(address: str) -> dict[str, float]:
    """Cold text-filter figures for one store (each in a new process)."""
    out: dict[str, float] = {"load_average_1min": os.getloadavg()[0]}
    for name, text in TERMS.items():
        for who in ("editor", "public"):
            got = _in_new_process(address, text, who)
            out[f"text_cold_{name}_{who}_s"] = got["first_s"]
            out[f"text_cold_{name}_{who}_matches"] = got["matches"]
            warm = _in_new_process(address, text, who, "warm")
            out[f"text_cold_{name}_{who}_gazetteer_warm_s"] = warm["first_s"]
            out[f"text_cold_{name}_{who}_gazetteer_warm_cpu_s"] = warm["first_cpu_s"]
        out[f"text_like_{name}_s"] = _in_new_process("--like", address, text)
    out["load_average_1min_after"] = os.getloadavg()[0]
    return out


def main() -> None:
    if sys.argv[1:2] == ["--once"]:
        rest = sys.argv[2:]
        if rest[0] == "--like":
            print(json.dumps(_like_baseline(rest[1], rest[2])))
        else:
            print(json.dumps(_once(*rest)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("stores", nargs="*", help=".gpkg paths or postgresql:// URLs")
    parser.add_argument("--size", type=int, default=100_000, help="without stores: load one")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores = args.stores
        if not stores:
            from bulk_load import bulk_load

            from incidents.store import open_store

            path = str(Path(tmp) / f"t{args.size}.gpkg")
            bulk_load(open_store(path), args.size)
            stores = [path]
        for address in stores:
            results[address.rsplit("/", 1)[-1]] = run(address)
    for store, figures in results.items():
        print(store)
        for key, value in figures.items():
            print(f"  {key:36s} {value:12,.3f}")
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
