"""What the GeoPackage's text index costs to fill, on its own, and what else was tried.

    .venv/bin/python benchmarks/fts_fill.py --rows 100000 --rounds 2

The narrow text copy's bodies of n synthetic records (lower(title) NL lower(description)
NL lower(id), as incidents/store/text_lower.py writes them) are loaded into a plain
table, then one write transaction copies them into a second table (the baseline: no
index) or into one feeding an FTS5 index, filled per row by a trigger (as the product),
by one INSERT ... SELECT, or by 'rebuild', with the trigram tokenizer (substrings: what
the search promises) or unicode61 (words only), and with FTS5's automerge off. CPU
seconds of that transaction, per variant, best of the rounds. Synthetic data only.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
VARIANTS = {  # name: (tokenizer or None, how the index is filled, FTS5 settings)
    "no index (baseline)": (None, "", ()),
    "trigram, trigger per row (the product)": ("trigram", "trigger", ()),
    "trigram, one INSERT ... SELECT": ("trigram", "statement", ()),
    "trigram, rebuild": ("trigram", "rebuild", ()),
    "trigram, trigger, automerge 0": ("trigram", "trigger", (("automerge", 0),)),
    "unicode61 (words), trigger": ("unicode61", "trigger", ()),
}


def fill(rows: list[tuple[str, str]], tokenizer: str | None, how: str, settings: tuple) -> float:
    """CPU seconds of the transaction that copies rows into w (and its index)."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "fill.db", isolation_level=None)
        conn.execute("CREATE TABLE src (body TEXT, place TEXT)")
        conn.execute("BEGIN")  # one transaction: autocommit would sync once per row
        conn.executemany("INSERT INTO src VALUES (?, ?)", rows)
        conn.execute("COMMIT")
        conn.execute("CREATE TABLE w (fid INTEGER PRIMARY KEY, body TEXT, place TEXT)")
        if tokenizer:
            conn.execute(
                "CREATE VIRTUAL TABLE t USING fts5(body, place, content='w', "
                f"content_rowid='fid', tokenize='{tokenizer}', detail='none')"
            )
            for name, value in settings:
                conn.execute(f"INSERT INTO t (t, rank) VALUES ('{name}', {value})")
        if how == "trigger":
            conn.execute(
                "CREATE TRIGGER ti AFTER INSERT ON w BEGIN INSERT INTO t (rowid, body, place) "
                "VALUES (new.fid, new.body, new.place); END"
            )
        started = time.process_time()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO w (body, place) SELECT body, place FROM src")
        if how == "statement":
            conn.execute("INSERT INTO t (rowid, body, place) SELECT fid, body, place FROM w")
        elif how == "rebuild":
            conn.execute("INSERT INTO t (t) VALUES ('rebuild')")
        conn.execute("COMMIT")
        seconds = time.process_time() - started
        conn.close()
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from incidents.synthetic import synthetic_frame

    frame = synthetic_frame(args.rows, seed=1)
    rows = [
        (f"{t.lower()}\n{d.lower()}\n{i.lower()}", p.lower())
        for t, d, i, p in zip(frame.title, frame.description, frame.id, frame.place, strict=True)
    ]
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, (tokenizer, how, settings) in VARIANTS.items():
            seconds = fill(rows, tokenizer, how, settings)
            best[name] = min(best.get(name, seconds), seconds)
            print(f"{name}: {seconds:.3f} s", flush=True)
    base = best["no index (baseline)"]
    for name, seconds in best.items():
        print(f"best {name}: {seconds:.3f} s CPU, index {seconds - base:.3f} s")


if __name__ == "__main__":
    main()
