"""Map images: sizes, DPI, legend and stamp on the face, a map that is not blank."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import numpy as np
import pytest
from PIL import Image

from incidents.access import Role, Viewer
from incidents.export.basemap import PlaceLabel
from incidents.export.panels import panels_by_period, panels_by_type
from incidents.export.profiles import get_profile
from incidents.export.selection import read_selection
from incidents.export.static_map import MapOptions, render_map, render_panels
from incidents.export.theme import parse_size
from incidents.query import Query

PARTNER = Viewer("partner-reader", Role.VIEWER)
WINDOW = Query(date_from=date(2015, 1, 1), date_to=date(2023, 12, 31))
LINK = "http://localhost:8501/?from=2015-01-01&to=2023-12-31"
TARHUNA = PlaceLabel("Tarhuna", 32.43501, 13.6332)


@pytest.fixture
def selection(tarhuna_store):
    return read_selection(tarhuna_store, WINDOW, PARTNER, link=LINK)


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _map_region(image: Image.Image) -> np.ndarray:
    """The map's part of a 16:9 export (left two thirds, between header and footer)."""
    w, h = image.size
    return np.asarray(image.convert("RGB"))[int(h * 0.16) : int(h * 0.88), : int(w * 0.66)]


def test_default_png_is_a_1920x1080_slide_at_144_dpi(selection):
    image = _png(render_map(selection, MapOptions(fit=True, labels=(TARHUNA,))))
    assert image.size == (1920, 1080)
    assert image.info["dpi"] == pytest.approx((144, 144), abs=0.1)


def test_2x_png_doubles_pixels_and_dpi(selection):
    image = _png(render_map(selection, MapOptions(fit=True, scale=2)))
    assert image.size == (3840, 2160)
    assert image.info["dpi"] == pytest.approx((288, 288), abs=0.1)


@pytest.mark.parametrize(("size", "pixels"), [("4:3", (1440, 1080)), ("a4", (1684, 1191)),
                                              ("1200x1600", (1200, 1600))])  # fmt: skip
def test_other_sizes(selection, size, pixels):
    image = _png(render_map(selection, MapOptions(fit=True, size=parse_size(size))))
    assert image.size == pixels


def test_bad_custom_size_is_refused_in_words():
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        parse_size("huge")


def test_map_is_not_blank_and_shows_incident_colours(selection):
    region = _map_region(_png(render_map(selection, MapOptions(fit=True))))
    assert region.std() > 10  # outlines, sea and land, not one flat colour
    # the mass-grave markers are black, the killing triangle vermilion (#D55E00)
    vermilion = np.all(np.abs(region.astype(int) - [0xD5, 0x5E, 0x00]) < 30, axis=-1)
    assert vermilion.sum() > 20


def test_svg_keeps_legend_stamp_and_profile_as_text(selection):
    svg = render_map(selection, MapOptions(fit=True, title="Tarhuna briefing"), "svg").decode()
    for text in ("Tarhuna briefing", "Incident type", "Mass grave (2)", "Data version",
                 selection.data_version, "PARTNER", "9 incidents shown", LINK.replace("&", "&amp;"),
                 "GeoNames", "Natural Earth", "Human Rights Watch"):  # fmt: skip
        assert text in svg, text


def test_pdf_renders_with_face_only_metadata(selection, tmp_path):
    pdf = render_map(selection, MapOptions(fit=True, title="Tarhuna briefing"), "pdf")
    assert pdf.startswith(b"%PDF")
    assert b"editor-who-must-not-appear" not in pdf and b"/tmp" not in pdf
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    (tmp_path / "map.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(tmp_path / "map.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    page = Image.open(tmp_path / "page.png")
    assert np.asarray(page.convert("L")).std() > 10
    info = subprocess.run(["pdfinfo", str(tmp_path / "map.pdf")], capture_output=True,
                          check=True).stdout  # fmt: skip
    assert b"Tarhuna briefing" in info


def test_png_text_chunks_say_only_what_the_face_says(selection):
    image = _png(render_map(selection, MapOptions(fit=True, title="T")))
    chunks = {k: v for k, v in image.info.items() if isinstance(v, str)}
    assert set(chunks) <= {"Title", "Description", "Software"}
    assert "editor-who-must-not-appear" not in str(chunks) and "partner-reader" not in str(chunks)
    assert selection.data_version in chunks["Description"]


def test_counts_say_what_is_left_out(tarhuna_store):
    narrow = Query(date_from=date(2020, 7, 1), date_to=date(2020, 12, 31))
    selection = read_selection(tarhuna_store, narrow, PARTNER)
    svg = render_map(selection, MapOptions(fit=True), "svg").decode()
    shown = len(selection.rows)
    match = re.search(rf"{shown} incidents? shown; (\d+) not shown \((\d+) outside the window\)",
                      svg)  # fmt: skip
    assert match and int(match[1]) == 9 - shown


def test_view_extent_is_what_you_get(selection):
    """A view that excludes Tarhuna counts its incidents as outside the map view."""
    far = MapOptions(extent=(20.0, 30.0, 21.0, 31.0))
    svg = render_map(selection, far, "svg").decode()
    assert "0 incidents shown; 9 not shown (9 outside" in svg
    assert "9 incidents shown" not in svg  # the metadata says what the face says


def test_arabic_title_reaches_the_svg_in_logical_order(selection):
    svg = render_map(selection, MapOptions(fit=True, title="ترهونة Tarhuna"), "svg").decode()
    assert "ترهونة Tarhuna" in svg


def test_small_multiples_by_period_and_type(selection):
    by_period = panels_by_period(selection, [date(2020, 6, 1)])
    assert [p.title for p in by_period] == ["Before 1 June 2020", "From 1 June 2020"]
    svg = render_panels(selection, by_period, MapOptions(fit=True), "svg").decode()
    assert "Before 1 June 2020 · 7 incidents" in svg and "From 1 June 2020 · 8 incidents" in svg
    assert "appear in each panel" in svg
    image = _png(render_panels(selection, panels_by_type(selection), MapOptions(fit=True)))
    assert image.size == (1920, 1080)


def test_public_profile_face_and_coarsening(tarhuna_store):
    selection = read_selection(tarhuna_store, WINDOW, Viewer("anyone", Role.PUBLIC))
    assert selection.profile == get_profile("public")
    assert set(selection.rows["location_precision"]) == {"town"}  # shown at Tarhuna
    assert set(selection.rows["latitude"]) == {32.43501}
    svg = render_map(selection, MapOptions(fit=True), "svg").decode()
    assert "PUBLIC" in svg and "places shown at their town" in svg
