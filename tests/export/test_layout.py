"""The legend panel keeps its words inside it, whatever the language, the image size or
the line: measured on the drawn image (found as a user would: Afghan and Libyan records
exported with the view on Libya, the bold counts line ran past the panel's edge)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from incidents.access import Role, Viewer
from incidents.export import theme
from incidents.export.selection import read_selection
from incidents.export.service import in_language
from incidents.export.static_map import MapOptions, map_figure
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.record_store import RecordStore

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Viewer("editor", Role.EDITOR)
LIBYA_VIEW = (9.0, 19.0, 26.0, 34.0)


@pytest.fixture(scope="module")
def two_countries(tmp_path_factory: pytest.TempPathFactory) -> RecordStore:
    store = open_store(str(tmp_path_factory.mktemp("layout") / "two.gpkg"))
    for path in ("tests/fixtures/real/acled_2020_export_afghanistan.csv",
                 "data/examples/tarhuna.csv"):  # fmt: skip
        assert import_file(ROOT / path, store, EDITOR).imported
    return store


def _words_outside_their_axes(store: RecordStore, size: str) -> list[str]:
    selection = read_selection(store, Query(), EDITOR)
    fig, _drawn = map_figure(selection, MapOptions(size=theme.parse_size(size), extent=LIBYA_VIEW))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        outside = []
        for ax in fig.axes:
            box = ax.get_window_extent(renderer)
            for text in ax.texts:
                drawn = text.get_window_extent(renderer)
                if text.get_text() and (drawn.x1 > box.x1 + 1 or drawn.x0 < box.x0 - 1):
                    outside.append(text.get_text())
        return outside
    finally:
        plt.close(fig)


@pytest.mark.parametrize(("lang", "size"), [("en", "16:9"), ("fr", "16:9"), ("en", "640x360")])
def test_legend_lines_stay_inside_the_panel(two_countries: RecordStore, lang: str, size: str):
    outside = in_language(lang, lambda: _words_outside_their_axes(two_countries, size))
    assert outside == []


def test_the_counts_line_still_says_what_is_left_out(two_countries: RecordStore):
    selection = read_selection(two_countries, Query(), EDITOR)
    fig, _drawn = map_figure(selection, MapOptions(extent=LIBYA_VIEW))
    try:
        words = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    finally:
        plt.close(fig)
    assert "outside the map" in words and "view" in words
