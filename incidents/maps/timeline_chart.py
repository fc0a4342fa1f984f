"""The timeline's bar chart as a Vega-Lite spec, written as a plain dict.

The map page sends this spec on every run that draws the timeline. Built with Altair,
the same spec cost 0.1-0.16 s of CPU a run (Altair's objects, their copies and the
JSON-schema checks they make when built), most of the timeline's time; written here
it costs a few milliseconds. tests/maps/test_timeline_chart.py checks that it is the
spec Altair writes for the same chart (the names of views and data sets aside).

Each bar is split in two colours (dated within the bar, shares of longer ranges
spread over several bars: timeline.py); the axis counts whole incidents; an interval
"brush" along the time axis sets the time window; a grey band shows the window.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import pandas as pd

from incidents.translation import N_, _, is_rtl, number

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
HEIGHT = 170
BARS = "bars"  # the view the brush selects in, and its data set's name
WINDOW = "window"  # the time window's band
COLOURS = {"domain": ["within the period", "uncertain"], "range": ["#0072B2", "#E69F00"]}
# The tooltip's first line, by bar width (timeline.BINS' codes).
BAR_FROM = {"day": N_("Day from"), "week": N_("Week from"), "month": N_("Month from")}


def spec(hist: pd.DataFrame, unit: str, window: tuple[date | None, date | None]) -> dict:
    """The chart of timeline.histogram's bars (unit "day", "week" or "month"), with the
    time window (either end may be open) drawn as a band when one is set."""
    # end + 1 day: a bar covers its whole period (a day bar from a day to itself had no width)
    start = pd.to_datetime(hist["start"])
    end = pd.to_datetime(hist["end"]) + pd.Timedelta(days=1)
    # Inline values, dates as ISO text (which Vega reads as times): a range spread over
    # day bars gives thousands of rows.
    values = [
        {"start": a, "end": b, "certainty": str(c), "count": float(n), "shown": _count_words(n)}
        for a, b, c, n in zip(
            start.dt.strftime("%Y-%m-%d"),
            end.dt.strftime("%Y-%m-%d"),
            hist["certainty"],
            hist["count"],
            strict=True,
        )
    ]
    bars = _bars(unit, _top(hist))
    out: dict[str, Any] = {
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "height": HEIGHT,
        "params": [
            {"name": "brush", "select": {"type": "interval", "encodings": ["x"]}, "views": [BARS]}
        ],
        "$schema": SCHEMA,
        "datasets": {BARS: values},
    }
    if not (window[0] or window[1]):
        out["layer"] = [bars]
        out["data"] = {"name": BARS}
        return out
    lo = pd.Timestamp(window[0] or start.min())
    hi = pd.Timestamp(window[1] or end.max()) + timedelta(days=1)
    band = {"a": lo.isoformat(), "b": hi.isoformat()}
    out["datasets"][WINDOW] = [band]
    rule = {
        "data": {"name": WINDOW},
        "mark": {"type": "rect", "color": "#444", "opacity": 0.12},
        "encoding": {"x": _time({"field": "a", "type": "temporal"}), "x2": {"field": "b"}},
    }
    out["layer"] = [rule, {"data": {"name": BARS}, **bars}]
    return out


def _bars(unit: str, top: int) -> dict:
    """The bars' layer: time along x (bar start to end), the sum of counts up y."""
    colour = {"field": "certainty", "scale": COLOURS, "type": "nominal"}
    return {
        "mark": {"type": "bar", "strokeOpacity": 1, "strokeWidth": 1.5},  # day bars visible
        "encoding": {
            "color": {
                **colour,
                "legend": {"labelExpr": _legend_labels(), "labelLimit": 480, "orient": "top"},
                "title": _("Date known"),
            },
            "stroke": {**colour, "legend": None},
            "tooltip": [
                {"field": "start", "title": _(BAR_FROM.get(unit, "Day from")), "type": "temporal"},
                {"field": "certainty", "title": _("Date"), "type": "nominal"},
                {"field": "shown", "title": _("Incidents"), "type": "nominal"},
            ],
            "x": _time({"field": "start", "title": None, "type": "temporal"}),
            "x2": {"field": "end"},
            "y": {
                "aggregate": "sum",
                "axis": {"format": "d", "tickMinStep": 1},  # no 0.5 incidents on the axis
                "field": "count",
                "scale": {"domain": [0, top], "nice": False},  # to a whole number
                "title": _("Incidents"),
                "type": "quantitative",
            },
        },
        "name": BARS,
    }


def _time(channel: dict) -> dict:
    """Time runs right to left on an Arabic page (oldest at the right, as the periods'
    pills and the playback buttons read); left to right otherwise."""
    return {**channel, "scale": {"reverse": True}} if is_rtl() else channel


def _top(hist: pd.DataFrame) -> int:
    """The axis' top: the tallest bar rounded up to a whole incident (at least 1), so
    the ticks, whole numbers, never label a half as '1'."""
    tallest = float(hist.groupby("start")["count"].sum().max()) if len(hist) else 0.0
    return max(1, math.ceil(tallest - 1e-9))


def _count_words(count: float) -> str:
    """'3', or 'about 0.08 (shares of longer ranges)' for a spread share."""
    if float(count).is_integer():
        return number(int(count))
    return _("about {share} (shares of incidents dated to a longer range)").format(
        share=f"{count:.2g}"
    )


def _legend_labels() -> str:
    """The legend's words as a vega expression; the translations are JSON-quoted so an
    apostrophe in them (French) cannot end the expression's strings."""
    spread = json.dumps(
        _("date range spans several bars: spread evenly over them"), ensure_ascii=False
    )
    within = json.dumps(_("dated within the bar"), ensure_ascii=False)
    return f"datum.label == 'uncertain' ? {spread} : {within}"
