"""Read CSV and XLSX files into header + rows, safely and whatever their encoding.

Field offices send UTF-8 with or without a byte-order mark, and Arabic Excel on
Windows writes Windows-1256. Uploaded XLSX files are zip archives: their members'
sizes are checked before anything is unpacked, and openpyxl parses them through
defusedxml, so a zip or XML bomb is refused with a message instead of filling memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
MAX_XLSX_RATIO = 200
ENCODINGS = ("utf-8-sig", "cp1256")


class FileUnusable(Exception):
    """The whole file cannot be read; the message says why in plain words."""


@dataclass
class Table:
    """A sheet as read: its header, and its rows with their spreadsheet row numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str = ""
    _by_number: dict[int, list[Any]] | None = field(default=None, repr=False, compare=False)

    def row_cells(self, number: int) -> list[Any]:
        """The cells of the row with this spreadsheet number (empty when there is none)."""
        if self._by_number is None or len(self._by_number) != len(self.rows):
            self._by_number = dict(self.rows)
        return self._by_number.get(number, [])

    def has_columns(self, names: Iterable[str]) -> bool:
        """Whether the header holds all these columns, in any letter case."""
        return set(names) <= {h.strip().casefold() for h in self.header}

    def lowered_records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as {lower-case column: text}, so EVENT_DATE and event_date read alike."""
        keys = [h.strip().casefold() for h in self.header]
        for number, cells in self.rows:
            row: dict[str, str] = {}
            for key, value in zip(keys, cells, strict=False):
                if key and key not in row:
                    row[key] = "" if value is None else str(value).strip()
            yield number, row

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row as {column: value}, numbered as the spreadsheet shows it."""
        for number, cells in self.rows:
            yield number, dict(zip(self.header, cells, strict=False))


def file_bytes(path: Path, data: bytes | None, name: str) -> bytes:
    """The file's bytes (uploaded, or read from disk), refusing what is missing or too big."""
    too_big = f"{name}: the file is larger than {MAX_FILE_BYTES // 2**20} MB"
    if data is None:
        if not path.exists():
            raise FileUnusable(f"{name}: the file does not exist")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileUnusable(too_big)
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise FileUnusable(too_big)
    return data


def read_table(path: Path, data: bytes | None = None, name: str | None = None) -> Table:
    """Read a CSV or XLSX file (from disk, or from uploaded bytes) into a Table."""
    name = name or path.name
    data = file_bytes(path, data, name)
    if not data.strip():
        raise FileUnusable(f"{name}: the file is empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name)
    return _read_csv(data, name)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), else Windows-1256."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileUnusable(f"{name}: the text encoding is not UTF-8 or Windows-1256")


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding = decode(data, name)
    if "\x00" in text[:4096]:
        raise FileUnusable(f"{name}: this is not a text (CSV) file")
    sample = text[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return _table_from_rows(name, reader, encoding)


def _table_from_rows(name: str, rows: Iterator[list[Any]], encoding: str) -> Table:
    header: list[str] | None = None
    table = Table(name, [], encoding=encoding)
    for number, cells in enumerate(rows, start=1):
        if header is None:
            if not any(str(c or "").strip() for c in cells):
                continue
            header = [str(c or "").strip() for c in cells]
            table.header = header
            continue
        first = cells[0] if cells else None
        # Most rows start with a cell that is not blank: no need to look at the others.
        plainly_filled = type(first) is str and first[:1].strip()
        if not plainly_filled and not any(str(c if c is not None else "").strip() for c in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileUnusable(f"{name}: more than {MAX_ROWS:,} rows; split the file")
        table.rows.append((number, list(cells)))
    if header is None:
        raise FileUnusable(f"{name}: the file has no header row")
    return table


def _read_xlsx(data: bytes, name: str) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileUnusable(f"{name}: the file is not a valid XLSX workbook") from None
    unpacked = sum(m.file_size for m in archive.infolist())
    packed = max(sum(m.compress_size for m in archive.infolist()), 1)
    if unpacked > MAX_XLSX_UNPACKED or unpacked / packed > MAX_XLSX_RATIO:
        raise FileUnusable(
            f"{name}: the workbook unpacks to {unpacked // 2**20} MB "
            f"({unpacked // packed}x its size); refused as unsafe (a 'zip bomb')"
        )
    import defusedxml  # noqa: F401  (openpyxl parses through it when it is installed)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        if _is_xml_bomb(error):
            raise FileUnusable(
                f"{name}: the workbook declares XML entities (an 'XML bomb'); refused as unsafe"
            ) from None
        raise FileUnusable(f"{name}: the workbook could not be read ({error})") from None
    sheet = book.worksheets[0]
    rows = (list(r) for r in sheet.iter_rows(values_only=True))
    table = _table_from_rows(name, rows, "xlsx")
    book.close()
    return table


def _is_xml_bomb(error: BaseException) -> bool:
    """Whether defusedxml refused the workbook (openpyxl may wrap its exception)."""
    from defusedxml import DefusedXmlException

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DefusedXmlException) or "amplification" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False
