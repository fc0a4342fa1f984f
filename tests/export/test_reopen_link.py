"""The "Reopen this view" line of exported tables: the public address when one is set,
no line at all without one (a placeholder only told the reader something was missing)."""

from __future__ import annotations

import io
import json

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
