"""One value for every row whose cell is empty (`--set type=killing`, the import page's
"same value for every row"): a file that never names the type or the country of its
events still imports. Each value is checked like a cell before the file is read, so a
wrong value refuses the import with one sentence and nothing written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from incidents.country_names import country_code
from incidents.io.template import TEMPLATE_COLUMNS
from incidents.translation import _, ngettext, number
from incidents.validation import RowInvalid, checked_row, clean_text

# A value shared by every row cannot be what tells rows apart.
NOT_SETTABLE = ("id", "source_event_id")
_PROBE = {"type": "other", "date_start": "1900-01-01"}  # the fields every row needs


def settable_fields() -> list[str]:
    """The template fields a value for every row may fill, in the template's order."""
    return [name for name in TEMPLATE_COLUMNS if name not in NOT_SETTABLE]


def fixed_problems(fixed: Mapping[str, str]) -> list[str]:
    """One sentence per value that cannot be used: an unknown or id field, an empty
    value, or one the row validator (or the country names) would refuse in a cell."""
    allowed = settable_fields()
    problems: list[str] = []
    for name, value in fixed.items():
        if name in NOT_SETTABLE:
            said = _("{field} cannot be the same for every row: each row needs its own")
            problems.append(said.format(field=name))
        elif name not in allowed:
            said = _("'{field}' is not a field of the template; use one of: {fields}")
            problems.append(said.format(field=name, fields=", ".join(allowed)))
        elif not clean_text(value):
            problems.append(_("the value for every row's {field} is empty").format(field=name))
    if problems:
        return problems
    try:
        warnings = checked_row({**_PROBE, **fixed})[1]
    except RowInvalid as invalid:
        mine = [p for p in invalid.problems if p.field in fixed] or invalid.problems
        said = _("the value for every row's {field}: {problem}")
        return [said.format(field=p.field, problem=p.message) for p in mine]
    said = _("the value for every row's {field}: {problem}")
    problems = [said.format(field=w.field, problem=w.message) for w in warnings]
    country = clean_text(fixed.get("country", ""))
    if country and country_code(country) is None:
        said = _(
            "the value for every row's country, '{country}', is not a country this tool "
            "knows; write one country's name or its ISO code"
        )
        problems.append(said.format(country=country))
    return problems


def fill(columns: dict[str, list[Any]], n: int, fixed: Mapping[str, str]) -> None:
    """Each fixed value put into the rows whose cell of that field is empty."""
    for name, value in fixed.items():
        column = columns.get(name)
        if column is None:
            columns[name] = [value] * n
        else:
            columns[name] = [value if _empty(cell) else cell for cell in column]


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def audience_note(columns: Mapping[str, list[Any]], new: Sequence[int]) -> str | None:
    """What the report says of rows that do not say who may see them: a GeoJSON or
    timemap file's rows were stored Restricted and left out of public exports, and
    nothing on the page said so. new: the positions of the rows stored as new records;
    a row that updates a record leaves who may see it as it was, so it is not counted."""
    cells = columns.get("sensitivity")
    unsaid = sum(cells is None or _empty(cells[at]) for at in new)
    said = ngettext(
        "{n} row does not say who may see it: as a new record it is stored Restricted "
        "(staff only); give 'Who may see it' (sensitivity) one value for every row to "
        "change that",
        "{n} rows do not say who may see them: as new records they are stored Restricted "
        "(staff only); give 'Who may see it' (sensitivity) one value for every row to "
        "change that",
        unsaid,
    )
    return said.format(n=number(unsaid)) if unsaid else None
