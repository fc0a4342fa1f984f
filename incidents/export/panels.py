"""Small multiples: one image, several maps (by type or by period), one legend.

Every panel shares the extent, the symbols (or the square size and colour classes),
so the eye compares like with like: e.g. Tarhuna before and after June 2020. This
module says which panels and where they go; static_map draws them, dots or squares.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from incidents import translation
from incidents.export.caption import day_words, window_words
from incidents.export.selection import Selection
from incidents.styles import type_style
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
    start = pd.to_datetime(selection.rows["date_start"]).dt.normalize()
    end = pd.to_datetime(selection.rows["date_end"]).dt.normalize()
    panels = []
    for low, high in zip([None, *cuts], [*cuts, None], strict=True):
        mask = pd.Series(True, index=selection.rows.index)
        if low is not None:
            mask &= end >= pd.Timestamp(low)
        if high is not None:
            mask &= start < pd.Timestamp(high)
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


def panel_boxes(fig: Figure, n: int, map_box: Box, text_scale: float) -> list[Box]:
    """Where n small maps go in the map box (figure fractions), rows and columns as
    near the box's shape as they fit."""
    left, bottom, width, height = map_box
    w, h = fig.get_size_inches()
    nrows, ncols = _grid(n, (width * w) / (height * h))
    gap_x, gap_y = 0.008, 0.045 * text_scale
    cell_w = (width - gap_x * (ncols - 1)) / ncols
    cell_h = (height - gap_y * nrows) / nrows
    # Right to left, the first panel is the rightmost of its row (read first).
    order = range(ncols - 1, -1, -1) if is_rtl() else range(ncols)
    return [
        (left + c * (cell_w + gap_x), bottom + (nrows - 1 - r) * (cell_h + gap_y), cell_w, cell_h)
        for r in range(nrows)
        for c in order
    ][:n]


def panels_subtitle(selection: Selection, masks: Sequence[np.ndarray | pd.Series]) -> str:
    """The window, and how many incidents show in more than one panel (their dates span
    a break)."""
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
