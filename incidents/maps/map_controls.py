"""The map's own controls: open on the data, zoom back to it, full screen, a quiet legend.

Written here as small Leaflet controls rather than plugins so nothing is fetched: the
page loads no script that static/ does not hold. ViewControls is drawn once with the
basemap (the app keeps the basemap mounted); DataExtent and SelectedIncident come with
each data layer and tell those controls what the layer holds.

- A map opened without a view (no shared link) fits the first layer's extent once;
  "Zoom to the incidents" fits the current layer's extent at any time.
- The legend starts collapsed to a small button and keeps the state the reader chose
  when the layer is redrawn (layers.Legend and layers_grid draw it; this watches it).
- A marker's tooltip closes on click, zoom and when the pointer reaches a control.
- The selected incident is brought out of its cluster (markercluster's
  zoomToShowLayer) and ringed, unless the map was opened at a shared view.
- ControlWords, sent with each data layer, names the controls in the reader's
  language and mirrors them in Arabic (buttons top right, legend and scale bottom
  left), so switching language never remounts the basemap.
"""

from __future__ import annotations

import html
from typing import Any

from geodata import ATTRIBUTION
from incidents.maps.page_data import DataElement, DataTemplate
from incidents.maps.pyramid import zoom_for
from incidents.translation import N_, _, digit_chars, is_rtl, language

FIT_MAX_ZOOM = 10  # one town's incidents: close enough to read the town names around them
FIT_HEIGHT_PX = 560  # the app's map frame (map_view.HEIGHT) until the page sizes it
MIN_SPAN_DEG = 0.05  # an extent narrower than this (points at one spot) is grown to it

CONTROLS_CSS = """
.incident-button a { font-size: 16px; line-height: 30px; font-weight: bold; color: #222; }
.incident-legend details:not([open]) { padding: 0; }
.incident-legend:has(details:not([open])) { padding: 4px 8px; max-height: none; }
.incident-legend summary { list-style-position: inside; }
.leaflet-right .incident-legend, .leaflet-left .incident-legend {
  max-width: min(250px, calc(100vw - 150px)); max-height: min(300px, calc(100vh - 120px)); }
.leaflet-marker-icon.incident-picked { z-index: 10000 !important; border-radius: 50%;
  box-shadow: 0 0 0 3px #ffffff, 0 0 0 6px #000000; }
.leaflet-control-container .leaflet-top { z-index: 1001; }
.incident-tip { pointer-events: none; }
.incident-rtl .leaflet-control-attribution, .incident-rtl .leaflet-control-scale-line {
  direction: rtl; }
.leaflet-control-attribution { max-width: calc(100vw - 150px); white-space: normal; }
.place-label { background: none; border: none; }
@media (max-width: 480px) { .leaflet-left .leaflet-control-scale { margin-bottom: 16px; } }
"""


class ViewControls(DataElement):
    """Zoom to the incidents, full screen, collapsed legend and tooltip rules (basemap)."""

    _template = DataTemplate(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          map._incidentFitPending = {{ this.fit_data|tojson }};
          map._incidentOpenedAtView = !map._incidentFitPending;
          map._incidentFitMaxZoom = {{ this.fit_max_zoom|tojson }};
          map._incidentLegendOpen = false;
          map._incidentButtons = [];
          // Named by ControlWords, which every data layer brings, in the reader's language.
          // One element per button, kept when ControlWords moves it to the other side.
          function button(key, text, action) {
            var control = L.control({position: "topleft"});
            var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control incident-button");
            var a = L.DomUtil.create("a", "", bar);
            a.href = "#"; a.setAttribute("role", "button"); a.textContent = text;
            L.DomEvent.disableClickPropagation(bar);
            L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); action(a); });
            control.onAdd = function () { return bar; };
            map._incidentButtons.push({key: key, control: control, a: a});
            return control.addTo(map);
          }
          map.fitIncidents = function (animate) {
            var b = map._incidentExtent;
            if (!b) { return false; }
            map.fitBounds(b, {padding: [24, 24], maxZoom: map._incidentFitMaxZoom,
                              animate: animate});
            return true;
          };
          // The scale bar, its units and digits in the reader's language (ControlWords
          // sends them); miles only for English readers.
          var Scale = L.Control.Scale.extend({
            _units: function () { return map._incidentUnits || SCALE_UNITS; },
            _updateMetric: function (maxMeters) {
              var u = this._units(), meters = this._getRoundNum(maxMeters);
              var n = String(meters < 1000 ? meters : meters / 1000).replace(/[0-9]/g,
                function (d) { return u.digits.charAt(+d); });
              var text = (meters < 1000 ? u.m : u.km).replace("{n}", n);
              this._updateScale(this._mScale, text, meters / maxMeters);
            },
            _updateImperial: function (maxMeters) {
              var shown = this._units().imperial;
              this._iScale.style.display = shown ? "" : "none";
              if (shown) { L.Control.Scale.prototype._updateImperial.call(this, maxMeters); }
            }
          });
          var SCALE_UNITS = {m: "{n} m", km: "{n} km", digits: "0123456789", imperial: true};
          // a phone (under 450 px): clear of the legend; the app's map column (about 550 px)
          // keeps 150, or "1000 km" ran past its 50 px bar in a walk
          var scaleMax = map.getSize().x < 450 ? 100 : 150;
          map._incidentScale = new Scale({maxWidth: scaleMax}).addTo(map);  // 75-150 px
          button("fit", "\u2316", function () { map.fitIncidents(true); });
          var box = map.getContainer();
          function isFull() { return document.fullscreenElement === box; }
          button("full", "\u26f6", function (a) {
            if (isFull()) { document.exitFullscreen(); }
            else if (box.requestFullscreen) { box.requestFullscreen(); }
          });
          document.addEventListener("fullscreenchange", function () {
            map.invalidateSize();
            box.classList.toggle("incident-fullscreen", isFull());
          });
          // The legend: collapsed until opened, and kept as the reader left it.
          function legendState(root) {
            if (!root.querySelectorAll) { return; }
            var list = root.querySelectorAll(".incident-legend details");
            for (var i = 0; i < list.length; i++) { list[i].open = map._incidentLegendOpen; }
          }
          box.addEventListener("toggle", function (e) {
            if (e.target.closest && e.target.closest(".incident-legend")) {
              map._incidentLegendOpen = e.target.open;
            }
          }, true);
          new MutationObserver(function (changes) {
            changes.forEach(function (c) { c.addedNodes.forEach(legendState); });
          }).observe(box, {childList: true, subtree: true});
          legendState(box);
          // Tooltips: never left standing after a click, a zoom, or over the controls.
          function closeTips() {
            map.eachLayer(function (l) { if (l.closeTooltip && l.getTooltip && l.getTooltip()) {
              l.closeTooltip(); } });
          }
          map.on("click zoomstart movestart", closeTips);
          // A clicked incident is marked at once, before the app answers the click.
          function onMarkerClick() {
            // Closed after the click has been read: streamlit-folium reads its tooltip.
            var marker = this;
            setTimeout(function () { marker.closeTooltip(); }, 0);
            if (this.incidentId === undefined) { return; }
            box.querySelectorAll(".incident-picked").forEach(function (el) {
              el.classList.remove("incident-picked");
            });
            var el = this.getElement && this.getElement();
            if (el) { el.classList.add("incident-picked"); }
            map._incidentShownId = this.incidentId;
          }
          map.on("layeradd", function (e) {
            if (e.layer instanceof L.Marker) {
              e.layer.off("click", onMarkerClick).on("click", onMarkerClick);
            }
          });
          var corners = box.querySelectorAll(".leaflet-control-container > div");
          for (var i = 0; i < corners.length; i++) {
            corners[i].addEventListener("mouseover", closeTips);
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, fit_data: bool) -> None:
        super().__init__()
        self._name = "ViewControls"
        self.fit_data = bool(fit_data)
        self.fit_max_zoom = FIT_MAX_ZOOM
        self.css = CONTROLS_CSS


# The controls' names, in English for the catalogue; ControlWords sends them translated.
CONTROL_WORDS = {
    "fit": N_("Zoom to the incidents"),
    "full": N_("Full screen"),
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
}
# The scale bar's two lengths ({n} is the number, written in the page's digits).
SCALE_UNITS = {"m": N_("{n} m"), "km": N_("{n} km")}
# geodata.ATTRIBUTION, the basemap's credit line, for the catalogue (the test below checks
# the two are the same words: tests/core/test_translation.py).
CREDIT = N_("Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth (public domain)")


class ControlWords(DataElement):
    """The controls named in the reader's language and placed as they read: in Arabic the
    zoom and view buttons go to the top right, the scale to the bottom right and the
    legend and credits to the bottom left (layers.Legend places itself the same way)."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var words = {{ this.words|tojson }}, rtl = {{ this.rtl|tojson }};
          var credit = {{ this.credit|tojson }};  // [as the basemap wrote it, as it reads]
          var units = {{ this.units|tojson }};
          function name(a, text) { if (a) { a.title = text; a.setAttribute("aria-label", text); } }
          function place(control, corner) {
            if (control && control.getPosition && control.getPosition() !== corner) {
              control.setPosition(corner);
            }
          }
          function apply(map) {
            if (!map) { return; }
            var side = rtl ? "right" : "left", other = rtl ? "left" : "right";
            var zoom = map.zoomControl;
            if (zoom) {
              place(zoom, "top" + side);
              name(zoom._zoomInButton, words.zoom_in);
              name(zoom._zoomOutButton, words.zoom_out);
            }
            (map._incidentButtons || []).forEach(function (b) {
              place(b.control, "top" + side);
              name(b.a, words[b.key]);
            });
            var credits = map.attributionControl;
            if (credits) {  // the credit line in the reader's language, once
              place(credits, "bottom" + other);
              credits.removeAttribution(map._incidentCredit || credit[0]);
              credits.addAttribution(credit[1]);
              map._incidentCredit = credit[1];
            }
            map._incidentUnits = units;
            if (map._incidentScale) {
              place(map._incidentScale, "bottom" + side);
              map._incidentScale._update();
            }
            map.getContainer().classList.toggle("incident-rtl", rtl);
            if (map._incidentRtl !== rtl) {  // town names in the page's script (place_labels)
              map._incidentRtl = rtl;
              map.fire("incidentlanguage");
            }
          }
          if (parent instanceof L.Map) { apply(parent); return; }  // a whole map (entry form)
          if (parent._map) { apply(parent._map); }
          parent.on("add", function (e) { apply(e.target._map); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ControlWords"
        self.words = {key: _(text) for key, text in CONTROL_WORDS.items()}
        self.rtl = is_rtl()
        self.credit = [html.escape(ATTRIBUTION), html.escape(_(CREDIT))]
        units: dict[str, str | bool] = {key: _(text) for key, text in SCALE_UNITS.items()}
        self.units = {**units, "digits": digit_chars(), "imperial": language() == "en"}


class StartExtent(DataElement):
    """The first layer's extent, fitted as the basemap is created (a map opened without a
    view). The map's first report to the app is then the fitted view: fitted later, when
    the data layer arrives, it reported the country's view first and the fitted one a
    moment after, and the page ran twice for one opening. bounds as DataExtent's; a map
    without its size yet leaves the fit to DataExtent."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var bounds = {{ this.bounds|tojson }};
          var size = map.getSize();
          if (!bounds || !map.fitIncidents || size.x === 0 || size.y === 0) { return; }
          map._incidentExtent = bounds;
          map._incidentFitPending = false;
          map.fitIncidents(false);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]] | None) -> None:
        super().__init__()
        self._name = "StartExtent"
        self.bounds = bounds


class DataExtent(DataElement):
    """The layer's extent for "Zoom to the incidents", fitted once on a map opened without
    a view. bounds: [[south, west], [north, east]], or None (nothing drawable)."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var bounds = {{ this.bounds|tojson }};
          function attach(map) {
            if (!map) { return; }
            map._incidentExtent = bounds;
            if (!bounds || !map._incidentFitPending || !map.fitIncidents) { return; }
            var size = map.getSize();
            if (size.x === 0 || size.y === 0) {
              map.once("resize", function () { attach(map); });
              return;
            }
            map._incidentFitPending = false;
            map.fitIncidents(false);
          }
          if (parent._map) { attach(parent._map); }
          parent.on("add", function (e) { attach(e.target._map); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]] | None) -> None:
        super().__init__()
        self._name = "DataExtent"
        self.bounds = bounds


class SelectedIncident(DataElement):
    """Ring the selected incident and bring it out of its cluster.

    Added after the markers, in the same feature group: it finds the marker by its
    incident id among the group's layers (layers.IncidentMarkers sets incidentId).
    Deferred a tick so the app's own "fly to" (streamlit-folium sets the view after it
    adds the layer) comes first; on a map opened at a shared view it does not move it.
    """

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var id = {{ this.incident_id|tojson }}, at = {{ this.location|tojson }};
          function later() { setTimeout(show, 0); }
          if (parent._map) { later(); } else { parent.once("add", later); }
          function find() {
            var found = null;
            parent.eachLayer(function (l) {
              if (found || !l.getLayers) { return; }
              l.getLayers().forEach(function (m) { if (m.incidentId === id) { found = [l, m]; } });
            });
            return found;
          }
          function show() {
            var map = parent._map;
            if (!map) { return; }
            if (!map.getPane("incidentSelected")) {
              var pane = map.createPane("incidentSelected");
              pane.style.zIndex = 620; pane.style.pointerEvents = "none";
            }
            // The ring marks the place; the marker, drawn beside it when spiderfied, is
            // ringed by its own halo (incident-picked).
            L.circleMarker(at, {radius: 16, color: "#000000", weight: 3, fill: false,
              interactive: false, pane: "incidentSelected", className: "incident-selected"})
              .addTo(parent);
            var hit = find();
            var may_move = map._incidentShownId !== undefined || !map._incidentOpenedAtView;
            var fresh = map._incidentShownId !== id;
            map._incidentShownId = id;
            if (!hit) { return; }
            var marker = hit[1];
            function mark() {
              var el = marker.getElement && marker.getElement();
              if (el) { el.classList.add("incident-picked"); }
            }
            marker.setZIndexOffset(1000);
            marker.on("add", mark);
            var group = hit[0];
            if (fresh && may_move && group.zoomToShowLayer) { group.zoomToShowLayer(marker, mark); }
            else { mark(); }
          }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, incident_id: str, location: tuple[float, float]) -> None:
        super().__init__()
        self._name = "SelectedIncident"
        self.incident_id = str(incident_id)
        self.location = [float(location[0]), float(location[1])]


def fit_zoom(lat: Any, lon: Any) -> int:
    """The zoom of a page fitted to these points' extent (a map opens on its
    incidents); the default country's when there are none."""
    fitted = extent(lat, lon)
    if fitted is None:
        return zoom_for(None)
    (south, west), (north, east) = fitted
    return zoom_for((west, south, east, north), height_px=FIT_HEIGHT_PX)


def extent(lat: Any, lon: Any) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the points, at least MIN_SPAN_DEG wide and tall
    (a fit to one spot would zoom to the street); None when there are no points."""
    if len(lat) == 0:
        return None
    south, north = float(min(lat)), float(max(lat))
    west, east = float(min(lon)), float(max(lon))
    grow_y = max(0.0, MIN_SPAN_DEG - (north - south)) / 2
    grow_x = max(0.0, MIN_SPAN_DEG - (east - west)) / 2
    return [
        [round(south - grow_y, 5), round(west - grow_x, 5)],
        [round(north + grow_y, 5), round(east + grow_x, 5)],
    ]
