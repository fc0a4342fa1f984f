"""The grid layer drawn in the browser from a Pyramid: zoom and pan redraw without a rerun.

The page gets each level's cells once ([row, col, count per type...]), sums them to
the zoom it shows, and redraws on every move: only the cells near the view, on one
canvas with their counts written on them (a thousand SVG cells and count labels took
0.3 to 0.6 s to redraw; the canvas, a few milliseconds). Once painted, the map fires
"incidentgriddrawn" and its container carries data-grid-zoom. Legends and class
breaks per zoom come from Python (legend.py), so the colours match the legend; every
text is escaped here before it is sent.
"""

from __future__ import annotations

import html
from typing import Any

import folium
import numpy as np

from incidents.maps import legend
from incidents.maps.map_controls import ControlWords
from incidents.maps.page_data import DataElement, DataTemplate
from incidents.maps.pyramid import CELL_PX, Level, Pyramid
from incidents.schema import INCIDENT_TYPES
from incidents.translation import _, is_rtl


class GridLevels(DataElement):
    """Counted cells at the map's zoom, summed in the browser from the levels sent."""

    _template = DataTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var parent = {{ this._parent.get_name() }};
          var data = {{ this.data|tojson }};
          var sums = {}, shown = null, drawn = L.layerGroup();
          function sumTo(name, z) {
            var key = name + z;
            if (sums[key]) { return sums[key]; }
            var src = data[name], f = Math.pow(2, src.zoom - z), at = {}, out = [];
            for (var i = 0; i < src.cells.length; i++) {
              var c = src.cells[i], r = Math.floor(c[0] / f), k = Math.floor(c[1] / f);
              var o = at[r + ":" + k];
              if (!o) { o = at[r + ":" + k] = [r, k, 0]; out.push(o); }
              for (var t = 2; t < c.length; t++) {
                o[t + 1] = (o[t + 1] || 0) + c[t];
                o[2] += c[t];
              }
            }
            return (sums[key] = out);
          }
          function choose(map) {
            var z = map.getZoom(), b = map.getBounds(), box = data.box_bounds;
            if (z <= data.whole.zoom) { return ["whole", z]; }
            if (data.box && b.getWest() >= box[0] && b.getSouth() >= box[1]
                && b.getEast() <= box[2] && b.getNorth() <= box[3]) {
              return ["box", Math.min(z, data.box.zoom)];
            }
            return ["whole", data.whole.zoom];
          }
          function colour(n, z) {
            var br = data.breaks[z] || [], cs = data.colours[z] || [];
            for (var i = 0; i < br.length; i++) { if (n <= br[i]) { return cs[i]; } }
            return cs[cs.length - 1];
          }
          function tip(layer) {
            var w = data.words, c = layer.cell;
            var parts = ["<b>" + w.count.replace("{n}", c[2]) + "</b>"];
            for (var t = 3; t < c.length && parts.length < 7; t++) {
              if (c[t]) { parts.push(w.type.replace("{label}", data.labels[t - 3])
                                            .replace("{n}", c[t])); }
            }
            return '<div dir="' + (w.rtl ? "rtl" : "ltr") + '">' + parts.join("<br>")
              + "<br><small>" + w.zoom + "</small></div>";
          }
          function legendFor(map, z) {
            if (map._incidentLegend) { map.removeControl(map._incidentLegend); }
            var control = L.control({position: data.words.rtl ? "bottomleft" : "bottomright"});
            control.onAdd = function () {
              var div = L.DomUtil.create("div", "incident-legend");
              div.dir = data.words.rtl ? "rtl" : "ltr";
              div.innerHTML = "<details open><summary>" + data.words.legend + "</summary>"
                + data.legends[z] + "</details>";
              L.DomEvent.disableClickPropagation(div);
              L.DomEvent.disableScrollPropagation(div);
              return div;
            };
            control.addTo(map);
            map._incidentLegend = control;
          }
          // Its own pane over the outlines (the overlay pane's SVG would cover the canvas).
          var renderer = L.canvas({padding: 0.3, pane: "incidentGrid"});
          var Cell = L.Rectangle.extend({
            _updatePath: function () {  // the cell, then its count written on it
              L.Rectangle.prototype._updatePath.call(this);
              var ctx = this._renderer._ctx, p = this._pxBounds;
              if (!ctx || !p || p.max.x - p.min.x < 24) { return; }
              var n = this.cell[2], text = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
              var x = (p.min.x + p.max.x) / 2, y = (p.min.y + p.max.y) / 2;
              ctx.save();
              ctx.font = "bold 11px 'Noto Sans', 'DejaVu Sans', sans-serif";
              ctx.textAlign = "center";
              ctx.textBaseline = "middle";
              ctx.lineWidth = 3;
              ctx.strokeStyle = "rgba(0, 0, 0, 0.8)";
              ctx.strokeText(text, x, y);
              ctx.fillStyle = "#ffffff";
              ctx.fillText(text, x, y);
              ctx.restore();
            }
          });
          function draw() {
            var map = parent._map;
            if (!map) { return; }
            var pick = choose(map), view = map.getBounds();
            if (shown && shown.name === pick[0] && shown.z === pick[1]
                && shown.area.contains(view)) { return; }
            var area = view.pad(0.3), z = pick[1];
            var s = 360 * {{ this.cell_px }} / (256 * Math.pow(2, z));
            var cells = sumTo(pick[0], z);
            drawn.clearLayers();
            for (var i = 0; i < cells.length; i++) {
              var c = cells[i];
              var b = L.latLngBounds([c[0] * s, c[1] * s], [(c[0] + 1) * s, (c[1] + 1) * s]);
              if (!area.intersects(b)) { continue; }
              var rect = new Cell(b, {color: "#444444", weight: 0.6, fillColor: colour(c[2], z),
                                      fillOpacity: 0.72, renderer: renderer});
              rect.cell = c;
              rect.bindTooltip(tip, {sticky: true, className: "incident-tip"});
              rect.on("click", function (e) { map.fitBounds(e.target.getBounds()); });
              drawn.addLayer(rect);
            }
            if (!shown || shown.z !== z) { legendFor(map, z); }
            shown = {name: pick[0], z: z, area: area};
            // The canvas paints on the next frame; say so once it has (tests, benchmarks).
            L.Util.requestAnimFrame(function () {
              map.getContainer().setAttribute("data-grid-zoom", String(z));
              map.fire("incidentgriddrawn", {zoom: z, cells: drawn.getLayers().length});
            });
          }
          function attach(map) {
            if (!map) { return; }
            if (!map.getPane("incidentGrid")) { map.createPane("incidentGrid").style.zIndex = 450; }
            drawn.addTo(parent);
            map.off("moveend", draw);
            map.on("moveend", draw);
            draw();
          }
          parent.on("add", function (e) { attach(e.target._map); });
          parent.on("remove", function (e) {
            if (e.target._map) { e.target._map.off("moveend", draw); }
          });
          if (parent._map) { attach(parent._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "GridLevels"
        self.data = data
        self.cell_px = CELL_PX


def _cells(level: Level) -> list[list[int]]:
    return np.column_stack([level.row, level.col, level.counts]).astype(np.int64).tolist()


def grid_data(pyramid: Pyramid, hidden: int, standalone: bool = False) -> dict[str, Any]:
    """What the browser needs: cells per level, class breaks, colours and legend per zoom
    (standalone: for a file with no server behind it)."""
    types = pyramid.types
    breaks = pyramid.breaks()
    box = pyramid.box
    return {
        "labels": [html.escape(INCIDENT_TYPES.shown(t)) for t in types],
        "words": {  # escaped: the browser writes them as HTML; {n} and {label} filled there
            "count": html.escape(_("Incidents: {n}")),
            "type": html.escape(_("{label}: {n}")),
            "zoom": html.escape(_("Click to zoom in")),
            "legend": html.escape(_("Legend")),
            "rtl": is_rtl(),
        },
        "whole": {"zoom": pyramid.whole.zoom, "cells": _cells(pyramid.whole)},
        "box": None if box is None else {"zoom": box.zoom, "cells": _cells(box)},
        "box_bounds": list(pyramid.box_bounds) if pyramid.box_bounds else None,
        "breaks": breaks,
        "colours": {z: [legend.ramp_colour(v, b) for v in b] for z, b in breaks.items()},
        "legends": {
            z: legend.grid_legend(b, hidden, standalone=standalone) for z, b in breaks.items()
        },
    }


def add_grid_levels(
    group: folium.FeatureGroup, pyramid: Pyramid, hidden: int, standalone: bool = False
) -> None:
    """Put the grid levels in a feature group (the app's data layer, or a file's)."""
    GridLevels(grid_data(pyramid, hidden, standalone)).add_to(group)
    ControlWords().add_to(group)
