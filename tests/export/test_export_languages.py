"""Exports in the chosen language: Arabic and French files carry no English word of the
interface (only data: record titles, places, sources, ids, links), and an Arabic deck
converted by LibreOffice holds its Arabic title, caption and counts in the PDF's text.

The English words are the export layer's own msgids, collected from its source with
Babel's extractor, so a string wrapped tomorrow is checked without editing this test.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import string
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from babel.messages.extract import extract_from_dir
from PIL import Image
from pptx import Presentation

from incidents.access import Role, Viewer
from incidents.export import cli as export_cli
from incidents.export.service import ExportRequest, in_language, run_export
from incidents.query import Query
from incidents.schema import INCIDENT_TYPES
from incidents.store import open_store
from incidents.translation import _, language, set_language

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Viewer("editor", Role.EDITOR)
PUBLIC = Query()


def _export(db: str, fmt: str, lang: str, **options: object) -> bytes:
    request = ExportRequest(fmt=fmt, lang=lang, **options)  # type: ignore[arg-type]
    return run_export(open_store(db), EDITOR, PUBLIC, request).data


def _english_msgids() -> list[str]:
    """Every msgid (and plural form) the export layer prints."""
    found: list[str] = []
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "incidents" / "export"), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.extend(message if isinstance(message, tuple) else [message])
    return found


def _fragments(msgid: str) -> list[str]:
    """The English words of a msgid between its placeholders, if they can be told apart
    from data: at least one word of three letters or more."""
    parts = [text for text, _f, _s, _c in string.Formatter().parse(msgid)]
    words = [p.strip(" .,;:()·–-'\"…") for p in parts]
    return [w for w in words if re.search(r"[A-Za-z]{3,}", w)]


def _translated(msgid: str, lang: str) -> str:
    return in_language(lang, lambda: _(msgid))


def _data_strings(db: str) -> list[str]:
    """What an export prints that is data, not interface: titles, places, sources."""
    import geodata

    store = open_store(db)
    rows = store.query(Query(), EDITOR, None)
    values = [str(v) for c in ("title", "place", "admin1") for v in rows[c].dropna()]
    sources = store.sources(rows["id"].astype(str).tolist(), EDITOR)
    for items in sources.values():
        values += [str(v) for s in items for v in (s.publisher, s.title, s.url, s.date) if v]
    values += [*geodata.admin1_frame("LY")["name_en"], geodata.ATTRIBUTION]
    return sorted({v for v in values if v}, key=len, reverse=True)


def _without_data(text: str, data: list[str]) -> str:
    for value in data:
        text = text.replace(value, " ")
    return text


def _deck_text(data: bytes) -> str:
    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        notes = slide.notes_slide.notes_text_frame
        parts.append(notes.text if notes is not None else "")
    return "\n".join(parts)


def _pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    about = book.worksheets[1]
    cells = [str(v) for row in about.iter_rows(values_only=True) for v in row if v]
    return "\n".join([about.title, *cells])


def _html_facts(data: bytes) -> str:
    page = data.decode("utf-8")
    start = page.index("<div id='export-facts'")
    block = page[start : page.index("</div>", start)]
    return re.sub(r"<[^>]+>", " ", block)


@pytest.fixture(scope="module")
def outputs(tarhuna_db: str) -> dict[str, dict[str, str]]:
    """Every export's words, per language: deck (slides and notes), image (its PDF's
    text layer and the PNG's description), XLSX About sheet, HTML facts block."""
    out: dict[str, dict[str, str]] = {}
    for lang in ("ar", "fr"):
        png = Image.open(io.BytesIO(_export(tarhuna_db, "png", lang)))
        out[lang] = {
            "deck": _deck_text(_export(tarhuna_db, "pptx", lang, panels="type")),
            "image": _pdf_text(_export(tarhuna_db, "pdf", lang)) + png.info["Description"],
            "xlsx": _xlsx_text(_export(tarhuna_db, "xlsx", lang)),
            "html": _html_facts(_export(tarhuna_db, "html", lang)),
            "geojson": json.dumps(
                json.loads(_export(tarhuna_db, "geojson", lang))["metadata"], ensure_ascii=False
            ),
        }
    return out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_no_english_word_of_the_interface_in_arabic_or_french_exports(
    outputs: dict[str, dict[str, str]], tarhuna_db: str, lang: str
) -> None:
    data = _data_strings(tarhuna_db)
    fragments = {
        fragment
        for msgid in _english_msgids()
        for fragment in _fragments(msgid)
        if fragment not in _translated(msgid, lang)  # 'Total', 'Sources' in French
    }
    assert len(fragments) > 100  # the extractor found the export layer's words
    for kind, words in outputs[lang].items():
        # GeoJSON metadata keys stay English on purpose (tools read them)
        text = re.sub(r'"[A-Z][a-z ]+": ', "", words) if kind == "geojson" else words
        left = _without_data(text, data)
        english = sorted(f for f in fragments if re.search(rf"\b{re.escape(f)}\b", left))
        assert not english, f"{lang} {kind} still says {english}"


def _letters(text: str) -> str:
    """Arabic text as compared across a PDF's text layer: pdftotext spells the lam-alef
    ligature backwards and keeps bidi marks, so only the other letters are compared."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        c
        for c in text
        if unicodedata.category(c)[0] in "LN" and c not in "لاأإآ" and not c.isspace()
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice Impress or poppler-utils not installed",
)
def test_arabic_png_and_deck_of_the_example_hold_their_arabic_words(
    tarhuna_db: str, tmp_path: Path
) -> None:
    png = Image.open(io.BytesIO(_export(tarhuna_db, "png", "ar")))
    assert png.size == (1920, 1080)
    deck = tmp_path / "tarhuna-ar.pptx"
    deck.write_bytes(_export(tarhuna_db, "pptx", "ar"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(deck)], check=True, capture_output=True, timeout=240)
    slides = _letters(_pdf_text((tmp_path / "tarhuna-ar.pdf").read_bytes()))
    # The legend is drawn in the map picture: the same drawing as a PDF keeps it as text.
    legend = _letters(_pdf_text(_export(tarhuna_db, "pdf", "ar")))

    def arabic(make: object) -> str:
        return in_language("ar", make)  # type: ignore[arg-type]

    title = arabic(lambda: _("Incidents in {country}").format(country="ليبيا"))
    caption = arabic(lambda: _("All dates"))
    for words in (title, caption, arabic(lambda: _("Incidents by type and district")),
                  arabic(lambda: _("Timeline")), arabic(lambda: _("Sources"))):  # fmt: skip
        assert _letters(words) in slides, words
    assert _letters(arabic(lambda: _("Filters"))) in slides
    # the legend's type labels are text on the counts slide (the map's are in its picture)
    for code in ("mass_grave", "enforced_disappearance", "arbitrary_detention"):
        assert _letters(arabic(lambda c=code: INCIDENT_TYPES.shown(c))) in slides, code
    for words in ("Incident type", "How precisely the place is known", "Filters", "Sources"):
        assert _letters(arabic(lambda w=words: _(w))) in legend, words
    assert _letters(title) in legend


def test_arabic_deck_paragraphs_are_right_to_left_in_an_arabic_font(tarhuna_db: str) -> None:
    prs = Presentation(io.BytesIO(_export(tarhuna_db, "pptx", "ar")))
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            for paragraph in shape.text_frame.paragraphs:
                if not paragraph.text:
                    continue
                assert paragraph._p.pPr.get("rtl") == "1", paragraph.text
                assert paragraph._p.pPr.get("algn") == "r", paragraph.text
                for run in paragraph.runs:
                    cs = run._r.rPr.find(
                        "{http://schemas.openxmlformats.org/drawingml/2006/main}cs"
                    )
                    assert cs is not None and "Arabic" in cs.get("typeface"), paragraph.text


def test_the_callers_language_is_left_as_it_was(tarhuna_db: str) -> None:
    set_language("fr")
    _export(tarhuna_db, "xlsx", "ar")
    assert language() == "fr"
    book = openpyxl.load_workbook(io.BytesIO(_export(tarhuna_db, "xlsx", "")))
    assert book.worksheets[1].title == in_language("fr", lambda: _("About"))
    set_language("en")


def test_command_line_language_defaults_to_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(args: list[str]) -> dict[str, object]:
        return export_cli._export.make_context("export", ["png", "--out", "x.png", *args]).params

    assert export_cli.request_from_args(parse(["--lang", "ar"])).lang == "ar"
    monkeypatch.setenv("INCIDENTS_LANGUAGE", "fr")
    assert export_cli.request_from_args(parse([])).lang == "fr"
    monkeypatch.delenv("INCIDENTS_LANGUAGE")
    assert export_cli.request_from_args(parse([])).lang == "en"


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_before_or_after_the_command_makes_the_file_arabic(
    tarhuna_db: str, tmp_path: Path, where: str
) -> None:
    from incidents.cli import main

    out = tmp_path / "selection.xlsx"
    export = ["export", "xlsx", "--out", str(out)]
    words = ["--lang", "ar", *export] if where == "before" else [*export, "--lang", "ar"]
    assert main(["--db", tarhuna_db, *words]) == 0
    about = openpyxl.load_workbook(out).worksheets[1]
    assert about.title == in_language("ar", lambda: _("About"))
