"""What the server does once, at start, so that its first visitor does not wait for it.

A page run imports what it draws with: folium and the map layers, the timeline, and,
for the export panel, matplotlib and the export pipeline. Imported by
the first visit, they held its whole page back by 3 to 6 s (up to 12 s on a busy
2-core machine); the basemap's first drawing reads the bundled outlines and gazetteer
(1 to 2 s more). Done here, before the server answers, the first visit costs what a
later one does. The public snapshot (the read model every page and export draws from)
is read here too, before the server answers: read in the background, it was still being
read when the first visitor came (at 1M incidents the first visit's whole page took
4.0 s against 2.9 s for a later one); the server now says it is up once it can serve
the page at its usual speed (about 1 s more at 1M with the snapshot on disk), or after
WAIT_S at most: a store that does not answer, or a first read of a large store with
nothing on disk, must not keep the server from answering (a supervisor would restart
it mid-read, again and again); the read then goes on in the background.

Streamlit's collection of all garbage after every script run is turned off: it walked
the whole heap (0.15 to 0.5 s of CPU per run on a busy machine) to free almost
nothing; Python's own generational collection still runs.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading

from streamlit import config

LOG = logging.getLogger(__name__)
WAIT_S = 10.0  # the longest the server holds back its answer for the snapshot

# What the map page's runs import (map_page.py's own imports, and the export panel it
# imports when the whole page is drawn). Not map_view: streamlit_folium declares its
# component when imported, and one declared before the server's runtime exists is never
# served (the map's frame gets a 404); it is light, folium (incidents.maps) is the weight.
PAGE_MODULES = (
    "app_pages.language",
    "app_pages.page_access",
    "app_pages.common",
    "app_pages.filters",
    "incidents.maps",
    "app_pages.time_panel",
    "app_pages.playback",
    "app_pages.detail_panel",
    "app_pages.table_panel",
    "app_pages.bulk_actions",
    "app_pages.export_panel",
    # Streamlit's emoji list, imported by the first pills or segmented control drawn (the
    # timeline's periods, playback): compiling its pattern cost the first visit's whole
    # page 0.47 s of CPU.
    "streamlit.emojis",
)


def start() -> None:
    """Import the page's modules, draw the basemap once and read the public snapshot,
    before the server answers (a few seconds; the read at most WAIT_S). Nothing here
    stops the server: what fails is only logged, and the first visit meets it as before."""
    config.set_option("runner.postScriptGC", False)
    _skip_direct_run_check()
    for name in PAGE_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the export panel is optional (map_page._export_panel)
            LOG.warning("could not import %s at start", name, exc_info=True)
    # streamlit_folium, imported by the first page run (not here: see PAGE_MODULES), names
    # its component with inspect.getmodule, whose first call reads the file name of every
    # loaded module (0.06 s, 0.2 s on a busy machine, in the first visit's time); once
    # called here, a later call reads only the modules loaded since.
    inspect.getmodule(inspect.currentframe())
    try:
        from incidents.maps import basemap

        basemap(animate_zoom=False)  # outlines, country bounds and town names, read once
    except Exception:
        LOG.warning("could not draw the basemap at start", exc_info=True)
    reader = threading.Thread(target=_read_snapshot, name="snapshot-warm-up", daemon=True)
    reader.start()
    reader.join(timeout=WAIT_S)


def _skip_direct_run_check() -> None:
    """Streamlit checks once per server, as the first element is sent, whether it runs in
    a Python prompt rather than under `streamlit run` (to print a warning): it reads
    the source of every frame on the stack (inspect.stack), 0.2 to 0.47 s of the first
    visit's first run. This server is `streamlit run`: the check is marked done (a
    Streamlit without that flag is left as it is)."""
    from streamlit import delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True


def _read_snapshot() -> None:
    """The public snapshot, read before the first visitor asks; a failure here is only
    logged: the first visit reads it (and shows what went wrong) as it would have."""
    from app_pages import common, identity

    try:
        if not identity.settings().private:
            idx = common.warm_up()
            from geodata import main_country
            from incidents.maps import basemap

            basemap(main_country(idx.district_counts()), animate_zoom=False)  # its outlines
    except Exception:  # a warm-up never stops the server
        LOG.warning("could not read the snapshot at start", exc_info=True)
