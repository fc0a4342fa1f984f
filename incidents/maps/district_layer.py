"""Totals per district: each district shaded by its count of incidents or of people,
"at least N" where the records give only a lower bound, "unknown" where none gives a
number (never 0), with the legend that reads them."""

from __future__ import annotations

import folium
import pandas as pd

from incidents import count_totals
from incidents.maps import aggregate, layers, layers_geo, legend
from incidents.maps.map_options import Drawn, MapOptions
from incidents.translation import _, number


def districts(group: folium.FeatureGroup, frame: pd.DataFrame, options: MapOptions) -> Drawn:
    table = aggregate.district_table(frame, options.measure)
    unknown = int((frame.get("admin1_code", pd.Series(dtype=str)).fillna("") == "").sum())
    return shading(group, table, unknown, len(frame), options)


def shading(
    group: folium.FeatureGroup,
    table: pd.DataFrame,
    unknown_place: int,
    shown: int,
    options: MapOptions,
) -> Drawn:
    """table: count_totals.COLUMNS per district code; a people total that is a lower
    bound reads 'at least N', one no record gives a number for 'unknown', never 0."""
    people = options.measure != "incidents"
    found = {str(code): count_totals.as_total(row) for code, row in table.iterrows()}
    words = {
        code: aggregate.total_words(total) if people else number(total.records)
        for code, total in found.items()
    }
    unknown = frozenset(c for c, t in found.items() if people and t.kind == count_totals.UNKNOWN)
    known = table["value"][[str(c) not in unknown for c in table.index]]
    breaks = aggregate.class_breaks(known.tolist())
    title = _(aggregate.MEASURES.get(options.measure, "Incidents"))
    totals = {str(k): float(v) for k, v in table["value"].items()}
    unit = title.lower() if people else _("incidents")
    colour = lambda v: legend.ramp_colour(v, breaks)  # noqa: E731
    data = layers_geo.choropleth(options.countries, totals, colour, unit, words, unknown)
    layers_geo.Polygons(data, interactive=True).add_to(group)
    kinds = sorted({t.kind for t in found.values() if people and t.kind != count_totals.EXACT})
    html_legend = legend.districts_legend(title, breaks, unknown_place, kinds=kinds)
    layers.Legend(html_legend).add_to(group)
    return Drawn("districts", int((table["value"] > 0).sum()), shown)
