"""A timeline chart of the selection, for the deck.

Few incidents: one bar per incident from its first to its last possible date, so a
record dated only to a year reads as a year, not as 1 January. Many incidents:
counts per month or year of the first possible date, stacked by type.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.export.caption import day_words
from incidents.export.selection import Selection
from incidents.styles import TYPE_STYLES, type_style

RANGE_LIMIT = 30  # up to this many incidents, draw each as a bar


def timeline_png(
    selection: Selection,
    width_in: float = 12.4,
    height_in: float = 5.4,
    breaks: Sequence[date] = (),
    scale: int = 1,
) -> bytes:
    """The chart as PNG bytes at 144 dpi times the scale."""
    rows = selection.rows
    with theme.export_style():
        fig = plt.figure(figsize=(width_in, height_in), dpi=theme.BASE_DPI)
        try:
            ax = fig.add_axes((0.3, 0.16, 0.68, 0.8) if len(rows) <= RANGE_LIMIT else
                              (0.06, 0.16, 0.92, 0.8))  # fmt: skip
            if rows.empty:
                ax.text(0.5, 0.5, "No incidents in this selection", ha="center",
                        transform=ax.transAxes, fontsize=14)  # fmt: skip
                ax.set_axis_off()
            elif len(rows) <= RANGE_LIMIT:
                _ranges(ax, rows)
            else:
                _histogram(ax, rows)
            for cut in breaks:
                x = mdates.date2num(cut)
                ax.axvline(x, color="#c62828", linestyle="--", linewidth=1.4)
                ax.annotate(day_words(cut), (x, 1.0), xycoords=("data", "axes fraction"),
                            xytext=(4, -2), textcoords="offset points", va="top",
                            color="#c62828", fontsize=10, fontweight="bold")  # fmt: skip
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=theme.BASE_DPI * scale,
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
                height=0.6, color=style.colour, alpha=0.9 if exact else 0.45,
                edgecolor=style.colour, linewidth=1)  # fmt: skip
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
    handles = [Patch(color=theme.MUTED, alpha=0.9, label="dates known to the day"),
               Patch(color=theme.MUTED, alpha=0.45, label="known only to the month or year: "
                     "the bar spans every possible date")]  # fmt: skip
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=2,
              frameon=False, fontsize=10)  # fmt: skip


def _label(title: str, kind: str, limit: int = 46) -> str:
    """Short title; dates of discovery or report are marked, as they are not when it happened."""
    suffix = f" ({kind})" if kind in ("discovered", "reported") else ""
    room = limit - len(suffix)
    short = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    return short + suffix


def _histogram(ax: Axes, rows: pd.DataFrame) -> None:
    start, _ = _dates(rows)
    span_days = (start.max() - start.min()).days if start.notna().any() else 0
    freq = "MS" if span_days <= 6 * 366 else "YS"
    periods = start.dt.to_period("M" if freq == "MS" else "Y").dt.to_timestamp()
    table = pd.crosstab(periods, rows["type"].astype(str))
    codes = [c for c in TYPE_STYLES if c in table.columns]
    width = 25 if freq == "MS" else 300
    bottom = np.zeros(len(table))
    x = mdates.date2num(pd.DatetimeIndex(table.index).to_pydatetime())
    for code in codes:
        style = type_style(code)
        ax.bar(x, table[code].to_numpy(), width=width, bottom=bottom, color=style.colour,
               label=style.label, align="edge")  # fmt: skip
        bottom += table[code].to_numpy()
    ax.xaxis_date()
    ax.set_ylabel(f"Incidents per {'month' if freq == 'MS' else 'year'} (by first possible date)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=5, frameon=False,
              fontsize=9.5)  # fmt: skip
    ax.grid(axis="y", color="#e2e2e2")
    ax.set_axisbelow(True)
