"""Map building: pure functions from a selection of incidents to a folium map or HTML.

No Streamlit here. The app (app_pages/map_page.py) and the HTML export both use:
basemap, data_layer, build_map, map_html, inline_assets, localize, clicked_id,
clicked_district.
"""

from incidents.maps.folium_map import (
    LAYERS,
    MAP_COLUMNS,
    MARKER_LIMIT,
    Drawn,
    MapOptions,
    basemap,
    build_map,
    data_layer,
    map_html,
    summary_layer,
)
from incidents.maps.layers_geo import clicked_district
from incidents.maps.marker_text import clicked_id, tooltip_html
from incidents.maps.offline_assets import (
    STATIC_DIR,
    STATIC_URL,
    UnbundledAsset,
    asset_links,
    external_urls,
    inline_assets,
    localize,
)

__all__ = [
    "LAYERS",
    "MAP_COLUMNS",
    "MARKER_LIMIT",
    "STATIC_DIR",
    "STATIC_URL",
    "Drawn",
    "MapOptions",
    "UnbundledAsset",
    "asset_links",
    "basemap",
    "build_map",
    "clicked_district",
    "clicked_id",
    "data_layer",
    "external_urls",
    "inline_assets",
    "localize",
    "map_html",
    "summary_layer",
    "tooltip_html",
]
