"""Every script and stylesheet a map needs is served by the app, or inlined for export."""

from __future__ import annotations

import folium
import pytest
from folium.plugins import HeatMap, MarkerCluster

from incidents.maps import build_map, external_urls, localize, map_html
from incidents.maps.offline_assets import STATIC_DIR, UnbundledAsset, _elements, inline_assets


def asset_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map's elements ask for (what the browser loads)."""
    links: list[str] = []
    for element in _elements(m):
        links += [u for _, u in getattr(element, "default_js", [])]
        links += [u for _, u in getattr(element, "default_css", [])]
    return list(dict.fromkeys(links))


def test_every_link_of_a_built_map_is_a_bundled_file(tarhuna):
    m = build_map(tarhuna)
    links = asset_links(m)
    assert links, "the map needs Leaflet at least"
    for url in links:
        assert url.startswith("/app/static/"), url
        assert (STATIC_DIR / url.removeprefix("/app/static/")).is_file(), url


def test_rendered_page_loads_nothing_from_the_internet(tarhuna):
    page = map_html(build_map(tarhuna))
    assert external_urls(page) == []
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page and "cdnjs" not in page


def test_standalone_html_inlines_every_asset(tarhuna):
    page = map_html(build_map(tarhuna), standalone=True)
    assert "/app/static/" not in page
    assert "L.markerClusterGroup" in page and "MarkerClusterGroup=" in page.replace(" ", "")
    assert "url(data:image/png;base64," in page  # leaflet.css images inlined


def test_folium_plugins_are_pointed_at_local_copies():
    m = folium.Map(tiles=None)
    MarkerCluster().add_to(m)
    HeatMap([[32.4, 13.6]]).add_to(m)
    links = asset_links(localize(m))
    assert all(u.startswith("/app/static/") for u in links)
    assert not any("jquery" in u or "bootstrap" in u or "awesome" in u for u in links)


def test_an_unbundled_plugin_is_an_error_not_a_cdn_link():
    from folium.plugins import Fullscreen

    m = folium.Map(tiles=None)
    Fullscreen().add_to(m)
    with pytest.raises(UnbundledAsset):
        localize(m)


def test_inline_refuses_files_outside_static(tmp_path):
    with pytest.raises(UnbundledAsset):
        inline_assets('<script src="/app/static/../app.py"></script>')
