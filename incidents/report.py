"""The account an import gives of every row: imported, updated, unchanged or rejected
and why, and which kept rows had a value dropped or fixed (warned)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from incidents.field_words import field_label
from incidents.spreadsheet_safety import safe_cell
from incidents.translation import N_, NO_OVERRIDES, _, ngettext

PROBLEM_COLUMN = "problem"  # the rejected rows' file: why; no reader takes this column
DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe")}
SHOWN_ROWS = 50
# Marked here, translated where shown (the report's lines are built in the reader's language).
CHANGE_COUNTRY_CLI = N_("use --country to change")
DUPLICATES_CLI = N_("on the Duplicates page or with `python -m incidents duplicates`")
SKIPPED_PAGE = N_(
    "duplicates: not looked for at import, the file's rows and the stored records of their "
    "days are too many; review them on the Duplicates page"
)
# Explicit direction controls (embeddings, overrides, isolates) in a cell quoted by the
# page's report would reorder the rest of its line: the page drops them.


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported, with its cells so it can be fixed: its original
    cells, and the template fields they were read into (what the rejected rows' file
    holds, so that it imports again with no options, whatever options read it)."""

    row: int
    cells: dict[str, Any]
    reasons: tuple[tuple[str, str], ...]  # (field, plain-language reason)
    fields: dict[str, Any] = field(default_factory=dict)

    def reason_text(self, name: Callable[[str], str] = str) -> str:
        """'field: reason; field: reason' (the reasons are in the language of the import;
        name says each field, by default as the file's column names it)."""
        said = _("{field}: {reason}")
        return _("; ").join(said.format(field=name(f), reason=m) for f, m in self.reasons)


@dataclass(frozen=True)
class WarnedRow:
    """A kept row one of whose values was dropped or fixed, and what was done."""

    row: int
    id: str
    field: str
    message: str


@dataclass
class ImportReport:
    """Counts and details of one import; imported + updated + deleted + rejected ==
    rows_read (deleted: rows of records deleted in the app, which stay deleted).
    updated counts the stored records the file matched, changed or not: unchanged
    counts those it left as they were, and changed the rest (what is shown as
    updated). Warned rows are kept: they are counted among those as well."""

    file: str
    format: str
    rows_read: int = 0
    imported: int = 0
    updated: int = 0  # stored records the file matched (changed or unchanged)
    unchanged: int = 0  # of those, the ones the file holds as they are
    deleted: int = 0  # rows of records deleted in the app: not brought back
    deleted_rows: list[tuple[int, str]] = field(default_factory=list)  # row, record id
    merged_rows: list[tuple[int, str, str]] = field(default_factory=list)  # of those: merged into
    changes: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)  # row, id, fields
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[WarnedRow] = field(default_factory=list)
    review: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, note
    unused_columns: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # fields updates left as stored (import_keep)
    header: list[str] = field(default_factory=list)
    encoding: str = ""
    format_label: str = ""
    delimiter: str = ""  # CSV only
    layout: str = ""  # which of its format's layouts the file is in (formats.layout_of)
    default_country: str = ""  # the import's default country (ISO code)
    default_country_why: str = ""  # why it is that one (a default_country message)
    defaulted: int = 0  # rows that named no country, had no point, and took the default
    notes: list[str] = field(default_factory=list)  # what the reader said it did
    fields: list[str] = field(default_factory=list)  # template fields the file fills
    dry_run: bool = False
    like_existing: int = 0  # rows that look like a stored record (duplicates.rows_like)
    like_existing_note: str = ""  # why the look for duplicates was skipped, if it was

    @property
    def accounted(self) -> bool:
        return self.imported + self.updated + self.deleted + len(self.rejected) == self.rows_read

    @property
    def changed(self) -> int:
        """Stored records this import changed (shown as 'updated')."""
        return self.updated - self.unchanged

    @property
    def warned(self) -> int:
        """Rows kept with a warning (a row with two warnings counts once)."""
        return len({w.row for w in self.warnings})

    def how_read(self) -> str:
        """'ACLED export, layout: ACLED 2019-2022 export ..., encoding utf-8, delimiter
        comma': how the file was read."""
        parts = [_(self.format_label) if self.format_label else self.format]
        if self.layout:
            parts.append(_("layout: {layout}").format(layout=self.layout))
        if self.encoding and self.encoding not in ("xlsx", "gpkg"):
            parts.append(_("encoding {encoding}").format(encoding=self.encoding))
        if self.delimiter:
            named = DELIMITER_NAMES.get(self.delimiter)
            shown = _(named) if named else self.delimiter
            parts.append(_("delimiter {delimiter}").format(delimiter=shown))
        return _(", ").join(parts)

    def counts(self) -> list[tuple[str, int]]:
        """The outcome counts, as the command line and the import page name them."""
        rest = [(_("warned"), self.warned), (_("rejected"), len(self.rejected))]
        merged, gone = len(self.merged_rows), self.deleted - len(self.merged_rows)
        dead = [(_("deleted records"), gone)] if gone else []  # rows the import left so
        dead += [(_("merged records"), merged)] if merged else []
        stored = [(_("updated"), self.changed), (_("unchanged"), self.unchanged)]
        if self.dry_run:  # what the import would do: its writes, rolled back
            stored[0] = (_("to update"), self.changed)
            return [(_("new"), self.imported), *stored, *dead, *rest]
        return [(_("imported"), self.imported), *stored, *dead, *rest]

    def default_country_note(self, how_to_change: str = CHANGE_COUNTRY_CLI) -> str:
        """The sentence saying that, and for how many rows, the import's default country
        was used and why it is that one: never a silent default ('' when no row took it)."""
        if not self.defaulted:
            return ""
        from incidents.country_names import country_label
        from incidents.default_country import GIVEN

        code = self.default_country
        said = ngettext(
            "{n} row named no country and had no point: placed in {country} ({code}), {why}; {how}",
            "{n} rows named no country and had no point: placed in {country} ({code}), {why}; "
            "{how}",
            self.defaulted,
        )
        why = _(self.default_country_why or GIVEN)
        return said.format(
            n=self.defaulted, country=country_label(code), code=code, why=why, how=_(how_to_change)
        )

    def lines(self, how_to_change: str = CHANGE_COUNTRY_CLI) -> list[str]:
        """The report as sentences for the command line: fields as the file names them,
        indented under the file's line."""
        return self._lines(how_to_change, str, page=False)

    def page_lines(self, how_to_change: str) -> list[str]:
        """The report as the import page shows it: fields as the entry form names them in
        the reader's language, duplicates to review on the Duplicates page (the page says
        how many rows look like stored ones), no command to type, and no direction
        control of a quoted cell that could reorder its line."""
        said = self._lines(how_to_change, field_label, page=True)
        return [line.strip().translate(NO_OVERRIDES) for line in said]

    def _lines(self, how_to_change: str, named: Callable[[str], str], page: bool) -> list[str]:
        label = (_(self.format_label) if self.format_label else self.format).split(" (")[0]
        read = ngettext("{file}: {n} row read as {format}", "{file}: {n} rows read as {format}",
                        self.rows_read)  # fmt: skip
        out = [read.format(file=self.file, n=self.rows_read, format=label)]
        out.append("  " + _("read as: {how}").format(how=self.how_read()))
        out += ["  " + _("note: {note}").format(note=note) for note in self.notes]
        if self.defaulted:
            said = self.default_country_note(how_to_change)
            out.append("  " + _("country: {note}").format(note=said))
        if self.dry_run:
            out.append("  " + _("check only: nothing was written"))
        counted = _("{name}: {count}")
        out += ["  " + counted.format(name=name, count=count) for name, count in self.counts()]
        if self.deleted:
            out += self._deleted_lines()
        out += self._change_lines(named)
        row = _("row {row}: {reasons}")
        out += _listed([row.format(row=r.row, reasons=r.reason_text(named)) for r in self.rejected])
        if self.warnings:
            said = ngettext(
                "warnings: {n} (rows kept, one value dropped or fixed)",
                "warnings: {n} (rows kept, one value dropped or fixed)",
                len(self.warnings),
            )
            out.append("  " + said.format(n=len(self.warnings)))
            warned = _("row {row}, {field}: {warning}")
            out += _listed([warned.format(row=w.row, field=named(w.field), warning=w.message)
                            for w in self.warnings])  # fmt: skip
        if self.review:
            out.append("  " + _("places to review: {n}").format(n=len(self.review)))
            place = _("row {row} ({id}): {note}")
            out += ["  " + place.format(row=row, id=rid, note=note)
                    for row, rid, note in self.review[:20]]  # fmt: skip
        out += self._like_existing_lines(page)
        if self.unused_columns:
            unused = _(", ").join(self.unused_columns)
            out.append("  " + _("columns not used: {columns}").format(columns=unused))
        if self.kept and self.updated > self.unchanged:
            said = _("left as stored in the records updated (the file has no column): {fields}")
            out.append("  " + said.format(fields=_(", ").join(map(named, self.kept))))
        return out

    def changes_sentence(self) -> str:
        """How many stored records the file changes: its values replace what is stored,
        changes made in the app included (tried as an editor would: a description edited
        in the app, the same file imported again; the check said nothing would change)."""
        n = len(self.changes)
        if self.dry_run:
            said = ngettext(
                "{n} stored record would change: the file's values replace what is stored, "
                "changes made in the app included (its history keeps every version)",
                "{n} stored records would change: the file's values replace what is stored, "
                "changes made in the app included (their history keeps every version)",
                n,
            )
        else:
            said = ngettext(
                "{n} stored record changed: the file's values replaced what was stored, "
                "changes made in the app included (its history keeps every version)",
                "{n} stored records changed: the file's values replaced what was stored, "
                "changes made in the app included (their history keeps every version)",
                n,
            )
        return said.format(n=n)

    def _change_lines(self, named: Callable[[str], str]) -> list[str]:
        if not self.changes:
            return []
        each = _("row {row} ({id}): {note}")
        listed = [each.format(row=r, id=i, note=_(", ").join(map(named, f)))
                  for r, i, f in self.changes]  # fmt: skip
        return ["  " + self.changes_sentence(), *_listed(listed)]

    def _like_existing_lines(self, page: bool) -> list[str]:
        """How many rows look like incidents already stored, and where to review them:
        a duplicate is never merged silently (the page says the count on its own)."""
        if self.like_existing_note:
            if page:
                return [_(SKIPPED_PAGE)]
            return ["  " + _("duplicates: {note}").format(note=self.like_existing_note)]
        if not self.like_existing or page:
            return []
        said = ngettext(
            "{n} row looks like an incident already stored: review it {where}",
            "{n} rows look like incidents already stored: review them {where}",
            self.like_existing,
        )
        return ["  " + said.format(n=self.like_existing, where=_(DUPLICATES_CLI))]

    def _deleted_lines(self) -> list[str]:
        """Rows of records deleted in the app: the import leaves them deleted; a check
        says so before anything is written, row by row. A row of a record merged into
        another is named with the record it went into: told to restore it, an editor
        would have undone the merge (found in a browser walk)."""
        into = _("row {row} ({id}): merged into {kept}; the merge stands and nothing is "
                 "written for this row")  # fmt: skip
        merged = [into.format(row=r, id=i, kept=k) for r, i, k in self.merged_rows]
        return _listed(merged) + self._unmerged_deleted_lines(self.deleted - len(merged))

    def _unmerged_deleted_lines(self, n: int) -> list[str]:
        if not n:
            return []
        if self.dry_run:
            said = ngettext(
                "{n} row matches a deleted record: the import will leave it deleted (restore it "
                "from the deleted records to bring it back)",
                "{n} rows match deleted records: the import will leave them deleted (restore "
                "them from the deleted records to bring them back)",
                n,
            )
            match = _("row {row}: matches deleted record {id}")
            merged = {i for _r, i, _k in self.merged_rows}
            texts = [match.format(row=r, id=i) for r, i in self.deleted_rows if i not in merged]
            return ["  " + said.format(n=n), *_listed(texts)]
        said = ngettext(
            "{n} row was a deleted record and was not re-imported (restore it from the "
            "deleted records to bring it back)",
            "{n} rows were deleted records and were not re-imported (restore them from the "
            "deleted records to bring them back)",
            n,
        )
        return ["  " + said.format(n=n)]

    def rejected_csv(self) -> bytes:
        """The rejected rows as the template reads them: a column 'problem' (row, field
        and reason; no reader takes it) and the template fields their cells were read
        into. Imported again with no options, the file reads as it did, even when a
        format, a column map or a value for every row was chosen."""
        fields = self.fields or sorted({k for r in self.rejected for k in r.fields})
        problem = _("row {row} of {file}: {reasons}")
        rows = (
            [
                problem.format(row=r.row, file=self.file, reasons=r.reason_text()),
                *(r.fields.get(f) for f in fields),
            ]
            for r in self.rejected
        )
        return _csv([PROBLEM_COLUMN, *fields], rows)

    def warnings_csv(self) -> bytes:
        """One line per warning: file, row, the record's id, field and what was done."""
        rows = ([self.file, w.row, w.id, w.field, w.message] for w in self.warnings)
        return _csv(["file", "row", "id", "field", "warning"], rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "updated": self.updated,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "warned": self.warned,
            "rejected": len(self.rejected),
            "review": len(self.review),
            "default_country_rows": self.defaulted,
            "like_existing": self.like_existing,
        }


def _listed(texts: Sequence[str]) -> list[str]:
    out = [f"  {t}" for t in texts[:SHOWN_ROWS]]
    if len(texts) > SHOWN_ROWS:
        more = len(texts) - SHOWN_ROWS
        out.append("  " + ngettext("... and {n} more", "... and {n} more", more).format(n=more))
    return out


def _csv(header: list[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a mark (Excel), every cell through the formula guard."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(_text(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _text(value: Any) -> Any:
    """A workbook's date or whole float as the template reads it back."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
