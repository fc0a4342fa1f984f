"""Name normalisation shared by the gazetteer and the district lookup.

Reports spell the same Libyan town many ways ("Tarhouna", "Tarhunah",
"ترهونة", "Misurata", "Misrata", "مصراته").  Both the index keys and the
queries go through :func:`normalize` so that spelling noise is removed before
any fuzzy comparison; what is left for rapidfuzz is real disagreement.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from geodata._combining import COMBINING_RANGES

# Arabic: harakat, Quranic marks, superscript alef; tatweel; zero-width and bidi controls.
_AR_MARK_RANGES = (
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED),
    (0x0640, 0x0640), (0x200B, 0x200F), (0x202A, 0x202E),
)  # fmt: skip
_AR_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ء": "",
        "ک": "ك",
        "گ": "ك",
        "،": " ",
        "؛": " ",
        "؟": " ",
    }
)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")
# Apostrophe-like marks used for ayin/hamza in transliterations: dropped.
_QUOTES = "'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4\u2032"
_NON_WORD = re.compile(r"[\W_]+")
# Latin article tokens ("al-", "el ", sun-letter forms like "az", "ash"), when a word follows.
_ARTICLES = re.compile(
    r"\b(?:al|el|il|ul|ad|ed|adh|ar|er|as|es|ash|esh|at|et|ath|az|ez|an|en) (?=\w)"
)
_DOUBLE = re.compile(r"([a-z])(?=\1)")  # gemination: Msallata / Msalata
_FINAL_AH = re.compile(r"(?<=\w\w)ah\b")  # ta marbuta: Misratah / Misrata
_AR_ARTICLE = re.compile(r"\bال(?=\w\w)")  # Arabic definite article
# Generic leading words that often precede a town name in reports.
_PREFIXES = frozenset(
    {"qasr", "gasr", "kasr", "qsar", "madinat", "مدينه", "قصر", "بلديه", "شعبيه", "محافظه"}
)


@functools.lru_cache(maxsize=1)
def _table() -> dict[int, int | str | None]:
    """One translation table: delete combining marks, Arabic marks and quotes; unify
    letters. Built from ranges (geodata._combining), not by testing every code point."""
    table: dict[int, int | str | None] = {
        cp: None
        for start, end in (*COMBINING_RANGES, *_AR_MARK_RANGES)
        for cp in range(start, end + 1)
    }
    table.update({ord(q): None for q in _QUOTES})
    table.update(_AR_MAP)
    return table


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_CHAR.search(text))


def normalize(text: str) -> str:
    """Return a comparison key: casefolded, no diacritics/articles/spelling noise.

    Never used for display; only for matching.  Called on every alternate name
    when an index is built, so it works on whole strings (one translate, few regexes).
    """
    if not text.isascii():
        # NFKD splits accents and hamza/madda off their letters and turns Arabic
        # presentation forms into plain letters; the table then deletes the marks.
        text = unicodedata.normalize("NFKD", text)
    text = text.translate(_table()).casefold()
    if "ال" in text:
        text = _AR_ARTICLE.sub("", text)
    text = " ".join(_NON_WORD.sub(" ", text).split())
    text = _ARTICLES.sub("", text).replace("ou", "u")  # French transliteration: Tarhouna
    text = _DOUBLE.sub("", text)
    return _FINAL_AH.sub("a", text) if "ah" in text else text


def strip_prefix(key: str) -> str:
    """Drop a generic leading word ("Qasr", "madinat", "مدينة") from a normalised key."""
    first, _, rest = key.partition(" ")
    return rest if rest and first in _PREFIXES else key


# Words that say what kind of site a record means, or that its place is unknown,
# rather than which town: "Airport", "Market", "None", "سوق".  GeoNames holds
# towns and alternate names spelled like many of them (None in Italy, Airport
# in California, "Market" for Marquette), so a cell holding only such words
# must never be geocoded with confidence.  Real towns named so (Medina) are
# not listed.
_GENERIC_TEXT = """
airport airbase air base aeroport aeropuerto area army base base beach border bridge building
camp carcel cemetery center centre central checkpoint check point church city coast compound
district downtown east eastern escuela ecole factory farm field forest grave graveyard harbor
harbour highway hill home hopital hospital house island jail kasbah lake location mall market
marketplace marche mass grave mercado military base mosque mosquee mountain multiple
neighborhood neighbourhood nil none north northern null office oil field oilfield outskirts
place police station port prison province pueblo refinery region river road school sea several
site souk souq south southern square stadium station street suq tbc tbd town university unk
unknown unspecified valley various village ville warehouse west western n a na
مطار سوق سجن مستشفى مدرسة مسجد جامع قرية مدينة مخيم حدود ميناء طريق مزرعة وادي بئر مجهول غير معروف
"""


@functools.lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in _GENERIC_TEXT.split() if normalize(w))


def is_generic(key: str) -> bool:
    """True when a normalised query holds only generic site words (or nothing)."""
    words = _generic_words()
    return all(w in words for w in key.split())
