"""Map building: pure functions from a selection of incidents to a folium map or HTML.

No Streamlit here. The app (app_pages/map_page.py) and the HTML export both use:
basemap, map_html, localize, clicked_id, clicked_district.
"""

from incidents.maps.folium_map import (
    LAYERS,
    MAP_COLUMNS,
    Drawn,
    MapOptions,
    basemap,
    build_map,
    map_html,
)
from incidents.maps.layers_geo import clicked_district
from incidents.maps.marker_text import clicked_id
from incidents.maps.offline_assets import (
    external_urls,
    localize,
)

__all__ = [
    "LAYERS",
    "MAP_COLUMNS",
    "Drawn",
    "MapOptions",
    "basemap",
    "build_map",
    "clicked_district",
    "clicked_id",
    "external_urls",
    "localize",
    "map_html",
]
