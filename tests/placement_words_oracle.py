"""The English words the public rules were first written in (before the export layer
said them in every language, incidents/export/placement_words.py): kept as the oracle
the English output of placement_words is checked against."""

from __future__ import annotations

import pandas as pd

from incidents.access import PublicRules


def _(text: str) -> str:
    return text


def basis_words(precision: str, place: str, rules: PublicRules) -> str:
    """How a public point was placed, for a reader: 'shown at the town of Tarhuna',
    'shown at the centre of a 10 km square', 'shown at the district centre'."""
    if precision == "town" and place:
        return _("shown at the town of {place}").format(place=place)
    if precision == "district":
        return _("shown at the district centre")
    if precision == "approximate":
        return _("shown at the centre of a {km} km square").format(km=f"{rules.cell_km:g}")
    return ""


def rules_words(rules: PublicRules) -> str:
    """The public rule as one sentence, for an export's caption and notes."""
    square = f"the centre of its {rules.cell_km:g} km square"
    if rules.basis == "grid":
        return f"Public rules: each place is shown at {square}."
    if rules.basis == "district":
        return (
            "Public rules: each place is shown at its district centre "
            f"(where the district is unknown, at {square})."
        )
    return (
        "Public rules: each place is shown at the town the record names (a town of the "
        f"gazetteer), else at {square}; records known only to their district at the "
        "district centre."
    )


def placement_summary(rows: pd.DataFrame, rules: PublicRules) -> str:
    """Where public rows are shown, for an export's caption and notes: 'Places as
    published: 9 shown at the town of Tarhuna; 1 shown at the centre of a 10 km
    square.' ('' for rows that are not coarsened: no such columns, or none located)."""
    if "location_precision" not in rows.columns or "latitude" not in rows.columns:
        return ""
    located = rows[rows["latitude"].notna()]
    places = located["place"] if "place" in located.columns else pd.Series("", located.index)
    words = [
        basis_words(str(p), str(n or ""), rules)
        for p, n in zip(located["location_precision"], places.fillna(""), strict=True)
    ]
    counts = pd.Series([w for w in words if w], dtype=object).value_counts()
    if counts.empty:
        return ""
    parts = [f"{n:,} {w}" for w, n in counts.items()]
    return f"Places as published: {'; '.join(parts)}."
