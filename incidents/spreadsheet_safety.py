"""Keep spreadsheet programs from running exported text as formulas.

A cell that starts with = + - @, a tab or a carriage return is taken as a formula by
Excel, LibreOffice and Google Sheets; prefixing an apostrophe shows it as text.
Numbers stay numbers: -3.5 is a value, not a formula.
"""

from __future__ import annotations

from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, or its text with a leading apostrophe when it would run as a formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text
