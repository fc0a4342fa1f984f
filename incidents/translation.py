"""The interface's language: gettext catalogues (English, Arabic, French) and Babel.

The words people read are English in the code, wrapped in `_()` (or `ngettext()` when
they count something); Babel extracts them into incidents/locale/incidents.pot
(`pybabel extract -F babel.cfg`), translators fill locale/<lang>/LC_MESSAGES/incidents.po,
and scripts/setup.sh compiles them to .mo files. A catalogue whose .mo is missing or
older than its .po (a fresh clone, a translation just edited) is read from the .po
itself, so the words shown are never stale.

The active language belongs to the current context (one Streamlit run, one command),
so two people reading in two languages on one server never see each other's words.
Numbers and dates are written as the language writes them, with Western digits unless
INCIDENTS_DIGITS=arab asks for Arabic-Indic ones.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "incidents"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية", "fr": "Français"}
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT_SETTING = "INCIDENTS_LANGUAGE"  # the instance's default language (docs/deployment.md)
DIGITS_SETTING = "INCIDENTS_DIGITS"  # "latn" (default) or "arab" for Arabic pages
# The locale whose conventions numbers and dates follow: Libya's for Arabic.
_FORMAT_LOCALE = {"en": "en_GB", "ar": "ar_LY", "fr": "fr_FR"}

_active: ContextVar[str | None] = ContextVar("incidents_language", default=None)
_resolvers: list[Callable[[], str | None]] = []


def supported(code: str | None) -> str | None:
    """The language code if the interface speaks it ("ar", "AR", "ar-LY" give "ar")."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def default_language(environ: dict[str, str] | None = None) -> str:
    """The instance's default language: INCIDENTS_LANGUAGE, else English."""
    value = (environ if environ is not None else os.environ).get(DEFAULT_SETTING, "")
    return supported(value) or "en"


def from_accept_language(header: str | None) -> str | None:
    """The browser's preferred language among ours (RFC 9110 weights), if any."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for at, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = supported(tag)
        if code and weight > 0:
            ranked.append((-weight, at, code))
    return min(ranked)[2] if ranked else None


def set_language(code: str | None) -> str:
    """Make code the active language for this context; returns the language now active."""
    chosen = supported(code) or "en"
    _active.set(chosen)
    return chosen


def language() -> str:
    """The active language code: set in this context, else what the resolver says (the
    app's resolver reads the session, for callbacks that run before the page sets it)."""
    code = _active.get()
    if code is None and _resolvers:
        code = _resolvers[0]()
    return code or "en"


def use_resolver(resolver: Callable[[], str | None]) -> None:
    """Where the language comes from when this context has not set one (the app page's
    session); a second call replaces the first."""
    _resolvers[:] = [resolver]


# Direction overrides and isolates, stripped where record text is laid out for a reader:
# they reorder what follows them (a publisher "\u202eEvil Corp" drew later names backwards).
NO_OVERRIDES = str.maketrans("", "", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def readable(text: object) -> str:
    """Record text as a page shows it, without NO_OVERRIDES: a title "\u202e12 killed"
    was drawn "dellik 21" on the map page, a count read backwards (tried as an Arabic
    reader would). The stored text and the data files keep every mark."""
    return str(text if text is not None else "").translate(NO_OVERRIDES)


def is_rtl(code: str | None = None) -> bool:
    """Whether pages in this language (default: the active one) read right to left."""
    return (code or language()) in RIGHT_TO_LEFT


def isolate(text: str, rtl: bool | None = None) -> str:
    """text kept as one left-to-right run inside a right-to-left line (a date, a
    timestamp, a version, a citation): without the marks the bidi algorithm shows
    '2026-12-03 07:18' in an Arabic sentence as '07:18 03-12-2026', and moves a
    citation's separators. rtl: the line's direction (default: the active language's).
    Left-to-right marks (U+200E), not isolates: LibreOffice 7.4 ignores isolates."""
    rtl = is_rtl() if rtl is None else rtl
    return f"\u200e{text}\u200e" if rtl and text else text


@functools.lru_cache(maxsize=8)
def catalogue(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (English: the words as written)."""
    if code == "en" or code not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    if not po.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(BytesIO(compiled(po)))


def compiled(po: Path) -> bytes:
    """A .po file compiled to .mo bytes by Babel (entries marked fuzzy are left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        messages = read_po(stream)
    out = BytesIO()
    write_mo(out, messages)
    return out.getvalue()


def _(message: str) -> str:
    """message in the active language (as written when no translation exists)."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for count in the active language (Arabic has six plural forms)."""
    return catalogue(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (the name xgettext and Babel look for)
    """Mark a word for the catalogue where it is defined; _() translates it where shown."""
    return message


def _locale() -> Locale:  # Babel is imported when first needed: it costs 0.2 s
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_FORMAT_LOCALE.get(language(), "en_GB"))
    except UnknownLocaleError:  # pragma: no cover - Babel ships these three
        return Locale.parse("en_GB")


def _digits() -> str:
    wanted = os.environ.get(DIGITS_SETTING, "latn").strip().lower()
    return "arab" if wanted == "arab" and language() == "ar" else "latn"


def browser_locale() -> str | None:
    """The page's language as a browser locale tag ("ar-LY", "fr-FR"; Arabic digits
    as "ar-LY-u-nu-arab"), for the browser's own date and number widgets to match the
    words and numbers written here; None in English, where the reader's browser
    settings stay as they are."""
    if language() == "en":
        return None
    tag = _FORMAT_LOCALE.get(language(), "en_GB").replace("_", "-")
    return tag + "-u-nu-arab" if _digits() == "arab" else tag


def digit_chars() -> str:
    """The ten digits this page writes numbers with, for text drawn in the browser
    (the map's scale bar) to match the numbers written here."""
    return "0123456789".translate(_TO_ARABIC) if _digits() == "arab" else "0123456789"


def number(value: float, decimals: int = 0) -> str:
    """A number as the active language writes it (1,234 · 1 234 · 1.234)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    digits = _digits()
    text = format_decimal(value, format=pattern, locale=_locale(), numbering_system=digits)
    return text.translate(_TO_ARABIC) if digits == "arab" else text


def day(value: date | datetime, form: str = "medium") -> str:
    """A date as the active language writes it (3 Apr 2020 · 3 avr. 2020 · ٣ أبريل ٢٠٢٠)."""
    from babel.dates import format_date

    text = format_date(value, format=form, locale=_locale())
    return text.translate(_TO_ARABIC if _digits() == "arab" else _TO_WESTERN)


_TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_TO_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def ago(seconds: float) -> str:
    """How long ago, as the active language says it (3 minutes ago · il y a 3 minutes ·
    قبل ٣ دقائق): a moment of this session told without a clock, whose zone (the
    server's) may not be the reader's."""
    from babel.dates import format_timedelta

    text = format_timedelta(-max(int(seconds), 1), add_direction=True, locale=_locale())
    return text.translate(_TO_ARABIC if _digits() == "arab" else _TO_WESTERN)
