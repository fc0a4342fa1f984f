"""Playback: step the time window through the data's period, by hand or on a timer.

A step shows one period (the timeline's bar: day, week or month), the last few
periods (a trailing window, so what happened just before stays on the map) or
everything up to it (cumulative). The speed is seconds per step, kept however long
the page takes to draw: the wait is what is left of the step after the run. When
Play starts, the page scrolls the map into view, since the controls sit under it.
"""

from __future__ import annotations

import time
from datetime import date

import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app_pages import filters
from incidents.maps import timeline
from incidents.translation import N_, _, is_rtl, number
from incidents.view_state import SPEED_CODES

PLAY = "_playing"
PERIOD = "t_period"
PERIODS = "_play_periods"
SCROLL = "_play_scroll"  # how many times Play was pressed: the map is brought into view once each
KICK = "_play_kick"  # Play was pressed in the map's fragment: the whole page runs
SPEED = "t_speed"
WINDOW = "t_trail"
MIN_WAIT_S = 0.1  # the step timer's shortest wait, when a run took the whole step
DUE = "_play_due"  # the period the step timer moves on from (once)

# Speed and window are part of the view (view_state: the link carries them); their
# starting values come from it (filters.prime).
# What each step shows, by playback unit (a sentence a unit: translators need whole words).
WINDOWS: dict[str, dict[str, str]] = {
    "day": {
        "one": N_("This day only"),
        "trail3": N_("Last 7 days"),
        "trail12": N_("Last 30 days"),
        "cumulative": N_("Everything up to it"),
    },
    "week": {
        "one": N_("This week only"),
        "trail3": N_("Last 3 weeks"),
        "trail12": N_("Last 12 weeks"),
        "cumulative": N_("Everything up to it"),
    },
    "month": {
        "one": N_("This month only"),
        "trail3": N_("Last 3 months"),
        "trail12": N_("Last 12 months"),
        "cumulative": N_("Everything up to it"),
    },
}
_BY_UNIT = {"day": N_("Step or play through the data by day."),
            "week": N_("Step or play through the data by week."),
            "month": N_("Step or play through the data by month.")}  # fmt: skip
# Periods a trailing window holds, by unit: the link's short and long trail ("trail3",
# "trail12") are 3 and 12 weeks or months, but a week and a month of days.
_TRAIL = {"one": 1, "trail3": 3, "trail12": 12}
_DAY_TRAIL = {"one": 1, "trail3": 7, "trail12": 30}

# Constant script (its one variable, which press of Play this is, is set by the app;
# the page remembers the press it scrolled for): scroll the parent page so the whole
# map and the Pause under it are in view, their bottom at the screen's (the filter line
# above the map, which names the period shown, stays in view where there is room);
# where they do not fit, the map's top at the screen's top.
_SCROLL_JS = """<script>
const pressed = NUMBER;
const doc = window.parent.document;
const f = doc.querySelector('iframe[title="streamlit_folium.st_folium"]');
const pause = doc.querySelector('.st-key-t_pause_map');
if (f && window.parent.__incidentsPlayScrolled !== pressed) {
  window.parent.__incidentsPlayScrolled = pressed;
  (pause || f).scrollIntoView({block: "end", behavior: "instant"});
  if (f.getBoundingClientRect().top < 0) {
    f.scrollIntoView({block: "start", behavior: "instant"});
  }
}
</script>"""


def step_window(periods: list[date], index: int, unit: str, mode: str) -> tuple[date, date]:
    """The time window shown at step index: from the first period it covers (one, the
    trailing few, or the first of all) to the end of the step's own period."""
    trail = (_DAY_TRAIL if unit == "day" else _TRAIL).get(mode, 1)
    first = 0 if mode == "cumulative" else max(0, index - trail + 1)
    return periods[first], timeline.period_end(periods[index], unit)


def _go(periods: list[date], unit: str, index: int) -> None:
    st.session_state[PERIOD] = periods[index]
    mode = str(st.session_state.get(WINDOW) or "one")
    filters.set_window(*step_window(periods, index, unit, mode))


def _start(periods: list[date]) -> int:
    """Where stepping begins before any step: the period holding the time window's start
    (the year picked above the timeline, say), else the data's first."""
    start, _end = filters.window()
    if start is None:
        return 0
    return max((i for i, p in enumerate(periods) if p <= start), default=0)


def _step(periods: list[date], unit: str, delta: int) -> None:
    current = st.session_state.get(PERIOD)
    if current not in periods:
        _go(periods, unit, _start(periods))
        return
    _go(periods, unit, min(max(periods.index(current) + delta, 0), len(periods) - 1))


def _toggle_play() -> None:
    playing = not st.session_state.get(PLAY, False)
    st.session_state[PLAY] = playing
    if playing:
        st.session_state[SCROLL] = int(st.session_state.get(SCROLL) or 0) + 1
    st.session_state[KICK] = playing
    periods, unit = st.session_state.get(PERIODS, ([], "month"))
    current = st.session_state.get(PERIOD)
    if playing and periods and current not in periods:
        _go(periods, unit, _start(periods))  # never begun: from the time window's start
    elif playing and periods and current == periods[-1]:
        _go(periods, unit, 0)  # at the end: from the first again


def _pause() -> None:
    st.session_state[PLAY] = False


def pause_button() -> None:
    """While playing, a Pause beside the map (the step buttons are under the timeline,
    off the screen once the page has scrolled the map into view)."""
    if st.session_state.get(PLAY):
        st.button("⏸ " + _("Pause"), key="t_pause_map", on_click=_pause)


def render(span: tuple[date, date] | None, unit: str) -> None:
    """The step and play buttons, speed and window choices, and the period on the map."""
    if span is None:
        return
    play_unit = unit if unit in _BY_UNIT else "month"  # bars per day step by day
    periods = timeline.periods(span[0], min(span[1], date.today()), play_unit)
    if not periods:
        return
    if st.session_state.get(PERIODS, ([], play_unit))[1] != play_unit:
        st.session_state.pop(PERIOD, None)  # a month's first day is not that day's bar
    st.session_state[PERIODS] = (periods, play_unit)
    row = st.container(horizontal=True, vertical_alignment="center")
    # Arrows point the way time runs on the page: leftwards is later in Arabic.
    back, forward, play = ("▶", "◀", "⏴") if is_rtl() else ("◀", "▶", "⏵")
    row.button(
        back, key="t_prev", help=_("Previous step"), on_click=_step, args=(periods, play_unit, -1)
    )
    row.button(
        forward, key="t_next", help=_("Next step"), on_click=_step, args=(periods, play_unit, 1)
    )
    playing = st.session_state.get(PLAY, False)
    said = "⏸ " + _("Pause") if playing else play + " " + _("Play")
    row.button(said, key="t_play", on_click=_toggle_play)
    current = st.session_state.get(PERIOD)
    if current in periods:
        row.markdown(
            "**" + _("On the map: {period}").format(period=_shown(current, play_unit)) + "**"
        )
    else:
        row.caption(_(_BY_UNIT[play_unit]))
    left, right = st.columns([1, 2])
    with left:
        _choice(_("Seconds per step"), _speeds(), SPEED, "1")
    with right:
        shows = {c: _(t) for c, t in WINDOWS[play_unit].items()}
        _choice(_("Each step shows"), shows, WINDOW, "one")
    if st.session_state.pop(KICK, False):
        st.rerun()  # a fragment's run: playback advances at the end of whole runs


def _speeds() -> dict[str, str]:
    """Each speed as the page's language writes it ("0.5 s", "٠٫٥ ث")."""
    return {
        code: _("{n} s").format(n=number(float(code), len(code.partition(".")[2])))
        for code in SPEED_CODES
    }


def _choice(label: str, options: dict, key: str, default: object) -> None:
    """A segmented choice whose value is kept under key, apart from the widget's own:
    Streamlit drops a widget's value in runs that do not draw it (the page's first run,
    a rerun cut short), and clicking the chosen segment again would clear it."""
    widget = f"{key}_widget"
    st.session_state[widget] = st.session_state.get(key, default)

    def keep() -> None:
        if st.session_state.get(widget) is not None:
            st.session_state[key] = st.session_state[widget]

    st.segmented_control(
        label, list(options), format_func=lambda c: str(options.get(c, c)), key=widget,
        on_change=keep,
    )  # fmt: skip


def _shown(current: date, unit: str) -> str:
    """The period on the map, with the window's start when it reaches further back."""
    label = timeline.period_label(current, unit)
    start, _end = filters.window()
    if start and start < current:
        return _("{period} (window from {start})").format(period=label, start=start.isoformat())
    return label


def finish(run_started: float) -> None:
    """At the end of a whole run: bring the map into view once for each press of Play
    (its frame is drawn in every run while playing: a run followed at once by another
    may never reach a busy browser's page; see detail_panel); when playing, leave a
    timer in the page for the rest of the step (_next_step); stop at the last period.

    The run itself ends: a run cut short by st.rerun() leaves the date fields it
    replaced in the page (Streamlit clears them when a run ends), and a playback that
    moved on by rerunning piled them up, two a step, until Pause."""
    scroll = int(st.session_state.get(SCROLL) or 0)
    if scroll and st.session_state.get(PLAY):  # at the page's end: nothing else moves
        components.html(_SCROLL_JS.replace("NUMBER", str(scroll)), height=0)
    if not st.session_state.get(PLAY):
        return
    periods, _unit = st.session_state.get(PERIODS, ([], "month"))
    if not periods or st.session_state.get(PERIOD) == periods[-1]:
        st.session_state[PLAY] = False
        return
    code = str(st.session_state.get(SPEED))
    seconds = float(code) if code in SPEED_CODES else 1.0  # else one second a step
    wait = max(MIN_WAIT_S, seconds - (time.monotonic() - run_started))
    st.session_state[DUE] = st.session_state.get(PERIOD)
    st.fragment(_next_step, run_every=wait)()


def _next_step() -> None:
    """The step timer's run (a fragment the browser reruns when the wait is over): one
    period on, then the whole page. Once per whole run: its first call, inside the
    run that sets the timer, does nothing, and so do the browser's further calls
    until the next whole run clears the timer (a rerun asked again meanwhile cut
    that run short and skipped a step)."""
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run or not st.session_state.get(PLAY):
        return
    current = st.session_state.get(PERIOD)
    if st.session_state.pop(DUE, ()) != current:  # moved on already, or by hand
        return
    periods, unit = st.session_state.get(PERIODS, ([], "month"))
    if periods and current != periods[-1]:
        _go(periods, unit, periods.index(current) + 1 if current in periods else 0)
    st.rerun(scope="app")
