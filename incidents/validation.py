"""Turn one raw row (template field names -> cell values) into an Incident, or say why not.

Every reason is written for the researcher who will fix the spreadsheet: it names the
field and what to write instead. Place checks that need maps (inside the country,
swapped coordinates, geocoding) happen afterwards, in incidents.placing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from incidents.dates import DateError, DayOrder, ParsedDate, parse_date
from incidents.record import Incident, Source
from incidents.schema import (
    CONFIDENTIAL_FIELDS,
    FIELD_BY_NAME,
    INCIDENT_TYPES,
    SOURCE_PARTS,
    VOCABULARIES,
)
from incidents.translation import _, isolate, number

MAX_SOURCES = 9
# An identifier longer is a sentence in the wrong column, and PostgreSQL's key index
# holds at most about 2,700 bytes: a longer one stopped a whole import there.
MAX_ID_CHARS = 255
ID_FIELDS = ("id", "source_event_id")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))
_TRUE = {"true", "yes", "y", "1", "x", "نعم"}
_FALSE = {"false", "no", "n", "0", "", "لا"}
_COUNT_GROUPS = ("killed", "disappeared", "displaced")
# Coded fields where a placeholder ('unknown', 'n/a') is read as an empty cell, with a
# warning: their default is what an empty cell means (verification 'reported', the
# least a source claims; sensitivity 'restricted', hidden from the public). Not the
# type, date or place fields, nor yes/no fields: there a default could be wrong.
_PLACEHOLDER_AS_EMPTY = ("verification", "sensitivity")
# What exports write in a cell when they have nothing to give (a source's web address
# that may not be named is HIDDEN): the row is kept, the cell read as empty.
PLACEHOLDERS = frozenset(
    {"hidden", "n/a", "na", "-", "--", "—", "unknown", "none", "null", "nil", "?", "tbd"}
    | {"not available", "redacted", "withheld", "no url", "no link", "..."}
)


@dataclass(frozen=True)
class Problem:
    """Why a field of a row could not be taken (or, as a warning, what was changed)."""

    field: str
    message: str


class RowInvalid(Exception):
    """Raised with every problem found in a row, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def clean_text(value: Any) -> str:
    """Text as it should be stored: NFC, no control characters, no outer spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():  # most cells: no normalisation needed, control characters rare
        return (text if text.isprintable() else text.translate(_CONTROL)).strip()
    return unicodedata.normalize("NFC", text).translate(_CONTROL).strip()


class _Row:
    """Reads typed values out of a raw row, collecting problems as it goes."""

    def __init__(self, raw: Mapping[str, Any], day_order: DayOrder) -> None:
        self.raw = raw
        self.day_order = day_order
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def text(self, name: str) -> str:
        value = self.raw.get(name)
        return "" if value is None or value == "" else clean_text(value)

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message))

    def warn(self, name: str, message: str) -> None:
        self.warnings.append(Problem(name, message))

    def code(self, name: str, default: str) -> str:
        text = self.text(name)
        if not text:
            return default
        code = code_of(name, text)
        if code is None and name in _PLACEHOLDER_AS_EMPTY and is_placeholder(text):
            said = _("'{text}' names no {field}: read as an empty cell, {default}")
            self.warn(name, said.format(text=text, field=name, default=default))
            return default
        if code is None:
            self.fail(name, code_message(name, text))
            return default
        return code

    def number(self, name: str, low: float, high: float) -> float | None:
        value, message = number_of(self.text(name), low, high)
        if message:
            self.fail(name, message)
        return value

    def integer(self, name: str) -> int | None:
        value, message = integer_of(self.text(name))
        if message:
            self.fail(name, message)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        text = self.text(name).casefold()
        value = boolean_of(text, default)
        if value is None:
            self.fail(name, _("'{text}' is not yes or no").format(text=text))
            return default
        return value

    def date(self, name: str) -> ParsedDate | None:
        value = self.raw.get(name)
        if value is None or clean_text(value) == "":
            return None
        if isinstance(value, str):  # as stored: no control character reaches a message
            value = clean_text(value)  # (an ESC sequence quoted back drove the terminal)
        try:
            return parse_date(value, self.day_order)
        except DateError as error:
            self.fail(name, str(error))
            return None

    def items(self, name: str) -> tuple[str, ...]:
        return items_of(self.text(name))


# One cell's value, from its cleaned text: shared by the row validator above and the
# column validator (incidents.validation_columns), which calls them once per distinct
# value. A message (or None for a code/boolean) means the row is rejected.


def code_of(name: str, text: str) -> str | None:
    """The vocabulary code a non-empty cell names, or None when it names none."""
    return VOCABULARIES[FIELD_BY_NAME[name].vocabulary or name].lookup(text)


def code_message(name: str, text: str) -> str:
    """Each term as the reader's page names it (a cell may hold it, or its English name,
    or its code): a walk's reader was told "is not one of: mass_grave, killing, ...",
    codes, also on an Arabic page."""
    vocabulary = VOCABULARIES[FIELD_BY_NAME[name].vocabulary or name]
    codes = _(", ").join(map(vocabulary.shown, vocabulary.codes))
    return _("'{text}' is not one of: {codes}").format(text=text, codes=codes)


def number_of(text: str, low: float, high: float) -> tuple[float | None, str]:
    """A number in [low, high] (comma or point as decimal mark), or why not."""
    text = text.replace(",", ".")
    if not text:
        return None, ""
    try:
        value = float(text)
    except ValueError:
        return None, _("'{text}' is not a number").format(text=text)
    if not (low <= value <= high) or math.isnan(value):
        said = _("{text} is outside {low} to {high}")
        return None, said.format(text=text, low=f"{low:g}", high=f"{high:g}")
    return value, ""


def integer_of(text: str) -> tuple[int | None, str]:
    """A count of people (0 to 10 million), or why not."""
    value, message = number_of(text, 0, 10_000_000)
    if value is None:
        return None, message
    if value != int(value):
        return None, _("{value} is not a whole number of people").format(value=f"{value:g}")
    return int(value), ""


def boolean_of(folded: str, default: bool) -> bool | None:
    """yes/no from casefolded text (empty: default), or None when it is neither."""
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return default if not folded else False
    return None


def items_of(text: str) -> tuple[str, ...]:
    """'a; b; a' -> ('a', 'b'): a list cell, in order, without repeats."""
    return tuple(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))


def validate_row(
    raw: Mapping[str, Any], day_order: DayOrder = "unknown", today: date | None = None
) -> Incident:
    """Validate a raw row; raise RowInvalid listing every problem found."""
    return checked_row(raw, day_order, today)[0]


def checked_row(
    raw: Mapping[str, Any], day_order: DayOrder = "unknown", today: date | None = None
) -> tuple[Incident, list[Problem]]:
    """The row's Incident and its warnings: values dropped or fixed (a placeholder web
    address, a best count outside min..max) so that a row a researcher would keep is
    kept. Raise RowInvalid when any value cannot be stored right."""
    row = _Row(raw, day_order)
    values: dict[str, Any] = {
        "id": row.text("id"),
        "source_event_id": row.text("source_event_id"),
        "type": row.code("type", "other"),
        "description": row.text("description"),
        "place": row.text("place"),
        "country": row.text("country"),
        "admin1": row.text("admin1"),
        "admin1_code": row.text("admin1_code").upper(),
        "perpetrators": row.items("perpetrators"),
        "tags": row.items("tags"),
        "verification": row.code("verification", "reported"),
        "sensitivity": row.code("sensitivity", "restricted"),
        "public_date_to_month": row.boolean("public_date_to_month", False),
        "place_confirmed": row.boolean("place_confirmed", True),
        "sources": _sources(row),
    }
    if not row.text("type"):
        codes = _(", ").join(map(INCIDENT_TYPES.shown, INCIDENT_TYPES.codes))  # as code_message
        row.fail("type", _("is empty; write one of: {codes}").format(codes=codes))
    values.update({name: row.text(name) for name in CONFIDENTIAL_FIELDS})
    values.update(_time(row, today or date.today()))
    values.update(_place(row))
    values.update(_counts(row))
    values["title"] = row.text("title") or default_title(values)
    for name in ID_FIELDS:
        if len(values[name]) > MAX_ID_CHARS:
            said = _("is {n} characters long; an identifier has at most {most}")
            row.fail(name, said.format(n=number(len(values[name])), most=MAX_ID_CHARS))
    if row.problems:
        raise RowInvalid(row.problems)
    return Incident(**values), row.warnings


def time_values(
    raw: Mapping[str, Any], day_order: DayOrder, today: date
) -> tuple[dict[str, Any], list[Problem]]:
    """The date fields of a row from its date_start, date_end, date_precision and
    date_kind cells, and the problems and warnings found (the column validator calls
    this once per distinct combination; a row with either goes to the row validator,
    which rejects it or keeps it with its warning)."""
    row = _Row(raw, day_order)
    return _time(row, today), row.problems + row.warnings


def default_title(values: Mapping[str, Any]) -> str:
    """'Torture in Tarhuna': the title of a row that gives none."""
    label = INCIDENT_TYPES.label(values["type"])
    where = values["place"] or values["admin1"] or values["country"]
    return f"{label} in {where}" if where else label  # stored data: not the reader's language


# The earliest date a record may have. Why a bound: a date in year 1 failed the whole
# import (the duplicate check's window ran before the calendar), a year such as 0040
# failed every deck that drew it (pandas and matplotlib count from 1677 and year 1),
# and a year written with a digit missing is a typing slip, not a record of the 1st
# century. 1800 leaves every modern and colonial-era case.
EARLIEST = date(1800, 1, 1)


def _time(row: _Row, today: date) -> dict[str, Any]:
    start = row.date("date_start")
    end = row.date("date_end")
    if start is None:
        if not row.text("date_start"):
            row.fail("date_start", _("is empty; write the (first possible) date as YYYY-MM-DD"))
        return {"date_start": today, "date_end": today}
    precision = row.code("date_precision", start.precision)
    span_start, span_end = _widen(start, precision)
    last = end.end if end is not None else span_end
    if last < span_start:
        said = _("{end} is before the first date, {start}")  # the page names no column
        row.fail("date_end", said.format(end=isolate(last.isoformat()),
                                         start=isolate(span_start.isoformat())))  # fmt: skip
    if span_start > today:
        said = _("{date} is in the future").format(date=span_start.isoformat())
        row.fail("date_start", said)
    if end is not None and end.start > today >= span_start:  # cut to today: never silent
        said = _("{date} is in the future: stored as today, {today}")
        row.warn("date_end", said.format(date=end.start.isoformat(), today=today.isoformat()))
    if span_start < EARLIEST:  # a typed year (0040 for 2040) broke every import and deck
        said = _("{date} is before {earliest}: check the year")
        row.fail("date_start", said.format(date=span_start.isoformat(), earliest=EARLIEST.year))
    return {
        "date_start": span_start,
        "date_end": min(last, today) if span_start <= today else last,
        "date_precision": precision,
        "date_kind": row.code("date_kind", "occurred"),
    }


def _widen(parsed: ParsedDate, precision: str) -> tuple[date, date]:
    """A day written with precision 'month' stands for the whole month (or year)."""
    start = parsed.start
    if precision == "year" and parsed.precision != "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    if precision == "month" and parsed.precision == "day":
        span = parse_date(f"{start.year}-{start.month:02d}")
        return span.start, span.end
    return parsed.start, parsed.end


def _place(row: _Row) -> dict[str, Any]:
    lat = row.number("latitude", -90, 90)
    lon = row.number("longitude", -180, 180)
    has_lat, has_lon = bool(row.text("latitude")), bool(row.text("longitude"))
    if has_lat != has_lon:
        missing = "longitude" if has_lat else "latitude"
        row.fail(missing, _("is empty while the other coordinate is given; give both or neither"))
    has_point = lat is not None and lon is not None
    default_precision = "approximate" if has_point else "town"
    return {
        "latitude": lat,
        "longitude": lon,
        "location_precision": row.code("location_precision", default_precision),
        "location_uncertainty_km": row.number("location_uncertainty_km", 0, 5000),
        "location_method": row.code("location_method", "source" if has_point else "geocoded"),
    }


def _counts(row: _Row) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for group in _COUNT_GROUPS:
        low, best, high = (row.integer(f"{group}_{b}") for b in ("min", "best", "max"))
        if low is not None and high is not None and low > high:
            said = _("the least number ({low}) is more than the most ({high})")
            said = said.format(low=number(low), high=number(high))
            row.fail(f"{group}_best", said)
        elif best is not None:
            low, high = _widened(row, group, low, best, high)
        values.update({f"{group}_min": low, f"{group}_best": best, f"{group}_max": high})
    return values


def _widened(
    row: _Row, group: str, low: int | None, best: int, high: int | None
) -> tuple[int | None, int | None]:
    """UCDP's codebook: best is the most likely estimate (the figure its statistics use),
    low and high the lowest and highest reasonable ones; UCDP publishes a few events
    with best outside low..high. Best is kept, and the bound it passes moves to it: the
    range then holds every estimate published (a warning says what was changed)."""
    if low is not None and low > best:
        message = _("min {low} was above best {best}: min lowered to {best}, best kept").format(
            low=low, best=best
        )
        row.warn(f"{group}_min", message)
        low = best
    if high is not None and high < best:
        message = _("max {high} was below best {best}: max raised to {best}, best kept").format(
            high=high, best=best
        )
        row.warn(f"{group}_max", message)
        high = best
    return low, high


def _sources(row: _Row) -> tuple[Source, ...]:
    sources = []
    numbers = {
        k[6]
        for k, v in row.raw.items()
        if k.startswith("source") and k[6:7].isdigit() and v not in (None, "")
    }
    for n in range(1, MAX_SOURCES + 1):
        if n > 1 and str(n) not in numbers:
            continue
        parts = {part: row.text(f"source{n}_{part}") for part in SOURCE_PARTS}
        if n == 1:
            for part in SOURCE_PARTS:
                parts[part] = parts[part] or row.text(f"source_{part}")
        if not any(parts.values()):
            continue
        parts["sha256"] = parts["sha256"].lower()
        if is_placeholder(parts["url"]):
            said = _("'{url}' is not a web address: the source is kept without one")
            message = said.format(url=parts["url"])
            row.warn(f"source{n}_url", message)
            parts["url"] = ""
            if not any(parts.values()):
                continue
        row.problems.extend(source_problems(n, parts))
        sources.append(Source(**parts))
    return tuple(sources)


def is_placeholder(url: str) -> bool:
    """Whether a cell says there is no value ('HIDDEN', 'n/a', '-', 'unknown')."""
    return url.strip().casefold() in PLACEHOLDERS


def source_problems(n: int, parts: Mapping[str, str]) -> list[Problem]:
    """What is wrong with source n's cells (sha256 already lower-cased)."""
    problems = []
    if parts["sha256"] and not _SHA256.match(parts["sha256"]):
        said = _("is not a sha256 (64 hexadecimal characters)")
        problems.append(Problem(f"source{n}_sha256", said))
    url = parts["url"]
    if url and not url.lower().startswith(("http://", "https://", "file:", "urn:")):
        message = _("'{url}' is not a web address (http:// or https://)").format(url=url)
        problems.append(Problem(f"source{n}_url", message))
    return problems
