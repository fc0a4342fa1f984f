"""The column validator against the row validator, its reference.

Whatever the cells, a row the column checks take must be exactly the Incident
validate_row makes of it (same values, same types); every other row goes to
validate_row, so the messages are the reference's by construction. The import as a
whole is compared with the row-by-row import it replaced.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.dates import infer_day_order
from incidents.import_read import ImportOptions, read_rows
from incidents.importer import _header_repeats, _validate
from incidents.io import template
from incidents.io.formats import Table, raw_columns, read_any
from incidents.record import Incident
from incidents.report import ImportReport
from incidents.schema import VOCABULARIES
from incidents.synthetic import synthetic_frame, write_synthetic_csv
from incidents.validation import RowInvalid, clean_text, validate_row
from incidents.validation_columns import _clean_column, validate_columns
from tests.security.test_importer_properties import NASTY, _valid

TODAY = date(2025, 6, 30)
FIELDS = [
    *template.TEMPLATE_COLUMNS,
    "source4_title",
    "source4_url",
    "source_title",
    "source_url",
    "source_sha256",
]
PLAIN = {
    "place_confirmed": st.sampled_from(["", "yes", "No", "TRUE", "x", "نعم", "maybe"]),
    "public_date_to_month": st.sampled_from(["", "y", "0", "false", "لا", "perhaps"]),
    "killed_min": st.sampled_from(["", "0", "3", "3.0", "2.5", "-1", "1e3", "x"]),
    "killed_best": st.sampled_from(["", "4", "10", " 7 ", "1,5"]),
    "date_precision": st.sampled_from(["", *VOCABULARIES["date_precision"].codes, "Month"]),
    "date_kind": st.sampled_from(["", "discovered", "reported", "later"]),
    "source1_sha256": st.sampled_from(["", "a" * 64, "A" * 64, "g" * 64, "abc"]),
    "source1_url": st.sampled_from(["", "https://example.org/x", "www.x.org", "URN:x"]),
    "perpetrators": st.sampled_from(["", "A; B; A", " ; ", "Group (synthetic)"]),
}
CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
odd_cells = st.one_of(
    st.none(),
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.sampled_from([3, 2.5, float("nan"), datetime(2020, 5, 1, 12), date(2019, 2, 3), True]),
    st.sampled_from([" 2020-01-05", "2020-1-5", "٢٠٢٠-٠١-٠٥", "32,5", "Caf\u0065\u0301", "x\x1fy"]),
)


@st.composite
def columns(draw: st.DrawFn) -> tuple[dict[str, list[Any]], int]:
    """A few rows over all template fields: mostly valid, with odd cells dropped in."""
    n = draw(st.integers(1, 8))
    names = draw(st.lists(st.sampled_from(FIELDS), min_size=3, max_size=20, unique=True))
    names = list(dict.fromkeys(["type", "date_start", *names]))
    odd = set(draw(st.lists(st.sampled_from(names), max_size=3)))
    out: dict[str, list[Any]] = {}
    for name in names:
        base = PLAIN[name] if name in PLAIN else _valid(name)
        cell = st.one_of(base, odd_cells) if name in odd else base
        out[name] = [draw(cell) for _ in range(n)]
    return out, n


def _state(incident: Incident) -> dict[str, tuple[type, Any]]:
    return {k: (type(v), v) for k, v in incident.__dict__.items()}


def _reference(raw: dict[str, Any], order: Any) -> Incident | None:
    try:
        return validate_row(raw, order, TODAY)
    except RowInvalid:
        return None


@CHECKS
@given(data=columns(), order=st.sampled_from(["unknown", "day_first", "month_first"]))
def test_a_row_the_columns_take_is_the_row_validators_incident(data, order):
    cols, n = data
    fast = validate_columns(cols, n, order, TODAY)
    for i, incident in enumerate(fast):
        reference = _reference({k: v[i] for k, v in cols.items()}, order)
        if incident is not None:
            assert reference is not None, {k: v[i] for k, v in cols.items()}
            assert _state(incident) == _state(reference)


def test_a_plain_file_is_taken_by_the_columns_alone():
    """Every synthetic row is plain: none falls back to the row validator."""
    frame = synthetic_frame(400, seed=3).astype(object).where(lambda f: f.notna(), "")
    cols = {k: [str(v) for v in frame[k]] for k in frame.columns}
    fast = validate_columns(cols, len(frame), "unknown", date.today())
    assert all(i is not None for i in fast)
    for i in range(0, 400, 7):
        reference = validate_row({k: v[i] for k, v in cols.items()}, "unknown", date.today())
        assert _state(fast[i]) == _state(reference)


def test_template_columns_are_the_raw_rows_transposed(tmp_path: Path):
    text = (
        "type,date_start,Date,lat,latitude,place\n"
        "killing,,2020-01-02,1,1\n,x\ntorture,2021,,,3,a,extra\n"  # a clash: test_template.py
    )
    path = tmp_path / "t.csv"
    path.write_text(text)
    table = read_any(path)
    numbers, cols = raw_columns(template, table)
    rows = list(template.raw_rows(table))
    assert numbers == [n for n, _ in rows]
    for index, (_, raw) in enumerate(rows):
        assert {k: v[index] for k, v in cols.items() if v[index] is not None} == {
            k: v for k, v in raw.items() if v is not None
        }


def _row_by_row(table: Table) -> tuple[list[tuple[int, tuple]], list[tuple[int, dict]]]:
    """Rejections and records as the importer made them before, row by row."""
    rows = list(template.raw_rows(table))
    dates = [str(raw.get(k) or "") for _, raw in rows for k in ("date_start", "date_end")]
    order = infer_day_order(dates)
    repeats = _header_repeats(table)
    rejected, taken = [], []
    for number, raw in rows:
        if number in repeats:
            rejected.append((number, (("row", "repeats the header row"),)))
            continue
        try:
            taken.append((number, validate_row(raw, order).content()))
        except RowInvalid as invalid:
            rejected.append((number, tuple((p.field, p.message) for p in invalid.problems)))
    return rejected, taken


def test_a_spoilt_file_is_validated_as_row_by_row(tmp_path: Path):
    """A synthetic file with many kinds of bad values: the same rows taken with the same
    values, the same rows rejected with the same messages."""
    path = write_synthetic_csv(tmp_path / "s.csv", 300, seed=5)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for k, (column, values) in enumerate(SPOILT.items()):
        for j, value in enumerate(values):
            frame.loc[(k * 13 + j * 29) % len(frame), column] = value
    frame.loc[17] = frame.columns  # a repeated header row
    frame.to_csv(path, index=False)
    table = read_any(path)
    report = ImportReport("s.csv", "template")
    taken = _validate(read_rows(table, template, ImportOptions()), ImportOptions(), report, None)
    rejected, expected = _row_by_row(table)
    assert [(r.row, r.reasons) for r in report.rejected] == rejected
    assert [(n, i.content()) for n, i in taken] == expected
    assert len(rejected) > 20 and len(expected) > 200
    warned = {w.field for w in report.warnings}
    assert warned >= {"source1_url", "sensitivity", "verification"}, warned


SPOILT = {
    "date_start": ["2020-02-30", "05/06/2020", "", "next week", "2999-01-01", "2020", "13/01/2020"],
    "date_end": ["2001-01-01", "June 2020", "2020-13-01"],
    "type": ["", "riot", "Mass grave", " killing "],
    "latitude": ["91", "abc", "", "32,5", "nan"],
    "longitude": ["13.2.1", "", "-181", "1e1"],
    "killed_best": ["-3", "2.5", "many", "1,0"],
    "killed_max": ["0"],
    "killed_min": ["9999"],  # above best (min lowered, a warning) or max (rejected)
    "sensitivity": ["secret", "PUBLIC", "n/a"],
    "verification": ["unknown", "denied"],
    "place_confirmed": ["perhaps", "نعم"],
    "source1_sha256": ["xyz", "A" * 64],
    "source1_url": ["www.example.org", "=HYPERLINK(1)", "HIDDEN", "-"],
    "title": ["\x00nul", "tab\tinside", "Cafe\u0301", " ترهونة "],
    "date_precision": ["week", "year"],
}


def test_real_export_date_layouts_are_taken_by_the_columns_as_by_the_rows():
    """ACLED's layouts, Excel's, Arabic month names and workbook numbers: the column
    validator takes each row, and takes it as validate_row does."""
    written: list[Any] = [
        "9-May-20",
        "01-January-2015",
        "09 May 2020",
        "2020-05-09",
        "5/9/2020",
        "٩ أيار ٢٠٢٠",
        "15 مايو 2019م",
        43960,
        43960.5,
        datetime(2020, 5, 9),
    ]
    n = len(written)
    cols: dict[str, list[Any]] = {
        "type": ["Killing"] * n,
        "date_start": written,
        "place": ["Tarhuna"] * n,
        "country": ["Libya"] * n,
    }
    fast = validate_columns(cols, n, "month_first", TODAY)
    assert all(incident is not None for incident in fast)
    for i, incident in enumerate(fast):
        reference = _reference({k: v[i] for k, v in cols.items()}, "month_first")
        assert reference is not None and _state(incident) == _state(reference)
    assert fast[0].date_start == date(2020, 5, 9) and fast[4].date_start == date(2020, 5, 9)


_ASCII_CELLS = st.lists(  # mostly plain (the fast path), some with control characters
    st.text(st.sampled_from("ab \t\n-"), max_size=6)
    | st.text(st.sampled_from("ab \t\n\r\x0b\x0c\x01-"), max_size=6),
    min_size=1,
    max_size=8,
)


@settings(deadline=None, max_examples=300)
@given(cells=_ASCII_CELLS)
def test_a_column_is_cleaned_as_each_cell_alone(cells):
    """The column's fast path (one pass over the joined column) against clean_text of
    each cell, the oracle: white space of every kind at either end of any cell."""
    assert _clean_column(cells) == [clean_text(c) for c in cells]
