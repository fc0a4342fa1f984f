"""Polygon layers: bundled country and district outlines, shaded districts, choropleth.

The basemap is drawn from data bundled with the app (geodata), so there is a map
with no internet at all; online tiles are only ever an opt-in extra.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import admin1_frame, countries_frame, country_bounds
from incidents.maps.page_data import DataElement, DataTemplate, js_json_text
from incidents.translation import _, is_rtl, number

Bounds = tuple[float, float, float, float]


class Polygons(DataElement):
    """A GeoJSON layer styled per feature (properties._style), with an optional escaped tooltip."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var options = {
            interactive: {{ "true" if this.interactive else "false" }},
            style: function (f) { return f.properties._style; }
          };
          {% if this.pane %}
          if (!parent.getPane({{ this.pane|tojson }})) {
            parent.createPane({{ this.pane|tojson }}).style.zIndex = 150;
          }
          options.pane = {{ this.pane|tojson }};
          {% endif %}
          var layer = L.geoJSON({{ this.data_js }}, options);
          {% if this.interactive %}
          layer.eachLayer(function (l) {
            if (l.feature.properties._tip) {
              l.bindTooltip(l.feature.properties._tip, {sticky: true, className: "incident-tip"});
            }
          });
          {% endif %}
          layer.addTo(parent);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, data: dict[str, Any] | str, interactive: bool = False, pane: str = ""
    ) -> None:
        """pane: draw in a pane of that name under the tiles' (a map's own outlines,
        seen wherever online tiles do not load); only for a layer added to the map."""
        super().__init__()
        self._name = "Polygons"
        self.pane = pane
        text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        # No string in the data can close the script element or open a template.
        self.data_js = js_json_text(text)
        self.interactive = interactive


def _feature(geom: shapely.Geometry, style: dict[str, Any], tip: str = "", **props: Any) -> dict:
    return {
        "type": "Feature",
        "geometry": json.loads(shapely.to_geojson(geom)),
        "properties": {**props, "_style": style, "_tip": tip},
    }


def region_bounds(country: str, margin: float = 6.0) -> Bounds:
    """The country's box grown by margin degrees: how much of the neighbours to draw."""
    west, south, east, north = country_bounds(country)
    return (west - margin, south - margin, east + margin, north + margin)


def _districts(countries: Sequence[str]) -> gpd.GeoDataFrame:
    """The bundled districts of every one of these countries, in one frame (a str is
    one country's code, not a sequence of letters)."""
    frames = [admin1_frame(c) for c in ((countries,) if isinstance(countries, str) else countries)]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


@functools.lru_cache(maxsize=8)
def outline_geojson(countries: tuple[str, ...], tolerance: float = 0.02) -> str:
    """The countries' outlines and their neighbours' (clipped to one box around the
    regions of them all), and their district outlines, as GeoJSON text, simplified.
    One box: a box per country drew Libya and Afghanistan as two squares of land in
    an empty world. Coarser as the box grows (the view then shows a continent)."""
    boxes = np.array([region_bounds(c) for c in countries])
    region = shapely.box(*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))
    tolerance = max(tolerance, (region.bounds[2] - region.bounds[0]) / 2000)
    feats = []
    for iso2, geom in zip(countries_frame()["iso2"], countries_frame().geometry, strict=True):
        clipped = shapely.intersection(shapely.make_valid(geom), region)
        if clipped.is_empty:
            continue
        focus = iso2 in countries
        style = {
            "color": "#555555" if focus else "#9a9a9a",
            "weight": 1.6 if focus else 0.8,
            "fillColor": "#fbfaf6" if focus else "#ecebe6",
            "fillOpacity": 1,
        }
        feats.append(_feature(clipped.simplify(tolerance), style))
    for geom in _districts(countries).geometry:
        style = {"color": "#8c8c8c", "weight": 0.7, "dashArray": "3 3", "fill": False}
        feats.append(_feature(geom.simplify(tolerance / 2), style))
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"))


def district_shading(countries: Sequence[str], codes: set[str]) -> dict[str, Any]:
    """The districts whose incidents are known only to the district, lightly shaded."""
    style = {
        "color": "#444444",
        "weight": 1.2,
        "dashArray": "6 4",
        "fillColor": "#7a7a7a",
        "fillOpacity": 0.22,
    }
    frame = _districts(countries)
    feats = [
        _feature(geom.simplify(0.01), style)
        for code, geom in zip(frame["code"], frame.geometry, strict=True)
        if code in codes
    ]
    return {"type": "FeatureCollection", "features": feats}


UNKNOWN_FILL = "#b8b8b8"  # a district whose records give no number: not the ramp's zero


def choropleth(
    countries: Sequence[str],
    totals: dict[str, float],
    colour_of: Any,
    unit: str,
    words: dict[str, str] | None = None,
    unknown: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Every district filled by its total (colour_of(value) -> colour), tooltip name and
    total. words: how each district's total reads (aggregate.total_words: 'at least 338');
    a district in unknown (the records give no number) is grey, one absent from totals
    has no incidents in the selection. The tooltip is in the reader's language, right to
    left in Arabic, with the district's name in that language first."""
    words = words or {}
    frame = _districts(countries)
    rtl = is_rtl()
    feats = []
    for code, en, ar, geom in zip(
        frame["code"], frame["name_en"], frame["name_ar"], frame.geometry, strict=True
    ):
        value = float(totals.get(code, 0.0))
        said = words.get(code, number(value))
        fill, opacity = (colour_of(value), 0.8) if value > 0 else ("#ffffff", 0.3)
        if code in unknown:
            fill, opacity = UNKNOWN_FILL, 0.55
        style = {"color": "#333333", "weight": 0.8, "fillColor": fill, "fillOpacity": opacity}
        line = (
            _("{total} {unit}").format(total=said, unit=unit)
            if code in totals
            else _("no incidents in the selection")
        )
        if code in unknown:
            line = _("{unit}: unknown (the records give no number)").format(unit=unit)
        feats.append(
            _feature(geom.simplify(0.01), style, _tip(code, str(en), str(ar or ""), line, rtl),
                     code=code, value=value, said=said)
        )  # fmt: skip
    return {"type": "FeatureCollection", "features": feats}


def districts_extent(countries: Sequence[str], codes: Iterable[str]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around these districts' outlines (None for none):
    the district totals open on the districts that hold incidents, not the country."""
    frame = _districts(countries)
    chosen = frame[frame["code"].isin(set(codes))]
    if chosen.empty:
        return None
    west, south, east, north = (float(v) for v in chosen.total_bounds)
    return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]


# A clicked district's tooltip reaches the page as its text (streamlit-folium sends the
# clicked layer's tooltip textContent): the code rides in it, in an element not shown.
_CLICK_MARK = "district:"
_CLICK_CODE = re.compile(re.escape(_CLICK_MARK) + r"([^;\s]{1,16});")


def _tip(code: str, en: str, ar: str, line: str, rtl: bool) -> str:
    """A district's tooltip, all text escaped: both names, the reader's own first."""
    english = f'<span dir="ltr" lang="en">{html.escape(en)}</span>'
    arabic = f'<span dir="rtl" lang="ar">{html.escape(ar)}</span>'
    names = f"<b>{arabic}</b> {english}" if rtl else f"<b>{english}</b> {arabic}"
    mark = f"<span hidden>{_CLICK_MARK}{html.escape(code)};</span>"
    return f'<div dir="{"rtl" if rtl else "ltr"}">{mark}{names}<br>{html.escape(line)}</div>'


def clicked_district(tooltip_text: str | None) -> str | None:
    """The district code of a clicked district's tooltip text (see _tip), else None."""
    found = _CLICK_CODE.search(tooltip_text or "")
    return found.group(1) if found else None
