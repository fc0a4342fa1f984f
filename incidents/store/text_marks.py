"""Arabic marks the text search ignores: «جويا» finds «جويّا».

Arabic is mostly typed without its short vowels and shadda, but a record may carry
them (a name written out with care, text pasted from a vocalised source), and a
search typed without them found nothing. The search drops the marks from what is
typed and compares it with the text without them: both stores' full-text copies hold
the text so, and a scan of the rows drops them as it reads. The records keep them.

One edge, known: a mark or tatweel written inside Latin text ("Tripoliـ Misrata") is
read past by a Latin search of three characters or more (the narrow copy) and not by a
shorter one (a LIKE on the rows).
"""

from __future__ import annotations

# Tanween, the short vowels, shadda and sukun (U+064B-U+0652), the dagger alif and the
# tatweel that stretches a word: none of them changes which word is written.
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
_DROP = dict.fromkeys(map(ord, MARKS))


def unmarked(text: str) -> str:
    """text without the marks."""
    return text.translate(_DROP)


def is_arabic(text: str) -> bool:
    """Whether text holds an Arabic letter: a needle the row scan must compare unmarked
    (other needles keep PostgreSQL's trigram indexes on the stored columns)."""
    return any("\u0600" <= char <= "\u06ff" for char in text)


def sqlite_unmarked(column: str) -> str:
    """A SQLite column's text without the marks. SQLite has no translate(): one
    replace() per mark, only where a LIKE finds one, and the LIKEs only where the
    text's UTF-8 holds the byte D9, which leads every mark (U+0640-U+067F): most
    records have none. Per 100k descriptions, CPU: the ten replaces 0.155 s, GLOB
    '*[marks]*' alone 0.18 s, the ten LIKEs 0.07 s, the byte's test first 0.0 s (a
    100k import's fill of text_lower 0.14 s less over three columns)."""
    removed = column
    for mark in MARKS:
        removed = f"replace({removed}, char({ord(mark)}), '')"
    found = " OR ".join(f"{column} LIKE '%{mark}%'" for mark in MARKS)
    lead = f"instr(CAST({column} AS BLOB), x'd9')"  # a store's text is UTF-8 (GeoPackage)
    return f"CASE WHEN {lead} AND ({found}) THEN {removed} ELSE {column} END"


def postgres_unmarked(expression: str) -> str:
    """A PostgreSQL expression's text without the marks: translate() only where a
    regular expression finds one. translate() walks every character: 0.41 of the 0.64 s
    the server took to build text_lower's rows for 100k records; the test first, 0.3 s."""
    found = f"{expression} ~ '[{MARKS}]'"
    return f"CASE WHEN {found} THEN translate({expression}, '{MARKS}', '') ELSE {expression} END"
