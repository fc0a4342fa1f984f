"""The timeline under the map: histogram to brush, the data's periods, and playback.

The histogram shows the selection with every filter except the time window, so
brushing a range shows what lies around it. The periods offered are the data's own
(its whole span and its years); playback (playback.py) steps the window through them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from app_pages import filters, period_choice, playback
from incidents.maps import timeline, timeline_chart
from incidents.translation import N_, _, day

_BIN_WORDS = (N_("Day"), N_("Week"), N_("Month"))  # timeline.BINS' labels, for the catalogue


def _on_brush() -> None:
    event = st.session_state.get("timeline_chart") or {}
    brush = (event.get("selection") or {}).get("brush") or {}
    values = brush.get("start") or next(iter(brush.values()), None)
    if values and len(values) == 2:
        a, b = (pd.to_datetime(v, unit="ms").date() for v in values)
        filters.set_window(min(a, b), max(a, b))


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

    histogram(unit) gives ColumnIndex.histogram's bars for "day", "week" or "month" (the
    map page asks the column index); span is the data's first and last date.
    """
    _periods(span)  # the whole width: pills that do not fit scroll out of sight
    top = st.columns([3, 2], vertical_alignment="center")
    if span:
        top[0].caption(
            # In words, as the language writes dates: an ISO date in an Arabic line read
            # back to front ("01-01-2015", a day-month date).
            _("Data from {start} to {end}").format(
                start=day(span[0], "long"), end=day(span[1], "long")
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
        # A plain dict (timeline_chart.py): built with Altair it cost 0.1-0.16 s a run.
        spec = timeline_chart.spec(hist, unit, window)
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
