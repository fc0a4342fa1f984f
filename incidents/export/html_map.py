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


def to_html(
    selection: Selection,
    title: str,
    extent: tuple[float, float, float, float] | None,
    *,
    index: ColumnIndex,
    rows: Rows,
) -> bytes:
    """One self-contained HTML file; links print as text so no click leaves the file.

    Drawn as the app draws the same selection and view (plan.layer): markers where few
    are in view, else the grid levels the page sums again on zoom. index: the export
    viewer's column snapshot; rows() reads the markers' rows by fid.
    """
    from incidents.maps import MapOptions as WebMapOptions
    from incidents.maps import basemap, localize, plan

    query = selection.query
    countries = selection.countries or (selection.country,)
    options = WebMapOptions(popups=True, countries=countries, cluster=True)
    m = basemap(countries)
    group, _, _ = plan.layer(index, query, options, extent, rows)
    group.add_to(m)
    shown = index.count(query, drawable=True)
    return _page(selection, localize(m), title, extent, shown)


def _page(
    selection: Selection,
    m: folium.Map,
    title: str,
    extent: tuple[float, float, float, float] | None,
    shown: int,
) -> bytes:
    """A built map as the standalone page: assets inlined, the facts block on top
    (shown: how many incidents the map draws, which need not be selection.rows)."""
    from incidents.maps import external_urls, map_html

    if extent is not None:
        west, south, east, north = extent
        m.fit_bounds([[south, west], [north, east]])
    page = map_html(m, standalone=True)
    leftover = external_urls(page)
    if leftover:
        raise RuntimeError(f"the HTML map would load from other hosts: {leftover[:3]}")
    title = title or default_title(selection.countries)
    header = _header(selection, title, shown)
    match = _BODY.search(page)
    at = match.end() if match else 0
    page = page[:at] + header + page[at:]
    page = page.replace("<head>", f"<head><title>{html.escape(title)}</title>", 1)
    # The page says its language (screen readers, fonts, hyphenation): <html lang=..>.
    page = re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{language()}"', page, count=1)
    # Leaflet's attribution starts with a link to its website: keep the credit, drop the link
    page = page.replace(
        _LEAFLET_PREFIX, _LEAFLET_PREFIX.replace('href="https://leafletjs.com" ', "")
    )
    return page.encode("utf-8")


def _header(selection: Selection, title: str, shown: int) -> str:
    """The facts block; user text is escaped, URLs shown as text, not as links. Its
    title folds it away (zoomed in, it covered the markers under it); the title and
    the audience stay, so a picture of the folded map still says who it is for."""
    profile = selection.profile
    filters = filters_sentence(selection.query, district_names(selection))
    parts = [
        html.escape(window_words(selection.query)),
        html.escape(_("Filters: {filters}").format(filters=filters)),
        html.escape(selection.counts_line(shown)),
        *(html.escape(line) for line in selection.people_lines()),
        html.escape(_("Sources: {sources}").format(sources=sources_sentence(selection))),
        html.escape(stamp_words(selection)),
    ]
    body = "<br>".join(parts)
    audience = (
        f"<br><span style='color:#fff;background:{_colour(profile.name)};padding:1px 6px;"
        f"border-radius:3px;font-weight:bold'>{html.escape(profile.badge())}</span> "
        f"<strong>{html.escape(profile.notice_shown())}</strong>"
    )
    # Mirrored right to left, as the map's controls are: the zoom buttons sit top right
    # there (top left otherwise), so the block goes to the other top corner, clear of
    # them (an Arabic map's buttons covered the start of every line).
    direction, side = ("rtl", "left") if is_rtl() else ("auto", "right")
    return (
        f"<div id='export-facts' style='position:absolute;z-index:1000;top:8px;{side}:8px;"
        "max-width:420px;background:rgba(255,255,255,.94);padding:8px 10px;border-radius:4px;"
        "font:13px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)' "
        f"dir='{direction}'><details open><summary style='cursor:pointer'><strong "
        f"style='font-size:18px'>{html.escape(title)}</strong>{audience}</summary>{body}"
        "</details></div>"
    )


def _colour(profile: str) -> str:
    from incidents.export.theme import PROFILE_COLOURS

    return PROFILE_COLOURS.get(profile, "#333")
