"""Uploaded XLSX workbooks read safely: first sheet, cells that exist, nothing expanded.

An XLSX file is a zip of XML. Before anything is unpacked, the members' sizes and
compression ratio are checked (a zip bomb is refused), and openpyxl parses the XML
through defusedxml (an entity bomb is refused). A sheet's declared dimension is not
trusted: a workbook that claims (or has) a cell at column XFD in every row would make
openpyxl pad each row to 16,384 cells, gigabytes for a file of a few hundred
kilobytes. The dimension is dropped, so each row is as wide as its own last cell, and
a value beyond MAX_COLUMNS refuses the file with the cell named.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from incidents.io import tabular
from incidents.io.tabular import FileUnusable, Table
from incidents.translation import _, ngettext
from incidents.translation import number as _number

HEAD_ROWS = 10  # rows of a sheet looked at to tell a table from a page of text
MAX_MEMBERS = 10_000
MAX_MEMBER_RATIO = 500  # a sheet of XML packs about 10 to 100 times; zeros about 1,000 times


def read_xlsx(data: bytes, name: str) -> Table:
    """The first sheet of a workbook (given as bytes) that holds a table: HDX's downloads
    put their terms of use, one column of text, in the first sheet."""
    unpacked = check_archive(data, name)
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # defusedxml missing, or OPENPYXL_DEFUSEDXML=False
        said = _(
            "{file}: this server cannot read workbooks safely (defusedxml is not in use); "
            "save the sheet as CSV, or ask the administrator to install requirements.txt"
        )
        raise FileUnusable(said.format(file=name))

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(name, error) from None
    try:
        if not book.worksheets:
            raise FileUnusable(_("{file}: the workbook has no sheet").format(file=name))
        at = _first_table(book.worksheets)
        sheet = book.worksheets[at]
        sheet.reset_dimensions()  # rows as wide as their own cells, not the claimed size
        table = tabular.table_from_rows(name, _rows(sheet, name), "xlsx", unpacked)
        table.layout = _sheet_layout(book.worksheets, at)
        table.notes += _uncomputed(data, at, table)
        return table
    except FileUnusable:
        raise
    except Exception as error:  # a damaged sheet fails while its rows are read
        raise _unreadable(name, error) from None
    finally:
        book.close()


def _uncomputed(data: bytes, at: int, table: Table) -> list[str]:
    """A note naming the cells that hold a formula but no saved value, read as empty.
    A workbook written by a program that does not compute formulas (a script, some
    exports) keeps only the formula: the cell's text was lost without a word. The
    sheet is read a second time, for its formulas, only when its XML holds one."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        if not any(b"<f" in archive.read(n) for n in sheets):
            return []
    shown = dict(table.rows)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        book.worksheets[at].reset_dimensions()
        found = [
            (number, column)
            for number, row in enumerate(book.worksheets[at].iter_rows(values_only=True), 1)
            for column, value in enumerate(row[: tabular.MAX_COLUMNS])
            if isinstance(value, str) and value.startswith("=") and number in shown
            and (shown[number][column:column + 1] or [None])[0] in (None, "")
        ]  # fmt: skip
    finally:
        book.close()
    if not found:
        return []
    rows = list(dict.fromkeys(n for n, _c in found))
    listed = ", ".join(map(str, rows[:5])) + (", …" if len(rows) > 5 else "")
    header = table.header
    named = dict.fromkeys(f"'{header[c]}'" for _n, c in found if c < len(header))
    said = ngettext(
        "{n} cell holds a formula the workbook saved no value for ({where}; {columns}): "
        "read as empty. Open the workbook in a spreadsheet program, save it, and import "
        "it again.",
        "{n} cells hold a formula the workbook saved no value for ({where}; {columns}): "
        "read as empty. Open the workbook in a spreadsheet program, save it, and import "
        "it again.",
        len(found),
    )
    where = ngettext("row {rows}", "rows {rows}", len(rows)).format(rows=listed)
    columns = ngettext("column {names}", "columns {names}", len(named))
    return [
        said.format(n=_number(len(found)), where=where,
                    columns=columns.format(names=", ".join(named)))
    ]  # fmt: skip


def _unreadable(name: str, error: Exception) -> FileUnusable:
    """The sentence for a workbook openpyxl could not open or read: XML bombs named."""
    if _is_xml_bomb(error):
        said = _("{file}: the workbook declares XML entities (an 'XML bomb'); refused as unsafe")
        return FileUnusable(said.format(file=name))
    said = _("{file}: the workbook could not be read ({error})")
    return FileUnusable(said.format(file=name, error=error))


def check_archive(data: bytes, name: str) -> int:
    """The unpacked size of the workbook's members, refusing a zip bomb before unpacking."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        said = _("{file}: the file is not a valid XLSX workbook").format(file=name)
        raise FileUnusable(said, wrong_kind=True) from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        said = _(
            "{file}: the workbook holds {n} parts (a real one has a few dozen); refused as unsafe"
        )
        raise FileUnusable(said.format(file=name, n=_number(len(members))))
    for member in members:  # one member packed far tighter than any sheet: a bomb inside
        if member.file_size > 2**20 and member.file_size > MAX_MEMBER_RATIO * max(
            member.compress_size, 1
        ):
            said = _(
                "{file}: the part {part} unpacks to {mb} MB from {bytes} bytes; refused as "
                "unsafe (a 'zip bomb')"
            )
            raise FileUnusable(said.format(file=name, part=member.filename[:80],
                                           mb=_number(member.file_size // 2**20),
                                           bytes=_number(member.compress_size)))  # fmt: skip
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > tabular.MAX_XLSX_UNPACKED or unpacked / packed > tabular.MAX_XLSX_RATIO:
        said = _(
            "{file}: the workbook unpacks to {mb} MB ({ratio}x its size); refused as unsafe "
            "(a 'zip bomb')"
        )
        raise FileUnusable(said.format(file=name, mb=_number(unpacked // 2**20),
                                       ratio=unpacked // packed))  # fmt: skip
    return unpacked


def _first_table(sheets: list[Any]) -> int:
    """The first sheet with a row of at least two cells among its first rows (a table),
    else the first sheet (its rows then say what is wrong)."""
    for index, sheet in enumerate(sheets):
        for row in sheet.iter_rows(values_only=True, max_row=HEAD_ROWS):
            if sum(c is not None and str(c).strip() != "" for c in row[:50]) >= 2:
                return index
    return 0


def _sheet_layout(sheets: list[Any], at: int) -> str:
    """'workbook sheet 'Non_HRP' (the second of 4; 'TOU' holds no table)'."""
    shown = _("workbook sheet '{sheet}'").format(sheet=sheets[at].title)
    if len(sheets) == 1:
        return shown
    skipped = ", ".join(f"'{s.title}'" for s in sheets[:at])
    if at == 0:
        said = _("{shown} (the first of {n}; only one sheet is read)")
    else:  # chosen past the sheets before it, which hold no table
        said = _("{shown} (sheet {at} of {n}; only one sheet is read; {skipped} held no table)")
    return said.format(shown=shown, at=at + 1, n=len(sheets), skipped=skipped)


def _rows(sheet: Any, name: str) -> Iterator[tuple[int, list[Any]]]:
    """Each row with its spreadsheet number, trailing empty cells left out."""
    limit = tabular.MAX_COLUMNS
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        # Only empty cells past the limit (counted at C speed): cut them off at once.
        empty_beyond = len(row) > limit and row[limit:].count(None) == len(row) - limit
        cells = list(row[:limit] if empty_beyond else row)
        while cells and cells[-1] is None:
            cells.pop()
        yield number, cells


def _is_xml_bomb(error: BaseException) -> bool:
    """Whether defusedxml refused the workbook (openpyxl may wrap its exception)."""
    from defusedxml import DefusedXmlException

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DefusedXmlException) or "amplification" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False
