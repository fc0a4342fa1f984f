"""Small multiples of a large selection: one map of squares per type or per period.

As panels.py does for points: every panel shares the extent, the square size and the
colour classes, so the eye compares like with like; an incident whose dates span a
break is in both periods, and the subtitle says how many are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.export.caption import incidents_words
from incidents.export.cell_map import (
    CellPicture,
    cells_extent,
    cells_legend,
    draw_cells,
    picture_of,
    save_cells,
)
from incidents.export.cells import Tally, cell_km, count_cells
from incidents.export.panels import MAX_PANELS, panel_boxes, panels_subtitle, period_title
from incidents.export.selection import Selection
from incidents.export.static_map import Frame, MapOptions, box_ratio, compose, draw_extras
from incidents.styles import type_style
from incidents.translation import _, is_rtl

_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class CellPanel:
    """One small map: its heading and which of the tally's matches it counts."""

    title: str
    mask: np.ndarray


def cell_panels_by_type(tally: Tally) -> list[CellPanel]:
    """One panel per incident type present, most frequent first."""
    codes = sorted(tally.by_type, key=lambda c: -tally.by_type[c])[:MAX_PANELS]
    return [CellPanel(_(type_style(c).label), tally.kind == tally.labels.index(c)) for c in codes]


def cell_panels_by_period(tally: Tally, breaks: Sequence[date]) -> list[CellPanel]:
    """Panels split at the break dates; an incident whose dates span a break is in both."""
    if not breaks:
        raise ValueError(_("give at least one break date, e.g. 2020-06-01"))
    cuts = sorted(set(breaks))[: MAX_PANELS - 1]
    panels = []
    for low, high in zip([None, *cuts], [*cuts, None], strict=True):
        mask = np.ones(tally.total, dtype=bool)
        if low is not None:
            mask &= tally.end >= (low - _EPOCH).days
        if high is not None:
            mask &= tally.start < (high - _EPOCH).days
        panels.append(CellPanel(period_title(low, high), mask))
    return panels


def cell_panels_figure(
    selection: Selection,
    tally: Tally,
    panels: Sequence[CellPanel],
    options: MapOptions,
    note: str,
    fmt: str = "png",
) -> tuple[Figure, CellPicture]:
    """The small multiples as one Figure, and what their squares show together."""
    from incidents.export.basemap import draw_outlines

    size = options.size

    def draw(fig: Figure, _layout: Frame) -> CellPicture:
        boxes = panel_boxes(fig, len(panels), options)
        extent = cells_extent(tally, options, box_ratio(fig, boxes[0]), selection.country)
        step = cell_km(extent, boxes[0][2] * size.width_in * theme.BASE_DPI)
        grids = [count_cells(*tally.points(p.mask), extent, step) for p in panels]
        in_any = np.logical_or.reduce([p.mask for p in panels])
        lat, _ = tally.points(in_any)
        shown = len(lat) - max(g.outside_view for g in grids)
        left_out = tally.drawable - len(lat)  # types beyond MAX_PANELS
        picture = replace(picture_of(grids, max(shown, 0), note), unpanelled=left_out)
        headings = [f"{p.title} · {incidents_words(int(p.mask.sum()))}" for p in panels]
        longest = max(len(h) for h in headings)
        fits = boxes[0][2] * size.width_in * 72 / (longest * 0.62)  # points per character
        font = min(12.5 * size.text_scale, fits)
        for i, (box, heading, grid) in enumerate(zip(boxes, headings, grids, strict=True)):
            ax = fig.add_axes(box)
            draw_outlines(ax, extent, selection.country)
            draw_cells(ax, grid, picture, raster=fmt != "png")
            if i == 0:
                draw_extras(ax, extent, replace(options, labels=()), selection.country)
            ax.set_title(for_matplotlib(heading), fontsize=font, fontweight="bold",
                         loc="right" if is_rtl() else "left", color=theme.INK)  # fmt: skip
        return picture

    def legend(ax: Axes, picture: CellPicture, scale: float) -> None:
        cells_legend(ax, selection, tally, picture, scale)

    return compose(
        selection,
        options,
        draw,
        legend,
        lambda _: panels_subtitle(selection, [p.mask for p in panels]),
    )


def render_cell_panels(
    selection: Selection,
    tally: Tally,
    panels: Sequence[CellPanel],
    options: MapOptions,
    note: str = "",
    fmt: str = "png",
) -> tuple[bytes, CellPicture]:
    """Small multiples of squares as PNG, SVG or PDF bytes, and what the squares show."""
    if not panels:
        raise ValueError(_("no panels to draw: the selection is empty"))
    fig, picture = cell_panels_figure(selection, tally, panels, options, note, fmt)
    return save_cells(fig, picture, selection, options, fmt), picture
