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

from incidents.maps import timeline
from incidents.translation import N_, _, day, is_rtl, number

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
HEIGHT = 100  # the plot's own, legend and axis outside it (autosize fit-x)
BARS = "bars"  # the view the brush selects in, and its data set's name
WINDOW = "window"  # the time window's band
COLOURS = {"domain": ["within the period", "uncertain"], "range": ["#0072B2", "#E69F00"]}
# Above this many bars none is described to screen readers one by one (the axes and
# legend still are): nobody walks 20,000 day bars, and each description is sent.
SPOKEN_BARS = 1000
# Below this plot width (px: Vega's width signal under fit-x, the chart's less its y
# axis, so a chart of about 600 px) the legend's two entries go one under the other.
_LEGEND_SIDE_BY_SIDE = 560
# The tooltip's date, by bar width, in the chart's locale (d3's: "April 2020", "3 April
# 2020"; Vega's own "Apr 03, 2020" read "يناير 01, 2018" in Arabic).
TOOLTIP_DATE = {"day": "%-d %B %Y", "week": "%-d %B %Y", "month": "%B %Y"}
# The tooltip's first line, by bar width (timeline.BINS' codes).
BAR_FROM = {"day": N_("Day from"), "week": N_("Week from"), "month": N_("Month from")}


def spec(hist: pd.DataFrame, unit: str, window: tuple[date | None, date | None]) -> dict:
    """The chart of ColumnIndex.histogram's bars (unit "day", "week" or "month"), with the
    time window (either end may be open) drawn as a band when one is set."""
    start = pd.to_datetime(hist["start"])
    end = pd.to_datetime(hist["end"]) + pd.Timedelta(days=1)  # a bar's last day, whole
    described = len(hist) <= SPOKEN_BARS
    values = _values(hist, unit, described)
    span = None
    if len(hist):
        span = _span_words(start.min().date(), start.max().date(), unit)
    # Screen readers read each bar's "spoken" words and the axes' descriptions (Vega's
    # own are English: "X-axis for a time scale with values from ...").
    bars = _bars(unit, _top(hist), span, described)
    out: dict[str, Any] = {
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300}},
        "height": HEIGHT,
        # The plot keeps its height when the legend takes two lines (a phone): the chart
        # grows instead (fitted to the page's width only).
        "autosize": {"type": "fit-x", "contains": "padding"},
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
        "mark": {"type": "rect", "color": "#444", "opacity": 0.12, "aria": False},
        "encoding": {"x": _time({"field": "a", "type": "temporal"}), "x2": {"field": "b"}},
    }
    out["layer"] = [rule, {"data": {"name": BARS}, **bars}]
    return out


def _values(hist: pd.DataFrame, unit: str, described: bool) -> list[dict]:
    """The bars as inline values, dates as ISO text (which Vega reads as times): a range
    spread over day bars gives thousands of rows. A bar's end is its last day + 1, so
    it covers its whole period (a day bar from a day to itself had no width)."""
    start = pd.to_datetime(hist["start"])
    end = pd.to_datetime(hist["end"]) + pd.Timedelta(days=1)
    dated = _dated_words()
    written: dict[float, str] = {}  # many bars share a count: each written once

    def shown(n: float) -> str:
        return written.get(n) or written.setdefault(n, _count_words(n))

    days = start.dt.date
    periods = {d: timeline.period_label(d, unit) for d in set(days)} if described else {}
    values = []
    for a, b, c, n, d in zip(
        start.dt.strftime("%Y-%m-%d"), end.dt.strftime("%Y-%m-%d"), hist["certainty"],
        hist["count"], days, strict=True,
    ):  # fmt: skip
        words = dated.get(str(c), str(c))
        row = {"start": a, "end": b, "certainty": str(c), "count": float(n),
               "shown": shown(n), "dated": words}  # fmt: skip
        if described:
            row["spoken"] = _spoken(periods[d], float(n), shown(n), words)
        values.append(row)
    return values


def _span_words(first: date, last: date, unit: str) -> tuple[str, str]:
    """The first and last bar in words, for the time axis' description: their months
    or days, or from the first week's Monday to the last one's Sunday."""
    if unit == "week":
        return day(first, "long"), day(timeline.period_end(last, unit), "long")
    return timeline.period_label(first, unit), timeline.period_label(last, unit)


def _bars(unit: str, top: int, span: tuple[str, str] | None, described: bool) -> dict:
    """The bars' layer: time along x (bar start to end), the sum of counts up y; span
    is the first and last bar in words, for the time axis' description; described:
    each bar has its own words for screen readers (else none has)."""
    colour = {"field": "certainty", "scale": COLOURS, "type": "nominal"}
    dated = _dated_words()
    mark: dict[str, Any] = {"type": "bar", "strokeOpacity": 1, "strokeWidth": 1.5}  # day bars seen
    mark.update({"ariaRoleDescription": _("bar")} if described else {"aria": False})
    layer: dict[str, Any] = {
        "mark": mark,
        "encoding": {
            "color": {
                **colour,
                "legend": {
                    "labelExpr": _legend_labels(),
                    # One entry a line where the two do not fit side by side (a phone:
                    # the second was cut off at the chart's edge), shortened to the
                    # chart's width rather than cut.
                    "columns": {"expr": f"width < {_LEGEND_SIDE_BY_SIDE} ? 1 : 0"},
                    "labelLimit": {"expr": "max(width - 30, 60)"},
                    "orient": "top",
                    "description": _("Colours: blue, {within}; orange, {spread}").format(
                        within=dated["within the period"], spread=dated["uncertain"]
                    ),
                },
                "title": _("Date known"),
            },
            "stroke": {**colour, "legend": None},
            "tooltip": [
                {
                    "field": "start",
                    "format": TOOLTIP_DATE.get(unit, TOOLTIP_DATE["day"]),
                    "formatType": "utc",  # the bar's day as written, in any time zone
                    "title": _(BAR_FROM.get(unit, "Day from")),
                    "type": "temporal",
                },
                {"field": "dated", "title": _("Date"), "type": "nominal"},
                {"field": "shown", "title": _("Incidents"), "type": "nominal"},
            ],
            "x": _time({"field": "start", "title": None, "type": "temporal"}),
            "x2": {"field": "end"},
            "y": {
                "aggregate": "sum",
                "axis": {
                    "description": _("Incidents, from {zero} to {top}").format(
                        zero=number(0), top=number(top)
                    ),
                    "format": "d",  # no 0.5 incidents on the axis
                    "tickMinStep": 1,
                },
                "field": "count",
                "scale": {"domain": [0, top], "nice": False},  # to a whole number
                "title": _("Incidents"),
                "type": "quantitative",
            },
        },
        "name": BARS,
    }
    if described:
        layer["encoding"]["description"] = {"field": "spoken", "type": "nominal"}
    if span:
        words = _("Time, from {first} to {last}").format(first=span[0], last=span[1])
        layer["encoding"]["x"]["axis"] = {"description": words}
    return layer


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
    share = float(f"{count:.2g}")  # two significant digits, counted once rounded
    decimals = max(0, 1 - math.floor(math.log10(abs(share))))
    return _("about {share} (shares of incidents dated to a longer range)").format(
        share=number(share, decimals)  # in the page's digits: "٠٫٠٧٧" in Arabic
    )


def _spoken(period: str, count: float, shown: str, dated: str) -> str:
    """A bar as a screen reader says it: "April 2020: 3 (dated within the bar)"; a
    share's words (shown) already say it is spread."""
    if float(count).is_integer():
        return _("{period}: {count} ({dated})").format(period=period, count=shown, dated=dated)
    return _("{period}: {count}").format(period=period, count=shown)


def _dated_words() -> dict[str, str]:
    """The two certainties (the colour scale's codes) in the reader's words."""
    return {
        "within the period": _("dated within the bar"),
        "uncertain": _("date range spans several bars: spread evenly over them"),
    }


def _legend_labels() -> str:
    """The legend's words as a vega expression; the translations are JSON-quoted so an
    apostrophe in them (French) cannot end the expression's strings."""
    words = _("date range spans several bars: spread evenly over them")
    spread = json.dumps(words, ensure_ascii=False)
    # Where the entries go one under the other (a phone), the long one in two lines at
    # its colon rather than cut short (the colon dropped: at a line's end it would show
    # at the wrong side of a right-to-left line).
    head, colon, tail = words.partition(":")
    lines = json.dumps([head.strip(), tail.strip()], ensure_ascii=False)
    if colon:
        spread = f"width < {_LEGEND_SIDE_BY_SIDE} ? {lines} : {spread}"
    within = json.dumps(_("dated within the bar"), ensure_ascii=False)
    return f"datum.label == 'uncertain' ? ({spread}) : {within}"
