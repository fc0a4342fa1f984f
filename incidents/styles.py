"""How incidents look, the same in the app and in every exported image.

Types differ by colour AND shape, so the map reads in grey print and for people
with colour-vision deficiency (Okabe-Ito palette). Location precision changes how
a point is drawn: a sharp marker only for a known site, a ring of the uncertainty
radius for approximate places, a hollow marker for town, a shaded district.
"""

from __future__ import annotations

from dataclasses import dataclass

from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS


@dataclass(frozen=True)
class TypeStyle:
    """Colour (hex) and marker shape of one incident type."""

    code: str
    label: str
    colour: str
    shape: str  # circle, square, triangle, diamond, star, cross, pentagon, hexagon, plus, x
    matplotlib_marker: str


_STYLES: dict[str, tuple[str, str, str]] = {
    "mass_grave": ("#000000", "square", "s"),
    "killing": ("#D55E00", "triangle", "^"),
    "torture": ("#CC79A7", "diamond", "D"),
    "enforced_disappearance": ("#0072B2", "circle", "o"),
    "arbitrary_detention": ("#56B4E9", "pentagon", "p"),
    "displacement": ("#009E73", "hexagon", "h"),
    "attack_on_civilians": ("#E69F00", "star", "*"),
    "sexual_violence": ("#882255", "cross", "X"),
    "destruction_of_property": ("#999933", "plus", "P"),
    "other": ("#777777", "x", "x"),
}

TYPE_STYLES: dict[str, TypeStyle] = {
    code: TypeStyle(code, INCIDENT_TYPES.label(code), *_STYLES[code])
    for code in INCIDENT_TYPES.codes
}


@dataclass(frozen=True)
class PrecisionStyle:
    """How a location precision is drawn and what the legend says of it."""

    code: str
    label: str
    filled: bool
    legend: str
    default_radius_km: float  # drawn uncertainty when the record gives none


PRECISION_STYLES: dict[str, PrecisionStyle] = {
    "exact": PrecisionStyle("exact", "Exact site", True, "solid marker: exact site", 0.0),
    "approximate": PrecisionStyle(
        "approximate",
        "Approximate",
        True,
        "marker with a ring: within the stated radius",
        5.0,
    ),
    "town": PrecisionStyle(
        "town", "Town", False, "hollow marker: somewhere in or near the town", 5.0
    ),
    "district": PrecisionStyle(
        "district", "District", False, "hollow marker at centre, district shaded", 0.0
    ),
    "country": PrecisionStyle(
        "country", "Country", False, "not drawn on the map: only the country is known", 0.0
    ),
}

assert set(PRECISION_STYLES) == set(LOCATION_PRECISIONS.codes)


def type_style(code: str) -> TypeStyle:
    return TYPE_STYLES.get(code, TYPE_STYLES["other"])


def uncertainty_km(precision: str, stated_km: float | None) -> float:
    """The radius to draw around a point: the record's own, else the precision's default."""
    if stated_km is not None and stated_km > 0:
        return float(stated_km)
    return PRECISION_STYLES.get(precision, PRECISION_STYLES["approximate"]).default_radius_km
