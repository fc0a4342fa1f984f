"""Copies of the bundled example changed for one test (a district spelled as a file
may spell it, the town's name taken out, a record added), written in the test's tmp
dir; the example itself is never changed. Synthetic changes to public facts only."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "tarhuna.csv"
FILE_SPELLING = "Al Marqab (LY-MB)"  # the district as an imported file may write it


def example_rows() -> list[dict[str, str]]:
    """The example's rows, as the CSV reader gives them."""
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    """These rows as a CSV with the example's columns."""
    rows = list(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_marqab(path: Path) -> Path:
    """The example with every record's district written "Al Marqab (LY-MB)"."""
    return write_rows(path, [{**row, "admin1": FILE_SPELLING} for row in example_rows()])
