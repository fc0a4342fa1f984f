"""Every spelling of a place a search term names, in any script, for text search.

Records spell a town as their source did ("Tarhuna", "Tarhouna", "ترهونة"); a reader
types one of them. When the term, normalised as the gazetteer normalises names
(``geodata._text.normalize``: case, diacritics, Arabic letter forms, "ou"/"u",
final "-ah", a leading "Qasr"), is a name of a town in the gazetteer (GeoNames plus
the committed aliases), the search also looks for that town's other names. Only
exact normalised names count: a near spelling or a word inside a longer text never
widens a search.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from geodata._places import load_aliases, load_places
from geodata._text import has_arabic, normalize, strip_prefix

MIN_LENGTH = 4  # shorter alternate names (codes: TIP, MRA) would match inside any word
MAX_SPELLINGS = 64


@functools.lru_cache(maxsize=8)
def _names_by_key(country: str) -> dict[str, tuple[str, ...]]:
    """Normalised name -> every name of the towns known by it, in one country."""
    out: dict[str, dict[str, None]] = {}
    for place in load_places(country):
        names = [n for n in place.names if _searchable(n)]
        for name in place.names:
            key = normalize(name)
            for k in {key, strip_prefix(key)}:
                if k:
                    out.setdefault(k, {}).update(dict.fromkeys(names))
    return {key: tuple(names) for key, names in out.items()}


def _searchable(name: str) -> bool:
    """Long enough, and in the Latin or Arabic script records are written in here."""
    if len(name) < MIN_LENGTH or name.isupper():
        return False
    return has_arabic(name) or all(_latin(c) for c in name)


def _latin(char: str) -> bool:
    return not char.isalpha() or unicodedata.name(char, "").startswith("LATIN")


def same_place_names(term: str, countries: tuple[str, ...]) -> tuple[str, ...]:
    """The names of the towns (in these countries) that term names, shortest set first:
    a name that contains another one found is left out (a substring search of the
    shorter finds it too). Empty when term names no town."""
    key = strip_prefix(normalize(term))
    if not key:
        return ()
    found: dict[str, None] = {}
    for country in countries:
        found.update(dict.fromkeys(_names_by_key(country.upper()).get(key, ())))
    return minimal_needles(tuple(found))[:MAX_SPELLINGS]


def arabic_name(term: str, country: str) -> str:
    """The Arabic name of the town term names ("" when none is known): an Arabic page
    names a record's town as its map labels it (ترهونة for "Tarhouna"); the same rule
    (arabic_of over the town's names) as the map's labels."""
    key = normalize(term)
    by_key = _places_by_key(country.upper())
    for places in (by_key.get(key), by_key.get(strip_prefix(key))):
        for names in places or ():
            if found := arabic_of(names):
                return found
    return ""


@functools.lru_cache(maxsize=8)
def _places_by_key(country: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Normalised name -> the names of each town known by it, most populous first."""
    out: dict[str, dict[int, tuple[str, ...]]] = {}
    ranked = sorted(load_places(country), key=lambda p: -p.population)
    for i, place in enumerate(ranked):
        for name in place.names:
            key = normalize(name)
            for k in {key, strip_prefix(key)}:
                if k:
                    out.setdefault(k, {})[i] = place.names
    return {key: tuple(found.values()) for key, found in out.items()}


# Letters of Persian, Kurdish and Urdu spellings, and the vowel marks: GeoNames lists
# those names too, in Arabic script, and an Arabic reader should not get them.
_NOT_ARABIC = frozenset("پچژکگیەۆێڵڕھےۃ") | frozenset(map(chr, range(0x064B, 0x0653)))


_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u200b"))
# Names of the unit around a town ("شعبية يفرن", Yafran's district): the town's own name
# is taken before them when GeoNames lists both.
_UNIT_WORDS = frozenset(["شعبية", "بلدية", "محافظة", "ولاية", "مديرية", "قضاء", "ناحية"])


def arabic_of(names: Iterable[str]) -> str:
    """The name written in Arabic (Arabic letters only, no Persian or Kurdish letter, no
    vowel marks, no Latin letter): one of the committed aliases first (data/aliases.csv
    gives the form Arabic readers use where GeoNames lists others first), else the
    first not naming a unit around the town; "" when there is none."""
    clean = (n.translate(_MARKS).strip() for n in names)  # a stray LRM/RLM after a name
    found = [
        n for n in clean if has_arabic(n) and not (_NOT_ARABIC & set(n)) and all(map(_not_latin, n))
    ]
    towns = [n for n in found if n.split()[0] not in _UNIT_WORDS] or found or [""]
    return next((n for n in found if n in _curated()), towns[0])


@functools.cache
def _curated() -> frozenset[str]:
    return frozenset(a.alias for a in load_aliases())


def _not_latin(char: str) -> bool:
    return char != "،" and not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN"))


def minimal_needles(names: tuple[str, ...]) -> tuple[str, ...]:
    """names without those that contain another of them (case-insensitively)."""
    folded = sorted({n.casefold(): n for n in names}.items(), key=lambda kv: len(kv[0]))
    kept: list[tuple[str, str]] = []
    for fold, name in folded:
        if not any(k in fold for k, _ in kept):
            kept.append((fold, name))
    return tuple(name for _, name in kept)
