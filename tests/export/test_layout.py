"""The legend panel keeps its words inside it, whatever the language, the image size or
the line: measured on the drawn image (found as a user would: Afghan and Libyan records
exported with the view on Libya, the bold counts line ran past the panel's edge)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pytest

from incidents.access import PUBLIC, Role, Viewer
from incidents.export import theme
from incidents.export.layout import Flow, sources_sentence
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


def _flow_outside(width_in: float, draw: Callable[[Flow], None]) -> list[str]:
    """The words a Flow in a panel this wide draws past its edges."""
    with theme.export_style():
        fig = plt.figure(figsize=(width_in + 0.2, 4), dpi=theme.BASE_DPI)
        try:
            ax = fig.add_axes((0.1 / (width_in + 0.2), 0, width_in / (width_in + 0.2), 1))
            ax.set_axis_off()
            draw(Flow(ax, 1.0))
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            box = ax.get_window_extent(renderer)
            return [
                t.get_text()
                for t in ax.texts
                if t.get_window_extent(renderer).x1 > box.x1 + 1
                or t.get_window_extent(renderer).x0 < box.x0 - 1
            ]
        finally:
            plt.close(fig)


@pytest.mark.parametrize("width_in", [1.6, 2.2, 2.6])
def test_capitals_and_acronyms_are_measured_too(width_in: float) -> None:
    """Capitals are wider than the size-based guess: a name in capitals, a list of
    acronyms whose widest line is not its longest, and a row of them stay inside."""

    def draw(flow: Flow) -> None:
        flow.text("MOHAMMED MAHMOUD", 12.5, bold=True)
        flow.text("Sources: illicit little lists; ill-lit fill; MMMWWW OHCHR AMNESTY HRW.", 10.5)
        flow.row("MOHAMMED MAHMOUD (12)", 11, "filled", marker="o", colour=theme.INK)
        flow.row("W" * 400, 11, "filled", marker="o", colour=theme.INK)

    assert _flow_outside(width_in, draw) == []


@pytest.mark.parametrize("size", ["368x320", "400x320"])
def test_a_small_image_cuts_a_row_rather_than_run_past(two_countries: RecordStore, size: str):
    assert _words_outside_their_axes(two_countries, size) == []


@pytest.mark.parametrize("size", ["16:9", "4:3"])
def test_the_sources_line_names_whole_publishers_and_counts_the_rest(
    tmp_path: Path, size: str
) -> None:
    """Cut to the lines left, the public image of the example read "…; CNN; Teller…":
    a name cut in half and no word of how many more. Now whole names, then "and N more"."""
    store = open_store(str(tmp_path / "example.gpkg"))
    assert import_file(ROOT / "data/examples/tarhuna.csv", store, EDITOR).imported
    selection = read_selection(store, Query(), PUBLIC)
    fig, _drawn = map_figure(selection, MapOptions(size=theme.parse_size(size)))
    try:
        lines = [t.get_text() for ax in fig.axes for t in ax.texts]
    finally:
        plt.close(fig)
    sources = " ".join(lines[lines.index("Sources") + 1 :])
    assert "…" not in sources, sources
    names = selection.publishers()
    shown = [n for n in names if n in sources]
    assert shown and shown == names[: len(shown)], sources
    more = len(names) - len(shown)
    assert sources.endswith(f"; and {more} more.") if more else sources.endswith("."), sources


def test_a_filtered_slide_names_every_source_when_a_smaller_legend_holds_them(
    two_countries: RecordStore,
) -> None:
    """A filtered Tarhuna slide said "Human Rights Watch; and 5 more" with free room
    under it: the legend is made a little smaller rather than name fewer sources."""
    selection = read_selection(two_countries, Query(admin1_codes=("LY-MB",)), PUBLIC)
    fig, _drawn = map_figure(selection, MapOptions())
    try:
        lines = [t.get_text() for ax in fig.axes for t in ax.texts]
    finally:
        plt.close(fig)
    sources = " ".join(lines[lines.index("Sources") + 1 :])
    assert all(name in sources for name in selection.publishers()), sources


def test_incidents_of_one_place_stay_on_it_where_a_fan_would_reach_other_countries(
    two_countries: RecordStore,
) -> None:
    """A walk's world map spread Tarhuna's nine incidents over Italy and Tunisia: at
    that scale they stay at Tarhuna with their number beside them, a row says so, and
    the town-scale slide still fans them out."""
    wide = read_selection(two_countries, Query(), PUBLIC)
    fig, drawn = map_figure(wide, MapOptions(extent=(5.0, 5.0, 75.0, 42.0)))
    try:
        texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    finally:
        plt.close(fig)
    assert drawn.stacks and "9" in texts
    assert "Incidents at the same place: their number" in texts
    town = read_selection(two_countries, Query(admin1_codes=("LY-MB",)), PUBLIC)
    fig, drawn = map_figure(town, MapOptions())
    plt.close(fig)
    assert drawn.fans and not drawn.stacks


@pytest.mark.parametrize(
    "names",
    [
        ["WMWMW MWMWM", "MWMWM", "WMWMW", "WWWWW MMMMM", "MMMWWW", "WMW"],  # wider than guessed
        ["Office of the United Nations High Commissioner for Human Rights (OHCHR)", "CNN"],
    ],
)
@pytest.mark.parametrize("height_in", [0.3, 0.45, 0.6])
def test_a_short_panel_drops_whole_names_never_half_of_one(
    names: list[str], height_in: float
) -> None:
    """Measured as drawn (capitals are wider than the guess from the size): the list
    ends in "and N more", or says where the sources are when not one name fits."""
    selection = SimpleNamespace(
        publishers=lambda: names, sources_complete=True, sources=[], sources_sampled=False
    )
    with theme.export_style():
        fig = plt.figure(figsize=(3, height_in), dpi=theme.BASE_DPI)
        try:
            ax = fig.add_axes((0, 0, 1, 1))
            flow = Flow(ax, 1.0)
            flow.first_whole(
                [*(sources_sentence(selection, n) for n in (6, 5, 4, 3, 2, 1)),
                 "Sources are listed in each incident record."], 10.5)  # fmt: skip
            said = " ".join(t.get_text() for t in ax.texts)
        finally:
            plt.close(fig)
    if said.startswith("Sources are listed"):  # one line left: only the last resort, cut
        return
    assert "…" not in said, said
    assert said.endswith("more.") or said.endswith(names[-1] + "."), said
