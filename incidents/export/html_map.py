"""A standalone HTML map of the selection that opens offline, from a USB stick or email.

Built with the app's own map builder (incidents.maps) and every script and style
inlined, so the file loads nothing from any host. A header states the audience,
dates, filters, counts, export stamp and attribution, as images do.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from incidents.export.caption import filters_sentence, window_words
from incidents.export.layout import district_names, sources_sentence, stamp_words
from incidents.export.selection import Selection
from incidents.export.static_map import default_title
from incidents.translation import _, is_rtl, language

if TYPE_CHECKING:  # the map builder is imported when a map is made
    import folium

    from incidents.maps.plan import Rows
    from incidents.store.column_index import ColumnIndex

_LEAFLET_PREFIX = (
    'prefix:\'<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">\''
)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"https?://\S+")


def to_html(
    selection: Selection,
    title: str = "",
    extent: tuple[float, float, float, float] | None = None,
) -> bytes:
    """One self-contained HTML file; links print as text so no click leaves the file."""
    from incidents.maps import MAP_COLUMNS, build_map
    from incidents.maps import MapOptions as WebMapOptions

    columns = [c for c in MAP_COLUMNS if c in selection.rows.columns]
    frame = selection.rows[columns]
    options = WebMapOptions(popups=True, country=selection.country, cluster=True)
    return html_page(selection, build_map(frame, options, view=extent), title, extent)


def to_html_from_index(
    selection: Selection,
    index: ColumnIndex,
    rows: Rows,
    shown: int,
    title: str = "",
    extent: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The same file for a selection too large to read row by row: drawn from the
    export viewer's column index as the app draws it (counts in grid squares the page
    sums again on zoom; markers, read by rows(), only where few are in view). shown:
    the drawable incidents of the selection, for the counts line."""
    from incidents.maps import MapOptions as WebMapOptions
    from incidents.maps import basemap, localize, plan

    options = WebMapOptions(popups=True, country=selection.country, cluster=True)
    m = basemap(selection.country)
    group, _, _ = plan.layer(index, selection.query, options, extent, rows)
    group.add_to(m)
    return html_page(selection, localize(m), title, extent, shown)


def html_page(
    selection: Selection,
    m: folium.Map,
    title: str = "",
    extent: tuple[float, float, float, float] | None = None,
    shown: int | None = None,
) -> bytes:
    """A built map as the standalone page: assets inlined, the facts block on top
    (shown: how many incidents the map draws, when they are not selection.rows)."""
    from incidents.maps import external_urls, map_html

    if extent is not None:
        west, south, east, north = extent
        m.fit_bounds([[south, west], [north, east]])
    page = map_html(m, standalone=True)
    leftover = external_urls(page)
    if leftover:
        raise RuntimeError(f"the HTML map would load from other hosts: {leftover[:3]}")
    title = title or default_title(selection.country)
    header = _header(selection, title, shown)
    match = _BODY.search(page)
    at = match.end() if match else 0
    page = page[:at] + header + page[at:]
    page = page.replace("<head>", f"<head><title>{html.escape(title)}</title>", 1)
    page = _language(page)
    # Leaflet's attribution starts with a link to its website: keep the credit, drop the link
    page = page.replace(
        _LEAFLET_PREFIX, _LEAFLET_PREFIX.replace('href="https://leafletjs.com" ', "")
    )
    return page.encode("utf-8")


def _header(selection: Selection, title: str, shown: int | None = None) -> str:
    """The facts block; user text is escaped, URLs shown as text, not as links."""
    profile = selection.profile
    filters = filters_sentence(selection.query, district_names(selection.country))
    parts = [
        f"<strong style='font-size:18px'>{html.escape(title)}</strong>",
        html.escape(window_words(selection.query)),
        html.escape(_("Filters: {filters}").format(filters=filters)),
        html.escape(selection.counts_line(shown)),
        *(html.escape(line) for line in selection.people_lines()),
        html.escape(_("Sources: {sources}").format(sources=sources_sentence(selection))),
        f"<span style='color:#fff;background:{_colour(profile.name)};padding:1px 6px;"
        f"border-radius:3px;font-weight:bold'>{html.escape(profile.badge())}</span> "
        f"<strong>{html.escape(profile.notice_shown())}</strong>",
        html.escape(stamp_words(selection)),
    ]
    body = "<br>".join(parts)
    # Right to left: the block reads from the right; it stays top right, clear of the
    # map's zoom buttons (top left).
    direction = "rtl" if is_rtl() else "auto"
    return (
        "<div id='export-facts' style='position:absolute;z-index:1000;top:8px;right:8px;"
        "max-width:420px;background:rgba(255,255,255,.94);padding:8px 10px;border-radius:4px;"
        "font:13px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)' "
        f"dir='{direction}'>{body}</div>"
    )


def _language(page: str) -> str:
    """The page says its language (screen readers, fonts, hyphenation): <html lang=..>."""
    return re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{language()}"', page, count=1)


def _colour(profile: str) -> str:
    from incidents.export.theme import PROFILE_COLOURS

    return PROFILE_COLOURS.get(profile, "#333")


def hosts_referenced(page: str) -> list[str]:
    """Every http(s) URL written in the page, for tests and checks."""
    return _LINK.findall(page)
