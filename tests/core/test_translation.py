"""The catalogues: every wrapped string is in the template, every template entry has an
Arabic and a French translation keeping its placeholders, and the translated pages pass
no bare English sentence to Streamlit. Plus the language rules (link, browser, digits)
and imports that accept labels in the three languages."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from incidents import translation
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS, SENSITIVITIES
from incidents.validation import validate_row

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "incidents" / "locale"
# The files whose words are wrapped: none of their sentences may reach the screen bare.
# Every page of the app, so a new page or a new sentence is caught here.
TRANSLATED = [
    "app.py",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py")),
]
# The map modules that write words on the map (legend, tooltips, controls' titles).
MAP_WORDS = [
    "incidents/maps/legend.py",
    "incidents/maps/marker_text.py",
    "incidents/maps/layers_geo.py",
    "incidents/maps/layers.py",
    "incidents/maps/layers_grid.py",
    "incidents/maps/map_controls.py",
    "incidents/maps/folium_map.py",
    "incidents/maps/district_layer.py",
    "incidents/maps/aggregate.py",
]
SHOWN = {
    "title", "header", "subheader", "write", "caption", "info", "warning", "error", "success",
    "button", "form_submit_button", "text_input", "text_area", "selectbox", "multiselect",
    "checkbox", "radio", "expander", "number_input", "date_input", "download_button",
    "file_uploader", "spinner", "popover", "markdown", "metric", "toast", "Page",
    "set_page_config",
}  # fmt: skip
SHOWN_KEYWORDS = {"label", "help", "placeholder", "title", "page_title"}
WORD = re.compile(r"[A-Za-z]{2,}")
MARKUP = re.compile(r"<[^>]*>|&#?\w+;")  # tags and entities: not words a reader sees


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.set_language("en")


def _msgid_key(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _template() -> dict[str, object]:
    with (LOCALE / "incidents.pot").open("rb") as stream:
        return {_msgid_key(m.id): m.id for m in read_po(stream) if m.id}


def test_the_template_holds_exactly_the_strings_the_code_wraps() -> None:
    with (ROOT / "babel.cfg").open() as stream:
        method_map, options_map = parse_mapping_cfg(stream)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = {
        _msgid_key(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    template = set(_template())
    assert not found - template, f"wrapped but not in incidents.pot: {sorted(found - template)}"
    assert not template - found, f"in incidents.pot but no longer in the code: {template - found}"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_entry_is_translated_with_its_placeholders(lang: str) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / "incidents.po"
    with path.open("rb") as stream:
        catalogue = read_po(stream, locale=lang)
    assert "awaits review by a native speaker" in catalogue.header_comment.lower()
    entries = {_msgid_key(m.id): m for m in catalogue if m.id}
    missing = set(_template()) - set(entries)
    assert not missing, f"{lang} catalogue lacks {sorted(missing)}"
    for key, message in entries.items():
        assert "fuzzy" not in message.flags, f"{lang}: {key!r} is fuzzy"
        forms = [message.string] if isinstance(message.string, str) else list(message.string or ())
        assert forms and all(forms), f"{lang}: {key!r} is not translated"
        wanted = _fields(key)
        for form in forms:  # Arabic's "one" and "two" forms may spell the number out
            assert _fields(form) <= wanted | {"n"} and (
                _fields(form) == wanted or isinstance(message.id, tuple)
            ), f"{lang}: {key!r} changes its placeholders: {form!r}"
    assert catalogue.num_plurals == {"ar": 6, "fr": 2}[lang]


def _bare(node: ast.expr) -> bool:
    """An English sentence as written: a literal or f-string with words, not wrapped."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(MARKUP.sub(" ", node.value)))
    if isinstance(node, ast.JoinedStr):
        return any(_bare(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _bare(node.left) or _bare(node.right)
    if isinstance(node, ast.IfExp):
        return _bare(node.body) or _bare(node.orelse)
    return False


def _logged(func: ast.expr) -> bool:
    """A call on a logger (LOG.warning): words for the server's operator, in its log, not
    shown on a page."""
    owner = func.value if isinstance(func, ast.Attribute) else None
    return isinstance(owner, ast.Name) and owner.id in {"LOG", "log", "logger", "logging"}


@pytest.mark.parametrize("name", TRANSLATED)
def test_translated_pages_show_no_bare_english(name: str) -> None:
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    bare = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called not in SHOWN or _logged(func):
            continue
        first = [] if called == "Page" else node.args[:1]  # a page's first argument: its file
        shown = first + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        bare += [f"line {a.lineno}: {ast.unparse(a)}" for a in shown if _bare(a)]
    assert not bare, f"{name} shows words not wrapped in _(): {bare}"


TAG = re.compile(r"<[^>]*>|<[^>]*$|^[^<]*>|&#?\w+;")  # tags (also cut by a value) and entities
JS_TEXT = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")  # a script's string literals
JS_NAMED = re.compile(r"(?:title|aria-label)\W{1,4}[A-Z][a-z]+")  # a control named in English


def _written_on_map(node: ast.AST) -> str | None:
    """A string literal (or f-string, values as gaps) that writes markup, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(str(v.value) if isinstance(v, ast.Constant) else " " for v in node.values)
    else:
        return None
    return text if "<" in text else None


def _english_in_markup(text: str) -> list[str]:
    if "{% macro" in text:  # a Leaflet script: its string literals that write markup
        pieces = [a or b for a, b in JS_TEXT.findall(text) if "<" in (a or b)]
        return [p for p in pieces if WORD.search(TAG.sub(" ", p))] + JS_NAMED.findall(text)
    return [text] if WORD.search(TAG.sub(" ", re.sub(r"\{[^}]*\}", " ", text))) else []


@pytest.mark.parametrize("name", MAP_WORDS)
def test_the_map_writes_no_bare_english(name: str) -> None:
    """Legend titles and notes, tooltips, the legend's button and the controls' titles
    come from the catalogue: no English words between the tags the map modules write."""
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    inside_fstring = {
        id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values
    } | {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # and docstrings
    bare = []
    for node in ast.walk(tree):
        text = None if id(node) in inside_fstring else _written_on_map(node)
        if text is not None:
            bare += [f"line {getattr(node, 'lineno', 0)}: {w!r}" for w in _english_in_markup(text)]
    assert not bare, f"{name} writes words on the map not wrapped in _(): {bare}"


def test_the_map_in_arabic_mirrors_and_speaks_arabic() -> None:
    import geodata
    from incidents.count_totals import Total
    from incidents.maps import build_map, legend, map_controls, map_html
    from incidents.maps.aggregate import total_words
    from incidents.maps.map_controls import ControlWords
    from incidents.maps.marker_text import clicked_id
    from incidents.maps.place_labels import arabic_names, label_rows
    from incidents.maps.timeline import period_label
    from tests.tooltip_oracle import tooltip_html

    translation.set_language("ar")
    assert total_words(Total(338, 9, 1, 2)) == "338 على الأقل"
    assert total_words(Total(0, 3, 0, 0)) == "غير معروف"
    assert "كثافة الحوادث" in legend.heat_legend(3) and "Density" not in legend.heat_legend(3)
    words = ControlWords()
    assert words.rtl and words.words["full"] == "ملء الشاشة"
    assert words.credit[1].startswith("الأماكن: GeoNames")
    assert words.units["km"] == "{n} كم" and not words.units["imperial"]  # the scale bar
    tip = tooltip_html("x1", "Grave", "mass_grave", "2020-06-01", "2020-06-01", "exact")
    assert 'dir="rtl"' in tip and "مقبرة جماعية" in tip
    assert clicked_id("Grave مقبرة جماعية المرجع x1", {"x1"}) == "x1"
    assert clicked_id("Grave Ref. x1", {"x1"}) == "x1"  # a page drawn in English before
    assert period_label(date(2020, 4, 1), "month") == "أبريل 2020"
    row = {"id": "x1", "type": "torture", "title": "T", "date_start": "2020-06-01",
           "date_end": "2020-06-01", "latitude": 32.4, "longitude": 13.6,
           "location_precision": "exact"}  # fmt: skip
    page = map_html(build_map(pd.DataFrame([row])))
    assert 'var ref = "المرجع", dir = "rtl"' in page  # the markers' tooltips
    assert "مفتاح الخريطة" in page and "ملء الشاشة" in page  # legend button, controls
    names = dict(zip((r[2] for r in label_rows("LY")), arabic_names("LY"), strict=True))
    assert names["Tarhuna"] == "ترهونة"  # the town names an Arabic map writes
    translation.set_language("en")
    assert total_words(Total(338, 9, 1, 2)) == "at least 338" and not ControlWords().rtl
    assert ControlWords().units["km"] == "{n} km" and ControlWords().units["imperial"]
    assert map_controls.CREDIT == geodata.ATTRIBUTION  # the credit the catalogue translates


def test_arabic_and_french_words_numbers_and_plurals() -> None:
    translation.set_language("ar")
    assert translation._("Map") == "الخريطة"
    assert translation._("Mass grave") == "مقبرة جماعية"
    assert INCIDENT_TYPES.shown("enforced_disappearance") == "اختفاء قسري"
    assert SENSITIVITIES.shown("restricted") == "مقيّد"
    assert INCIDENT_TYPES.label("torture") == "Torture"  # files and exports keep English
    counted = {n: translation.ngettext("Import {n} row", "Import {n} rows", n) for n in range(12)}
    assert len({counted[n] for n in (0, 1, 2, 3, 11)}) == 5  # zero, one, two, few, many
    assert translation.number(1234567) == "1.234.567"  # Libya's separators, Western digits
    assert "2020" in translation.day(date(2020, 4, 3))
    translation.set_language("fr")
    assert translation._("Sign in") == "Se connecter"
    assert translation.ngettext("Import {n} row", "Import {n} rows", 2) == "Importer {n} lignes"
    translation.set_language("xx")  # unknown: English
    assert translation.language() == "en" and translation._("Map") == "Map"


def test_arabic_counts_of_eleven_to_ninety_nine_take_the_accusative() -> None:
    """Babel's Arabic header puts 100-102 in form 4 and 11-99 in form 5; twenty
    messages had the two the other way round ("قُرئ 26 صف" for "قُرئ 26 صفاً")."""
    po = LOCALE / "ar" / "LC_MESSAGES" / "incidents.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    tanween = "\u064b"
    swapped = [
        m.id[0]
        for m in catalogue
        if m.pluralizable and m.string[4].count(tanween) > m.string[5].count(tanween)
    ]
    assert swapped == []
    translation.set_language("ar")
    try:
        read = "{file}: {n} row read as {format}", "{file}: {n} rows read as {format}"
        assert "صفاً" in translation.ngettext(*read, 26)
        assert "صفاً" not in translation.ngettext(*read, 101)
    finally:
        translation.set_language("en")


def test_arabic_indic_digits_only_when_the_setting_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    translation.set_language("ar")
    monkeypatch.setenv(translation.DIGITS_SETTING, "arab")
    assert translation.number(2020) == "٢٬٠٢٠"
    assert translation.digit_chars() == "٠١٢٣٤٥٦٧٨٩"  # the map's scale bar writes these
    translation.set_language("en")
    assert translation.number(2020) == "2,020"


def test_the_language_comes_from_the_link_browser_or_setting() -> None:
    assert translation.supported("AR-ly") == "ar" and translation.supported("de") is None
    assert translation.from_accept_language("de-DE,de;q=0.9,ar;q=0.8,fr;q=0.7") == "ar"
    assert translation.from_accept_language("fr-FR;q=0.5, en;q=0.6") == "en"
    assert translation.from_accept_language("ar;q=0, de") is None
    assert translation.from_accept_language(None) is None
    assert translation.default_language({"INCIDENTS_LANGUAGE": "fr"}) == "fr"
    assert translation.default_language({"INCIDENTS_LANGUAGE": "klingon"}) == "en"


def test_a_missing_mo_is_read_from_its_po(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = LOCALE / "ar" / "LC_MESSAGES" / "incidents.po"
    (folder / "incidents.po").write_bytes(source.read_bytes())
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path)
    translation.catalogue.cache_clear()
    try:
        assert translation.catalogue("ar").gettext("Map") == "الخريطة"
    finally:
        translation.catalogue.cache_clear()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("مقبرة جماعية", "mass_grave"),
        ("اختفاء قسري", "enforced_disappearance"),
        ("احتجاز تعسفي", "arbitrary_detention"),
        ("نزوح", "displacement"),
        ("تهجير / نزوح", "displacement"),
        ("Disparition forcée", "enforced_disappearance"),
        ("charnier", "mass_grave"),
        ("Torture", "torture"),
    ],
)
def test_imports_accept_type_labels_in_three_languages(written: str, code: str) -> None:
    row = {"type": written, "date_start": "2020-06", "place": "Tarhuna"}
    assert validate_row(row, today=date(2026, 11, 27)).type == code


def test_imports_accept_other_coded_labels_in_arabic_with_or_without_marks() -> None:
    row = {
        "type": "تعذيب",
        "date_start": "2020-06",
        "place": "Tarhuna",
        "verification": "تم التحقق",
        "sensitivity": "مقيد",  # without the shadda of مقيّد
        "location_precision": "البلدة",
    }
    incident = validate_row(row, today=date(2026, 11, 27))
    assert (incident.verification, incident.sensitivity) == ("verified", "restricted")
    assert incident.location_precision == "town"
    assert LOCATION_PRECISIONS.lookup("Lieu exact") == "exact"


def test_the_link_carries_the_language_chosen() -> None:
    from incidents.view_state import ViewState, from_params, share_link, to_params

    view = from_params({"lang": "ar", "type": "torture"})
    assert view.lang == "ar" and to_params(view)["lang"] == "ar"
    assert "lang=ar" in share_link("https://incidents.example.org/", view)
    assert from_params({"lang": "xx"}).lang == "" and "lang" not in to_params(ViewState())


def test_an_account_keeps_the_language_its_owner_chose(tmp_path: Path) -> None:
    from incidents.access import Role
    from incidents.auth.accounts import AccountError, Accounts

    accounts = Accounts(tmp_path / "users.sqlite")
    accounts.add("Amina", Role.EDITOR, "correct horse battery staple 7")
    assert accounts.get("amina").language == ""  # type: ignore[union-attr]  # no choice yet
    before = accounts.get("Amina").updated_at  # type: ignore[union-attr]
    assert accounts.set_language("AMINA", "ar-LY").language == "ar"
    again = Accounts(tmp_path / "users.sqlite").get("Amina")
    assert again is not None and again.language == "ar" and again.updated_at == before
    with pytest.raises(AccountError):
        accounts.set_language("Amina", "de")
    with pytest.raises(AccountError):
        accounts.set_language("nobody", "fr")


def test_an_accounts_file_from_before_gets_the_language_column(tmp_path: Path) -> None:
    import sqlite3

    from incidents.auth.accounts import Accounts

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
            " method TEXT NOT NULL, password TEXT, disabled INTEGER NOT NULL DEFAULT 0,"
            " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO accounts VALUES ('sso@example.org', 'sso@example.org', 'viewer', 'oidc',"
            " NULL, 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        )
    accounts = Accounts(path)
    assert accounts.get("sso@example.org").language == ""  # type: ignore[union-attr]
    assert accounts.set_language("sso@example.org", "fr").language == "fr"


def test_the_link_wins_then_the_account_then_the_setting_then_the_browser() -> None:
    from app_pages.language import pick

    assert pick("fr", "ar", "en", "ar") == "fr"  # lang= in the link (or the switch)
    assert pick(None, "ar", "fr", "en") == "ar"  # the account's language
    assert pick("", None, "fr", "ar") == "fr"  # INCIDENTS_LANGUAGE
    assert pick(None, None, "klingon", "ar-LY") == "ar"  # the browser's Accept-Language
    assert pick(None, None, None, None) == "en"


def test_one_incident_not_drawn_is_singular_in_french() -> None:
    """The map's sentence read '1 connus seulement…' (one form for every count)."""
    words = "{n} more in the selection, known only to the country or without a place (not drawn)"
    translation.set_language("fr")
    try:
        one = translation.ngettext(words, words, 1).format(n=1)
        two = translation.ngettext(words, words, 2).format(n=2)
    finally:
        translation.set_language("en")
    assert "1 de plus dans la sélection, connu seulement" in one and "(non dessiné)" in one
    assert "connus seulement" in two and "(non dessinés)" in two


def test_an_arabic_count_of_incidents_reads_right_whatever_number_picks_the_form() -> None:
    """An export said «من أصل 8 حادثة» (the singular after 3 to 10): the form follows
    {given}, the noun {n}, so the sentence says «من أصل {n} من الحوادث» for any n."""
    words = (
        "only {given} of {n} incidents gives a number; a minimum counts where a best estimate "
        "is missing",
        "only {given} of {n} incidents give a number; a minimum counts where a best estimate "
        "is missing",
    )
    translation.set_language("ar")
    try:
        said = [translation.ngettext(*words, g).format(given=g, n=8) for g in (1, 2, 5, 11, 100)]
    finally:
        translation.set_language("en")
    assert all("من أصل 8 من الحوادث" in s for s in said)
