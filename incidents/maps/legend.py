"""The map legend: what each symbol, ring, shade and colour means, in plain words.

Built from incidents.styles, so it always matches what is drawn; every piece of
text is escaped. The same HTML is used in the app and in exported HTML maps.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from incidents.maps.symbols import symbol_svg
from incidents.styles import PRECISION_STYLES, TYPE_STYLES, type_style

RAMP = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")  # viridis, CVD-safe
DISTRICT_SHADE = "#7a7a7a"
UNKNOWN_FILL = "#b8b8b8"  # layers_geo.UNKNOWN_FILL: a total no record gives a number for


def ramp_colour(value: float, breaks: Sequence[float]) -> str:
    """The ramp colour of the class a value falls in (breaks are class upper bounds)."""
    for i, upper in enumerate(breaks):
        if value <= upper:
            return RAMP[min(i, len(RAMP) - 1)] if len(breaks) > 1 else RAMP[2]
    return RAMP[min(len(breaks) - 1, len(RAMP) - 1)]


def _row(symbol: str, text: str) -> str:
    return f'<div class="row">{symbol}<span dir="auto">{html.escape(text)}</span></div>'


def _types_part(types: Iterable[str]) -> str:
    rows = [_row(symbol_svg(type_style(code), True, 14), type_style(code).label) for code in types]
    return "<h4>Incident type</h4>" + "".join(rows)


def _precision_part(precisions: Iterable[str], hidden_country: int) -> str:
    grey = TYPE_STYLES["enforced_disappearance"]
    present = set(precisions)
    rows = []
    if "exact" in present:
        rows.append(_row(symbol_svg(grey, True, 14), "Solid: exact site"))
    if "approximate" in present:
        rows.append(_row(_ring(), "Dashed ring: site lies within the stated radius"))
    if "town" in present:
        rows.append(
            _row(symbol_svg(grey, False, 14), "Hollow: known only to the town (ring: about 5 km)")
        )
    if "district" in present:
        rows.append(
            _row(
                _swatch(DISTRICT_SHADE, 0.3, dashed=True),
                "Shaded district: known only to the district",
            )
        )
    if hidden_country:
        rows.append(
            f'<div class="note">{hidden_country} incident(s) known only to the country '
            "or without coordinates are not drawn.</div>"
        )
    return "<h4>Where it happened</h4>" + "".join(rows) if rows else ""


def _ring() -> str:
    return (
        '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><circle cx="7" cy="7"'
        ' r="5.5" fill="none" stroke="#333" stroke-dasharray="2 2"/></svg>'
    )


def _swatch(colour: str, opacity: float = 0.75, dashed: bool = False) -> str:
    border = "1px dashed #333" if dashed else "1px solid #555"
    return (
        f'<span class="swatch" style="background:{html.escape(colour)};opacity:{opacity};'
        f'border:{border}"></span>'
    )


def _classes_part(title: str, breaks: Sequence[float], unit: str) -> str:
    rows, lower = [], 0.0
    for upper in breaks:
        label = f"{lower:g} – {upper:g}" if upper - lower > 1 else f"{upper:g}"
        rows.append(_row(_swatch(ramp_colour(upper, breaks)), f"{label} {unit}"))
        lower = upper + 1 if float(upper).is_integer() else upper
    return f"<h4>{html.escape(title)}</h4>" + "".join(rows)


def markers_legend(
    types: Iterable[str], precisions: Iterable[str], hidden_country: int = 0, credit: str = ""
) -> str:
    """Legend for the marker view: type symbols and how location precision is drawn."""
    parts = [_types_part(types), _precision_part(precisions, hidden_country)]
    parts.append('<div class="note">Numbered circles: several incidents close together.</div>')
    return _finish(parts, credit)


def grid_legend(
    breaks: Sequence[float], hidden_country: int = 0, credit: str = "", standalone: bool = False
) -> str:
    """Legend for the grid view shown when too many incidents are in view for markers;
    standalone: a file with no server behind it, which holds the counts only."""
    then = (
        "This file holds the counts, not the incidents: narrow the selection before "
        "exporting to see each one."
        if standalone
        else "Click a square or zoom in to see them."
    )
    parts = [
        _classes_part("Incidents per cell", breaks, ""),
        '<div class="note">Too many incidents in view to draw one by one: each square counts '
        f"the incidents in it. {then}</div>",
    ]
    if hidden_country:
        parts.append(f'<div class="note">{hidden_country} without a place on the map.</div>')
    return _finish(parts, credit)


def heat_legend(total: int, credit: str = "") -> str:
    """Legend for the heat map."""
    parts = [
        "<h4>Density of incidents</h4>",
        f'<div class="note">{total} incidents. Brighter = more incidents nearby. Incidents known '
        "only to a town or district count at its centre.</div>",
    ]
    return _finish(parts, credit)


def districts_legend(
    title: str,
    breaks: Sequence[float],
    unknown: int = 0,
    credit: str = "",
    kinds: Sequence[str] = (),
) -> str:
    """Legend for the district choropleth. kinds: the count_totals kinds besides exact
    totals that some district shows ('at', for 'at least N'; 'unknown')."""
    nothing_known = list(breaks) == [0.0] and bool(kinds)
    head = f"<h4>{html.escape(title)}</h4>"
    parts = [head if nothing_known else _classes_part(title, breaks, "")]
    if "at" in kinds:
        parts.append(
            '<div class="note">"At least N": some incidents there give no best estimate; '
            "their minimum is counted where given, so the true total may be higher.</div>"
        )
    if "unknown" in kinds:
        parts.append(
            _row(_swatch(UNKNOWN_FILL, 0.55), "Unknown: incidents there, but no number given")
        )
    if unknown:
        parts.append(f'<div class="note">{unknown} incident(s) have no district.</div>')
    return _finish(parts, credit)


def _finish(parts: list[str], credit: str) -> str:
    if credit:
        parts.append(f'<div class="note">{html.escape(credit)}</div>')
    return "".join(p for p in parts if p)


__all__ = [
    "PRECISION_STYLES",
    "districts_legend",
    "grid_legend",
    "heat_legend",
    "markers_legend",
    "ramp_colour",
]
