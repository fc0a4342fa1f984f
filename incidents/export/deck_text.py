"""Right-to-left paragraphs in a deck: direction, alignment and an Arabic font.

PowerPoint and LibreOffice shape Arabic themselves; what a deck must say is which
paragraphs read right to left (python-pptx has no API for it: the a:pPr rtl attribute),
that they are aligned right, and which font draws their letters (the run's a:cs, the
complex-script typeface), so a slide reads as the Arabic image beside it does.
"""

from __future__ import annotations

from typing import Any

from pptx.enum.text import PP_ALIGN
from pptx.text.text import _Paragraph

from incidents.export import theme
from incidents.export.arabic import starts_rtl
from incidents.translation import is_rtl


def direction(paragraph: _Paragraph, text: str) -> None:
    """A paragraph of a right-to-left deck, or whose text starts in Arabic, reads right
    to left, aligned right, its complex-script font one with Arabic glyphs."""
    if is_rtl() or starts_rtl(text):
        paragraph._p.get_or_add_pPr().set("rtl", "1")
        paragraph.alignment = PP_ALIGN.RIGHT
        for run in paragraph.runs:
            arabic_font(run._r.get_or_add_rPr())


def arabic_font(properties: Any) -> None:
    """The run's complex-script typeface (a:cs): the Arabic font the images use, and
    Arabic (Libya) as the run's language for spelling and fonts."""
    from pptx.oxml.ns import qn

    if properties.find(qn("a:cs")) is None:
        # a new run's a:rPr is empty, so a:cs lands where the schema wants it
        properties.append(properties.makeelement(qn("a:cs"), {"typeface": theme.ARABIC_FAMILY}))
    properties.set("lang", "ar-LY")
