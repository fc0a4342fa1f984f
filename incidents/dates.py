"""Reading the dates researchers and conflict data sets write, and refusing the ones
that can be read two ways.

Read without being told the layout: ISO dates (2020-05-09, 2020/05/09), year-month,
year; dd/mm/yyyy and mm/dd/yyyy when unambiguous; a month written as a word, in English
or Arabic, in any order a person writes it (09 May 2020, 9-May-20, 01-January-2015,
May 9, 2020, Saturday, May 9, 2020, ٩ أيار ٢٠٢٠, 9 مايو 2020م; month names are in
incidents.date_words); Excel's "May-20" (mmm-yy) as May 2020; and, from a workbook, a
date cell or an Excel serial day number (43960 is 9 May 2020).

"03/04/2020" is 3 April in Tripoli and March 4 in a US template. A file's date column
usually settles the order itself (some day is above 12; see infer_day_order); when it
does not, the ambiguous rows are rejected with a message rather than guessed.

Two-digit years follow Excel's default pivot (TWO_DIGIT_PIVOT): 00-29 are 2000-2029,
30-99 are 1930-1999, so "9-May-20" written by Excel is 9 May 2020 and "1/3/97" is 1997.
A Hijri date ("1441 هـ") is refused, never read as a Gregorian year.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from incidents.date_words import ENGLISH_MONTHS, MONTH_WORD, MONTHS, WEEKDAYS, fold, is_hijri
from incidents.translation import _
from incidents.translation import day as written_day

DayOrder = Literal["day_first", "month_first", "unknown"]

#: Two-digit years up to this one are 20xx, later ones 19xx (Excel's default cut-off).
TWO_DIGIT_PIVOT = 29
#: Excel serial day numbers count from 30 December 1899 (1900 date system; serials
#: below 61 are a day off, because Excel counts a 29 February 1900 that never was).
EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX = 2958465  # 9999-12-31

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# dd/mm/yyyy or mm/dd/yyyy, and Excel's CSV form of a date-time cell ("5/9/2020 0:00")
_NUMERIC = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?)?$"
)
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_SEPARATORS = re.compile(r"[\s,/\-.()]+")
_NAMES = [name.capitalize() for name in ENGLISH_MONTHS]  # not calendar's: locale-bound
_MONTH = "@"  # what the month word becomes among the tokens
_EXCEL_MONTH = re.compile(r"^([^\W\d_]+)-(\d{2})$")  # "may-20": Excel's mmm-yy


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
        match = _NUMERIC.match(fold(value) if not value.isascii() else value.strip())
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
    """Parse one cell (text, a workbook's date, or an Excel serial number); see the
    module docstring for the layouts read."""
    if isinstance(value, datetime):
        return _day(value.date())
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(value)
    text = str(value).strip()
    if not text:
        raise DateError(_("the date is empty"))
    folded = fold(text) if not text.isascii() else text.casefold()
    if is_hijri(folded):
        said = _("'{text}' is a Hijri date; write the Gregorian date as YYYY-MM-DD")
        raise DateError(said.format(text=text))
    for parse in (_parse_iso, _parse_numeric, _parse_words):
        parsed = parse(folded, order)
        if parsed is not None:
            return parsed
    said = _("'{text}' is not a date this tool can read; write it as YYYY-MM-DD")
    raise DateError(said.format(text=text))


def _from_number(value: float) -> ParsedDate:
    """A number from a workbook cell: a year (1000-9999, as the text '2020' is), else an
    Excel serial day number; a time of day after the point is dropped."""
    if math.isnan(value) or not 1 <= value <= _EXCEL_MAX:
        raise DateError(
            _("{value} is not a date; write it as YYYY-MM-DD").format(value=f"{value:g}")
        )
    if value == int(value) and 1000 <= value <= 9999:
        year = int(value)
        return ParsedDate(date(year, 1, 1), date(year, 12, 31), "year")
    serial = int(value)
    if serial == 60:
        raise DateError(_("Excel day 60 is 29 February 1900, which never was"))
    epoch = EXCEL_EPOCH if serial > 60 else EXCEL_EPOCH + timedelta(days=1)
    return _day(epoch + timedelta(days=serial))


def full_year(two_digits: int) -> int:
    """A two-digit year as Excel reads it: 00-29 -> 2000-2029, 30-99 -> 1930-1999."""
    return 2000 + two_digits if two_digits <= TWO_DIGIT_PIVOT else 1900 + two_digits


def _day(d: date) -> ParsedDate:
    return ParsedDate(d, d, "day")


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(_("'{text}' is not a real calendar date").format(text=text)) from None


def _month_span(year: int, month: int, text: str) -> ParsedDate:
    start = _make(year, month, 1, text)
    end = _make(year, month, calendar.monthrange(year, month)[1], text)
    return ParsedDate(start, end, "month")


def _parse_iso(text: str, order: DayOrder) -> ParsedDate | None:
    if match := _ISO.match(text) or _YMD.match(text):
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
    year = int(year_text) if len(year_text) == 4 else full_year(int(year_text))
    if first > 12 or (order == "day_first" and second <= 12):
        return _day(_make(year, second, first, text))
    if second > 12 or order == "month_first":
        return _day(_make(year, first, second, text))
    if first == second:
        return _day(_make(year, first, second, text))
    said = _(
        "'{text}' could be {one} or {other}; write it as YYYY-MM-DD or choose the day "
        "order when importing"
    )
    one, other = (
        written_day(date(year, second, first), "d MMMM"),
        written_day(date(year, first, second), "d MMMM y"),
    )
    raise DateError(said.format(text=text, one=one, other=other))


def _parse_words(text: str, order: DayOrder) -> ParsedDate | None:
    """A date with its month as a word: the month becomes one token, the rest are
    numbers; day-month-year, month-day-year, year-month-day, or month and year."""
    if match := _EXCEL_MONTH.match(text):
        found = MONTH_WORD.fullmatch(match.group(1))
        year = full_year(int(match.group(2)))
        return _month_span(year, _month_of(found.group(1)), text) if found else None
    months = {_month_of(word) for word in MONTH_WORD.findall(text)}
    if len(months) != 1:  # none, or two different months
        return None
    month = months.pop()
    tokens = [t for t in _SEPARATORS.split(MONTH_WORD.sub(f" {_MONTH} ", text)) if t]
    # "أيار/مايو", "أيار (مايو)": one month named twice, as Levantine writers do
    tokens = [t for i, t in enumerate(tokens) if not (t == _MONTH == tokens[i - 1] and i)]
    if tokens and tokens[0] in WEEKDAYS:
        tokens = tokens[1:]
    shape = "".join(_shape(t) for t in tokens)
    if shape not in ("my", "dmd", "dmy", "mdy", "ymd"):
        return None
    numbers = [int(_ORDINAL.sub(r"\1", t)) for t in tokens if t != _MONTH]
    if shape == "my":  # May 2020
        return _month_span(numbers[0], month, text)
    if shape == "dmd" and len(tokens[-1]) != 2:
        return None
    if shape in ("dmd", "dmy", "mdy"):  # 9-May-20, 9 May 2020, May 9 2020
        day, year = numbers
    else:  # 2020 May 9
        year, day = numbers
    return _day(_make(full_year(year) if shape == "dmd" else year, month, day, text))


def _month_of(word: str) -> int:
    return int(MONTHS[word.rstrip(".")])


def _shape(token: str) -> str:
    """The month -> 'm'; four digits -> 'y'; one or two (9, 09, 9th) -> 'd'."""
    if token == _MONTH:
        return "m"
    if token.isdigit() and len(token) == 4:
        return "y"
    if _ORDINAL.match(token) or (token.isdigit() and len(token) <= 2):
        return "d"
    return "?"
