"""Images of large selections count incidents in squares from the column index.

A real GeoPackage store of synthetic records (restricted ones, month-only dates and
records without a point among them); the threshold is lowered so a few hundred
records count as "large". The counts the image prints must add up to the selection
and agree with the point drawing of the same selection; the public image is made
from coarsened points only.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from incidents.access import PUBLIC, Role, Viewer
from incidents.cli import main
from incidents.export.cells import class_labels, count_cells
from incidents.export.profiles import export_viewer, get_profile
from incidents.export.selection import read_selection
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.maps.aggregate import class_edges
from incidents.query import Query
from incidents.record import Incident
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.column_load import cached_index
from incidents.styles import type_style
from incidents.synthetic import write_synthetic_csv

EDITOR = Viewer("cells-editor", Role.EDITOR)
LOW = 50  # the threshold these tests use: 400 synthetic records are "large"
SHOWN = re.compile(r"([\d,]+) incidents? shown; ([\d,]+) not shown")


def _odd(n: int, **changes: object) -> Incident:
    base = Incident(
        id=f"cells-odd-{n}", type="killing", title=f"Odd {n}", date_start=date(2016, 2, 14),
        date_end=date(2016, 2, 16), latitude=32.61234, longitude=13.21, country="LY",
        admin1_code="LY-MB", location_precision="exact", sensitivity="public",
    )  # fmt: skip
    return base.replace(**changes)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cells")
    store = open_store(str(folder / "cells.gpkg"))
    csv = write_synthetic_csv(folder / "s.csv", 400, seed=5)
    assert import_file(csv, store, EDITOR).accounted
    store.write_batch(
        [_odd(1), _odd(2, latitude=None, longitude=None, location_precision="country"),
         _odd(3, location_precision="country", latitude=31.0, longitude=16.0)],
        EDITOR,
    )  # fmt: skip
    return str(folder / "cells.gpkg")


@pytest.fixture
def store(db: str) -> Store:
    return open_store(db)


def _svg(store: Store, profile: str, query: Query, cells_above: int = LOW) -> str:
    request = ExportRequest("svg", profile=profile, cells_above=cells_above, fit=True)
    return run_export(store, EDITOR, query, request).data.decode("utf-8")


def _shown(text: str) -> tuple[int, int]:
    found = SHOWN.search(text)
    assert found, "no counts line on the image"
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def test_above_the_threshold_the_image_counts_in_squares(store):
    reader = export_viewer(EDITOR, get_profile("internal"))
    total = store.count(Query(), reader)
    squares = run_export(store, EDITOR, Query(), ExportRequest("png", "internal",
                                                               cells_above=total - 1))  # fmt: skip
    points = run_export(store, EDITOR, Query(), ExportRequest("png", "internal",
                                                              cells_above=total))  # fmt: skip
    assert squares.squares_km > 0 and points.squares_km == 0
    assert squares.count == points.count == total
    assert Image.open(io.BytesIO(squares.data)).size == (1920, 1080)
    assert "km squares" in Image.open(io.BytesIO(squares.data)).info["Description"]
    text = _svg(store, "internal", Query())
    assert "Too many to draw one by one" in text and "km square" in text


@pytest.mark.parametrize("profile", ["public", "internal"])
@pytest.mark.parametrize(
    "query",
    [Query(), Query(date_from=date(2015, 1, 1), types=("killing", "torture")),
     Query(verification=("verified", "corroborated"), max_precision="town",
           include_unlocated=False)],
    ids=["all", "window-types", "verified-precise"],
)  # fmt: skip
def test_counts_on_the_image_add_up_and_match_the_point_drawing(store, profile, query):
    reader = export_viewer(EDITOR, get_profile(profile))
    squares = _svg(store, profile, query)
    points = _svg(store, profile, query, cells_above=10**9)
    assert "km square" in squares and "km square" not in points
    assert _shown(squares) == _shown(points)  # same selection, same words
    counted = read_selection(store, query, reader, index=cached_index(store, reader))
    rows = read_selection(store, query, reader).rows
    by_type = {k: n for k, n in counted.rows["type"].value_counts().items() if n}
    assert len(counted.rows) == len(rows) == sum(by_type.values()) > LOW
    assert by_type == rows["type"].value_counts().to_dict()
    for code, n in by_type.items():
        assert f"{type_style(code).label}: {n:,}" in squares
    shown, _ = _shown(squares)
    undrawable = int((~counted.located).sum())
    assert shown + undrawable == len(rows)  # fitted view: nothing outside it
    assert counted.not_shown()["imprecise"] >= undrawable


def test_squares_hold_every_drawable_incident_once():
    lat = [32.1, 32.1, 32.15, 30.0, 25.0, 40.0]
    lon = [13.1, 13.1, 13.12, 15.0, 20.0, 13.0]
    grid = count_cells(np.array(lat), np.array(lon), (9.0, 19.0, 26.0, 34.0), 25)
    assert grid.shown == 5 and grid.outside_view == 1
    assert sorted(grid.n.tolist()) == [1, 1, 3]
    corners = grid.corners()
    assert corners.shape == (3, 4, 2)


def test_colour_classes_cover_every_count():
    assert class_edges(1) == [1]
    assert class_labels(class_edges(7), 7) == ["1", "2–4", "5–7"]
    edges = class_edges(250_000)
    assert edges[0] == 1 and len(edges) <= 6 and edges[-1] <= 250_000


def test_public_squares_are_made_from_coarsened_points_only(store):
    reader = export_viewer(EDITOR, get_profile("public"))
    assert reader == Viewer(EDITOR.name, Role.PUBLIC)
    counted = read_selection(store, Query(), reader, index=cached_index(store, reader))
    rows = read_selection(store, Query(), reader).rows
    public_points = set(zip(rows["latitude"].round(9), rows["longitude"].round(9), strict=True))
    points = counted.rows[counted.located]
    drawn = set(zip(points["latitude"].round(9), points["longitude"].round(9), strict=True))
    assert drawn <= public_points  # the very points the public rows carry
    staff = read_selection(store, Query(), EDITOR).rows
    exact = set(zip(staff["latitude"].round(9), staff["longitude"].round(9), strict=True))
    assert not drawn & (exact - public_points)
    assert len(counted.rows) == store.count(Query(), PUBLIC)  # no restricted record counted
    text = _svg(store, "public", Query())
    assert "shown at the town the record names" in text and "PUBLIC" in text


def test_cli_uses_the_index_cache_beside_the_store(db, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("INCIDENTS_INDEX_CACHE", raising=False)
    out = tmp_path / "big.png"
    args = ["--db", db, "export", "png", "--out", str(out), "--cells-above", str(LOW)]
    assert main(args) == 0
    assert "km squares" in capsys.readouterr().out
    cache = Path(db).with_name(Path(db).name + ".index")
    assert list(cache.glob("*.npz"))  # the public index, kept for the next export
    assert main(args) == 0 and Image.open(out).size == (1920, 1080)


@pytest.mark.parametrize("panels", ["type", "period"])
def test_small_multiples_of_a_large_selection_are_squares_too(store, panels):
    request = ExportRequest("svg", "public", panels=panels, breaks=(date(2016, 1, 1),),
                            cells_above=LOW, fit=True)  # fmt: skip
    result = run_export(store, EDITOR, Query(), request)
    text = result.data.decode("utf-8")
    assert result.squares_km > 0 and "Too many to draw one by one" in text
    reader = export_viewer(EDITOR, get_profile("public"))
    total = store.count(Query(), reader)
    shown, not_shown = _shown(text)
    assert len(set(SHOWN.findall(text))) == 1  # the file's description says the same
    assert shown + not_shown == total  # in a panel (once), imprecise, or of a type in none
    if panels == "period":
        assert "Before 1 January 2016" in text and "From 1 January 2016" in text


def test_the_index_is_asked_for_the_exports_reader_never_the_person(store, tmp_path):
    """The app may hand its own cached index over: it is asked for the reader's one."""
    asked: list[Viewer] = []

    def index_for(who: Viewer):
        asked.append(who)
        return cached_index(store, who, tmp_path / "cache")

    admin = Viewer("cells-admin", Role.ADMIN)
    request = ExportRequest("png", "public", cells_above=LOW)
    result = run_export(store, admin, Query(), request, index_for=index_for)
    assert asked == [Viewer("cells-admin", Role.PUBLIC)] and result.squares_km > 0
    assert result.count == store.count(Query(), PUBLIC)
