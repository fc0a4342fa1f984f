"""Fonts, colours and sizes shared by every exported image.

Sizes are set in inches at 144 dpi so a 1920x1080 image is exactly a 13.33 x 7.5 in
16:9 slide (4:3: 10 x 7.5 in): pasted into PowerPoint it fills the slide at 100 %.
"""

from __future__ import annotations

import functools
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.axes import Axes

from incidents.translation import _, is_rtl

BASE_DPI = 144
ARABIC_FONT_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
)
LATIN_FAMILY = "DejaVu Sans"  # ships with matplotlib and has basic Arabic too
ARABIC_FAMILY = "Noto Sans Arabic"  # Debian fonts-noto-core (scripts/system_packages.sh)

INK = "#1d1d1f"
MUTED = "#5b5b60"
SEA = "#dce8f2"
LAND = "#f4f1ea"
LAND_OTHER = "#e4dfd5"
BORDER = "#9c958b"
DISTRICT_EDGE = "#c3bbb0"
DISTRICT_SHADE = "#b9c7d8"
PROFILE_COLOURS = {"public": "#2e7d32", "partner": "#b26a00", "internal": "#b3261e"}


@functools.cache
def font_families(arabic_first: bool = False) -> list[str]:
    """Latin font first, then one with Arabic glyphs when the system has it; an Arabic
    export puts the Arabic font first, so its words are drawn in Noto Sans Arabic (not
    DejaVu's plainer Arabic) and Latin letters fall back to DejaVu Sans."""
    families = [LATIN_FAMILY]
    for path in ARABIC_FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
            if name not in families:
                families.append(name)
    return [*families[1:], families[0]] if arabic_first and len(families) > 1 else families


def rc_params() -> dict[str, Any]:
    """matplotlib settings for exports: fonts with fallback, text kept as text in SVG.

    text.parse_math off: record text is drawn as written; "$x^$" in a publisher's name
    was read as TeX math and stopped the export (and "$5 and $6" lost its dollars).
    """
    return {
        "font.family": font_families(is_rtl()),
        "text.parse_math": False,
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "axes.unicode_minus": False,
    }


@dataclass(frozen=True)
class ImageSize:
    """An output size in inches (drawn at 144 dpi, times the scale for PNG)."""

    name: str
    width_in: float
    height_in: float
    text: float | None = None  # text scale when the default (from the size) does not fit

    @property
    def text_scale(self) -> float:
        """Shrink text on small custom sizes so the layout still fits."""
        if self.text is not None:
            return self.text
        return max(0.55, min(1.0, self.width_in / 13.333, self.height_in / 7.5))

    @property
    def landscape(self) -> bool:
        return self.width_in >= self.height_in * 1.15


SIZES: dict[str, ImageSize] = {
    "16:9": ImageSize("16:9", 1920 / BASE_DPI, 1080 / BASE_DPI),
    "4:3": ImageSize("4:3", 1440 / BASE_DPI, 1080 / BASE_DPI),
    "a4": ImageSize("a4", 1684 / BASE_DPI, 1191 / BASE_DPI),  # 297 x 210 mm
}
_CUSTOM = re.compile(r"^\s*(\d{3,5})\s*[x×]\s*(\d{3,5})\s*$")


def parse_size(text: str) -> ImageSize:
    """'16:9', '4:3', 'a4' (landscape) or 'WIDTHxHEIGHT' in pixels at 1x."""
    key = text.strip().lower()
    if key in SIZES:
        return SIZES[key]
    match = _CUSTOM.match(key)
    if not match:
        said = _("size {text}: use 16:9, 4:3, a4 or WIDTHxHEIGHT such as 1600x900")
        raise ValueError(said.format(text=repr(text)))
    width, height = int(match[1]), int(match[2])
    if not (320 <= width <= 8000 and 320 <= height <= 8000):
        raise ValueError(_("custom sizes run from 320 to 8000 pixels a side"))
    return ImageSize(f"{width}x{height}", width / BASE_DPI, height / BASE_DPI)


def axes_inches(ax: Axes) -> tuple[float, float]:
    """Width and height of an axes on the page, in inches."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    width, height = fig.get_size_inches()
    pos = ax.get_position()
    return float(pos.width * width), float(pos.height * height)


def export_style() -> AbstractContextManager[None]:
    """matplotlib settings in force while an export figure is built and saved."""
    import matplotlib.pyplot as plt

    params: Any = rc_params()
    return plt.rc_context(params)
