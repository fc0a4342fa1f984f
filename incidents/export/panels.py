"""Small multiples: one image, several maps (by type or by period), one legend.

Every panel shares the extent and the symbols, so the eye compares like with like:
e.g. Tarhuna before and after June 2020.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from incidents import translation
from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.export.caption import day_words, incidents_words
from incidents.export.layout import legend_panel
from incidents.export.points import Drawn
from incidents.export.selection import Selection
from incidents.export.static_map import (
    Frame,
    MapOptions,
    box_ratio,
    compose,
    draw_map,
    face_metadata,
    frame_for,
    map_extent,
    save,
    title_of,
)
from incidents.styles import TYPE_STYLES, type_style
from incidents.translation import _, is_rtl, ngettext

MAX_PANELS = 9
Box = tuple[float, float, float, float]  # left, bottom, width, height (figure fractions)


@dataclass(frozen=True)
class Panel:
    """One small map: its heading and which rows it shows."""

    title: str
    mask: pd.Series


def panels_by_type(selection: Selection) -> list[Panel]:
    """One panel per incident type present, most frequent first."""
    types = selection.rows["type"].astype(str)
    order = types.value_counts().index[:MAX_PANELS]
    return [Panel(_(type_style(code).label), types == code) for code in order]


def panels_by_period(selection: Selection, breaks: Sequence[date]) -> list[Panel]:
    """Panels split at the break dates; an incident whose dates span a break is in both."""
    if not breaks:
        raise ValueError(_("give at least one break date, e.g. 2020-06-01"))
    cuts = sorted(set(breaks))[: MAX_PANELS - 1]
    start = pd.to_datetime(selection.rows["date_start"]).dt.date
    end = pd.to_datetime(selection.rows["date_end"]).dt.date
    bounds: list[tuple[date | None, date | None]] = []
    previous: date | None = None
    for cut in [*cuts, None]:
        bounds.append((previous, cut))
        previous = cut
    panels = []
    for low, high in bounds:
        mask = pd.Series(True, index=selection.rows.index)
        if low is not None:
            mask &= end >= low
        if high is not None:
            mask &= start < high
        panels.append(Panel(period_title(low, high), mask))
    return panels


def period_title(low: date | None, high: date | None) -> str:
    if low is None and high is not None:
        return _("Before {day}").format(day=day_words(high))
    if high is None and low is not None:
        return _("From {day}").format(day=day_words(low))
    assert low is not None and high is not None
    return f"{day_words(low)} – {day_words(high - timedelta(days=1))}"


def _grid(n: int, ratio: float) -> tuple[int, int]:
    """Rows and columns that keep each panel closest to the map area's shape."""
    best = (1, n)
    best_score = math.inf
    for rows in range(1, n + 1):
        cols = math.ceil(n / rows)
        score = abs(math.log((ratio * rows / cols) / 1.3))
        if score < best_score:
            best, best_score = (rows, cols), score
    return best


def panel_boxes(
    fig: Figure, n: int, options: MapOptions
) -> list[tuple[float, float, float, float]]:
    """Where n small maps go in the map box (figure fractions), rows and columns as
    near the box's shape as they fit: the same for dots or squares."""
    left, bottom, width, height = frame_for(options.size, options.header).map_box
    nrows, ncols = _grid(n, box_ratio(fig, (left, bottom, width, height)))
    gap_x, gap_y = 0.008, 0.045 * options.size.text_scale
    cell_w = (width - gap_x * (ncols - 1)) / ncols
    cell_h = (height - gap_y * nrows) / nrows
    # Right to left, the first panel is the rightmost of its row (read first).
    order = range(ncols - 1, -1, -1) if is_rtl() else range(ncols)
    return [
        (left + c * (cell_w + gap_x), bottom + (nrows - 1 - r) * (cell_h + gap_y), cell_w, cell_h)
        for r in range(nrows)
        for c in order
    ][:n]


def panels_figure(
    selection: Selection, panels: Sequence[Panel], options: MapOptions
) -> tuple[Figure, Drawn]:
    """The small multiples as one Figure, and what the panels drew together."""

    def draw(fig: Figure, _layout: Frame) -> Drawn:
        boxes = panel_boxes(fig, len(panels), options)
        extent = map_extent(selection, options, box_ratio(fig, boxes[0]))
        drawn = [
            _panel(fig, box, selection, panel, extent, options, first=i == 0)
            for i, (box, panel) in enumerate(zip(boxes, panels, strict=False))
        ]
        return _merge(drawn, _shown(selection, panels))

    return compose(
        selection, options, draw, lambda ax, d, k: legend_panel(ax, selection, d, k),
        lambda _: panels_subtitle(selection, [p.mask for p in panels]),
    )  # fmt: skip


def _shown(selection: Selection, panels: Sequence[Panel]) -> int:
    """Distinct drawable incidents in any panel."""
    in_any = pd.Series(False, index=selection.rows.index)
    for panel in panels:
        in_any |= panel.mask
    return int((in_any & selection.located).sum())


def panels_subtitle(selection: Selection, masks: Sequence[np.ndarray | pd.Series]) -> str:
    """The window, and how many incidents show in more than one panel (their dates span
    a break): the same words for panels of dots or of squares."""
    from incidents.export.caption import window_words

    times = np.sum([np.asarray(m, dtype=np.int64) for m in masks], axis=0)
    both = int(np.sum(np.asarray(times) > 1))
    text = window_words(selection.query)
    if both:
        spanning = ngettext(
            "{n} incident whose dates span a break appears in each panel",
            "{n} incidents whose dates span a break appear in each panel",
            both,
        ).format(n=translation.number(both))
        text += f" · {spanning}"
    return text


def _panel(
    fig: Figure,
    box: tuple[float, float, float, float],
    selection: Selection,
    panel: Panel,
    extent: tuple[float, float, float, float],
    options: MapOptions,
    first: bool,
) -> Drawn:
    ax = fig.add_axes(box)
    part = dataclasses.replace(selection, rows=selection.rows[panel.mask].reset_index(drop=True))
    drawn = draw_map(ax, part, extent, options, extras=first)
    count = int(panel.mask.sum())
    heading = f"{panel.title} · {incidents_words(count)}"
    size = 12.5 * options.size.text_scale
    ax.set_title(for_matplotlib(heading), fontsize=size, loc="right" if is_rtl() else "left",
                 fontweight="bold", color=theme.INK)  # fmt: skip
    return drawn


def _merge(drawn: Sequence[Drawn], shown: int) -> Drawn:
    present = {t for d in drawn for t in d.types}
    types = tuple(code for code in TYPE_STYLES if code in present)
    return Drawn(
        shown=shown,
        outside_view=max((d.outside_view for d in drawn), default=0),
        types=types,
        precisions=tuple(dict.fromkeys(p for d in drawn for p in d.precisions)),
        fans=tuple(f for d in drawn for f in d.fans),
        rings=sum(d.rings for d in drawn),
        shaded=any(d.shaded for d in drawn),
    )


def render_panels(
    selection: Selection, panels: Sequence[Panel], options: MapOptions | None = None,
    fmt: str = "png",
) -> bytes:  # fmt: skip
    """Small multiples as PNG, SVG or PDF bytes."""
    options = options or MapOptions()
    if not panels:
        raise ValueError(_("no panels to draw: the selection is empty"))
    fig, drawn = panels_figure(selection, panels, options)
    metadata = face_metadata(selection, title_of(selection, options), fmt, drawn)
    return save(fig, options, fmt, metadata)
