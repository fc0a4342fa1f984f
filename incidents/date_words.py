"""Month names, weekday names and digits as dates are written in English and Arabic.

ACLED writes "09 May 2020" and, in older files, "01-January-2015"; Excel turns them into
"9-May-20"; an Arabic report writes "٩ أيار ٢٠٢٠" in the Levant and Iraq, "9 مايو 2020"
in Egypt, "9 ماي 2020" in Morocco and "9 جوان 2020" in Tunisia and Algeria. This module
only knows the words: incidents.dates decides what a cell means. The English names are
fixed here rather than taken from the `calendar` module, whose names follow the
machine's locale (a server set to French would stop reading "May").
"""

from __future__ import annotations

import re

ENGLISH_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
# Each month's Arabic names: Levantine/Iraqi (Syriac), Egyptian and Gulf (from the Latin
# names), Moroccan (from French and Spanish), Tunisian and Algerian (from French).
ARABIC_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("كانون الثاني", "يناير", "جانفي"),
    2: ("شباط", "فبراير", "فيفري"),
    3: ("آذار", "مارس"),
    4: ("نيسان", "أبريل", "ابريل", "إبريل", "أفريل"),
    5: ("أيار", "مايو", "ماي"),
    6: ("حزيران", "يونيو", "يونيه", "جوان"),
    7: ("تموز", "يوليو", "يوليه", "يوليوز", "جويلية"),
    8: ("آب", "أغسطس", "اغسطس", "غشت", "أوت"),
    9: ("أيلول", "سبتمبر", "شتنبر"),
    10: ("تشرين الأول", "أكتوبر", "اكتوبر"),
    11: ("تشرين الثاني", "نوفمبر", "نونبر"),
    12: ("كانون الأول", "ديسمبر", "دجنبر"),
}
_WEEKDAYS = (
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
    *("الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
)
# Arabic-Indic (U+0660) and Eastern Arabic-Indic (Persian, U+06F0) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Harakat, tatweel, and the direction marks Excel and word processors leave in Arabic.
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "،": ","})
# "2020م" (ميلادي, Gregorian) is a common suffix to the year; "هـ" marks a Hijri date.
_GREGORIAN = re.compile(r"(?<=\d)\s*(?:م|ميلادي|ميلاديه)(?=\s|$)")
_HIJRI = re.compile(r"(?<=\d)\s*(?:ه|هجري|هجريه)(?=\s|$)")


def fold(text: str) -> str:
    """ASCII digits, no Arabic marks or alef variants, lower case, single spaces."""
    text = _MARKS.sub("", text.translate(_DIGITS)).translate(_LETTERS).casefold()
    return " ".join(_GREGORIAN.sub("", text).split())


def is_hijri(folded: str) -> bool:
    """'15 رمضان 1441 هـ': a Hijri date, which must not be read as a Gregorian one."""
    return bool(_HIJRI.search(folded))


def _month_names() -> dict[str, int]:
    names = {name: n for n, name in enumerate(ENGLISH_MONTHS, start=1)}
    names.update({name[:3]: n for name, n in list(names.items())})
    names["sept"] = 9
    for number, arabic in ARABIC_MONTHS.items():
        names.update({fold(name): number for name in arabic})
    return names


MONTHS = _month_names()
WEEKDAYS = frozenset(fold(day) for day in _WEEKDAYS)
# Longest first, so "كانون الاول" is found before any shorter name inside it.
MONTH_WORD = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
    + r")\.?(?!\w)"
)
