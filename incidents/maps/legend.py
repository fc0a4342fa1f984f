"""The map legend: what each symbol, ring, shade and colour means, in plain words.

Built from incidents.styles, so it always matches what is drawn; every piece of
text is escaped. The same HTML is used in the app and in exported HTML maps, in the
reader's language (incidents.translation); layers.Legend mirrors it in Arabic.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from incidents import count_totals
from incidents.maps.symbols import symbol_svg
from incidents.schema import INCIDENT_TYPES
from incidents.styles import PRECISION_STYLES, TYPE_STYLES, type_style
from incidents.translation import _, ngettext, number

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
    rows = [
        _row(symbol_svg(type_style(code), True, 14), INCIDENT_TYPES.shown(code)) for code in types
    ]
    return _heading(_("Incident type")) + "".join(rows)


def _precision_part(precisions: Iterable[str], hidden_country: int) -> str:
    grey = TYPE_STYLES["enforced_disappearance"]
    present = set(precisions)
    rows = []
    if "exact" in present:
        rows.append(_row(symbol_svg(grey, True, 14), _("Solid: exact site")))
    if "approximate" in present:
        rows.append(_row(_ring(), _("Dashed ring: site lies within the stated radius")))
    if "town" in present:
        rows.append(
            _row(
                symbol_svg(grey, False, 14), _("Hollow: known only to the town (ring: about 5 km)")
            )
        )
    if "district" in present:
        rows.append(
            _row(
                _swatch(DISTRICT_SHADE, 0.3, dashed=True),
                _("Shaded district: known only to the district"),
            )
        )
    if hidden_country:
        said = ngettext(
            "{n} incident known only to the country or without coordinates is not drawn.",
            "{n} incidents known only to the country or without coordinates are not drawn.",
            hidden_country,
        )
        rows.append(_note(said.format(n=number(hidden_country))))
    return _heading(_("Where it happened")) + "".join(rows) if rows else ""


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
        rows.append(_row(_swatch(ramp_colour(upper, breaks)), f"{label} {unit}".strip()))
        lower = upper + 1 if float(upper).is_integer() else upper
    return _heading(title) + "".join(rows)


def _heading(text: str) -> str:
    return f"<h4>{html.escape(text)}</h4>"


def _note(text: str) -> str:
    return f'<div class="note">{html.escape(text)}</div>'


def markers_legend(
    types: Iterable[str], precisions: Iterable[str], hidden_country: int = 0, credit: str = ""
) -> str:
    """Legend for the marker view: type symbols and how location precision is drawn."""
    parts = [_types_part(types), _precision_part(precisions, hidden_country)]
    parts.append(_note(_("Numbered circles: several incidents close together.")))
    return _finish(parts, credit)


def grid_legend(
    breaks: Sequence[float], hidden_country: int = 0, credit: str = "", standalone: bool = False
) -> str:
    """Legend for the grid view shown when too many incidents are in view for markers;
    standalone: a file with no server behind it, which holds the counts only."""
    then = (
        _(
            "This file holds the counts, not the incidents: narrow the selection before "
            "exporting to see each one."
        )
        if standalone
        else _("Click a square or zoom in to see them.")
    )
    too_many = _(
        "Too many incidents in view to draw one by one: each square counts the incidents in it."
    )
    parts = [
        _classes_part(_("Incidents per cell"), breaks, ""),
        _note(f"{too_many} {then}"),
    ]
    if hidden_country:
        parts.append(_note(_("{n} without a place on the map.").format(n=number(hidden_country))))
    return _finish(parts, credit)


def heat_legend(total: int, credit: str = "") -> str:
    """Legend for the heat map."""
    counted = ngettext("{n} incident.", "{n} incidents.", total).format(n=number(total))
    explained = _(
        "Brighter = more incidents nearby. Incidents known only to a town or district count "
        "at its centre."
    )
    parts = [_heading(_("Density of incidents")), _note(f"{counted} {explained}")]
    return _finish(parts, credit)


def districts_legend(
    title: str,
    breaks: Sequence[float],
    unknown: int = 0,
    credit: str = "",
    kinds: Sequence[str] = (),
) -> str:
    """Legend for the district choropleth. kinds: the count_totals kinds besides exact
    totals that some district shows (count_totals.AT_LEAST, count_totals.UNKNOWN)."""
    nothing_known = list(breaks) == [0.0] and bool(kinds)
    parts = [_heading(title) if nothing_known else _classes_part(title, breaks, "")]
    if count_totals.AT_LEAST in kinds:
        parts.append(
            _note(
                _(
                    '"At least N": some incidents there give no best estimate; their minimum '
                    "is counted where given, so the true total may be higher."
                )
            )
        )
    if count_totals.UNKNOWN in kinds:
        parts.append(
            _row(_swatch(UNKNOWN_FILL, 0.55), _("Unknown: incidents there, but no number given"))
        )
    if unknown:
        said = ngettext("{n} incident has no district.", "{n} incidents have no district.", unknown)
        parts.append(_note(said.format(n=number(unknown))))
    return _finish(parts, credit)


def _finish(parts: list[str], credit: str) -> str:
    if credit:
        parts.append(_note(credit))
    return "".join(p for p in parts if p)


__all__ = [
    "PRECISION_STYLES",
    "districts_legend",
    "grid_legend",
    "heat_legend",
    "markers_legend",
    "ramp_colour",
]
