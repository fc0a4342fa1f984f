"""Property tests over the importers: whatever the bytes, an import either reads the file
and accounts for every row (imported + updated + rejected == rows read), or refuses
the whole file with ImportFailed. Nothing else may escape.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io import acled, ucdp
from incidents.io.template import TEMPLATE_COLUMNS
from incidents.report import ImportReport
from incidents.schema import FIELDS, VOCABULARIES
from incidents.store import Store, open_store
from tests.conftest import EDITOR

CHECKS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY = [
    "", " ", "2020-06-05", "05/06/2020", "6/5/20", "June 2020", "2020", "2020-02-30",
    "1900-01-01", "9999-12-31", "32.435", "13.6332", "-91", "181", "NaN", "inf", "1e309",
    "-0", "0x1F", "=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)", "-2+3", "\tTAB", "\rCR",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "ترهونة", "Tarhuna",
    "killing", "mass_grave", "public", "restricted", "TRUE", "no", "exact", "district",
    "\u202eevil", "\x00", "a" * 5000, "LY", "LY-MB", "Al Marqab", "1", "3", "99999999999999999999",
    "; ; ;", "\"quoted\"", "line\nbreak", "a" * 64, "F" * 64,
]  # fmt: skip
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
HEADERS = {
    "template": list(TEMPLATE_COLUMNS),
    "acled": [*acled.REQUIRED, "admin1", "location", "notes", "fatalities", "time_precision"],
    "ucdp": [*ucdp.REQUIRED, "latitude", "longitude", "adm_1", "side_a", "date_prec"],
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1256", "utf-16", "latin-1"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_store(str(tmp_path_factory.mktemp("props") / "props.gpkg"))


def check(store: Store, data: bytes, name: str) -> ImportReport | None:
    """Import; the only exception allowed out is ImportFailed, and every row is counted."""
    try:
        report = import_file(Path(name), store, EDITOR, data=data, name=name)
    except ImportFailed as failed:
        assert str(failed)  # a refusal always says why
        event("refused")
        return None
    event(f"read, {'some' if report.imported + report.updated else 'no'} rows taken")
    counted = report.imported + report.updated + len(report.rejected)
    assert counted == report.rows_read, report.lines()
    return report


def _valid(field: str) -> st.SearchStrategy[str]:
    """Values that validation accepts for a template field (so rows get through)."""
    if field in VOCABULARIES_BY_FIELD:
        return st.sampled_from(VOCABULARIES_BY_FIELD[field])
    if field in ("date_start", "date_end"):
        days = st.dates(min_value=date(2011, 1, 1), max_value=date(2024, 12, 31))
        return days.map(date.isoformat)
    if field == "latitude":
        return st.floats(20, 33).map(lambda v: f"{v:.5f}")
    if field == "longitude":
        return st.floats(10, 25).map(lambda v: f"{v:.5f}")
    return st.text(max_size=30)


VOCABULARIES_BY_FIELD = {
    f.name: VOCABULARIES[f.vocabulary].codes for f in FIELDS if f.vocabulary in VOCABULARIES
}
ROW_FIELDS = ["type", "title", "date_start", "date_end", "latitude", "longitude", "country",
              "description", "sensitivity", "confidential_notes", "location_precision"]  # fmt: skip


@st.composite
def near_valid_rows(draw: st.DrawFn) -> dict[str, str]:
    """A template row that is valid except where a nasty value was dropped in."""
    row = {f: draw(_valid(f)) for f in ROW_FIELDS}
    row["country"] = "LY"
    for field in draw(st.lists(st.sampled_from(ROW_FIELDS), max_size=3, unique=True)):
        row[field] = draw(cells)
    return row


@CHECKS
@given(rows=st.lists(near_valid_rows(), min_size=1, max_size=15), xlsx=st.booleans())
def test_near_valid_template_rows(store, rows, xlsx):
    frame = pd.DataFrame(rows, columns=ROW_FIELDS)
    if xlsx:
        out = io.BytesIO()
        frame.map(_xlsx_safe).to_excel(out, index=False, engine="openpyxl")
        report = check(store, out.getvalue(), "rows.xlsx")
    else:
        # the csv module quotes a lone CR (pandas does not, which splits the row)
        text = frame.to_csv(index=False, lineterminator="\r\n")
        report = check(store, text.encode("utf-8"), "rows.csv")
    if any("\x00" in v for r in rows for v in r.values()):
        return  # a NUL byte marks a binary file: refusing it whole is the right answer
    assert report is not None  # a text file with the template's columns is always read
    assert report.rows_read == len(rows)


@CHECKS
@given(
    data=st.binary(max_size=3000),
    suffix=st.sampled_from([".csv", ".xlsx", ".geojson", ".json", ".gpkg"]),
)
def test_any_bytes_at_all(store, data, suffix):
    check(store, data, "upload" + suffix)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    kind = draw(st.sampled_from(sorted(HEADERS)))
    pool = HEADERS[kind]
    header = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    if draw(st.booleans()):  # usually a readable file, sometimes a header soup
        header = list(dict.fromkeys([*HEADERS[kind][:6], *header]))
    width = len(header)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 2), max_size=12))
    return header, rows


@CHECKS
@given(
    sheet=sheets(),
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from([",", ";", "\t"]),
    hxl=st.booleans(),
)
def test_csv_with_random_cells_and_encodings(store, sheet, encoding, delimiter, hxl):
    header, rows = sheet
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    if hxl:  # a second header row of HXL hashtags
        writer.writerow(["#" + h.replace("_", " +") for h in header])
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode(encoding, errors="replace")
    report = check(store, data, "sheet.csv")
    if report is not None and encoding in ("utf-8", "utf-8-sig") and not hxl:
        assert report.rows_read <= len(rows)


@CHECKS
@given(sheet=sheets())
def test_xlsx_with_random_cells(store, sheet):
    header, rows = sheet
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_safe(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    check(store, out.getvalue(), "sheet.xlsx")


def _xlsx_safe(value: str) -> str:
    """openpyxl refuses control characters outright; the reader is what is under test."""
    return "".join(c for c in value if c >= " " or c in "\t\n\r")


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | cells,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(cells, inner, max_size=4),
    max_leaves=20,
)
geometries = st.one_of(
    st.none(),
    st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, json_values, json_values),
    st.builds(lambda v: {"type": "LineString", "coordinates": v}, json_values),
    json_values,
)


@CHECKS
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {
                "type": st.just("Feature"),
                "geometry": geometries,
                "properties": st.dictionaries(
                    st.sampled_from([*ROW_FIELDS, "id", "tags", "x"]), json_values, max_size=8
                )
                | json_values,
            }
        ),
        max_size=6,
    ),
    wrapper=st.booleans(),
)
def test_geojson_with_random_structure(store, features, wrapper):
    document = {"type": "FeatureCollection", "features": features} if wrapper else features
    check(store, json.dumps(document).encode("utf-8"), "upload.geojson")
