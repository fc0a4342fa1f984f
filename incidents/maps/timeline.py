"""Time controls' arithmetic: the bins' periods and playback steps (the bars' counts:
ColumnIndex.histogram).

An incident counts in the bins its date range touches: whole in its bin when the
range falls within one, else spread evenly over them (time_spread.py). Each bar is
split in two, so the chart does not look surer than the data: incidents dated within
the bin, and the shares of longer (uncertain) ranges.
"""

from __future__ import annotations

from datetime import date, timedelta

from incidents.translation import N_, _, day, language

# Labels are English, marked for the catalogue; pages show them through _().
BINS: dict[str, str] = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}


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


def period_label(start: date, unit: str) -> str:
    """How the current playback period is written above the map, in the reader's language
    (the month named as the language names it: "April 2020", "أبريل 2020", "avril 2020")."""
    if unit == "month":
        return day(start, "LLLL y")
    if unit == "week":
        end = period_end(start, unit)
        return _("Week of {start} to {end}").format(start=start.isoformat(), end=end.isoformat())
    return day(start, "long")  # "3 April 2020" as the language writes it


def vega_time_locale() -> dict[str, object] | None:
    """Month and day names for a chart's time axis (a d3 time locale, which Vega-Lite
    takes as config.locale.time) in the reader's language; None in English, the
    chart's own."""
    if language() == "en":
        return None
    months = [date(2001, m, 1) for m in range(1, 13)]
    days = [date(2001, 1, 7) + timedelta(days=n) for n in range(7)]  # a Sunday first, as d3
    return {
        "dateTime": "%x %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": [day(d, "EEEE") for d in days],
        "shortDays": [day(d, "EEE") for d in days],
        "months": [day(m, "LLLL") for m in months],
        "shortMonths": [day(m, "LLL") for m in months],
    }
