"""Time controls' arithmetic: histogram bins, preset windows and playback steps.

Incidents are counted in the bin of their first possible date. Each bar is split
in two: incidents whose whole date range falls in that bin, and incidents whose
range is longer (an uncertain date), so the chart does not look surer than the data.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

BINS: dict[str, str] = {"day": "Day", "week": "Week", "month": "Month"}
PRESETS: dict[str, str] = {
    "all": "All dates",
    "30d": "Last 30 days",
    "1y": "Last year",
    "custom": "Chosen range",
}


def period_start(day: date, unit: str) -> date:
    """The first day of the day, week (Monday) or month that holds day."""
    if unit == "month":
        return day.replace(day=1)
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day


def period_end(start: date, unit: str) -> date:
    """The last day of the period that begins on start."""
    if unit == "month":
        nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return nxt - timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=6)
    return start


def periods(first: date, last: date, unit: str) -> list[date]:
    """Start days of every period from the one holding first to the one holding last."""
    if first > last:
        return []
    out, current = [], period_start(first, unit)
    while current <= last:
        out.append(current)
        current = period_end(current, unit) + timedelta(days=1)
    return out


def histogram(frame: pd.DataFrame, unit: str = "month") -> pd.DataFrame:
    """Counts per period: columns start, end, certainty ('within the period'|'uncertain'), count.

    Takes rows, or the store's date_counts (span_days and an n per row).
    """
    cols = ["start", "end", "certainty", "count"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    start = pd.to_datetime(frame["date_start"].astype(str), errors="coerce")
    if "span_days" in frame.columns:
        end = start + pd.to_timedelta(frame["span_days"].astype(float), unit="D")
    else:
        end = pd.to_datetime(frame["date_end"].astype(str), errors="coerce").fillna(start)
    weight = frame["n"].astype(float) if "n" in frame.columns else pd.Series(1.0, frame.index)
    keep = start.notna()
    start, end, weight = start[keep], end[keep], weight[keep]
    if unit == "month":
        bin_start = start - pd.to_timedelta(start.dt.day - 1, unit="D")
    elif unit == "week":
        bin_start = start - pd.to_timedelta(start.dt.day_of_week, unit="D")
    else:
        bin_start = start
    ends = {s: pd.Timestamp(period_end(s.date(), unit)) for s in bin_start.unique()}
    certain = end <= bin_start.map(ends)
    work = pd.DataFrame(
        {
            "start": bin_start.dt.date,
            "certainty": certain.map({True: "within the period", False: "uncertain"}),
            "w": weight,
        }
    )
    out = work.groupby(["start", "certainty"])["w"].sum().reset_index(name="count")
    out["count"] = out["count"].round().astype(int)
    out["end"] = [period_end(s, unit) for s in out["start"]]
    return out[cols].sort_values(["start", "certainty"]).reset_index(drop=True)


def preset_window(preset: str, today: date) -> tuple[date | None, date | None]:
    """The (from, to) window a preset stands for; None means open-ended."""
    if preset == "30d":
        return today - timedelta(days=29), today
    if preset == "1y":
        return today - timedelta(days=364), today
    return None, None


def date_span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """Earliest start and latest end of a selection (None when empty)."""
    if frame.empty:
        return None
    start = pd.to_datetime(frame["date_start"].astype(str), errors="coerce").min()
    end = pd.to_datetime(frame["date_end"].astype(str), errors="coerce").max()
    if pd.isna(start) or pd.isna(end):
        return None
    return start.date(), end.date()


def period_label(start: date, unit: str) -> str:
    """How the current playback period is written above the map."""
    if unit == "month":
        return start.strftime("%B %Y")
    if unit == "week":
        return f"Week of {start.isoformat()} to {period_end(start, unit).isoformat()}"
    return start.isoformat()
