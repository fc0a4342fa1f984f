"""One import, start to end: file -> rows -> validated records -> placed -> store.

Every row read ends in exactly one of imported, updated, unchanged or rejected (a kept
row may also carry warnings: a value dropped or fixed), and the store write is one
transaction: a failure leaves the store as it was before the import.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

from geodata import countries_of
from incidents import failures
from incidents.access import Viewer
from incidents.country_names import country_code
from incidents.default_country import GIVEN, offered_country
from incidents.duplicates.on_import import count_like_existing
from incidents.import_fill import audience_note, fixed_problems
from incidents.import_keep import kept_fields
from incidents.import_read import (
    FileRows,
    ImportFailed,
    ImportOptions,
    choose_format,
    day_order_of,
    delimiter_of,
    read_rows,
)
from incidents.io.formats import (
    FileUnusable,
    Format,
    layout_of,
    read_any,
)
from incidents.io.tabular import Table
from incidents.placing import place_all
from incidents.record import Incident
from incidents.report import PROBLEM_COLUMN, ImportReport, RejectedRow, WarnedRow
from incidents.store.base import Outcome, Store, StoreError
from incidents.store.merges import merged_into, rows_into_merged
from incidents.store.record_ids import keyed_id, legacy_id
from incidents.store.record_store import RecordStore
from incidents.translation import _
from incidents.validation import RowInvalid, checked_row, clean_text
from incidents.validation_columns import validate_columns

Progress = Callable[[str, int, int], None]
MAX_REASON = 300  # characters of one rejection reason
_LONG_QUOTE = re.compile(r"'([^']{60})[^']{20,}'")


def import_file(
    path: Path | str,
    store: RecordStore,
    viewer: Viewer,
    options: ImportOptions | None = None,
    data: bytes | None = None,
    name: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file; see ImportReport for what comes back.

    Any error the import did not foresee becomes ImportFailed with one plain sentence;
    its trace goes to the server's log only (incidents.failures)."""
    try:
        with _collector_paused():
            return _import(path, store, viewer, options or ImportOptions(), data, name, progress)
    except ImportFailed:
        raise
    except StoreError as refused:  # the store's own plain words (role, stale record ...)
        said = _("{file}: {error}").format(file=name or Path(path).name, error=refused)
        raise ImportFailed(said) from None
    except Exception as error:  # a bug or an unforeseen file: a sentence, never a trace
        what = _("The import of {file}").format(file=name or Path(path).name)
        reference = failures.log_unexpected(what, error)
        raise ImportFailed(failures.sentence(what, error, reference)) from None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the import: a large file makes millions of
    objects that hold no cycles, and each automatic collection walks all of them
    (about a third of a 100,000-row import's time). Reference counting still frees
    them; any cycles are collected by the first automatic collection after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    path: Path | str,
    store: RecordStore,
    viewer: Viewer,
    options: ImportOptions,
    data: bytes | None,
    name: str | None,
    progress: Progress | None,
) -> ImportReport:
    path = Path(path)
    name = name or path.name
    problems = fixed_problems(options.fixed or {})
    default = country_code(options.default_country) if options.default_country else ""
    if default is None:
        said = _(
            "'{country}' (the default country) is not a country this tool knows; give a "
            "country's name or its ISO code (e.g. SO or Somalia)"
        )
        problems.append(said.format(country=options.default_country))
    if problems:
        said = _("{file}: nothing was imported: {problems}")
        raise ImportFailed(said.format(file=name, problems=_("; ").join(problems)))
    options = replace(options, default_country=default or options.default_country)
    try:
        table = read_any(path, data, name)
    except FileUnusable as error:
        raise ImportFailed(str(error)) from None
    fmt = choose_format(table, options.format, options.column_map, options.fixed)
    try:
        rows = read_rows(table, fmt, options)
    except FileUnusable as error:  # e.g. a column map the format refuses, in its words
        raise ImportFailed(str(error)) from None
    if not options.default_country:
        stored = partial(_stored_countries, store, viewer)  # read only if the file names none
        code, why = offered_country(rows.columns, stored)
        options = replace(options, default_country=code, default_country_why=why)
    report = _new_report(name, table, fmt, rows, options, delimiter_of(path, data, name, table))
    _tell(progress, "read", report.rows_read, report.rows_read)
    candidates = _validate(rows, options, report, progress)
    incidents = _place(candidates, rows, options, report)
    incidents = _assign_ids(incidents, store, rows, report)
    count_like_existing(report, store, viewer, [i for _, i in incidents])  # before writing
    if incidents:  # a check makes the same writes and rolls them back: it says the same
        records = rows_into_merged(store, [i for _, i in incidents])  # a merge stands
        kept = frozenset(report.kept)
        outcomes = store.write_batch(records, viewer, "import", kept, options.dry_run)
        _tally(report, rows, [n for n, _ in incidents], outcomes)
        if not options.dry_run:
            store.log_event(viewer, "import", report.to_dict())
    if report.deleted_rows:  # of those, rows of records merged into another: it stands
        into = merged_into(store, [i for _n, i in report.deleted_rows])
        report.merged_rows = [(n, i, into[i]) for n, i in report.deleted_rows if i in into]
    report.rejected.sort(key=lambda r: r.row)
    report.warnings.sort(key=lambda w: w.row)
    _tell(progress, "stored", report.rows_read, report.rows_read)
    return report


def _tally(
    report: ImportReport, rows: FileRows, numbers: list[int], outcomes: Sequence[Outcome]
) -> None:
    """Each written row's outcome counted in the report, and the note on the new records
    whose rows do not say who may see them (an updated record keeps its own)."""
    new: list[int] = []
    for number, outcome in zip(numbers, outcomes, strict=True):
        if outcome.kind == "deleted":
            report.deleted_rows.append((number, outcome.id))
        if outcome.kind == "updated":  # what the file writes over, app edits included
            report.changes.append((number, outcome.id, outcome.fields))
        if outcome.kind == "imported":
            new.append(rows.index[number])
        report.imported += outcome.kind == "imported"
        report.updated += outcome.kind not in ("imported", "deleted")
        report.unchanged += outcome.kind == "unchanged"
        report.deleted += outcome.kind == "deleted"  # deleted in the app: left deleted
    report.notes += filter(None, [audience_note(rows.columns, new)])


def _stored_countries(store: RecordStore, viewer: Viewer) -> tuple[str, ...]:
    return countries_of(store.snapshot(viewer).district_counts())


def _new_report(
    name: str, table: Table, fmt: Format, rows: FileRows, options: ImportOptions, delimiter: str
) -> ImportReport:
    from incidents.io import template

    report = ImportReport(name, fmt.NAME, header=list(table.header), encoding=table.encoding)
    report.format_label, report.delimiter = fmt.LABEL, delimiter
    report.layout, report.default_country = layout_of(fmt, table), options.default_country
    report.default_country_why = options.default_country_why or GIVEN
    report.notes, report.dry_run = list(table.notes), options.dry_run
    report.rows_read = len(rows.numbers)
    own = getattr(fmt, "OWN_VALUES", ())  # the reader's values, not the file's
    report.kept = sorted(kept_fields(c for c in rows.named if c not in own))
    order = {n: i for i, n in enumerate(template.TEMPLATE_COLUMNS)}
    report.fields = sorted(rows.columns, key=lambda f: (order.get(f, len(order)), f))
    if fmt.NAME == template.NAME:
        unused = template.unused_columns(table, options.column_map)
        report.unused_columns = [c for c in unused if c != PROBLEM_COLUMN]
    return report


def _tell(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _validate(
    rows: FileRows, options: ImportOptions, report: ImportReport, progress: Progress | None
) -> list[tuple[int, Incident]]:
    """Column checks take the plainly valid rows; the rest go through checked_row,
    which takes them after all (perhaps with warnings) or rejects them with its messages."""
    numbers, columns, table = rows.numbers, rows.columns, rows.table
    order = options.day_order or day_order_of(columns, len(numbers))
    today = date.today()
    fast = validate_columns(columns, len(numbers), order, today)
    repeats = _header_repeats(table)
    good: list[tuple[int, Incident]] = []
    for index, number in enumerate(numbers):
        incident = fast[index]
        if number in repeats:
            _reject(report, rows, number, [("row", _("repeats the header row"))])
            continue
        if number in table.problems:  # the reader could not read it right
            _reject(report, rows, number, table.problems[number])
            continue
        if incident is None:
            raw = {name: column[index] for name, column in columns.items()}
            try:
                incident, warnings = checked_row(raw, order, today)
            except RowInvalid as invalid:
                _reject(report, rows, number, [(p.field, p.message) for p in invalid.problems])
                continue
            report.warnings += [
                WarnedRow(number, "", w.field, _shortened(w.message)) for w in warnings
            ]
        good.append((number, incident))
        if (index + 1) % 5000 == 0:
            _tell(progress, "validated", index + 1, len(numbers))
    return good


def _header_repeats(table: Table) -> set[int]:
    """Rows that repeat the header (two sheets pasted one under the other)."""
    header = [h.strip().casefold() for h in table.header]
    return {
        number
        for number, cells in table.rows
        if cells
        and clean_text(cells[0]).casefold() == header[0]
        and [clean_text(c).casefold() for c in cells] == header
    }


def _place(
    candidates: list[tuple[int, Incident]],
    rows: FileRows,
    options: ImportOptions,
    report: ImportReport,
) -> list[tuple[int, Incident]]:
    placed = place_all([i for _, i in candidates], options.default_country)
    kept: list[tuple[int, Incident]] = []
    for (number, _unplaced), result in zip(candidates, placed, strict=True):
        if result.incident is None:
            _reject(report, rows, number, [(p.field, p.message) for p in result.problems])
            continue
        kept.append((number, result.incident))
        report.defaulted += result.defaulted
        if result.review:
            report.review.append((number, result.incident.id or _("(new)"), result.review))
    return kept


def _assign_ids(
    incidents: list[tuple[int, Incident]], store: Store, rows: FileRows, report: ImportReport
) -> list[tuple[int, Incident]]:
    """Stable ids: the row's own, the stored record's with the same source event, or one
    derived from the row (see _derived_ids), so re-importing a row finds its record."""
    derived = _derived_ids([i for _, i in incidents], store)
    known = store.existing_ids(
        [i.id for _, i in incidents] + [old for _, old in derived if old],
        [i.source_event_id for _, i in incidents],
    )
    seen: dict[str, int] = {}
    kept: list[tuple[int, Incident]] = []
    for (number, incident), (keyed, old) in zip(incidents, derived, strict=True):
        made = known.get(old) if old else None
        stable = incident.id or known.get(incident.source_event_id) or made or keyed
        if stable in seen:
            said = _("has the same id '{id}' as row {row}")
            reason = said.format(id=stable, row=seen[stable])
            _reject(report, rows, number, [("id", reason)])
            continue
        seen[stable] = number
        kept.append((number, incident if stable == incident.id else incident.replace(id=stable)))
    id_of_row = {n: i.id for n, i in kept}
    kept_rows = set(id_of_row)  # a row rejected here is listed as rejected, not to review
    review = report.review
    report.review = [(row, id_of_row[row], note) for row, _, note in review if row in kept_rows]
    report.warnings = [
        WarnedRow(w.row, id_of_row[w.row], w.field, w.message)
        for w in report.warnings
        if w.row in kept_rows
    ]
    return kept


def _derived_ids(incidents: list[Incident], store: Store) -> list[tuple[str, str]]:
    """For each row that brings no id: the id made from it, and the unkeyed id an earlier
    version made ('' unless the store holds such ids). A source event id is public
    already and is used as it is; otherwise the id is keyed with the store's secret
    (incidents/store/record_ids.py), so it gives nothing away about hidden fields."""
    if all(i.id for i in incidents):
        return [("", "")] * len(incidents)
    key = store.id_key()
    out: list[tuple[str, str]] = []
    for incident in incidents:
        if incident.id:
            out.append(("", ""))
        elif incident.source_event_id:
            out.append((incident.source_event_id.replace(":", "-"), ""))
        else:
            out.append((keyed_id(key, incident), legacy_id(incident) if key.legacy else ""))
    return out


def _reject(
    report: ImportReport, rows: FileRows, number: int, reasons: list[tuple[str, str]]
) -> None:
    cells = dict(zip(rows.table.header, rows.table.row_cells(number), strict=False))
    short = tuple((field, _shortened(message)) for field, message in reasons)
    report.rejected.append(RejectedRow(number, cells, short, rows.fields(number)))


def _shortened(message: str) -> str:
    """A reason that quotes a long cell quotes its start: a megabyte cell must not make
    a megabyte message (the whole cell stays in the rejected rows' file)."""
    if len(message) <= MAX_REASON:
        return message
    message = _LONG_QUOTE.sub(lambda m: f"'{m.group(1)}…'", message)
    return message if len(message) <= MAX_REASON else message[: MAX_REASON - 1] + "…"
