"""The standalone HTML map: works offline, loads nothing from any other host."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from incidents.access import Role, Viewer
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.column_load import cached_index
from incidents.synthetic import write_synthetic_csv

# Attributes and CSS that make a browser fetch something.
_FETCHING = re.compile(
    r"""(?:\bsrc|\bhref|\baction|\bposter|\bdata)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_html_loads_nothing_from_other_hosts(tarhuna_store):
    request = ExportRequest("html", profile="partner", title="Tarhuna <b>briefing</b>",
                            link="http://localhost:8501/?v=1")  # fmt: skip
    page = run_export(tarhuna_store, Viewer("r", Role.VIEWER), Query(), request).data.decode()
    assert not _FETCHING.findall(page)
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "leaflet" in page.lower()  # Leaflet is inlined, not linked
    assert 'title="A JavaScript library for interactive maps"' in page  # credit kept, unlinked


def test_html_states_its_audience_and_escapes_user_text(tarhuna_store):
    request = ExportRequest("html", title="Tarhuna <script>alert(1)</script>")
    result = run_export(tarhuna_store, Viewer("r", Role.PUBLIC), Query(), request)
    page = result.data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "PUBLIC" in page and "Data version" in page and result.data_version in page


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """4,000 synthetic records: more than the map draws as markers."""
    folder = tmp_path_factory.mktemp("html-large")
    store = open_store(str(folder / "large.gpkg"))
    csv = write_synthetic_csv(folder / "s.csv", 4_000, seed=7)
    assert import_file(csv, store, Viewer("html-editor", Role.EDITOR)).accounted
    return str(folder / "large.gpkg")


def test_a_large_selection_is_drawn_from_the_index_as_counted_squares(large_db):
    store = open_store(large_db)
    staff = Viewer("html-researcher", Role.EDITOR)
    request = ExportRequest("html", profile="internal", title="Large", cells_above=1_000)
    result = run_export(store, staff, Query(), request)
    page = result.data.decode()
    drawable = cached_index(store, staff).count(Query(), drawable=True)
    assert f"{drawable:,} incidents shown" in page
    assert result.count == store.count(Query(), staff)
    assert "incidentgriddrawn" in page  # grid levels the page sums again on zoom
    assert "This file holds the counts, not the incidents" in page
    assert "Click a square or zoom in" not in page  # no server to ask in a file
    assert not _FETCHING.findall(page)
    rows = run_export(store, staff, Query(), replace(request, cells_above=10**9)).data.decode()
    # Below the limit the facts are read row by row, but the map is the same grid levels
    # the app draws (4,000 > the markers' 3,000), and says it is a file all the same.
    assert _grid_data(rows) == _grid_data(page) is not None
    assert "This file holds the counts" in rows and "Click a square or zoom in" not in rows


def _grid_data(page: str) -> str | None:
    found = re.search(r'var data = (\{"labels".*);$', page, re.MULTILINE)
    return found.group(1) if found else None
