"""What the import page shows before anything is written: the first rows as they would
be stored, and why a file as read cannot be imported at all (so no Import button is
offered for it). The page stays thin; the import's own steps do the work here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from incidents.default_country import offered_country
from incidents.field_words import field_label, value_shown
from incidents.import_read import FileRows, ImportOptions, day_order_of
from incidents.io.formats import Format
from incidents.placing import country_name, place_all
from incidents.record import Incident
from incidents.store.base import Store
from incidents.store.record_ids import IdKey, keyed_id
from incidents.translation import N_, _
from incidents.validation import Problem, RowInvalid, checked_row

SHOWN = ("type", "title", "date_start", "date_end", "place", "country", "admin1")
SHOWN_POINT = ("latitude", "longitude", "location_precision")
SHOWN_COUNTS = ("killed_best", "disappeared_best", "displaced_best")
# The preview's own columns: the spreadsheet's row number and what the import would say.
HEADINGS = {"row": N_("Row"), "problems": N_("Problems and notes")}
NEEDED = {"date_start": N_("the date"), "type": N_("the type of incident")}


def cannot_import(rows: FileRows, fmt: Format) -> str | None:
    """One sentence when no row of the file, read this way (incidents.import_read.read_rows),
    could be imported: no rows, or no row with a date or a type. None when the import
    can be tried."""
    table, columns = rows.table, rows.columns
    if not table.rows:
        return _("{file} has a header but no rows to import.").format(file=table.name)
    missing = [  # named as the lists below name the field (it said "date_start", found nowhere)
        f"{_(words)} ({field_label(name)})"
        for name, words in NEEDED.items()
        if not any(v not in (None, "") for v in columns.get(name) or ())
    ]
    if not missing:
        return None
    said = _(
        "No column of {file}, read as {format}, gives {missing}: choose the column that "
        "holds it, or give the same value for every row."
    )
    return said.format(file=table.name, format=_(fmt.LABEL), missing=_(" or ").join(missing))


def preview_rows(
    rows: FileRows, options: ImportOptions, limit: int = 10, store: Store | None = None
) -> list[dict[str, Any]]:
    """The first rows as they would be stored (validated and placed), each with its
    spreadsheet row number and the problems or warnings the import would report; with
    the store, a row of a record deleted in the app says the import leaves it deleted."""
    count = min(limit, len(rows.numbers))
    order = options.day_order or day_order_of(rows.columns, len(rows.numbers))
    today = date.today()
    out: list[dict[str, Any]] = []
    kept: list[tuple[int, Incident]] = []
    for index in range(count):
        raw = {name: column[index] for name, column in rows.columns.items()}
        number = rows.numbers[index]
        try:
            incident, warnings = checked_row(raw, order, today)
        except RowInvalid as invalid:
            out.append({"row": number, "problems": _rejected(invalid.problems)})
            continue
        warned = _("warning, {field}: {warning}")
        notes = "; ".join(
            warned.format(field=field_label(w.field), warning=w.message) for w in warnings
        )
        out.append({"row": number, "problems": notes})
        kept.append((len(out) - 1, incident))
    default = options.default_country or offered_country(rows.columns, tuple).code
    placed = place_all([i for _, i in kept], default)
    for (at, _kept), result in zip(kept, placed, strict=True):
        if result.incident is None:
            out[at]["problems"] = _rejected(result.problems)
            continue
        out[at].update(_shown(result.incident))
        said = [out[at]["problems"], result.review]
        if result.defaulted:  # never silent (see ImportReport.default_country_note)
            code = result.incident.country
            default = _("no country named and no point: the default, {country}")
            said.append(default.format(country=country_name(code)))
        out[at]["problems"] = "; ".join(filter(None, said))
    if store is not None:
        _mark_deleted(
            out, [(at, r.incident) for (at, _), r in zip(kept, placed, strict=True)], store
        )
    return out


def _mark_deleted(
    out: list[dict[str, Any]], placed: list[tuple[int, Incident | None]], store: Store
) -> None:
    """Rows of a deleted record (by id, source event id, or the id the import makes for
    a row with neither): the import leaves them deleted (incidents.importer)."""
    key: IdKey | None = None
    named: list[tuple[int, Incident]] = []
    for at, incident in placed:
        if incident is None:
            continue
        made = incident.id or incident.source_event_id.replace(":", "-")
        if not made:
            key = key or store.id_key()
            made = keyed_id(key, incident)
        named.append((at, incident.replace(id=made)))
    dead = store.deleted_among([i for _, i in named])
    for at, incident in named:
        if incident.id in dead:
            said = _("matches deleted record {id}: the import will leave it deleted")
            said = said.format(id=incident.id)
            out[at]["problems"] = "; ".join(filter(None, [said, out[at]["problems"]]))


def _rejected(problems: Sequence[Problem]) -> str:
    """'rejected: field: reason; ...' as the preview's column says it."""
    said = "; ".join(
        _("{field}: {reason}").format(field=field_label(p.field), reason=p.message)
        for p in problems
    )
    return _("rejected: {problems}").format(problems=said)


def _shown(incident: Incident) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(incident, name) for name in SHOWN}
    values["date_start"] = incident.date_start.isoformat()
    values["date_end"] = incident.date_end.isoformat()
    if incident.has_point:
        values.update({name: getattr(incident, name) for name in SHOWN_POINT})
    values.update({n: getattr(incident, n) for n in SHOWN_COUNTS if getattr(incident, n)})
    values["sources"] = len(incident.sources)
    return values


def preview_table(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The preview as the page shows it: headings in the reader's language (fields as
    the entry form names them), codes as their labels, a missing value blank."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    heads = {n: _(HEADINGS[n]) if n in HEADINGS else field_label(n) for n in names}
    return [{heads[n]: _cell(n, row.get(n)) for n in names} for row in rows]


def _cell(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name in HEADINGS or name == "sources":
        return str(value)
    return value_shown(name, value)
