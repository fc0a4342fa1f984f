"""Pick a period the data covers: its whole span or one of its years.

"Last 30 days" and "Last year" count back from today and show nothing on historic
records; this list is made from the data's own first and last dates instead.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import filters
from incidents.translation import _

KEY = "t_year"
WHOLE = "whole"
CHOSEN = "chosen"


def options(span: tuple[date, date] | None) -> dict[str, str]:
    """Code -> label: the whole span, each year of it (newest first), and "chosen"."""
    out = {WHOLE: _("All dates")}
    if span:
        # Years only: the sidebar's box shows about 26 characters (the days are in the
        # date fields under it).
        out[WHOLE] = _("Whole span ({start}–{end})").format(start=span[0].year, end=span[1].year)
        out |= {str(y): str(y) for y in range(span[1].year, span[0].year - 1, -1)}
    return out | {CHOSEN: _("Dates chosen below")}


def window_of(code: str) -> tuple[date | None, date | None]:
    """The time window a choice stands for (the whole span: no window at all)."""
    if code.isdigit():
        return date(int(code), 1, 1), date(int(code), 12, 31)
    return None, None


def matching(window: tuple[date | None, date | None], codes: list[str]) -> str:
    """The choice that describes the current window, "chosen" when none does."""
    return next((c for c in codes if c != CHOSEN and window_of(c) == window), CHOSEN)


def _picked() -> None:
    code = st.session_state.get(KEY, CHOSEN)
    if code != CHOSEN:
        filters.set_window(*window_of(code))


def render(span: tuple[date, date] | None) -> None:
    """The period list; it shows the current window's period even when the window was
    set elsewhere (timeline, link), so it never contradicts the date fields."""
    names = options(span)
    st.session_state[KEY] = matching(filters.window(), list(names))
    codes: list[str] = list(names)
    st.selectbox(
        _("Period"), codes, format_func=lambda c: names.get(c, c), key=KEY, on_change=_picked
    )
