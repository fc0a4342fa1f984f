"""One browser history entry per view, not per pan, zoom or click on a marker.

Streamlit adds a history entry each time a page's address changes. The map writes
where it is (lat, lon, z) and the incident open (sel) into its address on every
run, and the form writes the record it holds (id): a visit to the map left a trail
of entries, and Back from the form landed on one of them, the map zoomed out with
no incident open, or on the form again (tried as a user would: open an incident,
Edit this incident, Back). This script, drawn on every page, makes a change of
those place parameters alone replace the current entry instead: Back goes to the
previous view or page, as the reader saw it last. A change of anything else (a
filter, the language, another page) still adds an entry, so Back still undoes a
filter change. Moving to another page, Streamlit first writes that page's address
(its parameters) over the map's, which the map never does itself (it always says
where it is): that write is left out, so the map's entry keeps its place and its
filters. Arriving at a page, the bare address Streamlit adds for it takes the page's
first full one (with a filter or a language in it, Back stayed on the map, or went
from the form to the form again).
The unsaved-work guard's own entries (a state of their own, an address ending in
'#editing') are left alone.

Constant markup, no record text.
"""

from __future__ import annotations

import json

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from incidents.view_state import PLACE_PARAMS, RECORD_PARAM


def history_step() -> bool:
    """Whether this run is the back or forward button's: Streamlit reruns the page with
    that history entry's address and says so (an edited address is a new session)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


MAP_PLACE = PLACE_PARAMS[:3]  # lat, lon, z: the map writes them on every run once drawn

_SCRIPT = """<script>
(function () {
  var w = window, h = w.history;
  if (h.__incidentPlaceEntries) { return; }
  h.__incidentPlaceEntries = true;
  var PLACE = %(place)s, MAP = %(map)s, push = h.pushState.bind(h);
  function rest(search) {  // the address's parameters other than the place ones
    var p = new URLSearchParams(search);
    PLACE.forEach(function (name) { p.delete(name); });
    p.sort();
    return p.toString();
  }
  function placed(search) {  // the map's address: it says where the map is
    var p = new URLSearchParams(search);
    return MAP.every(function (name) { return p.has(name); });
  }
  h.pushState = function (state, title, url) {
    try {
      var to = new URL(url, w.location.href), now = w.location;
      var plain = state && typeof state === "object" && !Object.keys(state).length;
      if (plain && !to.hash && !now.hash && to.pathname === now.pathname) {
        if (placed(now.search) && !placed(to.search)) { return; }  // leaving the map
        var arriving = !now.search;  // a page's bare address: its first full one replaces it
        if (arriving || rest(to.search) === rest(now.search)) {
          return h.replaceState(state, title, url);
        }
      }
    } catch (e) { /* an address URL cannot read: as the browser would */ }
    return push(state, title, url);
  };
})();
</script>"""


def script() -> str:
    """The script, for the element every page draws (app.py)."""
    return _SCRIPT % {
        "place": json.dumps([*PLACE_PARAMS, RECORD_PARAM]),
        "map": json.dumps(list(MAP_PLACE)),
    }
