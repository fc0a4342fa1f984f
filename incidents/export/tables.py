"""The selection as CSV, XLSX and GeoJSON, for analysts and partner GIS staff.

Text a spreadsheet would run as a formula (= + - @ tab CR at the start) is written
with a leading apostrophe, headers included; XLSX is also written with
strings_to_formulas off. Confidential fields appear only when the rows carry them,
which the store allows only for an internal export read by an entitled viewer.

A public file shows a source's date only to the month where the record's own date
is shown to the month, and never the columns the public rules drop (record times,
version), even from rows read some other way: the rows carry what the store let
through, the sources column is added here.

Excel holds at most 32,767 characters (UTF-16 units) in a cell, and xlsxwriter cuts a
longer string without a word: a megabyte description would lose all but its start
unseen. Such a cell is cut where it says so, and the About sheet counts them.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

import geodata
from incidents.access import PUBLIC_HIDDEN_COLUMNS, public_sources
from incidents.export.caption import filters_sentence, incidents_words, window_words
from incidents.export.selection import Selection
from incidents.record import Source
from incidents.schema import CONFIDENTIAL_FIELDS, FIELDS
from incidents.spreadsheet_safety import safe_cell
from incidents.translation import N_, _, is_rtl, ngettext, number

SOURCES_COLUMN = "sources"
EXCEL_CELL_LIMIT = 32_767  # UTF-16 units, as Excel (and xlsxwriter) count them
_CUT_NOTE = N_("… [cut: {more} more characters; the CSV and GeoJSON exports hold the whole text]")
# The About sheet's headings: English keys in GeoJSON metadata (tools read them), and
# translated in the XLSX About sheet (people read it).
ABOUT_KEYS = (
    N_("Title"), N_("Audience"), N_("Date window"), N_("Filters"), N_("Incidents"),
    N_("Merged records"), N_("People"), N_("Exported"), N_("Data version"),
    N_("Reopen this view"), N_("Sources"), N_("Attribution"), N_("Cut cells"),
)  # fmt: skip


def table_columns(selection: Selection) -> list[str]:
    """Schema order; confidential fields only if the profile allows them in tables."""
    present = set(selection.rows.columns)
    if selection.profile.coarsened:
        present -= set(PUBLIC_HIDDEN_COLUMNS)
    allowed = selection.profile.confidential_in_tables
    columns = [
        f.name
        for f in FIELDS
        if f.name in present and (allowed or f.name not in CONFIDENTIAL_FIELDS)
    ]
    if selection.sources and selection.sources_complete and SOURCES_COLUMN not in columns:
        columns.insert(columns.index("verification") + 1 if "verification" in columns else 0,
                       SOURCES_COLUMN)  # fmt: skip
    return columns


def _plain(value: Any) -> Any:
    """NaN and pandas NA become empty; numpy numbers become Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def table_records(selection: Selection) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of plain values, sources joined as 'publisher, title, date, url'."""
    columns = table_columns(selection)
    rows = selection.rows
    data = [rows[c].tolist() if c in rows.columns else [None] * len(rows) for c in columns]
    if SOURCES_COLUMN in columns:
        ids = rows["id"].astype(str).tolist()
        sources = _sources_for(selection)
        data[columns.index(SOURCES_COLUMN)] = [_sources_text(sources, i) for i in ids]
    whole = {i for i, c in enumerate(columns) if c in _INTEGER_FIELDS}
    records = [
        [_whole(_plain(v)) if i in whole else _plain(v) for i, v in enumerate(row)]
        for row in zip(*data, strict=True)
    ]
    return columns, records


_INTEGER_FIELDS = {f.name for f in FIELDS if f.kind == "integer"}


def _whole(value: Any) -> Any:
    """338, not 338.0: a count column read with blanks comes back as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _sources_for(selection: Selection) -> Mapping[str, tuple[Source, ...]]:
    """The sources as this file's audience may see them (see the module docstring)."""
    if not selection.profile.coarsened:
        return selection.sources
    rows = selection.rows
    month_only = None
    if "public_date_to_month" in rows.columns:
        flags = rows["public_date_to_month"].astype(object).fillna(True).astype(bool)
        month_only = dict(zip(rows["id"].astype(str), flags, strict=True))
    return public_sources(selection.sources, month_only)


def _sources_text(sources: Mapping[str, tuple[Source, ...]], incident_id: str) -> str:
    items = sources.get(incident_id, ())
    return " | ".join(", ".join(b for b in (s.label(), s.url) if b) for s in items)


def about_lines(selection: Selection, title: str = "") -> list[tuple[str, str]]:
    """What the file is: the same facts an image prints on its face, keyed by English
    headings (ABOUT_KEYS), the values in the export's language. The "Reopen this view"
    line only with a public address (INCIDENTS_PUBLIC_URL): a placeholder told the
    reader nothing but that something was missing."""
    profile = selection.profile
    reopen = [("Reopen this view", selection.link)] if selection.link else []
    return [
        ("Title", title or _("Incident selection")),
        ("Audience", profile.choice_shown(badge=True)),
        ("Date window", window_words(selection.query)),
        ("Filters", filters_sentence(selection.query)),
        ("Incidents", _count_words(selection)),
        *([("Merged records", selection.merged_line())] if selection.merged else []),
        ("People", _("; ").join(selection.people_lines()) or _("No incidents")),
        ("Exported", selection.exported_on()),
        ("Data version", selection.data_version),
        *reopen,
        (
            "Sources",
            _("In the 'sources' column")
            if selection.sources_complete
            else _("Not listed above {n} incidents: export fewer").format(
                n=number(len(selection.sources))
            ),
        ),
        ("Attribution", _(geodata.ATTRIBUTION)),
    ]


def _count_words(selection: Selection) -> str:
    text = _("{incidents} in this file").format(incidents=incidents_words(len(selection.rows)))
    left_out = {why: n for why, n in selection.excluded.items() if n}
    if left_out:
        parts = _(", ").join(
            _("{n} {why}").format(n=number(n), why=_(why)) for why, n in left_out.items()
        )
        text = _("{text}; {n} left out by the filters ({parts})").format(
            text=text, n=number(sum(left_out.values())), parts=parts
        )
    return text


def to_csv(selection: Selection) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Arabic text correctly."""
    columns, records = table_records(selection)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for record in records:
        writer.writerow(["" if v is None else safe_cell(v) for v in record])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(selection: Selection, title: str = "") -> bytes:
    """An 'Incidents' sheet (filterable, frozen header) and an 'About' sheet."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties(
        {"title": title or _("Incident selection"), "subject": selection.profile.notice_shown(),
         "author": "", "company": "",
         "comments": _("Data version {version}").format(version=selection.data_version),
         "keywords": f"profile:{selection.profile.name}"}
    )  # fmt: skip
    bold = book.add_format({"bold": True, "bg_color": "#eeeeee", "border": 1})
    sheet = book.add_worksheet("Incidents")  # the name tools look for: not translated
    if is_rtl():  # Arabic readers see the columns from the right, as Excel shows Arabic
        sheet.right_to_left()
    columns, records = table_records(selection)
    sheet.write_row(0, 0, [safe_cell(c) for c in columns], bold)
    cut = 0
    for r, record in enumerate(records, start=1):
        cells = [excel_cell(safe_cell(v)) for v in record]
        cut += sum(was_cut for _, was_cut in cells)
        sheet.write_row(r, 0, [value for value, _ in cells])
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(len(records), 1), len(columns) - 1)
    for c, name in enumerate(columns):
        sheet.set_column(c, c, 40 if name in ("title", "description", SOURCES_COLUMN) else 16)
    lines = [(key, excel_cell(str(safe_cell(v)))) for key, v in about_lines(selection, title)]
    cut += sum(was_cut for _key, (_value, was_cut) in lines)
    if cut:
        lines.append(("Cut cells", (_cut_words(cut), False)))
    about = book.add_worksheet(_("About")[:31])
    if is_rtl():
        about.right_to_left()
    for r, (key, (value, _cut)) in enumerate(lines):
        about.write_string(r, 0, str(safe_cell(_(key))), bold)
        about.write_string(r, 1, value)
    about.set_column(0, 0, 18)
    about.set_column(1, 1, 110)
    book.close()
    return buffer.getvalue()


def excel_cell(value: Any) -> tuple[Any, bool]:
    """The value as an Excel cell can hold it, and whether it was cut.

    Text over Excel's limit keeps as much of its start as fits with the note saying how
    many characters were cut and where the whole text is (counted in UTF-16 units, as
    Excel does, and never cutting a character in half).
    """
    if not isinstance(value, str) or len(value) <= EXCEL_CELL_LIMIT // 2:
        return value, False
    units = value.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * EXCEL_CELL_LIMIT:
        return value, False
    note = _(_CUT_NOTE)
    room = EXCEL_CELL_LIMIT - len(note.format(more=number(len(value))))  # the note's longest
    kept = units[: 2 * room].decode("utf-16-le", "ignore")  # drops a split pair
    return kept + note.format(more=number(len(value) - len(kept))), True


def _cut_words(cut: int) -> str:
    return ngettext(
        "{n} cell held more than Excel's {limit} characters: it keeps its start and ends "
        "with '… [cut: N more characters]'; the CSV and GeoJSON exports hold the whole text",
        "{n} cells held more than Excel's {limit} characters: each keeps its start and ends "
        "with '… [cut: N more characters]'; the CSV and GeoJSON exports hold the whole text",
        cut,
    ).format(n=number(cut), limit=number(EXCEL_CELL_LIMIT))


def to_geojson(selection: Selection, title: str = "") -> bytes:
    """A FeatureCollection (WGS84); unlocated incidents have a null geometry."""
    columns, records = table_records(selection)
    features = []
    for record in records:
        props = dict(zip(columns, record, strict=True))
        lat, lon = props.get("latitude"), props.get("longitude")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append({"type": "Feature", "id": props.get("id"), "geometry": geometry,
                         "properties": props})  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "metadata": dict(about_lines(selection, title)),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")
