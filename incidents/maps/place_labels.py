"""Town names on the offline basemap, from the bundled gazetteer.

The offline basemap is outlines only: without names a reader at zoom 11 sees a grey
rectangle and cannot tell that a point is Tarhuna. Each populated place of the
country's gazetteer (geodata: GeoNames cities500 plus places_extra.csv) is given the
zoom from which it is named, by population: the largest cities from the country
view, towns of a few thousand from zoom 8 on, every place from zoom 9.

The browser places the names itself on every move, largest first, and skips one that
would overlap a name already placed. They sit in their own pane between the outlines
and the markers and take no pointer events: a name never hides or blocks a marker.
The map's controls (buttons, legend, scale, credits) stand above every pane, in
corners that change sides with the page's direction (the buttons go to the right in
Arabic): a name a control would hide is drawn above its dot instead, or not at all.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from geodata._places import load_places
from geodata.spellings import arabic_of
from incidents.maps.page_data import DataElement, DataTemplate

# (population at least, named from zoom): first row that fits wins.
ZOOM_BY_POPULATION: tuple[tuple[int, int], ...] = (
    (500_000, 4),
    (100_000, 6),
    (20_000, 7),
    (5_000, 8),
    (0, 9),
)
LABEL_OFFSET_PX = 20  # the name's top below its place: a 40 px cluster there leaves it seen
LABEL_PANE_Z = 450  # above overlays (400: outlines, rings), below markers (600)
CONTROL_MARGIN_PX = 4  # room kept around a control (a name's width is estimated)


def min_zoom(population: int) -> int:
    """The zoom from which a place of this population is named."""
    for at_least, zoom in ZOOM_BY_POPULATION:
        if population >= at_least:
            return zoom
    return ZOOM_BY_POPULATION[-1][1]


@functools.cache
def label_rows(country: str = "LY") -> tuple[tuple[float, float, str, int], ...]:
    """(lat, lon, name, min zoom) per populated place, most populous first (the order
    the browser places them in, so a city wins over a village beside it)."""
    try:
        places = load_places(country)
    except (OSError, ValueError):
        return ()
    ranked = sorted(places, key=lambda p: (-p.population, p.name))
    # Two decimals (about 1 km) place a name well enough, and a page never spells out the
    # coordinates of a record drawn at its town's centre (tests/security/test_roles_outputs).
    return tuple((round(p.lat, 2), round(p.lon, 2), p.name, min_zoom(p.population)) for p in ranked)


@functools.cache
def arabic_names(country: str = "LY") -> tuple[str, ...]:
    """Each label_rows place's name in Arabic script, where the gazetteer gives one ("" if
    not), in label_rows' order: an Arabic page names the towns in Arabic (ترهونة)."""
    try:
        places = load_places(country)
    except (OSError, ValueError):
        return ()
    ranked = sorted(places, key=lambda p: (-p.population, p.name))
    return tuple(arabic_of(p.names) for p in ranked)


class PlaceLabels(DataElement):
    """Place names drawn as text in their own pane, decluttered on every move."""

    _template = DataTemplate(
        """
        {% macro header(this, kwargs) %}
        <style>
        .place-label { color: #2b2b2b; font-size: 11px; white-space: nowrap;
          text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none;
          transform: translate(-50%, 0); position: absolute; }
        .place-dot { position: absolute; width: 5px; height: 5px; margin: -3px 0 0 -3px;
          border-radius: 50%; background: #555; border: 1px solid #fff; }
        .place-label.big { font-size: 13px; font-weight: 600; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var places = {{ this.rows|tojson }}, arabic = {{ this.arabic|tojson }};
          var pane = map.createPane("placeLabels");
          pane.style.zIndex = {{ this.pane_z|tojson }};
          pane.style.pointerEvents = "none";
          pane.classList.add("place-labels", "leaflet-zoom-hide");
          // Each control's box, in the names' coordinates: where no name or dot may go.
          // Read before the names are cleared (one layout, not one per name).
          function controls() {
            var box = map.getContainer().getBoundingClientRect(), out = [];
            var list = map.getContainer().querySelectorAll(".leaflet-control");
            var m = {{ this.margin|tojson }};
            for (var i = 0; i < list.length; i++) {
              var r = list[i].getBoundingClientRect();
              if (!r.width || !r.height) { continue; }
              var a = map.containerPointToLayerPoint([r.left - box.left - m, r.top - box.top - m]);
              var b = map.containerPointToLayerPoint(
                [r.right - box.left + m, r.bottom - box.top + m]);
              out.push([a.x, a.y, b.x, b.y]);
            }
            return out;
          }
          function hits(box, boxes) {
            return boxes.some(function (b) {
              return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
            });
          }
          function draw() {
            var covered = controls(), placed = [], off = {{ this.offset|tojson }};
            while (pane.firstChild) { pane.removeChild(pane.firstChild); }
            var zoom = map.getZoom(), view = map.getBounds().pad(0.1);
            for (var i = 0; i < places.length; i++) {
              var r = places[i], name = (map._incidentRtl && arabic[i]) || r[2];
              if (r[3] > zoom || !view.contains([r[0], r[1]])) { continue; }
              var p = map.latLngToLayerPoint([r[0], r[1]]);
              // The name sits under its dot, clear of a cluster drawn on the town; above it
              // where a control stands below (a dot a control would hide goes unnamed).
              var w = name.length * 6.5 + 6, h = 16, top = p.y + off;
              var box = [p.x - w / 2, p.y - 4, p.x + w / 2, top + h];
              if (hits(box, covered)) {
                top = p.y - off - h;
                box = [p.x - w / 2, top, p.x + w / 2, p.y + 4];
              }
              if (hits(box, covered) || hits(box, placed)) { continue; }
              placed.push(box);
              var label = document.createElement("div");
              label.className = "place-label" + (r[3] <= 6 ? " big" : "");
              label.textContent = name;
              label.dir = "auto";
              label.style.left = p.x + "px";
              label.style.top = top + "px";
              var dot = document.createElement("div");
              dot.className = "place-dot";
              dot.style.left = p.x + "px";
              dot.style.top = p.y + "px";
              pane.appendChild(dot);
              pane.appendChild(label);
            }
          }
          // incidentlanguage: ControlWords says the page's language changed (Arabic names).
          map.on("zoomend moveend viewreset resize incidentlanguage", draw);
          map.whenReady(draw);
          // A control added, moved to the other side (ControlWords), or grown (the legend
          // opened): the names are placed again, once per frame.
          var pending = false;
          new MutationObserver(function () {
            if (pending) { return; }
            pending = true;
            requestAnimationFrame(function () { pending = false; draw(); });
          }).observe(map.getContainer().querySelector(".leaflet-control-container"),
                     {childList: true, subtree: true, attributes: true, attributeFilter: ["open"]});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, countries: Sequence[str] = ("LY",)) -> None:
        super().__init__()
        self._name = "PlaceLabels"
        # every country's places, the larger towns first (the order the page places them)
        named = [
            (r, a) for c in countries for r, a in zip(label_rows(c), arabic_names(c), strict=True)
        ]
        named.sort(key=lambda pair: pair[0][3])
        self.rows = [list(r) for r, _ in named]
        self.arabic = [a for _, a in named]
        self.pane_z = LABEL_PANE_Z
        self.offset = LABEL_OFFSET_PX
        self.margin = CONTROL_MARGIN_PX
