"""A timeline chart of the selection, for the deck.

Few incidents: one bar per incident from its first to its last possible date, so a
record dated only to a year reads as a year, not as 1 January. Many incidents:
counts per month or year stacked by type, a range longer than a bar spread evenly
over the bars it touches (time_spread.py, as in the app), drawn lighter.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from incidents import time_spread
from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.export.caption import day_words
from incidents.export.selection import Selection
from incidents.styles import TYPE_STYLES, type_style
from incidents.translation import _, day, is_rtl, language

RANGE_LIMIT = 30  # up to this many incidents, draw each as a bar
_HATCH = "////"  # a date known to the month or year (paler bars read as "to the day")


def timeline_png(
    selection: Selection,
    width_in: float = 12.4,
    height_in: float = 5.4,
    breaks: Sequence[date] = (),
) -> bytes:
    """The chart as PNG bytes at 144 dpi (a deck's picture)."""
    rows = selection.rows
    with theme.export_style():
        fig = plt.figure(figsize=(width_in, height_in), dpi=theme.BASE_DPI)
        try:
            rtl = is_rtl()
            left = (0.02 if rtl else 0.3) if len(rows) <= RANGE_LIMIT else 0.06 - 0.04 * rtl
            ax = fig.add_axes((left, 0.16, 0.68 if len(rows) <= RANGE_LIMIT else 0.92, 0.8))
            if rows.empty:
                ax.text(0.5, 0.5, for_matplotlib(_("No incidents in this selection")), ha="center",
                        transform=ax.transAxes, fontsize=14)  # fmt: skip
                ax.set_axis_off()
            elif len(rows) <= RANGE_LIMIT:
                _ranges(ax, rows)
            else:
                _histogram(ax, rows, selection.query.date_from, selection.query.date_to)
            if ax.axison and (selection.query.date_from or selection.query.date_to):
                _period(ax, selection.query.date_from, selection.query.date_to)
            for cut in breaks:
                x = mdates.date2num(cut)
                ax.axvline(x, color="#c62828", linestyle="--", linewidth=1.4)
                ax.annotate(for_matplotlib(day_words(cut)), (x, 1.0),
                            xycoords=("data", "axes fraction"), xytext=(-4 if rtl else 4, -2),
                            textcoords="offset points", va="top", color="#c62828",
                            ha="right" if rtl else "left", fontsize=10,
                            fontweight="bold")  # fmt: skip
            _local_dates(ax)
            if rtl and ax.axison:
                _mirror(ax)
            for spine in ("top", "left" if rtl else "right"):
                ax.spines[spine].set_visible(False)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=theme.BASE_DPI,
                        metadata={"Software": "incident-map"})  # fmt: skip
        finally:
            plt.close(fig)
    return buffer.getvalue()


def _dates(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    start = pd.to_datetime(rows["date_start"], errors="coerce")
    end = pd.to_datetime(rows["date_end"], errors="coerce").fillna(start)
    return start, end


def _ranges(ax: Axes, rows: pd.DataFrame) -> None:
    start, end = _dates(rows)
    order = np.lexsort((end.to_numpy(), start.to_numpy()))[::-1]
    precision = rows.get("date_precision", pd.Series("day", index=rows.index)).fillna("day")
    for y, i in enumerate(order):
        row = rows.iloc[i]
        style = type_style(str(row["type"]))
        s, e = start.iloc[i], end.iloc[i] + pd.Timedelta(days=1)
        exact = precision.iloc[i] == "day"
        ax.barh(y, mdates.date2num(e) - mdates.date2num(s), left=mdates.date2num(s),
                height=0.6, facecolor=style.colour if exact else "white",
                hatch=None if exact else _HATCH, edgecolor=style.colour, linewidth=1)  # fmt: skip
        ax.plot(mdates.date2num(s), y, marker=style.matplotlib_marker, color=style.colour,
                markersize=8, markeredgecolor="white")  # fmt: skip
    kind = rows.get("date_kind", pd.Series("occurred", index=rows.index)).fillna("occurred")
    labels = [_label(str(rows.iloc[i].get("title", "")), str(kind.iloc[i])) for i in order]
    low = mdates.date2num(start.min())
    high = mdates.date2num(end.max() + pd.Timedelta(days=1))
    pad = max((high - low) * 0.025, 10)
    ax.set_xlim(low - pad, high + pad)
    ax.set_yticks(range(len(order)), [for_matplotlib(t) for t in labels], fontsize=9.5)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.tick_params(axis="x", labelsize=10.5)
    ax.grid(axis="x", color="#e2e2e2")
    ax.set_axisbelow(True)
    pale = _("known only to the month or year: the bar spans every possible date")
    handles = [Patch(color=theme.MUTED, label=for_matplotlib(_("dates known to the day"))),
               Patch(facecolor="white", edgecolor=theme.MUTED, hatch=_HATCH,
                     label=for_matplotlib(pale))]  # fmt: skip
    _legend_below(ax, handles, [str(h.get_label()) for h in handles], 2, 10)


def _label(title: str, kind: str, limit: int = 46) -> str:
    """Short title; dates of discovery or report are marked, as they are not when it happened."""
    marks = {"discovered": _("(discovered)"), "reported": _("(reported)")}
    suffix = f" {marks[kind]}" if kind in marks else ""
    room = limit - len(suffix)
    short = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    return short + suffix


def _period(ax: Axes, low: date | None, high: date | None) -> None:
    """The axis spans the period the export asked for: a record begun years before it
    (a range from 2015) drew those years, and a 2020-2022 deck showed 2015-2021. The
    right end stops short of the next day, whose tick label the edge would cut."""
    left, right = ax.get_xlim()
    ax.set_xlim(mdates.date2num(low) if low else left,
                mdates.date2num(high) + 0.99 if high else right)  # fmt: skip


def _histogram(
    ax: Axes, rows: pd.DataFrame, low: date | None = None, high: date | None = None
) -> None:
    """Bars per month (year over six years) stacked by type; an incident dated to a
    longer range is spread evenly over its bars (time_spread.py), drawn lighter. Only
    the bars within the period (low, high) are drawn, their share of such a range."""
    start, end = (time_spread.to_days(rows[c].fillna(rows["date_start"]))
                  for c in ("date_start", "date_end"))  # fmt: skip
    keep = start >= 0
    days = start[keep] if keep.any() else np.zeros(1, np.int64)
    first = (low - date(1970, 1, 1)).days if low else int(days.min())
    last = (high - date(1970, 1, 1)).days if high else int(days.max())
    unit = "month" if last - first <= 6 * 366 else "year"
    types = rows["type"].astype(str).to_numpy()
    codes = [c for c in TYPE_STYLES if c in set(types[keep])]
    bars = {c: time_spread.spread(start[keep & (types == c)], end[keep & (types == c)], unit)
            for c in codes}  # fmt: skip
    low, high = low or date.min, high or date.max
    firsts = sorted({s for b in bars.values() for s, e in zip(b["start"], b["end"], strict=True)
                     if e >= low and s <= high})  # fmt: skip
    x = mdates.date2num(firsts)
    width = 25 if unit == "month" else 300
    bottom = np.zeros(len(firsts))
    for part, alpha in ((time_spread.WITHIN, 1.0), (time_spread.SPREAD, 0.45)):
        for code in codes:
            table = bars[code][bars[code]["certainty"] == part]
            heights = table.set_index("start")["count"].reindex(firsts, fill_value=0.0)
            style = type_style(code)
            label = for_matplotlib(_(style.label)) if part == time_spread.WITHIN else None
            ax.bar(x, heights.to_numpy(), width=width, bottom=bottom, color=style.colour,
                   alpha=alpha, label=label, align="edge")  # fmt: skip
            bottom += heights.to_numpy()
    ax.xaxis_date()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(for_matplotlib(_("Incidents per month") if unit == "month"
                                 else _("Incidents per year")))  # fmt: skip
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(color=theme.MUTED, alpha=0.45))
    labels.append(for_matplotlib(_("lighter: dated only to a longer range, spread evenly over it")))
    _legend_below(ax, handles, labels, 4, 9.5)
    ax.grid(axis="y", color="#e2e2e2")
    ax.set_axisbelow(True)


def _local_dates(ax: Axes) -> None:
    """Ticks in the export's language, concise as matplotlib's English ones: the year at
    January and on the first tick, else the month ('يونيو'), or the day within a month.
    Each tick said 'month year': twelve Arabic ones ran into each other on a deck's
    timeline ('2020ديسمبر 2020نوفمبر'), in a walk."""
    if language() == "en" or not ax.axison:
        return
    from matplotlib.ticker import FuncFormatter

    def tick(x: float, pos: int | None = None) -> str:
        when = mdates.num2date(x).date()
        if (when.month, when.day) == (1, 1):
            return for_matplotlib(day(when, "y"))
        skeleton = "MMM" if when.day == 1 else "d MMM"
        return for_matplotlib(day(when, skeleton + (" y" if pos == 0 else "")))

    ax.xaxis.set_major_formatter(FuncFormatter(tick))


def _mirror(ax: Axes) -> None:
    """Right to left, as the app's time panel runs in Arabic: time flows from right to
    left and the titles or counts stand on the right."""
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")


def _legend_below(
    ax: Axes, handles: Sequence[Any], labels: Sequence[str], ncol: int, size: float
) -> None:
    """The legend at the foot of the figure, in rows read as the language reads (the
    first entry top left, top right in Arabic), and the chart raised above it: anchored
    under the axes, a legend of three rows ran off the picture (Torture cut in English,
    four of eight types lost in Arabic)."""
    ncol = max(1, min(ncol, len(handles)))  # one short row stays centred
    rows = -(-len(handles) // ncol)
    blank = Patch(alpha=0.0)
    grid = [list(zip(handles, labels, strict=True))[r * ncol : (r + 1) * ncol] for r in range(rows)]
    grid = [row + [(blank, "")] * (ncol - len(row)) for row in grid]
    if is_rtl():
        grid = [row[::-1] for row in grid]
    by_column = [grid[r][c] for c in range(ncol) for r in range(rows)]  # matplotlib's fill
    fig = ax.get_figure()
    legend = fig.legend(  # type: ignore[union-attr]
        [h for h, _ in by_column], [t for _, t in by_column], loc="lower center",
        bbox_to_anchor=(0.5, 0.01), ncol=ncol, frameon=False, fontsize=size,
        markerfirst=not is_rtl(),
    )  # fmt: skip
    renderer = fig.canvas.get_renderer()  # type: ignore[union-attr]
    top = legend.get_window_extent(renderer).y1 / fig.bbox.height  # type: ignore[union-attr]
    box = ax.get_position()
    bottom = top + 0.42 / fig.get_size_inches()[1]  # type: ignore[union-attr]  # date labels
    ax.set_position((box.x0, bottom, box.width, box.y1 - bottom))
