"""Where the public rules put the places an export shows, in the export's language.

public_place decides where a public point goes; this module alone says it in words,
for the detail panel, a caption or a slide's notes ('Places as published: 9 shown at
the town of Tarhuna'), each sentence whole in the catalogue so a translator can reorder
it. The English it replaced is the oracle in tests/placement_words_oracle.py.
"""

from __future__ import annotations

import pandas as pd

from geodata import record_country
from geodata.spellings import arabic_name
from incidents import translation
from incidents.access import PublicRules
from incidents.translation import _


def km_words(step: float) -> str:
    return translation.number(step, 0 if float(step).is_integer() else 1)


def town_name(place: str, country: str = "LY") -> str:
    """A town as the page's reader reads it: on an Arabic page its gazetteer name in
    Arabic, as the map labels it (ترهونة), else as the record spells it."""
    if place and translation.language() == "ar" and (arabic := arabic_name(place, country)):
        return arabic
    return place


def basis_words(precision: str, place: str, rules: PublicRules, country: str = "LY") -> str:
    """'shown at the town of Tarhuna', 'shown at the centre of a 10 km square', ..."""
    if precision == "town" and place:
        return _("shown at the town of {place}").format(place=town_name(place, country))
    if precision == "district":
        return _("shown at the district centre")
    if precision == "approximate":
        return _("shown at the centre of a {km} km square").format(km=km_words(rules.cell_km))
    return ""


def rules_words(rules: PublicRules) -> str:
    """The public rule as one sentence, for an export's caption and notes."""
    km = km_words(rules.cell_km)
    if rules.basis == "grid":
        return _("Public rules: each place is shown at the centre of its {km} km square.").format(
            km=km
        )
    if rules.basis == "district":
        return _(
            "Public rules: each place is shown at its district centre (where the district "
            "is unknown, at the centre of its {km} km square)."
        ).format(km=km)
    return _(
        "Public rules: each place is shown at the town the record names (a town of the "
        "gazetteer), else at the centre of its {km} km square; records known only to their "
        "district at the district centre."
    ).format(km=km)


def placement_summary(rows: pd.DataFrame, rules: PublicRules) -> str:
    """'Places as published: 9 shown at the town of Tarhuna; 1 shown at the centre of a
    10 km square.' ('' for rows that are not coarsened, or none located)."""
    if "location_precision" not in rows.columns or "latitude" not in rows.columns:
        return ""
    located = rows[rows["latitude"].notna()]
    places = located["place"] if "place" in located.columns else pd.Series("", located.index)
    countries = [
        record_country(c, d)
        for c, d in zip(located.get("country", pd.Series("", located.index)),
                        located.get("admin1_code", pd.Series("", located.index)), strict=True)
    ]  # fmt: skip
    words = [
        basis_words(str(p), str(n or ""), rules, c)
        for p, n, c in zip(located["location_precision"], places.fillna(""), countries, strict=True)
    ]
    counts = pd.Series([w for w in words if w], dtype=object).value_counts()
    if counts.empty:
        return ""
    parts = [_("{n} {where}").format(n=translation.number(int(n)), where=w)
             for w, n in counts.items()]  # fmt: skip
    return _("Places as published: {parts}.").format(parts=_("; ").join(parts))
