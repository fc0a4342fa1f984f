"""The account an import gives of every row: imported, updated, unchanged or rejected
and why, and which kept rows had a value dropped or fixed (warned)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from incidents.spreadsheet_safety import safe_cell

PROBLEM_COLUMN = "problem"  # the rejected rows' file: why; no reader takes this column
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SHOWN_ROWS = 50
CHANGE_COUNTRY_CLI = "use --country to change"
DUPLICATES_CLI = "on the Duplicates page or with `python -m incidents duplicates`"


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported, with its cells so it can be fixed: its original
    cells, and the template fields they were read into (what the rejected rows' file
    holds, so that it imports again with no options, whatever options read it)."""

    row: int
    cells: dict[str, Any]
    reasons: tuple[tuple[str, str], ...]  # (field, plain-language reason)
    fields: dict[str, Any] = field(default_factory=dict)

    def reason_text(self) -> str:
        return "; ".join(f"{f}: {m}" for f, m in self.reasons)


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
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[WarnedRow] = field(default_factory=list)
    review: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, note
    unused_columns: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    encoding: str = ""
    format_label: str = ""
    delimiter: str = ""  # CSV only
    layout: str = ""  # which of its format's layouts the file is in (formats.layout_of)
    default_country: str = ""  # the project's default country (ISO code)
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
        parts = [self.format_label or self.format]
        if self.layout:
            parts.append(f"layout: {self.layout}")
        if self.encoding and self.encoding not in ("xlsx", "gpkg"):
            parts.append(f"encoding {self.encoding}")
        if self.delimiter:
            parts.append(f"delimiter {DELIMITER_NAMES.get(self.delimiter, self.delimiter)}")
        return ", ".join(parts)

    def counts(self) -> list[tuple[str, int]]:
        """The outcome counts, as the command line and the import page name them."""
        rest = [("warned", self.warned), ("rejected", len(self.rejected))]
        if self.dry_run:  # a check does not compare the stored records with the rows
            dead = [("deleted records", self.deleted)] if self.deleted else []
            return [("new", self.imported), ("already stored", self.updated), *dead, *rest]
        stored = [("updated", self.changed), ("unchanged", self.unchanged)]
        return [("imported", self.imported), *stored, *rest]

    def default_country_note(self, how_to_change: str = CHANGE_COUNTRY_CLI) -> str:
        """The sentence saying that, and for how many rows, the project's default country
        was used: never a silent default ('' when no row took it)."""
        if not self.defaulted:
            return ""
        from incidents.country_names import country_label

        rows = "1 row" if self.defaulted == 1 else f"{self.defaulted} rows"
        verb = "names" if self.defaulted == 1 else "named"
        code = self.default_country
        return (
            f"{rows} {verb} no country and had no point: placed using the project's default "
            f"country, {country_label(code)} ({code}); {how_to_change}"
        )

    def lines(self, how_to_change: str = CHANGE_COUNTRY_CLI) -> list[str]:
        """The report as sentences, for the command line and the import page (which
        says its own way to change the default country)."""
        label = (self.format_label or self.format).split(" (")[0]
        out = [f"{self.file}: {self.rows_read} rows read as {label}"]
        out.append(f"  read as: {self.how_read()}")
        out += [f"  note: {note}" for note in self.notes]
        if self.defaulted:
            out.append(f"  country: {self.default_country_note(how_to_change)}")
        if self.dry_run:
            out.append("  check only: nothing was written")
        out += [f"  {name}: {count}" for name, count in self.counts()]
        if self.deleted:
            out += self._deleted_lines()
        out += _listed([f"row {r.row}: {r.reason_text()}" for r in self.rejected], "rejected")
        if self.warnings:
            out.append(f"  warnings: {len(self.warnings)} (rows kept, one value dropped or fixed)")
            texts = [f"row {w.row}, {w.field}: {w.message}" for w in self.warnings]
            out += _listed(texts, "warnings")
        if self.review:
            out.append(f"  places to review: {len(self.review)}")
            out += [f"  row {row} ({rid}): {note}" for row, rid, note in self.review[:20]]
        out += self.like_existing_lines()
        if self.unused_columns:
            out.append("  columns not used: " + ", ".join(self.unused_columns))
        return out

    def like_existing_lines(self, where: str = DUPLICATES_CLI) -> list[str]:
        """How many rows look like incidents already stored, and where to review them
        (the page says its own way): a duplicate is never merged silently."""
        if self.like_existing_note:
            return [f"  duplicates: {self.like_existing_note}"]
        if not self.like_existing:
            return []
        one = self.like_existing == 1
        rows = (
            "1 row looks like an incident"
            if one
            else f"{self.like_existing} rows look like incidents"
        )
        return [f"  {rows} already stored: review {'it' if one else 'them'} {where}"]

    def _deleted_lines(self) -> list[str]:
        """Rows of records deleted in the app: the import leaves them deleted; a check
        says so before anything is written, row by row."""
        one = self.deleted == 1
        if self.dry_run:
            rows = "1 row matches" if one else f"{self.deleted} rows match"
            said = (
                f"  {rows} {'a deleted record' if one else 'deleted records'}: the import "
                f"will leave {'it' if one else 'them'} deleted (restore "
                f"{'it' if one else 'them'} from the deleted records to bring "
                f"{'it' if one else 'them'} back)"
            )
            texts = [f"row {row}: matches deleted record {rid}" for row, rid in self.deleted_rows]
            return [said, *_listed(texts, "rows of deleted records")]
        rows = "1 row was a deleted record" if one else f"{self.deleted} rows were deleted records"
        return [
            f"  {rows} and {'was' if one else 'were'} not re-imported "
            "(restore them from the deleted records to bring them back)"
        ]

    def rejected_csv(self) -> bytes:
        """The rejected rows as the template reads them: a column 'problem' (row, field
        and reason; no reader takes it) and the template fields their cells were read
        into. Imported again with no options, the file reads as it did, even when a
        format, a column map or a value for every row was chosen."""
        fields = self.fields or sorted({k for r in self.rejected for k in r.fields})
        rows = (
            [f"row {r.row} of {self.file}: {r.reason_text()}", *(r.fields.get(f) for f in fields)]
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


def _listed(texts: Sequence[str], what: str) -> list[str]:
    out = [f"  {t}" for t in texts[:SHOWN_ROWS]]
    if len(texts) > SHOWN_ROWS:
        out.append(f"  ... and {len(texts) - SHOWN_ROWS} more {what}")
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
