"""Right-to-left lines in an exported SVG say so, as matplotlib leaves the order to the
viewer (found in a browser walk: an Arabic subtitle starting with a day showed the day
at the far end, and the footer read backwards)."""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt

from incidents.export import theme
from incidents.export.arabic import (
    for_matplotlib,
    matplotlib_shapes_text,
    rtl_svg_text,
    visual_order,
)
from incidents.export.layout import Flow


def _svg(*texts: tuple[str, str]) -> str:
    """A figure with each (text, horizontal alignment), as matplotlib writes it."""
    with theme.export_style():
        fig = plt.figure(figsize=(4, 2))
        try:
            for n, (text, align) in enumerate(texts):
                fig.text(0.9, 0.2 + 0.2 * n, text, ha=align)
            out = io.BytesIO()
            fig.savefig(out, format="svg")
        finally:
            plt.close(fig)
    return out.getvalue().decode()


def test_a_line_that_reads_right_to_left_is_marked_and_keeps_its_side():
    texts = [("1 يناير 2020 – 31 ديسمبر 2020", "right"), ("GeoNames (CC BY 4.0)", "right"),
             ("كل التواريخ", "center"), ("ترهونة <b>&amp; {{7*7}}", "left")]  # fmt: skip
    svg = rtl_svg_text(_svg(*texts))
    lines = {re.sub("<[^>]+>", "", t): t for t in re.findall(r"<text [^>]*>[^<]*</text>", svg)}
    dated = next(t for text, t in lines.items() if text.startswith("1 يناير"))
    assert 'direction="rtl"' in dated and "text-anchor: start" in dated  # its right edge
    latin = next(t for text, t in lines.items() if text.startswith("GeoNames"))
    assert "direction" not in latin and "text-anchor: end" in latin
    centred = next(t for text, t in lines.items() if "التواريخ" in text)
    assert 'direction="rtl"' in centred and "text-anchor: middle" in centred
    hostile = next(t for text, t in lines.items() if "ترهونة" in text)
    assert "&lt;b&gt;&amp;amp; {{7*7}}" in hostile  # still text, escaped as it was
    assert 'direction="rtl"' in hostile and "text-anchor: end" in hostile  # its left edge
    assert rtl_svg_text(svg) == svg  # marked once


def test_a_line_of_a_right_to_left_panel_reads_so_whatever_its_first_letter():
    """An Arabic sources line starting with a Latin name was laid out left to right: its
    end, «؛ و2 غيرها.», stuck to the last name ("Agenzia Novaغيرها 2و ؛"), in a walk."""
    line = "Treasury؛ Reuters؛ ومصدر واحد غيرها."
    drawn = for_matplotlib(line, rtl=True)
    assert drawn == ("\u200f" + line if matplotlib_shapes_text() else visual_order(line, "R"))
    assert for_matplotlib(line) != drawn  # a left-to-right panel's line is left as it reads
    with theme.export_style():
        fig = plt.figure(figsize=(4, 2))
        try:
            flow = Flow(fig.add_axes((0, 0, 1, 1)), 1.0, rtl=True)
            flow.text(line, 10.5)
            assert [t.get_text() for t in fig.axes[0].texts] == [drawn]
        finally:
            plt.close(fig)


def test_a_latin_line_or_row_of_a_right_to_left_panel_reads_right_to_left_too():
    """A wrapped Arabic sources line holding only the last Latin name ("Report.") kept its
    full stop on the right, as did a legend row of a Latin perpetrator's name cut short."""
    assert for_matplotlib("Report.") == "Report."
    drawn = for_matplotlib("Report.", rtl=True)
    assert drawn == ("\u200fReport." if matplotlib_shapes_text() else visual_order("Report.", "R"))
    label = "Kaniyat militia and every group that fought with it " * 4
    with theme.export_style():
        fig = plt.figure(figsize=(4, 2))
        try:
            flow = Flow(fig.add_axes((0, 0, 1, 1)), 1.0, rtl=True)
            flow.row(label, 10.5, "o")
            (row,) = fig.axes[0].texts
            marked = row.get_text().startswith("\u200f") or not matplotlib_shapes_text()
            assert "…" in row.get_text() and marked
        finally:
            plt.close(fig)


def test_direction_overrides_in_record_text_reorder_nothing_in_an_image():
    """A publisher "\u202eEvil Corp" drew every later name backwards (found in review)."""
    assert for_matplotlib("\u202eEvil Corp; CNN; \u2067BBC\u2069") == "Evil Corp; CNN; BBC"
    assert for_matplotlib("\u202eترهونة", rtl=True).count("\u202e") == 0


def test_a_tab_in_record_text_is_drawn_as_a_space_not_a_missing_glyph(recwarn):
    """Found in a red-team pass: a title holding a tab showed a box on a deck's image,
    and matplotlib warned "Glyph 9 missing"."""
    assert for_matplotlib("Mass grave\tTarhuna") == "Mass grave Tarhuna"
    with theme.export_style():
        fig, ax = plt.subplots()
        ax.set_title(for_matplotlib("Mass grave\tTarhuna"))
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    assert not [w for w in recwarn if "missing" in str(w.message)]
