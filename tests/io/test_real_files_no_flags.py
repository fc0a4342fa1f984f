"""Every real file imported with no flags: the committed excerpts (tests/fixtures/real)
and, when INCIDENTS_REAL_FILES names a folder, real files kept outside the repository
(a licence that forbids republishing, a snapshot's bytes that only the project may place;
see the README in tests/fixtures/real).

A file either imports with at least 97% of its rows stored, every cell read exactly as
Python's csv module (CSV, in the encoding the summary names) or openpyxl (XLSX) reads
it, and the summary saying its format and layout; or it is refused whole in one sentence
that says why (e.g. HDX's totals per month and district, which are not incidents).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io.formats import read_any
from incidents.io.tabular import DELIMITERS
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import EDITOR

COMMITTED = Path(__file__).resolve().parent.parent / "fixtures" / "real"
FOLDER = os.environ.get("INCIDENTS_REAL_FILES", "")
SUFFIXES = {".csv", ".xlsx", ".geojson", ".json"}
FILES = [
    p
    for folder in (COMMITTED, *([Path(FOLDER)] if FOLDER else []))
    for p in sorted(folder.iterdir())
    if p.suffix.casefold() in SUFFIXES
]
TARGET = 0.97
REFUSALS = ("not incidents", "match no known format")


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_a_real_file_imports_with_no_flags(path: Path, tmp_path: Path) -> None:
    store = GeoPackageStore(tmp_path / "s.gpkg")
    try:
        report = import_file(path, store, EDITOR, ImportOptions(dry_run=True))
    except ImportFailed as refused:
        assert any(words in str(refused) for words in REFUSALS), str(refused)
        assert "\n" not in str(refused) and "Traceback" not in str(refused)
        return
    stored = report.imported + report.updated
    assert report.accounted
    assert stored >= TARGET * report.rows_read, "\n".join(report.lines()[:60])
    assert report.layout and report.format_label
    read = _cells_as_read(path)
    reference = _cells_as_the_reference_reads(path, report.encoding)
    start = next(i for i, row in enumerate(reference) if [c.strip() for c in row] == read[0])
    assert read[1:] == reference[start + 1 :]  # title rows above the header left out


def _cells_as_read(path: Path) -> list[list[str]]:
    table = read_any(path)
    rows = [table.header, *(cells for _, cells in table.rows)]
    return [_trimmed([_text(c) for c in row]) for row in rows]


def _cells_as_the_reference_reads(path: Path, encoding: str) -> list[list[str]]:
    """What Python's csv module (or openpyxl) reads, blank rows and trailing blank cells
    left out (as the tool does). JSON is compared with itself: json is the reference."""
    if path.suffix.casefold() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows: list[list[str]] = [
            [_text(c) for c in row] for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    elif path.suffix.casefold() == ".csv":
        text = path.read_bytes().decode(encoding)
        delimiter = _delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    else:
        return _cells_as_read(path)
    return [_trimmed(r) for r in rows if any(c.strip() for c in r)]


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return max(DELIMITERS, key=first.count)


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
