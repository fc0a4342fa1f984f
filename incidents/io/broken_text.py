"""Text that is not Unicode text: the row is rejected, naming the field, and the cell
holds U+FFFD (the replacement character) where the broken part was.

A lone UTF-16 surrogate (a JSON escape such as "\\ud800" without its pair) or bytes
that are not UTF-8 in a GeoPackage's text can be neither stored, nor written to a
file, nor hashed for the audit log. Tried as a red team would, one such value
stopped the whole import with an unexpected error and the file's good rows were
lost. A reader now rejects that row alone; its cells carry "�" so the rejected rows'
file can be written, and whoever fixes the row sees where.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from incidents.io.tabular import Table
from incidents.translation import N_, _

REPLACEMENT = "\ufffd"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
LONE_SURROGATE = N_(
    "holds a character that is not text (a broken \\u escape in the file), shown here "
    "as '�'; correct it and import the row again"
)
NOT_UTF8 = N_(
    "holds bytes that are not UTF-8 text, shown here as '�'; correct it and import the row again"
)


def may_hold_surrogates(data: bytes) -> bool:
    """Whether JSON text may hold a lone surrogate: it escapes one (paired or not; a
    file without any is never checked value by value)."""
    return _SURROGATE_ESCAPE.search(data) is not None


def mend_table(table: Table) -> None:
    """Every lone surrogate in the table's header and cells replaced by REPLACEMENT;
    each row that held one in a cell rejected (table.problems), the field named."""
    table.header = [_LONE_SURROGATE.sub(REPLACEMENT, name) for name in table.header]
    for number, cells in table.rows:
        for at, cell in enumerate(cells):
            if isinstance(cell, str) and _LONE_SURROGATE.search(cell):
                cells[at] = _LONE_SURROGATE.sub(REPLACEMENT, cell)
                said = (table.header[at], _(LONE_SURROGATE))
                table.problems.setdefault(number, []).append(said)


def mended_layer(path: Path, layer: str, fid_column: str, copy: Path) -> dict[int, list[str]]:
    """Copy the GeoPackage at path to copy, with the layer's text that is not UTF-8
    decoded with REPLACEMENT; return the rows changed, by GDAL's feature id (the layer's
    fid_column, else its rowid), and their columns. The copy's triggers are removed
    first (they may call functions this program lacks, or bear names that are not text).
    sqlite3.Error or ValueError when the layer cannot be mended so (a view, a feature id
    that is not an integer): the caller refuses the file."""
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE type = 'trigger'")
        conn.commit()
    finally:
        conn.close()
    conn = sqlite3.connect(copy)
    conn.text_factory = bytes
    try:
        table = _quoted(layer)
        key = _quoted(fid_column) if fid_column else "rowid"
        broken: dict[int, list[str]] = {}
        for column in (_name(c[1]) for c in conn.execute(f"PRAGMA table_info({table})")):
            quoted = _quoted(column)
            rows = conn.execute(
                f"SELECT {key}, {quoted} FROM {table} WHERE typeof({quoted}) = 'text'"
            ).fetchall()
            for fid, raw in rows:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode("utf-8", errors="replace")
                    conn.execute(f"UPDATE {table} SET {quoted} = ? WHERE {key} = ?", (text, fid))
                    broken.setdefault(_feature_id(fid), []).append(column)
        conn.commit()
    finally:
        conn.close()
    return broken


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _feature_id(fid: object) -> int:
    if type(fid) is not int:
        raise ValueError("a feature id that is not an integer")
    return fid


def _name(raw: bytes | str) -> str:
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
