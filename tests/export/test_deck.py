"""The deck: reopened with python-pptx, and converted to PDF by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pytest
from export_fixtures import SECRET
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from incidents.access import Role, Viewer
from incidents.export.basemap import PlaceLabel
from incidents.export.deck import DeckOptions, build_deck
from incidents.export.selection import read_selection
from incidents.export.static_map import MapOptions
from incidents.query import Query

TITLE = "Tarhuna, Libya: incidents attributed to the Kaniyat militia"
WINDOW = Query(date_from=date(2015, 1, 1), date_to=date(2023, 12, 31))
OPTIONS = DeckOptions(
    title=TITLE,
    map=MapOptions(labels=(PlaceLabel("Tarhuna", 32.43501, 13.6332),)),
    breaks=(date(2020, 6, 1),),
)


@pytest.fixture(scope="module")
def deck_bytes(tarhuna_db):
    from incidents.store import open_store

    selection = read_selection(open_store(tarhuna_db), WINDOW, Viewer("r", Role.VIEWER))
    return build_deck(selection, OPTIONS)


def _titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def test_deck_has_the_briefing_slides_in_order(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=0.01)
    assert _titles(prs) == [TITLE, TITLE, "Before and after 1 June 2020", "Timeline",
                            "Incidents by type and district", "Sources"]  # fmt: skip


def test_map_slides_have_a_picture_an_editable_title_and_a_filter_caption(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    for slide in list(prs.slides)[1:4]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert np.asarray(image.convert("L")).std() > 10
        assert slide.shapes.title.has_text_frame
    texts = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    assert any("Filters:" in t and "1 January 2015" in t for t in texts)


def test_every_slide_has_speaker_notes_saying_what_it_shows(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert all(len(n) > 40 for n in notes)
    assert "Filters" in notes[1] and "9 incidents shown" in notes[1]
    assert "first to its last possible date" in notes[3]


def test_table_counts_by_type_and_district(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    table = next(s for s in prs.slides[4].shapes if s.has_table).table
    cells = [[table.cell(r, c).text for c in range(len(table.columns))]
             for r in range(len(table.rows))]  # fmt: skip
    assert cells[0] == ["Type", "Murqub", "Total"]
    assert ["Mass grave", "2", "2"] in cells
    assert cells[-1] == ["Total", "9", "9"]


def test_sources_slide_lists_publishers(deck_bytes):
    prs = Presentation(io.BytesIO(deck_bytes))
    text = "\n".join(sh.text_frame.text for sh in prs.slides[5].shapes if sh.has_text_frame)
    assert "U.S. Department of the Treasury" in text and "cited by 6 incidents" in text


def test_core_properties_carry_no_names(deck_bytes):
    props = Presentation(io.BytesIO(deck_bytes)).core_properties
    assert props.author == "" and props.last_modified_by == ""
    assert props.title == TITLE and props.keywords == "profile:partner"
    assert "Data version" in props.comments


def test_internal_deck_never_prints_confidential_fields(mixed_store):
    selection = read_selection(mixed_store, Query(), Viewer("staff", Role.EDITOR))
    data = build_deck(selection, DeckOptions(title="Internal"))
    prs = Presentation(io.BytesIO(data))
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "INTERNAL" in text
    assert SECRET.encode() not in data and SECRET not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Impress not installed")
def test_libreoffice_converts_the_deck_to_pdf(deck_bytes, tmp_path):
    deck = tmp_path / "briefing.pptx"
    deck.write_bytes(deck_bytes)
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(deck)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "briefing.pdf"
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+6\b", info.stdout), info.stdout
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "2", "-l", "2", "-singlefile",
                    str(pdf), str(tmp_path / "map")], check=True)  # fmt: skip
    page = np.asarray(Image.open(tmp_path / "map.png").convert("L"))
    assert page.std() > 20  # the map picture is there, not an empty slide


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Impress not installed")
def test_district_names_are_not_broken_mid_word_in_the_table(tmp_path):
    """Tried as a user would: a real ACLED export of Afghanistan, its deck opened in
    LibreOffice. 'Badakhshan' was wider than its column and came out 'Badakhsha / n'."""
    from pathlib import Path

    from incidents.importer import import_file
    from incidents.store import open_store

    store = open_store(str(tmp_path / "af.gpkg"))
    real = Path(__file__).resolve().parents[1] / "fixtures/real/acled_2020_export_afghanistan.csv"
    editor = Viewer("e", Role.EDITOR)
    assert import_file(real, store, editor).imported == 28
    deck = tmp_path / "af.pptx"
    deck.write_bytes(build_deck(read_selection(store, Query(), editor), DeckOptions()))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(deck)], check=True, capture_output=True, timeout=240)
    text = ["pdftotext", "-layout", str(tmp_path / "af.pdf"), "-"]
    pages = subprocess.run(text, capture_output=True, text=True, check=True).stdout.split("\f")
    table = next(p for p in pages if "Incidents by type and district" in p)
    assert re.search(r"\bBadakhshan\b", table), table


def test_arabic_paragraphs_read_right_to_left(tarhuna_db):
    from incidents.store import open_store

    title = "مقابر جماعية في ترهونة (2020)"
    selection = read_selection(open_store(tarhuna_db), WINDOW, Viewer("r", Role.VIEWER))
    prs = Presentation(io.BytesIO(build_deck(selection, DeckOptions(title=title))))
    for slide in list(prs.slides)[:2]:  # the title slide and the map slide
        paragraph = slide.shapes.title.text_frame.paragraphs[0]
        assert paragraph.text == title
        assert paragraph._p.pPr.get("rtl") == "1" and paragraph._p.pPr.get("algn") == "r"
    english = next(s for s in prs.slides if s.shapes.title.text == "Timeline")
    assert english.shapes.title.text_frame.paragraphs[0]._p.pPr.get("rtl") is None


def test_an_arabic_decks_table_names_districts_as_the_arabic_app_does(tarhuna_db):
    """The Arabic deck's table named the districts in English (Murqub) where the app's
    Arabic table says شعبية المرقب."""
    from incidents.export.service import in_language
    from incidents.store import open_store

    selection = read_selection(open_store(tarhuna_db), WINDOW, Viewer("r", Role.VIEWER))
    deck = in_language("ar", lambda: build_deck(selection, DeckOptions(title=TITLE)))
    tables = [
        shape.table
        for slide in Presentation(io.BytesIO(deck)).slides
        for shape in slide.shapes
        if shape.has_table
    ]
    header = [cell.text for table in tables for cell in table.rows[0].cells]
    assert "شعبية المرقب" in header and "Murqub" not in header, header


def test_a_typed_subtitle_goes_above_the_dates_never_instead(tarhuna_db):
    """Found in a browser walk: a typed subtitle replaced the dates, and the exports then
    stated them nowhere (the filters line says "none besides the date window")."""
    from dataclasses import replace

    from incidents.export.static_map import map_figure
    from incidents.store import open_store

    typed = "Mass graves found after June 2020 {{7*7}}"
    selection = read_selection(open_store(tarhuna_db), WINDOW, Viewer("r", Role.VIEWER))
    prs = Presentation(io.BytesIO(build_deck(selection, replace(OPTIONS, subtitle=typed))))
    lines = prs.slides[0].placeholders[1].text_frame.text.split("\n")
    assert lines[:2] == [typed, "1 January 2015 – 31 December 2023 (dates overlapping the window)"]
    fig, _drawn = map_figure(selection, MapOptions(subtitle=typed))
    try:
        words = [t.get_text() for t in fig.texts]
    finally:
        plt.close(fig)
    assert f"{typed} · 1 January 2015 – 31 December 2023 (dates overlapping the window)" in words
