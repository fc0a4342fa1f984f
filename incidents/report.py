"""The account an import gives of every row: taken, updated, or rejected and why."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from incidents.spreadsheet_safety import safe_cell


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported, with its original cells so it can be fixed."""

    row: int
    cells: dict[str, Any]
    reasons: tuple[tuple[str, str], ...]  # (field, plain-language reason)

    def reason_text(self) -> str:
        return "; ".join(f"{f}: {m}" for f, m in self.reasons)


@dataclass
class ImportReport:
    """Counts and details of one import; imported + updated + rejected == rows_read."""

    file: str
    format: str
    rows_read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    review: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, note
    unused_columns: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    encoding: str = ""

    @property
    def accounted(self) -> bool:
        return self.imported + self.updated + len(self.rejected) == self.rows_read

    def lines(self) -> list[str]:
        """The report as sentences, for the command line and the import page."""
        out = [
            f"{self.file}: {self.rows_read} rows read as {self.format}",
            f"  imported: {self.imported}",
            f"  updated:  {self.updated} (of which unchanged: {self.unchanged})",
            f"  rejected: {len(self.rejected)}",
        ]
        out += [f"  row {r.row}: {r.reason_text()}" for r in self.rejected[:50]]
        if len(self.rejected) > 50:
            out.append(f"  ... and {len(self.rejected) - 50} more rejected rows")
        if self.review:
            out.append(f"  places to review: {len(self.review)}")
            out += [f"  row {row} ({rid}): {note}" for row, rid, note in self.review[:20]]
        if self.unused_columns:
            out.append("  columns not used: " + ", ".join(self.unused_columns))
        return out

    def rejected_csv(self) -> bytes:
        """Rejected rows with their original columns plus row and reason, ready to fix."""
        header = ["row", "problems", *self.header]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([safe_cell(h) for h in header])
        for r in self.rejected:
            cells = [r.cells.get(h, "") for h in self.header]
            writer.writerow([safe_cell(v) for v in (r.row, r.reason_text(), *cells)])
        return out.getvalue().encode("utf-8-sig")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "review": len(self.review),
        }
