"""Text survives import from CSV into a real GeoPackage and the tool's own CSV export.

The only changes allowed are the validator's documented cleaning (clean_text: NFC,
control characters such as a carriage return removed, outer spaces stripped) and the
export's formula guard (a leading apostrophe before = + - @, see spreadsheet_safety).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import Role, Viewer
from incidents.export.selection import read_selection
from incidents.export.tables import to_csv
from incidents.importer import import_file
from incidents.query import Query
from incidents.spreadsheet_safety import could_run, is_plain_number
from incidents.store.gpkg import GeoPackageStore
from incidents.validation import clean_text

EDITOR = Viewer("test", Role.EDITOR)
TEXT_FIELDS = ("title", "description", "place")
PIECES = st.sampled_from(
    [
        *['"', '""', '"""', "\n", "\r\n", ",", ";", "\t", "|", "=", "+", "-", "@", "=SUM(A1)"],
        *["مقبرة جماعية في ترهونة", "ترهونة", "Tarhuna", " ", "x", "'"],
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=5)), min_size=1, max_size=6).map("".join)


def unguarded(cell: str) -> str:
    """The exported cell without the apostrophe safe_cell puts before a would-be formula."""
    if cell.startswith("'") and could_run(cell[1:]) and not is_plain_number(cell[1:]):
        return cell[1:]
    return cell


@st.composite
def records(draw: st.DrawFn) -> tuple[str, list[dict[str, str]]]:
    rows = []
    for n in range(draw(st.integers(1, 4))):
        texts = {f: draw(TEXT).replace("\x00", "") for f in TEXT_FIELDS}
        for name, text in texts.items():
            # A text the user starts with an apostrophe reads back like a guarded one
            # (that is what the guard is); and a title cannot be empty.
            if clean_text(text).startswith("'") or (name == "title" and not clean_text(text)):
                texts[name] = "Killing " + text
        rows.append(
            {"id": f"rt-{n}", "type": "killing", "date_start": "2020-06-05", **texts}
            | {"latitude": "32.43501", "longitude": "13.6332", "country": "LY"}
        )
    return draw(st.sampled_from([",", ";", "\t", "|"])), rows


@settings(deadline=None, max_examples=40)
@given(records())
def test_text_fields_survive_import_and_csv_export(drawn: tuple[str, list[dict[str, str]]]) -> None:
    delimiter, rows = drawn
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "incidents.csv"
        path.write_bytes(out.getvalue().encode("utf-8"))
        store = GeoPackageStore(Path(folder) / "store.gpkg")
        report = import_file(path, store, EDITOR)
        assert report.imported == len(rows), report.lines()
        exported = to_csv(read_selection(store, Query(), EDITOR, confidential=True))
    back = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))}
    for row in rows:
        for name in TEXT_FIELDS:
            assert unguarded(back[row["id"]][name]) == clean_text(row[name]), name
