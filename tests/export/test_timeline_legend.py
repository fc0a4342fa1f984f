"""The deck timeline's legend: every entry on the picture, rows read in the language's
direction, the chart above it (tried as a user would: with nine entries the legend ran
off the picture, Torture cut in English and four of eight types lost in Arabic)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Patch

from incidents.export import theme
from incidents.export.service import in_language
from incidents.export.timeline import _legend_below

NAMES = [f"type {n}" for n in range(9)]


def _placed(lang: str) -> tuple[dict[str, tuple[float, float]], float, float, float]:
    """Each entry's (x, y) centre in pixels, the figure's height, the legend's top and
    the chart's bottom (both in pixels)."""

    def draw() -> tuple[dict[str, tuple[float, float]], float, float, float]:
        with theme.export_style():
            fig = plt.figure(figsize=(12.4, 5.4), dpi=theme.BASE_DPI)
            try:
                ax = fig.add_axes((0.06, 0.16, 0.92, 0.8))
                handles = [Patch(color="#333") for _ in NAMES]
                _legend_below(ax, handles, NAMES, 4, 9.5)
                fig.canvas.draw()
                renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
                legend = fig.legends[0]
                centres = {}
                for text in legend.get_texts():
                    box = text.get_window_extent(renderer)
                    if text.get_text():
                        centres[text.get_text()] = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
                top = legend.get_window_extent(renderer).y1
                bottom = ax.get_window_extent(renderer).y0
                return centres, fig.bbox.height, top, bottom
            finally:
                plt.close(fig)

    return in_language(lang, draw)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_entry_is_on_the_picture_below_the_chart(lang: str) -> None:
    centres, height, top, bottom = _placed(lang)
    assert sorted(centres) == sorted(NAMES)
    assert all(0 < y < height for _x, y in centres.values())
    assert top < bottom  # the chart (its date labels below it) stands above the legend


@pytest.mark.parametrize(("lang", "first_is_left"), [("en", True), ("ar", False)])
def test_rows_read_in_the_languages_direction(lang: str, first_is_left: bool) -> None:
    centres, *_ = _placed(lang)
    (x0, y0), (x1, y1) = centres["type 0"], centres["type 1"]
    assert abs(y0 - y1) < 1  # the first two entries share the top row
    assert (x0 < x1) == first_is_left
    assert centres["type 4"][1] < y0  # the fifth starts the next row


def test_a_short_legend_stays_centred() -> None:
    """Two entries with room for four: blank places were kept for the other two and
    pushed the entries half an inch off the centre (found in a review)."""
    with theme.export_style():
        fig = plt.figure(figsize=(12.4, 5.4), dpi=theme.BASE_DPI)
        try:
            ax = fig.add_axes((0.06, 0.16, 0.92, 0.8))
            _legend_below(ax, [Patch(color="#333"), Patch(color="#999")], ["one", "two"], 4, 9.5)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            legend = fig.legends[0]
            drawn = [t.get_window_extent(renderer) for t in legend.get_texts() if t.get_text()]
            drawn += [
                h.get_window_extent(renderer)
                for h in legend.legend_handles
                if h and h.get_alpha() != 0
            ]
            left, right = min(b.x0 for b in drawn), max(b.x1 for b in drawn)
            centre = fig.bbox.width / 2
        finally:
            plt.close(fig)
    assert abs((left + right) / 2 - centre) < 0.1 * theme.BASE_DPI
