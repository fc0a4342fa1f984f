"""The "Reopen this view" line of exported tables: the public address when one is set,
no line at all without one (a placeholder only told the reader something was missing)."""

from __future__ import annotations

import io
import json
import re

import openpyxl

from incidents.access import Role, Viewer
from incidents.export.selection import read_selection
from incidents.export.tables import about_lines, to_csv, to_geojson, to_xlsx
from incidents.query import Query
from incidents.store import Store

PARTNER = Viewer("partner", Role.VIEWER)
LINK = "https://map.example.org/?type=mass_grave"


def _about(data: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {str(k): str(v) for k, v in book["About"].iter_rows(values_only=True)}


def test_without_a_public_address_no_reopen_line(mixed_store: Store) -> None:
    selection = read_selection(mixed_store, Query(), PARTNER)
    assert "Reopen this view" not in dict(about_lines(selection))
    assert "Reopen this view" not in _about(to_xlsx(selection))
    metadata = json.loads(to_geojson(selection))["metadata"]
    assert "Reopen this view" not in metadata
    for data in (to_csv(selection), to_xlsx(selection), to_geojson(selection)):
        assert b"no link given" not in data


def test_with_a_public_address_the_line_carries_it(mixed_store: Store) -> None:
    selection = read_selection(mixed_store, Query(), PARTNER, link=LINK)
    assert _about(to_xlsx(selection))["Reopen this view"] == LINK
    assert json.loads(to_geojson(selection))["metadata"]["Reopen this view"] == LINK


def test_a_public_file_s_frame_names_no_exact_site(tarhuna_db: str) -> None:
    """Tried as an editor would: the map flown to a record's exact site, a public file
    made with "What the map shows now" was framed on the site itself, so its frame told
    the public where the site is though its marker sat at the town. A frame for readers
    who do not see exact sites is grown to whole tenths of a degree (access.shared_extent);
    staff files keep the view as it was."""
    from incidents.export.service import ExportRequest, run_export
    from incidents.store import open_store

    store = open_store(tarhuna_db)
    editor = Viewer("editor", Role.EDITOR)
    tight = (13.58211, 32.47123, 13.58999, 32.47888)  # about 700 m around one site
    public = ExportRequest("html", profile="public", extent=tight)
    page = run_export(store, editor, Query(), public).data.decode()
    assert _frame(page) == [[32.4, 13.5], [32.5, 13.6]]
    assert "32.47123" not in page and "13.58211" not in page
    staff = ExportRequest("html", profile="internal", extent=tight)
    assert _frame(run_export(store, editor, Query(), staff).data.decode()) == [
        [32.47123, 13.58211],
        [32.47888, 13.58999],
    ]


def _frame(page: str) -> list[list[float]]:
    """The bounds the offline map opens at (folium's fitBounds of the export's frame)."""
    found = re.search(r"fitBounds\(\s*(\[\[[^)]*?\]\]),\s*\{\}", page)
    assert found is not None
    return json.loads(found.group(1))
