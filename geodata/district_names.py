"""One display name per district code, and every name a district is known by.

Sources and records spell a district many ways ("Al Marqab", "Al Murgub", "Murqub",
"شعبية المرقب"); a reader who sees one name in the filter, another in a tooltip and a
third in the detail panel cannot tell they are one district. Everything the app shows
names a district by its code's display name (Natural Earth's name_en: the field notes
explain why not its `name`), and a district filter matches every known name and the
code.
"""

from __future__ import annotations

from geodata._text import has_arabic
from geodata.districts import _admin1, district_by_code

_ARABIC_PREFIXES = ("شعبية ", "بلدية ")
# Arabic names that say what the display name says. Natural Earth files LY-TN's polygon
# under the former Tajura district's Arabic name, while its name_en, which every other
# view shows, is "Tripoli District" (geodata/data/README.md): an Arabic deck named the
# capital's district otherwise than the English one.
_ARABIC_NAMES = {"LY-TN": "شعبية طرابلس"}


def display_name(code: str, fallback: str = "") -> str:
    """The one name shown for a district code ('Murqub' for LY-MB); fallback (or the
    code) when the code is not a bundled district."""
    district = district_by_code(code) if code else None
    if district is None:
        return fallback or code
    return district.name_en or district.name_ar or district.code


def reader_name(code: str, language: str, fallback: str = "") -> str:
    """The one name a reader sees for a district code in every view of a record (table,
    detail panel, filter chip, map tooltip): its Arabic name on an Arabic page, else the
    display name; fallback (the record's own spelling) or the code when not bundled.
    Takes the language rather than reading it: geodata knows nothing of translation."""
    district = district_by_code(code) if code else None
    if district is not None and language == "ar":
        arabic = _ARABIC_NAMES.get(district.code, district.name_ar)
        if arabic:
            return arabic
    return display_name(code, fallback)


def reader_label(code: str, language: str, fallback: str = "") -> str:
    """reader_name with the code, as the detail panel names a district:
    'Murqub (LY-MB)', 'شعبية المرقب (LY-MB)'."""
    if not code:
        return fallback
    return f"{reader_name(code, language, fallback)} ({code.strip().upper()})"


def known_names(code: str) -> tuple[str, ...]:
    """Every name the bundled extract gives the district (display name first), the
    Arabic name with and without its "shabiyat" prefix, and the code; () when unknown."""
    district = district_by_code(code) if code else None
    table = _admin1(code.split("-", 1)[0].upper()) if district is not None else None
    if district is None or table is None:
        return ()
    props = next(p for p, d in zip(table.props, table.districts, strict=True) if d is district)
    names = [district.name_en, str(props.get("name_ne") or "")]
    names += str(props.get("name_alt") or "").replace(",", "|").split("|")
    for arabic in (_ARABIC_NAMES.get(district.code, ""), district.name_ar):
        names += [arabic, *(arabic[len(p) :] for p in _ARABIC_PREFIXES if arabic.startswith(p))]
    names.append(district.code)
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def search_label(code: str, language: str = "en") -> str:
    """A filter option's text: the district's name in the reader's language and its code
    first (what a chosen chip shows), then every other known name, so typing any of them
    finds the district:
    'Murqub (LY-MB) · Al Marqab, Al Murgub, Al Khums, Homs, Khoms · شعبية المرقب'."""
    names = known_names(code)
    if not names:
        return code
    shown = reader_name(code, language)
    latin = [n for n in names if n not in (shown, code.upper()) and not has_arabic(n)]
    arabic = [n for n in names if has_arabic(n) and n != shown]
    parts = [reader_label(code, language), ", ".join(latin), arabic[0] if arabic else ""]
    return " · ".join(p for p in parts if p)
