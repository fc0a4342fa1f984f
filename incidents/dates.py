"""Reading the dates researchers write, and refusing the ones that can be read two ways.

"03/04/2020" is 3 April in Tripoli and March 4 in a US template. A file's date column
usually settles the order itself (some day is above 12); when it does not, the
ambiguous rows are rejected with a message rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

DayOrder = Literal["day_first", "month_first", "unknown"]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WORDS = re.compile(r"^(\d{1,2})?\s*([A-Za-z]+)\.?,?\s*(\d{1,2})?,?\s*(\d{4})$")


class DateError(ValueError):
    """A date that cannot be read, with a reason fit to show a researcher."""


@dataclass(frozen=True)
class ParsedDate:
    """A date with the span it stands for: '2020-06' stands for all of June 2020."""

    start: date
    end: date
    precision: str  # day, month or year


def infer_day_order(values: list[str]) -> DayOrder:
    """Settle dd/mm against mm/dd from the whole column, as a person reading it would."""
    day_first = month_first = False
    for value in values:
        match = _NUMERIC.match(value.strip())
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first and not month_first:
        return "day_first"
    if month_first and not day_first:
        return "month_first"
    return "unknown"


def parse_date(value: object, order: DayOrder = "unknown") -> ParsedDate:
    """Parse one cell: ISO dates, year-month, year, dd/mm/yyyy, '15 June 2020', datetimes."""
    if isinstance(value, datetime):
        return _day(value.date())
    if isinstance(value, date):
        return _day(value)
    text = str(value).strip()
    if not text:
        raise DateError("the date is empty")
    for parse in (_parse_iso, _parse_numeric, _parse_words):
        parsed = parse(text, order)
        if parsed is not None:
            return parsed
    raise DateError(f"'{text}' is not a date this tool can read; write it as YYYY-MM-DD")


def _day(d: date) -> ParsedDate:
    return ParsedDate(d, d, "day")


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"'{text}' is not a real calendar date") from None


def _month_span(year: int, month: int, text: str) -> ParsedDate:
    start = _make(year, month, 1, text)
    end = _make(year, month, calendar.monthrange(year, month)[1], text)
    return ParsedDate(start, end, "month")


def _parse_iso(text: str, order: DayOrder) -> ParsedDate | None:
    if match := _ISO.match(text):
        y, m, d = (int(g) for g in match.groups())
        return _day(_make(y, m, d, text))
    if match := _ISO_MONTH.match(text):
        return _month_span(int(match.group(1)), int(match.group(2)), text)
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return ParsedDate(date(year, 1, 1), date(year, 12, 31), "year")
    return None


def _parse_numeric(text: str, order: DayOrder) -> ParsedDate | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, second, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
    year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
    if len(year_text) == 2 and year > date.today().year:
        year -= 100
    if first > 12 or (order == "day_first" and second <= 12):
        return _day(_make(year, second, first, text))
    if second > 12 or order == "month_first":
        return _day(_make(year, first, second, text))
    if first == second:
        return _day(_make(year, first, second, text))
    raise DateError(
        f"'{text}' could be {first} {calendar.month_name[second]} or "
        f"{second} {calendar.month_name[first]} {year}; write it as YYYY-MM-DD "
        "or choose the day order when importing"
    )


def _parse_words(text: str, order: DayOrder) -> ParsedDate | None:
    match = _WORDS.match(text)
    if not match:
        return None
    day_before, month_name, day_after, year_text = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        return None
    day_text = day_before or day_after
    if day_text is None:
        return _month_span(int(year_text), month, text)
    return _day(_make(int(year_text), month, int(day_text), text))
