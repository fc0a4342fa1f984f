"""Which of a sheet's first rows is its header, when a title sits above it.

NGO spreadsheets and HDX downloads often open with a title ("Incidents reported in
Tarhuna, June 2020"), a source line or a blank row before the column names. Taking
the title as the header would leave every real column unknown. The header is:

1. the row among the first HEAD_ROWS non-blank ones that holds the most column names
   a known format uses (template, ACLED, UCDP, timemap), when it holds at least two and
   more than the first row; otherwise
2. the first row, unless it has a single filled cell (a title): then the first row
   with at least two distinct filled text cells that has a row below it.

Either way every row above the header must fill at most half as many cells as the
header (titles are sparse): a sheet whose first row is about as full as any other keeps
it as its header, whatever words its data rows hold.
"""

from __future__ import annotations

import functools
from typing import Any

from incidents.translation import _

HEAD_ROWS = 10

# Column names of the formats read from tables (lower case, as normalise_column gives).
_FORMAT_COLUMNS = frozenset(
    {"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2"}
    | {"fatalities", "notes", "admin1", "admin2", "admin3", "country", "location"}
    | {"geo_precision", "time_precision", "latitude", "longitude", "id", "type_of_violence"}
    | {"date_start", "date_end", "date_prec", "where_prec", "best", "low", "high", "side_a"}
    | {"side_b", "adm_1", "adm_2", "source_article", "source_headline", "deaths_civilians"}
)


@functools.cache
def known_columns() -> frozenset[str]:
    """Every column name a format knows, normalised."""
    from incidents.io import template

    return frozenset(
        {*template.TEMPLATE_COLUMNS, *template.ALIASES, *_FORMAT_COLUMNS, "lat", "lon"}
    )


def _filled(row: list[Any]) -> list[str]:
    return [str(c).strip() for c in row if c is not None and str(c).strip()]


def _known(row: list[Any]) -> int:
    from incidents.io.template import normalise_column

    names = known_columns()
    return len({normalise_column(c) for c in _filled(row)} & names)


def _is_text(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return True
    return False


def header_index(rows: list[list[Any]]) -> int:
    """The index, in these first non-blank rows, of the header row (see the module)."""
    if len(rows) < 2:
        return 0
    widths = [len(_filled(r)) for r in rows]

    def sparse_above(index: int) -> bool:
        return all(w <= max(1, widths[index] // 2) for w in widths[:index])

    known = [_known(r) for r in rows]
    best = max(range(len(rows)), key=lambda i: (known[i], -i))
    if known[best] >= max(2, known[0] + 1) and sparse_above(best):
        return best
    if widths[0] >= 2:
        return 0
    for index, row in enumerate(rows[:-1]):
        texts = [c for c in _filled(row) if _is_text(c)]
        if len(set(texts)) >= 2 and sparse_above(index):
            return index
    return 0


def skipped_note(name: str, numbers: list[int], skipped: list[list[Any]], header: int) -> str:
    """The sentence telling the user which rows above the header were left out."""
    shown = "; ".join(", ".join(_filled(r))[:80] for r in skipped if _filled(r))
    if len(numbers) == 1:
        said = _(
            "{file}: the column names are in row {header}; row {first} above them ({shown}) "
            "was read as a title, not imported"
        )
    else:
        said = _(
            "{file}: the column names are in row {header}; rows {first}-{last} above them "
            "({shown}) were read as a title, not imported"
        )
    return said.format(file=name, header=header, first=numbers[0], last=numbers[-1], shown=shown)
