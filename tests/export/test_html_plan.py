"""The offline HTML map draws what the app draws for the same selection and view: the
same markers below the marker limit, the same grid levels (cells, class breaks,
colours) above it, and the same again for a selection too large to read row by row
(above the images' 20,000). Only the legend's wording differs (a file has no server).

A GeoPackage of 21,000 synthetic incidents (incidents.synthetic); the three sizes are
windows on its dates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from incidents.access import Role, Viewer
from incidents.export.cells import CELLS_ABOVE
from incidents.export.profiles import export_viewer, get_profile
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.maps import MapOptions, basemap, map_html, plan
from incidents.maps.folium_map import MARKER_LIMIT
from incidents.query import Query
from incidents.store import open_store
from incidents.store.column_index import ColumnIndex
from incidents.store.column_load import build_index
from incidents.store.gpkg import GeoPackageStore
from incidents.synthetic import write_synthetic_csv

STAFF = Viewer("plan-researcher", Role.EDITOR)
LIBYA = (9.0, 19.0, 26.0, 34.0)
TRIPOLI = (12.9, 32.6, 13.5, 33.0)
_DATA = re.compile(r"var (rows|data) = (.*);$", re.MULTILINE)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GeoPackageStore:
    folder: Path = tmp_path_factory.mktemp("html-plan")
    store = open_store(str(folder / "plan.gpkg"))
    csv = write_synthetic_csv(folder / "s.csv", CELLS_ABOVE + 1_000, seed=11)
    assert import_file(csv, store, STAFF).accounted
    return store


def _window(index: ColumnIndex, size: int | None) -> Query:
    """A date window holding about size incidents (None: all of them)."""
    if size is None:
        return Query()
    last = int(np.sort(index.end)[size - 1])
    return Query(date_to=np.datetime64(last, "D").astype(object))


def _plan(page: str) -> dict:
    """The layer a page draws: marker ids, and the grid levels without their legends."""
    out: dict = {"markers": [], "grid": None}
    for name, text in _DATA.findall(page):
        value = json.loads(text)
        if name == "rows" and value and len(value[0]) == 8:  # IncidentMarkers' rows
            out["markers"] += sorted(row[4] for row in value)
        elif name == "data" and isinstance(value, dict) and "whole" in value:
            out["grid"] = {k: v for k, v in value.items() if k != "legends"}
    return out


def _app(store: GeoPackageStore, index: ColumnIndex, query: Query, view) -> dict:
    """What the map page draws for this selection and view (map_view, plan.layer)."""
    reader = export_viewer(STAFF, get_profile("internal"))

    def rows(q: Query, columns: tuple[str, ...], limit: int):
        return store.rows_for([int(f) for f in index.first_fids(q, limit)], reader, list(columns))

    group, _, _ = plan.layer(index, query, MapOptions(), view, rows, plan.zoom_for(view))
    m = basemap()
    group.add_to(m)
    return _plan(map_html(m))


@pytest.mark.parametrize(
    ("size", "view", "kind"),
    [
        (2_000, LIBYA, "markers"),
        (10_000, LIBYA, "grid"),
        (10_000, TRIPOLI, None),
        (None, LIBYA, "grid"),
        (None, TRIPOLI, None),
    ],
    ids=["below-3000", "3001-20000", "3001-20000-zoomed", "above-20000", "above-20000-zoomed"],
)
def test_the_offline_map_draws_what_the_app_draws(store, size, view, kind) -> None:
    reader = export_viewer(STAFF, get_profile("internal"))
    index = build_index(store, reader)
    query = _window(index, size)
    count = index.count(query)
    if size is None:
        assert count > CELLS_ABOVE
    else:
        assert size <= count < size + 500 and (count > MARKER_LIMIT) == (size > MARKER_LIMIT)
    request = ExportRequest("html", profile="internal", extent=view)
    page = run_export(store, STAFF, query, request, index_for=lambda _: index).data.decode()
    exported, app = _plan(page), _app(store, index, query, view)
    assert exported == app
    assert bool(app["markers"]) != bool(app["grid"])
    if kind == "markers":
        assert len(app["markers"]) == index.count(query, drawable=True)
    elif kind == "grid":
        assert app["grid"] is not None and not app["markers"]
