"""The timeline under the map: histogram to brush, the data's periods, and playback.

The histogram shows the selection with every filter except the time window, so
brushing a range shows what lies around it. The periods offered are the data's own
(its whole span and its years); playback (playback.py) steps the window through them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import filters, period_choice, playback
from incidents.maps import timeline
from incidents.translation import N_, _, is_rtl, number

# The tooltip's first line, by bar width (timeline.BINS' codes).
_BAR_FROM = {"day": N_("Day from"), "week": N_("Week from"), "month": N_("Month from")}
_BIN_WORDS = (N_("Day"), N_("Week"), N_("Month"))  # timeline.BINS' labels, for the catalogue


def _on_brush() -> None:
    event = st.session_state.get("timeline_chart") or {}
    brush = (event.get("selection") or {}).get("brush") or {}
    values = brush.get("start") or next(iter(brush.values()), None)
    if values and len(values) == 2:
        a, b = (pd.to_datetime(v, unit="ms").date() for v in values)
        filters.set_window(min(a, b), max(a, b))


def _chart(
    hist: pd.DataFrame, unit: str, window: tuple[date | None, date | None]
) -> alt.LayerChart | alt.FacetChart:
    # end + 1 day: a bar covers its whole period (a day bar from a day to itself had no width)
    data = hist.assign(
        start=pd.to_datetime(hist["start"]),
        end=pd.to_datetime(hist["end"]) + pd.Timedelta(days=1),
        shown=hist["count"].map(_count_words),
    )
    # Inline values: a range spread over day bars gives thousands of rows, more than
    # altair's frame converter allows; dates as ISO text, which vega reads as times.
    iso = data.assign(
        start=data["start"].dt.strftime("%Y-%m-%d"), end=data["end"].dt.strftime("%Y-%m-%d")
    )
    values = [{str(k): v for k, v in row.items()} for row in iso.to_dict("records")]
    brush = alt.selection_interval(encodings=["x"], name="brush")
    colour = alt.Scale(domain=["within the period", "uncertain"], range=["#0072B2", "#E69F00"])
    bars = (
        alt.Chart(alt.InlineData(values=values))
        .mark_bar(strokeWidth=1.5, strokeOpacity=1)  # the outline keeps day bars visible
        .encode(
            x=alt.X("start:T", title=None, scale=_time_scale()),
            x2="end:T",
            y=alt.Y(
                "sum(count):Q",
                title=_("Incidents"),
                axis=alt.Axis(format="d", tickMinStep=1),  # no 0.5 incidents on the axis
                scale=alt.Scale(domain=[0, _top(hist)], nice=False),  # to a whole number
            ),
            color=alt.Color(
                "certainty:N",
                title=_("Date known"),
                scale=colour,
                legend=alt.Legend(orient="top", labelExpr=_legend_labels(), labelLimit=480),
            ),
            stroke=alt.Color("certainty:N", scale=colour, legend=None),
            tooltip=[
                alt.Tooltip("start:T", title=_(_BAR_FROM.get(unit, "Day from"))),
                alt.Tooltip("certainty:N", title=_("Date")),
                alt.Tooltip("shown:N", title=_("Incidents")),
            ],
        )
        .add_params(brush)
    )
    layers = [bars]
    if window[0] or window[1]:
        lo = pd.Timestamp(window[0] or data["start"].min())
        hi = pd.Timestamp(window[1] or data["end"].max())
        rule = pd.DataFrame({"a": [lo], "b": [hi + timedelta(days=1)]})
        layers.insert(
            0,
            alt.Chart(rule)
            .mark_rect(opacity=0.12, color="#444")
            .encode(x=alt.X("a:T", scale=_time_scale()), x2="b:T"),
        )
    return alt.layer(*layers).properties(height=170)


def _time_scale() -> alt.Scale | alt.UndefinedType:
    """Time runs right to left on an Arabic page (oldest at the right, as the periods'
    pills and the playback buttons read); left to right otherwise."""
    return alt.Scale(reverse=True) if is_rtl() else alt.Undefined


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


PILLS = "t_periods"


def _picked() -> None:
    code = st.session_state.get(PILLS)
    if code:  # clicking the chosen pill again clears it: the window stays as it was
        filters.set_window(*period_choice.window_of(code))


def _periods(span: tuple[date, date] | None) -> None:
    """The data's whole span and each of its years, oldest first like the axis ("Last
    30 days" and "Last year" counted back from today: nothing on historic records)."""
    if span is None:
        return
    names = period_choice.options(span)
    codes = [period_choice.WHOLE, *sorted(c for c in names if c.isdigit())]
    labels = {**names, period_choice.WHOLE: _("Whole span")}
    now = period_choice.matching(filters.window(), codes)
    st.session_state[PILLS] = now if now in codes else None
    st.pills(
        _("Period"), codes, format_func=lambda c: labels.get(c, c), key=PILLS, on_change=_picked
    )


def render(
    histogram: Callable[[str], pd.DataFrame],
    span: tuple[date, date] | None,
    window: tuple[date | None, date | None],
) -> None:
    """The time controls under the map.

    histogram(unit) gives timeline.histogram's bars for "day", "week" or "month" (the
    map page asks the column index); span is the data's first and last date.
    """
    _periods(span)  # the whole width: pills that do not fit scroll out of sight
    top = st.columns([3, 2], vertical_alignment="center")
    if span:
        top[0].caption(
            _("Data from {start} to {end}").format(
                start=span[0].isoformat(), end=span[1].isoformat()
            )
        )
    top[1].radio(
        _("Bars per"),
        list(timeline.BINS),
        format_func=lambda c: _(timeline.BINS.get(c) or c),
        key="t_bin",
        horizontal=True,
    )
    unit = st.session_state.t_bin
    hist = histogram(unit)
    if hist.empty:
        st.caption(_("No dated incidents match the other filters."))
    else:
        # The spec as a dict, unvalidated: altair's schema check cost 80 ms a rerun at any
        # size, and this chart is the same few fields every time (tests draw it).
        spec = _chart(hist, unit, window).to_dict(validate=False)
        if names := timeline.vega_time_locale():  # month names on the axis in the language
            spec.setdefault("config", {})["locale"] = {"time": names}
        st.vega_lite_chart(
            spec,
            on_select=_on_brush,
            key="timeline_chart",
            selection_mode="brush",
            width="stretch",
        )
        st.caption(_("Drag across the bars to set the time window."))
    playback.render(span, unit)
