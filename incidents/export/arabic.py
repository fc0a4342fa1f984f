"""Right-to-left text in exported images.

Matplotlib 3.11 lays out text with libraqm (HarfBuzz shaping, bidi ordering), so
logical-order Arabic must reach it untouched: reshaping it first would reverse it
twice. Older matplotlib draws code points left to right, so there we shape with
arabic_reshaper and reorder with python-bidi ourselves.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

import matplotlib

from incidents.translation import NO_OVERRIDES

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# A record's tab (kept by the import, as a line break is) drawn as a space: the fonts
# have no glyph for it, and a box showed in a deck's image.
_FOR_FIGURES = {**NO_OVERRIDES, ord("\t"): " "}


def starts_rtl(text: str) -> bool:
    """Whether text reads right to left as a paragraph: its first strong letter is
    Arabic or Hebrew (what HTML's dir="auto" decides; digits and marks are neutral)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@functools.cache
def matplotlib_shapes_text() -> bool:
    """True when this matplotlib shapes and orders complex scripts itself (3.11+)."""
    major, minor = (int(p) for p in matplotlib.__version__.split(".")[:2])
    return (major, minor) >= (3, 11)


def for_matplotlib(text: str, rtl: bool = False) -> str:
    """Text ready for matplotlib so Arabic reads right in the image. rtl: a line of a
    right-to-left panel, read so whatever its letters (a sources line starting "Human
    Rights Watch" ended "Agenzia Novaغيرها 2و ؛"; a line "Report." kept its stop right)."""
    text = text.translate(_FOR_FIGURES)
    if not text or not (rtl or _RTL.search(text)):
        return text
    if matplotlib_shapes_text():  # its own bidi: a right-to-left mark sets the direction
        return "\u200f" + text if rtl else text
    return visual_order(text, "R" if rtl else None)


def visual_order(text: str, base_dir: str | None = None) -> str:
    """Shaped presentation forms in display order, for renderers that do no shaping;
    base_dir "R" or "L" sets the line's direction (else its first strong letter does)."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text), base_dir=base_dir))


_SVG_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")


def rtl_svg_text(svg: str) -> str:
    """Each line of an SVG that reads right to left marked so, its anchor swapped to keep
    its side: matplotlib leaves the order to the viewer, which read it left to right (an
    Arabic subtitle starting with a day showed the day at the far end, in a walk)."""
    swap = {"start": "end", "end": "start"}

    def marked(m: re.Match[str]) -> str:
        if "direction=" in m[1] or not starts_rtl(html.unescape(m[2])):
            return m[0]
        anchored = re.sub("(?<=text-anchor: )(start|end)", lambda a: swap[a[0]], m[1])
        return f'<text direction="rtl" {anchored}>{m[2]}</text>'

    return _SVG_TEXT.sub(marked, svg)
