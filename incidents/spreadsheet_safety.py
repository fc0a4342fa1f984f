"""Keep spreadsheet programs from running exported text as formulas.

A cell that starts with = + - @, a tab or a carriage return is taken as a formula by
Excel, LibreOffice and Google Sheets (leading spaces are often trimmed first, and
some programs read full-width signs such as "＝" as "="); prefixing an apostrophe
shows it as text. The guard is applied to every cell and every header of a CSV or
XLSX the tool writes.

Only numbers written the way a spreadsheet writes them are let through unguarded:
ASCII digits, at most one leading minus, a decimal point, an exponent ("-3.5",
"-1e-3"). Anything else that Python would read as a number is guarded: "-inf",
"-nan", "-1_000", "+1e5", "-١٢" (Arabic-Indic digits), and so is the float -inf.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SPREADSHEET_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """The value, or its text with a leading apostrophe when it could run as a formula."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):  # NaN stays a missing value (pandas writes it empty)
        return "'" + str(value) if value == -math.inf else value
    text = str(value)
    if could_run(text) and not is_plain_number(text):
        return "'" + text
    return text


def could_run(text: str) -> bool:
    """True when a spreadsheet program might read text as a formula."""
    if text.startswith(_TRIGGERS):
        return True
    shown = unicodedata.normalize("NFKC", text).lstrip()
    return shown.startswith(_TRIGGERS)


def is_plain_number(text: str) -> bool:
    """A finite number written as spreadsheets write one (no spaces, no '+', no '_')."""
    if not _SPREADSHEET_NUMBER.fullmatch(text):
        return False
    return math.isfinite(float(text))


def unguarded(values: list[Any]) -> list[Any]:
    """A column read for import with the apostrophe safe_cell put before a would-be
    formula taken off again: the rejected rows' file and the table export, imported
    again, kept "'=HYPERLINK(...)" as the text. Text that could not have come from
    safe_cell keeps its apostrophe. One pass in C finds most columns hold none (a
    CSV's cells are text or None; a sheet's numbers and dates take a slower pass)."""
    try:
        joined = "\x00".join(filter(None, values))
    except TypeError:
        joined = "\x00".join(v for v in values if type(v) is str)
    if not joined.startswith("'") and "\x00'" not in joined:
        return values
    return [v[1:] if type(v) is str and v[:1] == "'" and safe_cell(v[1:]) == v else v
            for v in values]  # fmt: skip
