"""Precision and recall of the duplicate search on the labelled pairs, and its speed on
synthetic stores.

    .venv/bin/python benchmarks/duplicates_bench.py            # the labelled pairs
    .venv/bin/python benchmarks/duplicates_bench.py --speed 100000

The labelled pairs (tests/fixtures/duplicates, README there) are judged as the
search judges them: a pair counts as found when the blocking puts it forward and its
score reaches the threshold. With --speed N, N synthetic records (incidents.synthetic)
go through the whole search (profiles, blocking, scoring, reasons) and its CPU and
wall time are printed. benchmarks/import_duplicates_bench.py measures the look at import.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incidents.duplicates import blocking  # noqa: E402
from incidents.duplicates.profile import profile  # noqa: E402
from incidents.duplicates.scoring import DEFAULT_THRESHOLD  # noqa: E402
from incidents.duplicates.search import find_candidates  # noqa: E402
from incidents.record import Incident  # noqa: E402
from tests.duplicates.blocked_pairs import candidate_pairs, compare  # noqa: E402


def _labelled_module():  # type: ignore[no-untyped-def]
    path = ROOT / "tests" / "fixtures" / "duplicates" / "labelled_set.py"
    spec = importlib.util.spec_from_file_location("labelled_set", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["labelled_set"] = module
    spec.loader.exec_module(module)
    return module


def evaluate(threshold: float, show_errors: bool, together: bool = False) -> dict[str, float]:
    """Precision, recall and counts over the committed labelled pairs. together: the
    blocking runs over all the set's records at once (so a dense group's window cuts
    where it would in a store), not over each pair alone."""
    labelled = _labelled_module()
    records, built = labelled.build()
    pairs = labelled.read_pairs()
    if [(p.a, p.b, p.label) for p in built] != [(p.a, p.b, p.label) for p in pairs]:
        raise SystemExit("pairs.csv is not what labelled_set.py builds: write it again")
    blocked: set[tuple[str, str]] | None = None
    if together:
        ids = sorted(records)
        profiles = [profile(records[k]) for k in ids]
        blocked = {(ids[i], ids[j]) for i, j in candidate_pairs(profiles)}
    tp = fp = fn = tn = 0
    for pair in pairs:
        a, b = profile(records[pair.a]), profile(records[pair.b])
        match = compare(a, b)
        if blocked is None:
            put = bool(candidate_pairs([a, b]))
        else:
            put = (pair.a, pair.b) in blocked or (pair.b, pair.a) in blocked
        found = put and match.score >= threshold
        truth = pair.label == "duplicate"
        tp, fp = tp + (found and truth), fp + (found and not truth)
        fn, tn = fn + (truth and not found), tn + (not truth and not found)
        if show_errors and found != truth:
            print(f"{pair.label:9} {match.score:.3f} {pair.a} {pair.b}: {', '.join(match.reasons)}")
    return {
        "pairs": len(pairs),
        "duplicates": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "true_negatives": tn,
    }


def synthetic_records(rows: int) -> list[Incident]:
    """incidents.synthetic's rows as records (what the search reads of a store)."""
    from incidents.synthetic import synthetic_frame

    frame = synthetic_frame(rows, description_chars=200)
    out = []
    for row in frame.itertuples(index=False):
        killed = str(row.killed_best).replace("<NA>", "").replace("nan", "")
        out.append(
            Incident(
                **{
                    "id": row.id,
                    "type": row.type,
                    "title": row.title,
                    "description": row.description,
                    "date_start": date.fromisoformat(str(row.date_start)),
                    "date_end": date.fromisoformat(str(row.date_end or row.date_start)),
                    "country": "LY",
                    "admin1": row.admin1,
                    "place": row.place,
                    "latitude": float(str(row.latitude)),
                    "longitude": float(str(row.longitude)),
                    "location_precision": row.location_precision or "exact",
                    "killed_best": int(float(killed)) if killed.strip() else None,
                    "perpetrators": (row.perpetrators,) if row.perpetrators else (),
                }
            )
        )
    return out


def speed(rows: int) -> None:
    """The whole search (profiles, blocking, scoring, reasons) on N synthetic records:
    CPU time (what the machine's load does not inflate much) and wall time, with the
    load average before and after (this machine's 2 cores are shared)."""
    cpu, wall = time.process_time(), time.perf_counter()
    records = synthetic_records(rows)
    made = time.process_time() - cpu, time.perf_counter() - wall
    load = os.getloadavg()[0]
    cpu, wall = time.process_time(), time.perf_counter()
    found = find_candidates(records)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"window {blocking.DENSE_WINDOW}: "
        f"{rows:,} synthetic records: {len(found):,} candidate pairs in {cpu:.1f} s CPU, "
        f"{wall:.1f} s wall (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"making the records took {made[0]:.1f} s CPU, {made[1]:.1f} s wall)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--errors", action="store_true", help="print the misjudged pairs")
    parser.add_argument("--speed", type=int, metavar="N", help="time the search on N records")
    parser.add_argument("--together", action="store_true",
                        help="block all labelled records at once, not each pair alone")  # fmt: skip
    parser.add_argument("--window", type=int, metavar="W",
                        help="records compared on each side in a dense group (default "
                        f"{blocking.DENSE_WINDOW})")  # fmt: skip
    args = parser.parse_args()
    if args.window is not None:
        blocking.DENSE_WINDOW = args.window
    if args.speed:
        speed(args.speed)
        return
    result = evaluate(args.threshold, args.errors, args.together)
    print(
        f"threshold {args.threshold}: {result['pairs']} pairs ({result['duplicates']} "
        f"duplicates): precision {result['precision']:.3f}, recall {result['recall']:.3f} "
        f"(TP {result['true_positives']}, FP {result['false_positives']}, "
        f"FN {result['false_negatives']}, TN {result['true_negatives']})"
    )


if __name__ == "__main__":
    main()
