"""Read CSV and XLSX files into header + rows, safely and whatever their encoding.

The encoding is decided once per file (incidents.io.encoding); XLSX workbooks are
read by incidents.io.workbook. Memory follows what the file really holds: at most
MAX_COLUMNS columns, a line of text with more than MAX_LINE_CELLS delimiters is
refused before the csv module builds it, and a workbook whose rows are mostly
padding (one value far to the right of empty cells) is refused before it fills
memory. A cell longer than MAX_CELL_CHARS rejects its row (named, with the column)
instead of stopping the whole file as Python's csv module would.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incidents.translation import _
from incidents.translation import number as _number

MAX_ROWS = 1_000_000
MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 200  # columns of a sheet, properties of a GeoJSON file, fields of a layer
MAX_CELL_CHARS = 4 * 2**20  # 4 Mi characters: a long testimony fits, a runaway cell does not
MAX_LINE_CELLS = 100_000  # delimiters in one line of text (the csv module parses it whole)
LONG_LINE = 1_000_000  # characters: a line this long is looked at before it is parsed
# Workbook cells stored (blank ones included) may exceed 20 per filled cell only up to this many.
PADDING_ALLOWANCE = 5_000_000
DELIMITERS = (",", ";", "\t", "|")  # in order of preference when the counts tie
HEAD_RECORDS = 30  # records looked at to tell the delimiter
# The csv module's own limit (128 KB) would end the whole read on one long cell:
# a cell may be as long as the file, and MAX_CELL_CHARS rejects just its row.
csv.field_size_limit(MAX_FILE_BYTES + 1)


class FileUnusable(Exception):
    """The whole file cannot be read; the message says why in plain words.

    wrong_kind: the bytes are not a file of a kind the tool reads at all (not text, not
    a workbook, not JSON, not an SQLite file), so the import page adds which kinds it
    reads. A refusal of what a readable file holds (an unclosed quote, a property given
    twice, too many rows) does not: the list would only lead away from the fix."""

    def __init__(self, message: str, *, wrong_kind: bool = False) -> None:
        super().__init__(message)
        self.wrong_kind = wrong_kind


@dataclass
class Table:
    """A sheet as read: its header, and its rows with their spreadsheet row numbers."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str = ""
    # Rows the reader could not read right: row number -> [(column, plain reason)].
    problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # What the reader did that the user should know (e.g. title rows above the header skipped).
    notes: list[str] = field(default_factory=list)
    header_row: int = 0  # the spreadsheet number of the header row (0: not from a sheet)
    # How the file is laid out, as its reader found it ('properties nested one level
    # down' ...); a format's own layout (ACLED's editions ...) comes from formats.layout_of.
    layout: str = ""
    # Whether a cell may start with "'" (the formula guard's mark: import_read.read_rows
    # takes it off); a CSV file with no apostrophe where a cell can start says False.
    apostrophe_cells: bool = True
    _by_number: dict[int, list[Any]] | None = field(default=None, repr=False, compare=False)

    def row_cells(self, number: int) -> list[Any]:
        """The cells of the row with this spreadsheet number (empty when there is none)."""
        if self._by_number is None or len(self._by_number) != len(self.rows):
            self._by_number = dict(self.rows)
        return self._by_number.get(number, [])

    def has_columns(self, names: Iterable[str]) -> bool:
        """Whether the header holds all these columns, in any letter case."""
        return set(names) <= {h.strip().casefold() for h in self.header}

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row as {column: value}, numbered as the spreadsheet shows it."""
        for number, cells in self.rows:
            yield number, dict(zip(self.header, cells, strict=False))


def file_bytes(path: Path, data: bytes | None, name: str) -> bytes:
    """The file's bytes (uploaded, or read from disk), refusing what is missing or too big."""
    too_big = _("{file}: the file is larger than {mb} MB").format(
        file=name, mb=_number(MAX_FILE_BYTES // 2**20)
    )
    if data is None:
        if not path.exists():
            raise FileUnusable(_("{file}: the file does not exist").format(file=name))
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
        raise FileUnusable(_("{file}: the file is empty").format(file=name))
    if data[:4] == b"PK\x03\x04":
        from incidents.io.workbook import read_xlsx

        return read_xlsx(data, name)
    return _read_csv(data, name)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the codec it was read with (see incidents.io.encoding)."""
    from incidents.io.encoding import EncodingProblem
    from incidents.io.encoding import decode as decode_text

    try:
        return decode_text(data, name)
    except EncodingProblem as problem:
        raise FileUnusable(str(problem), wrong_kind=True) from None


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding = decode(data, name)
    delimiter = detect_delimiter(text)
    long_lines = _long_lines(text)
    _refuse_endless_lines(text, long_lines, delimiter, name)
    # RFC 4180 as Python's csv module reads it: '"' quotes, '""' inside quotes is one '"'.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = table_from_rows(name, enumerate(reader, start=1), encoding, 0)
    except csv.Error as error:  # e.g. a NUL byte in the middle of the text
        said = _("{file}: the file could not be read as CSV ({error})")
        raise FileUnusable(said.format(file=name, error=error), wrong_kind=True) from None
    _refuse_unclosed_quote(text, delimiter, table)
    table.apostrophe_cells = _apostrophe_cells(text, delimiter)
    # A cell over MAX_CELL_CHARS lies on a long line or spans several: only then are
    # the rows' cells measured (an ordinary 100,000-row file does not pay for it).
    if len(text) > MAX_CELL_CHARS and (long_lines or reader.line_num > len(table.rows) + 4):
        guard = _RowGuard(table, len(text))
        for number, cells in table.rows:
            guard.check(number, cells)
    return table


def _refuse_unclosed_quote(text: str, delimiter: str, table: Table) -> None:
    """Refuse a file whose last record opens a quote it never closes. Python's csv
    reads on to the end of the file as one cell: tried as a red team would, the rows
    after it were swallowed and the record was refused for an empty date, a reason
    that pointed nowhere near the quote. Only a last record holding a line break is
    looked at again (its own text, read strictly)."""
    if not table.rows or not any("\n" in str(c) for c in table.rows[-1][1] if c):
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    before = consumed = 0
    for _record in reader:
        before, consumed = consumed, reader.line_num
    tail = "".join(io.StringIO(text, newline="").readlines()[before:])
    try:
        for _record in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" not in str(error):
            return
        said = _(
            "{file}: a quote opened in row {row} is never closed, so the rest of the file "
            "was read as one cell; close the quote (or remove it) and import again"
        )
        raise FileUnusable(said.format(file=table.name, row=table.rows[-1][0])) from None


def _apostrophe_cells(text: str, delimiter: str) -> bool:
    """Whether an apostrophe starts the text or follows a delimiter, a line break, a quote,
    a space or a tab (readers that strip cells, as HXL's and ACLED's do, unguard ", '=").
    Each apostrophe's neighbour is read: a file with none takes 3 ms at 100k rows, where
    six substring searches took 0.2 s. A file of very many: those searches."""
    leads, at = {delimiter, "\n", "\r", '"', " ", "\t"}, text.find("'")
    for _seen in range(10_000):
        if at <= 0 or text[at - 1] in leads:
            return at != -1
        at = text.find("'", at + 1)
    return any(f"{lead}'" in text for lead in leads)


def detect_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon, tab or pipe) that splits the first records into
    the same number of cells (more than one) most consistently: most records with the
    usual number, fewest with another, counted as the csv module reads them (outside
    quotes). Only the delimiter is guessed: csv.Sniffer also guesses the quoting, and a
    wrong guess (doubled quotes not seen in its sample) silently shifts cells in later
    rows. A file with a single column reads as comma-separated."""
    sample = text[:65536]
    best, best_key = ",", (0, 0, 0)
    for rank, delimiter in enumerate(DELIMITERS):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            records = list(itertools.islice(reader, HEAD_RECORDS + 1))
        except csv.Error:
            continue
        if len(records) <= HEAD_RECORDS and len(sample) < len(text) and len(records) > 1:
            records.pop()  # the sample may end in the middle of this record
        filled = [r for r in records[:HEAD_RECORDS] if any(c.strip() for c in r)]
        widths = Counter(len(r) for r in filled if len(r) > 1)
        if not widths:
            continue
        agree = widths.most_common(1)[0][1]  # records split into the usual number of cells
        # A split that gives every record the same width beats one that does not, then
        # most records of the usual width minus those split otherwise, then the order.
        key = (int(agree == len(filled)), 2 * agree - len(filled), -rank)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _long_lines(text: str) -> list[int]:
    """Where lines of at least LONG_LINE characters are (found without copying text:
    every window of LONG_LINE // 2 characters is searched for a line break)."""
    found: list[int] = []
    step = LONG_LINE // 2
    for start in range(0, len(text) - step + 1, step // 2):
        if text.find("\n", start, start + step) == -1:
            begins = text.rfind("\n", 0, start) + 1
            if not found or found[-1] != begins:
                found.append(begins)
    return found


def _refuse_endless_lines(text: str, long_lines: list[int], delimiter: str, name: str) -> None:
    """The csv module builds a whole row before anyone can look at it: a line of a
    hundred million commas would be a list of a hundred million cells."""
    for begins in long_lines:
        ends = text.find("\n", begins)
        if text.count(delimiter, begins, ends if ends >= 0 else len(text)) > MAX_LINE_CELLS:
            number = text.count("\n", 0, begins) + 1
            said = _(
                "{file}: line {line} holds more than {cells} cells; the tool reads at most "
                "{columns} columns"
            )
            raise FileUnusable(said.format(file=name, line=number, cells=_number(MAX_LINE_CELLS),
                                           columns=MAX_COLUMNS))  # fmt: skip


def table_from_rows(
    name: str, rows: Iterable[tuple[int, list[Any]]], encoding: str, size: int
) -> Table:
    """A Table from numbered rows, blank rows left out; size (characters or bytes of
    content) tells whether any cell can be over MAX_CELL_CHARS at all. The header is
    found among the first non-blank rows (incidents.io.header_row): title rows above
    it are left out and said so in the table's notes."""
    table = Table(name, [], encoding=encoding)
    guard = _RowGuard(table, size)
    numbered = iter(rows)
    head = _head_rows(name, numbered)
    if not head:
        raise FileUnusable(_("{file}: the file has no header row").format(file=name))
    _set_header(table, head)
    for number, read in itertools.chain(head, numbered):
        cells = _within_columns(name, number, read) if len(read) > MAX_COLUMNS else read
        if number <= table.header_row:
            continue
        first = cells[0] if cells else None
        # Most rows start with a cell that is not blank: no need to look at the others.
        plainly_filled = type(first) is str and first[:1].strip()
        if not plainly_filled and not any(str(c if c is not None else "").strip() for c in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            said = _("{file}: more than {n} rows; split the file")
            raise FileUnusable(said.format(file=name, n=_number(MAX_ROWS)))
        guard.check(number, cells)
        table.rows.append((number, list(cells)))
    return table


def _head_rows(name: str, rows: Iterator[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The first HEAD_ROWS non-blank rows (blank ones before them are dropped)."""
    from incidents.io.header_row import HEAD_ROWS

    head: list[tuple[int, list[Any]]] = []
    for number, read in rows:
        cells = _within_columns(name, number, read) if len(read) > MAX_COLUMNS else read
        if any(str(c if c is not None else "").strip() for c in cells):
            head.append((number, list(cells)))
            if len(head) >= HEAD_ROWS:
                break
    return head


def _set_header(table: Table, head: list[tuple[int, list[Any]]]) -> None:
    from incidents.io.header_row import header_index, skipped_note

    index = header_index([cells for _, cells in head])
    number, cells = head[index]
    table.header = [str(c if c is not None else "").strip() for c in cells]
    table.header_row = number
    if index:
        above = head[:index]
        table.notes.append(
            skipped_note(table.name, [n for n, _ in above], [c for _, c in above], number)
        )


class _RowGuard:
    """The per-row checks of table_from_rows, at C speed on ordinary rows (a 100,000-row
    import pays for them). Padding is counted in workbooks only, where an empty cell
    costs nothing in the file (in a CSV file each costs a byte, so memory follows the
    file's size), and only past PADDING_ALLOWANCE cells; a row's cells are looked at one
    by one only when together they could be too long."""

    def __init__(self, table: Table, size: int) -> None:
        self.table = table
        self.long_possible = size > MAX_CELL_CHARS
        self.padding_possible = table.encoding == "xlsx"
        self.slots = self.filled = self.counted = 0

    def check(self, number: int, cells: list[Any]) -> None:
        self.slots += len(cells)
        if self.padding_possible and self.slots > PADDING_ALLOWANCE:
            for _row, done in self.table.rows[self.counted :]:
                self.filled += len(done) - done.count(None) - done.count("")
            self.counted = len(self.table.rows)
            here = len(cells) - cells.count(None) - cells.count("")
            if self.slots > 20 * (self.filled + here) + PADDING_ALLOWANCE:
                said = _(
                    "{file}: the rows up to row {row} are mostly empty cells before a value "
                    "far to the right; delete the empty columns and import again"
                )
                raise FileUnusable(said.format(file=self.table.name, row=number))
        if self.long_possible and _characters(cells) > MAX_CELL_CHARS:
            flag_long_cells(self.table, number, cells)


def _characters(cells: list[Any]) -> int:
    try:
        return sum(map(len, cells))  # CSV: every cell is text
    except TypeError:  # XLSX: numbers and dates too
        return sum(len(c) for c in cells if isinstance(c, str))


def _within_columns(name: str, number: int, cells: list[Any]) -> list[Any]:
    """The row without its trailing blank cells, refused if it still has too many."""
    end = len(cells)
    while end and (cells[end - 1] is None or str(cells[end - 1]).strip() == ""):
        end -= 1
    if end > MAX_COLUMNS:
        said = _(
            "{file}: row {row} has a value in column {letters} (column {column}); the tool "
            "reads at most {columns} columns: delete the extra columns"
        )
        raise FileUnusable(said.format(file=name, row=number, letters=column_name(end),
                                       column=end, columns=MAX_COLUMNS))  # fmt: skip
    return list(cells[:end])


def column_name(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD: as a spreadsheet names its columns."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def flag_long_cells(table: Table, number: int, cells: list[Any]) -> None:
    """Note, as the row's problems, each cell longer than MAX_CELL_CHARS (its row is
    rejected with the column named; the others are imported)."""
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            header = table.header
            named = index < len(header) and header[index]
            column = header[index] if named else column_name(index + 1)
            reason = _(
                "the cell is {length} characters long; at most {most} are read (put long "
                "documents in a source, not a cell)"
            ).format(length=_number(len(cell)), most=_number(MAX_CELL_CHARS))
            table.problems.setdefault(number, []).append((column, reason))
