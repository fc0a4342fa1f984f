"""Leaflet layers written as compact data plus one loop of JavaScript.

One folium Marker per incident costs about a kilobyte of generated script; these
elements send a row of a few numbers and an escaped tooltip per incident and build
the markers in the browser, so a view of 3000 incidents stays a few hundred KB.
All text reaching the page is HTML-escaped in Python before it is sent.
"""

from __future__ import annotations

import html
from html import escape as _escape  # Legend's argument is named html
from typing import Any

from folium.elements import JSCSSMixin

from incidents.maps.marker_text import ref_word
from incidents.maps.page_data import DataElement, DataTemplate
from incidents.translation import _, is_rtl

CLUSTER_JS = [
    (
        "markerclusterjs",
        "https://unpkg.com/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js",
    )
]
CLUSTER_CSS = [
    ("markerclustercss", "https://unpkg.com/leaflet.markercluster@1.5.3/dist/MarkerCluster.css"),
    (
        "markerclusterdefaultcss",
        "https://unpkg.com/leaflet.markercluster@1.5.3/dist/MarkerCluster.Default.css",
    ),
]
HEAT_JS = [("leaflet-heat.js", "https://unpkg.com/leaflet.heat@0.2.0/dist/leaflet-heat.js")]


class IncidentMarkers(JSCSSMixin, DataElement):
    """Markers by type symbol, clustered when dense.

    rows: [lat, lon, type index, filled (0/1), id, title, dates, precision index]; the
    tooltip is built in the browser with every text escaped (tests/tooltip_oracle.py).
    popups (standalone files, which have no detail panel): id -> the marker's popup,
    escaped in Python (folium_map.popup_html); a click on the marker opens it. They
    were once click targets of their own under the markers, which took the clicks.
    """

    default_js = CLUSTER_JS
    default_css = CLUSTER_CSS
    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          // A focused marker (clicked, or reached with Tab) must not pan the map: the pan
          // moves it from under the pointer and the click is lost.
          L.Marker.prototype.options.autoPanOnFocus = false;
          var icons = {{ this.icons|tojson }};
          var labels = {{ this.labels|tojson }};
          var precisions = {{ this.precisions|tojson }};
          var rows = {{ this.rows|tojson }};
          var popups = {{ this.popups|tojson }};
          var entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
          function esc(s) {
            return String(s).replace(/[&<>"']/g, function (c) { return entities[c]; });
          }
          var ref = {{ this.ref|tojson }}, dir = {{ this.dir|tojson }};
          function tip(r) {
            return '<div dir="' + dir + '"><b dir="auto">' + esc(r[5]) + "</b><br>"
              + labels[r[2]] + " · " + esc(r[6]) + " · " + precisions[r[7]]
              + "<br><small>" + ref + " " + esc(r[4]) + "</small></div>";
          }
          var group = {% if this.cluster %}L.markerClusterGroup({{ this.cluster_options|tojson }})
                      {% else %}L.featureGroup(){% endif %};
          var cache = {};
          function icon(t, f) {
            var k = t + ":" + f;
            if (!cache[k]) {
              cache[k] = L.divIcon({html: icons[t][f ? 0 : 1], className: "incident-symbol",
                                    iconSize: [18, 18], iconAnchor: [9, 9],
                                    tooltipAnchor: [0, -9]});
            }
            return cache[k];
          }
          for (var i = 0; i < rows.length; i++) {
            var r = rows[i];
            var m = L.marker([r[0], r[1]], {icon: icon(r[2], r[3]), riseOnHover: true});
            m.bindTooltip(tip(r), {direction: "top", className: "incident-tip"});
            m.incidentId = r[4];
            if (popups[r[4]]) { m.bindPopup(popups[r[4]], {maxWidth: 360}); }
            group.addLayer(m);
          }
          group.addTo(parent);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: list[list[Any]],
        icons: list[list[str]],
        labels: list[str],
        precisions: list[str],
        cluster: bool = True,
        cluster_options: dict[str, Any] | None = None,
        popups: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._name = "IncidentMarkers"
        self.rows = rows
        self.popups = popups or {}
        self.icons = icons
        self.labels = [html.escape(label) for label in labels]
        self.precisions = [html.escape(label) for label in precisions]
        self.ref = html.escape(ref_word())  # a click is traced by it (marker_text.clicked_id)
        self.dir = "rtl" if is_rtl() else "ltr"
        self.cluster = cluster
        self.cluster_options = cluster_options or {
            "maxClusterRadius": 40,
            "showCoverageOnHover": False,
            "spiderfyOnMaxZoom": True,
        }


class UncertaintyRings(DataElement):
    """Dashed circles of the radius within which each approximate or town-level site lies."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var rings = {{ this.rings|tojson }};
          for (var i = 0; i < rings.length; i++) {
            L.circle([rings[i][0], rings[i][1]], {radius: rings[i][2], color: "#333333",
              weight: 1.2, dashArray: "4 4", fill: true, fillColor: "#555555",
              fillOpacity: 0.06, interactive: false}).addTo(parent);
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rings: list[list[float]]) -> None:
        super().__init__()
        self._name = "UncertaintyRings"
        self.rings = rings


class Pins(DataElement):
    """Small labelled circles (the entry form's place candidates and its chosen point).

    pins: [lat, lon, label, ring (0/1)]; the label is set as tooltip text, never as HTML.
    """

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var pins = {{ this.pins|tojson }};
          for (var i = 0; i < pins.length; i++) {
            var p = pins[i], label = document.createElement("span");
            label.textContent = p[2];
            L.circleMarker([p[0], p[1]], p[3]
              ? {radius: 9, color: "#000000", weight: 3, fill: false}
              : {radius: 7, color: "#0072B2", fill: true}).bindTooltip(label).addTo(parent);
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, pins: list[list[Any]]) -> None:
        super().__init__()
        self._name = "Pins"
        self.pins = pins


class Legend(DataElement):
    """The legend as a map control, replaced whenever its layer is redrawn."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var html = {{ this.html|tojson }};
          function attach(map) {
            if (!map) { return; }
            if (map._incidentLegend) { map.removeControl(map._incidentLegend); }
            var rtl = {{ this.rtl|tojson }}, summary = {{ this.summary|tojson }};
            // Mirrored in Arabic: the legend in the bottom left corner, read right to left.
            var control = L.control({position: rtl ? "bottomleft" : "bottomright"});
            control.onAdd = function () {
              var div = L.DomUtil.create("div", "incident-legend");
              div.dir = rtl ? "rtl" : "ltr";
              div.innerHTML = "<details open><summary>" + summary + "</summary>" + html
                + "</details>";
              L.DomEvent.disableClickPropagation(div);
              L.DomEvent.disableScrollPropagation(div);
              return div;
            };
            control.addTo(map);
            map._incidentLegend = control;
          }
          if (parent._map) { attach(parent._map); }
          parent.on("add", function (e) { attach(e.target._map); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.rtl = is_rtl()  # the reader's language when the layer is drawn
        self.summary = _escape(_("Legend"))


class Assets(JSCSSMixin, DataElement):
    """Every script and stylesheet any data layer may need, loaded once with the base map."""

    default_js = [*CLUSTER_JS, *HEAT_JS]  # noqa: RUF012 (folium declares it so)
    default_css = CLUSTER_CSS
    _template = DataTemplate(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
          {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
          {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.credit|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, credit: str) -> None:
        super().__init__()
        self._name = "Assets"
        self.credit = credit
        self.css = MAP_CSS


MAP_CSS = """
.leaflet-container { background: #d7e6ef; font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
.incident-symbol { background: none; border: none; }
.leaflet-control-attribution { font-size: 10px; }
.leaflet-overlay-pane > canvas.leaflet-heatmap-layer { z-index: 300; }
.incident-tip { min-width: 200px; max-width: 320px; white-space: normal; }
.incident-legend { background: rgba(255,255,255,0.93); padding: 6px 9px; border-radius: 4px;
  font-size: 11px; line-height: 1.3; max-height: 300px; max-width: 250px; overflow-y: auto;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); color: #222; }
.incident-legend h4 { margin: 2px 0 4px; font-size: 12px; }
.incident-legend summary { cursor: pointer; font-weight: bold; }
.incident-legend .row { display: flex; align-items: center; gap: 6px; }
.incident-legend .swatch { display: inline-block; width: 14px; height: 12px;
  border: 1px solid #555; }
.incident-legend .note { color: #444; font-size: 11px; max-width: 260px; white-space: normal; }
.incident-legend[dir="rtl"], .incident-tip [dir="rtl"] { text-align: right;
  font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif; }
"""
