"""The map page: filters, counts, timeline, map, detail panel and table, all one view.

The view (filters, time window, extent, layer, selected incident) is read from the
URL when the session starts and written back on every run, so a reload or a
shared link reopens it.
"""

from __future__ import annotations

import dataclasses
import time

import streamlit as st

from app_pages import (
    bulk_actions,
    common,
    detail_panel,
    filters,
    language,
    map_view,
    playback,
    table_panel,
    time_panel,
)
from app_pages.history_entries import history_step
from incidents import filter_fields
from incidents.maps import MAP_COLUMNS
from incidents.public_address import public_url
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.translation import _, ngettext, number
from incidents.view_state import (
    ViewState,
    describe,
    from_params,
    names_a_view,
    share_link,
    to_params,
)

COLUMNS = tuple(dict.fromkeys((*MAP_COLUMNS, *table_panel.TABLE_COLUMNS)))


def _start_view() -> ViewState:
    """This session's last view, unless the back or forward button brought another
    address (its view then: the filters as they were); else the view in the address.
    Only a history step: an address the page wrote a moment ago and a request that set
    out before the browser had it must not undo a choice made meanwhile."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    kept = st.session_state.get("_view")
    linked = from_params(params)
    if isinstance(kept, ViewState):
        if not (names_a_view(params) and history_step()):
            return kept
        filters.forget()  # every widget takes the address's view (prime)
        filters.set_window(linked.query.date_from, linked.query.date_to)
        st.session_state["_selected"] = linked.selected
        st.session_state[playback.PLAY] = False  # a playing step would overwrite it
        # This person's own earlier view (tiles as they had them), in the page's language
        return dataclasses.replace(linked, lang=language.in_link())
    view = linked
    st.session_state.setdefault("_selected", view.selected)
    if view.online_tiles:  # a link never switches on requests beyond this server by itself
        st.session_state[filters.LINK_ASKS_TILES] = True
        view = dataclasses.replace(view, online_tiles=False)
    return view


def _summary(idx: ColumnIndex, view: ViewState, total: int, shown: int) -> None:
    heading = ngettext("{shown} incident shown of {total}", "{shown} incidents shown of {total}",
                       shown).format(shown=number(shown), total=number(total))  # fmt: skip
    st.markdown("# " + heading)  # the page's heading, kept small
    lifts = filter_fields.lifts(view.query).items()  # each active filter: how many more without
    hidden = [(noun, idx.count(lifted) - shown) for noun, lifted in lifts]
    if hidden:
        counts = " · ".join(
            _("{label}: {n}").format(label=_(label), n=number(n)) for label, n in hidden
        )
        st.caption(_("Hidden by each filter: {counts}").format(counts=counts))
    words = describe(view)
    if words:  # the search text and the tags come from a link: never Markdown
        said = _("Showing incidents where {conditions}.").format(conditions=_("; ").join(words))
        st.caption(common.md_escape(said))
    filters.unseen_notice()
    filters.ask_tiles()


def _map_sentence(
    state: map_view.MapState, in_view: int, not_drawn: int, elsewhere: int = 0
) -> None:
    """elsewhere: matches drawable outside the view, said when none is in it (a search
    for a place off screen left '0 in the map view' and nothing pointing the way)."""
    drawn = state.drawn
    parts = [_("{n} in the map view").format(n=number(in_view))]
    if not in_view and elsewhere:
        said = ngettext(
            "{n} outside it: ⌖ (Zoom to the incidents) on the map shows it",
            "{n} outside it: ⌖ (Zoom to the incidents) on the map shows them",
            elsewhere,
        )
        parts.append(said.format(n=number(elsewhere)))
    if drawn.kind == "grid":
        parts.append(_("too many to draw one by one: squares count them — zoom in to see markers"))
    if not_drawn:
        parts.append(
            ngettext(
                "{n} more in the selection, known only to the country or without a place "
                "(not drawn)",
                "{n} more in the selection, known only to the country or without a place "
                "(not drawn)",
                not_drawn,
            ).format(n=number(not_drawn))
        )
    st.caption(" · ".join(parts))


def _select(incident_id: str, frame_row: dict | None) -> None:
    """Open an incident picked in the table, below the panel that shows it (the next
    run scrolls to the panel; not for an editor, whose tick may start a choice of
    several rows: the page stays at the table)."""
    st.session_state["_selected"] = incident_id
    if not common.viewer().can_edit:
        detail_panel.ask_into_view()
    if frame_row and frame_row.get("latitude") == frame_row.get("latitude"):
        st.session_state["_fly"] = (float(frame_row["latitude"]), float(frame_row["longitude"]), 11)


WHOLE = "_whole_page"  # set once this session's map has drawn: the run after draws it all
FIRST_RUN = "_first_run_at"
MAP_WAIT_S = 5.0  # the whole page comes by then even if the map has not reported


# The map is the page: less room above it than Streamlit's default, so that at 1280x720
# the headline, its captions and the map fit on the first screen; the map's frame as
# tall as the screen leaves room for the headline above and its caption below (at
# least 320 px, at most 80% of the screen, so a phone can still scroll past it; the
# frame's own map fills it: map_view.FILL). Constant markup.
_COMPACT = (
    "<style>.stMainBlockContainer{padding-top:3.5rem;padding-bottom:2rem}"
    ".stMainBlockContainer h1{font-size:1.5rem;padding:0.25rem 0 0.5rem}"
    # A filter's chips show their whole label ("Enforced disappearance"), wrapping if
    # need be, instead of "Enforced disappear…".
    "[data-testid=stMultiSelectTagsContainer] [data-tag]{max-width:100%;height:auto}"
    "[data-testid=stMultiSelectTagsContainer] [data-tag]>span"
    "{white-space:normal;overflow:visible;text-overflow:clip;max-width:none}"
    # Segmented choices (period, speed, step) wrap on a narrow screen instead of
    # scrolling sideways out of sight ("Everything up to it" was off a phone's screen).
    "[data-testid=stButtonGroup]>div:last-child{flex-wrap:wrap;row-gap:0.25rem}"
    f".st-key-{detail_panel.KEY}{{scroll-margin-top:4rem}}"  # below Streamlit's header
    f"{map_view.FRAME}{{height:clamp(320px,calc(100vh - 190px),80vh)!important}}"
    f"@supports (height:100dvh){{{map_view.FRAME}"
    "{height:clamp(320px,calc(100dvh - 190px),80dvh)!important}}</style>"
)


def main() -> None:
    started = time.monotonic()
    st.html(_COMPACT)
    view = _start_view()
    filters.prime(view)
    # A session's first run sends the counts and map only. The browser creates the
    # map's frame only once it has loaded the code of every kind of element in the page
    # (sidebar widgets, the timeline's chart, the table: 2 to 3 s on a busy 2-core
    # machine), so the sidebar, timeline, details, table and export panel come in the run
    # the map's first report starts. The widgets' values were primed from the URL: the
    # first run's view is the one the sidebar gives.
    whole = bool(st.session_state.get(WHOLE))
    idx = common.index()
    if not whole:
        view = filters.seen_only(view, common.distinct)
    if whole:
        choices = {name: common.distinct(name) for name in filter_fields.choice_lists()}
        choices["admin1_codes"] = [str(c) for c in idx.labels["admin1_code"] if c]
        choices["countries"] = [str(c) for c in idx.labels["country"] if c]
        view = filters.sidebar(view, choices, idx.date_span(Query()))
    query = view.query
    # In a container: how many captions it holds varies, and an element that moves in
    # the page is remounted by Streamlit; the map below must keep its place (and its frame).
    with st.container():
        _summary(idx, view, idx.count(Query()), idx.count(query))
    # The map first, the timeline under it (in the map's fragment, drawn after the map:
    # on a filter change the map's new layer goes out first).
    _map_area(view, whole)
    if not whole:
        st.session_state.setdefault(FIRST_RUN, time.monotonic())
        _whole_page_anyway()
    playback.finish(started)


@st.fragment(run_every=MAP_WAIT_S)
def _whole_page_anyway() -> None:
    """The whole page even when the map never reports (its frame failed to load): a
    timer of the first run, dropped once a whole run no longer draws this."""
    if time.monotonic() - st.session_state.get(FIRST_RUN, 0.0) < MAP_WAIT_S:
        return  # the first run's own call
    if not st.session_state.get(WHOLE):
        st.session_state[WHOLE] = True
        st.rerun()


def _time(idx: ColumnIndex, query: Query) -> None:
    undated = query.replace(date_from=None, date_to=None)
    window = (query.date_from, query.date_to)
    time_panel.render(lambda unit: idx.histogram(undated, unit), idx.date_span(undated), window)


@st.fragment
def _map_area(view: ViewState, whole: bool = True) -> None:
    """Map, detail panel and table: a pan, zoom or click reruns only this part.

    whole False (a session's first run): the map only; its first report (a rerun of this
    fragment, with the arguments of that run) asks for the whole page."""
    if not whole and st.session_state.get(map_view.KEY) is not None:
        st.session_state[WHOLE] = True
        st.rerun()
    view = _current(view)
    if whole and _window_moved(view.query):
        st.rerun()  # the timeline (in this fragment) moved the window: the whole page follows
    idx = common.index()
    query = view.query
    selected = st.session_state.get("_selected")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        state = map_view.render(idx, view, selected)
        in_view_query = query.replace(bbox=state.bounds) if state.bounds else query
        in_view = idx.count(in_view_query)
        elsewhere = 0 if in_view else idx.count(query, drawable=True)
        _map_sentence(state, in_view, state.drawn.not_drawable, elsewhere)
        link_slot = st.container(horizontal=True, vertical_alignment="center")
    if state.district:
        _toggle_district(view, state.district)
    if state.clicked and state.clicked != selected:
        selected = state.clicked
        st.session_state["_selected"] = selected
    view = ViewState(**{**view.__dict__, "center": state.center or view.center,
                        "zoom": state.zoom or view.zoom, "selected": selected})  # fmt: skip
    first = "_view" not in st.session_state
    st.session_state["_view"] = view
    # The session's first run leaves the address as the link gave it: the page's history
    # script (history_entries) may not be running yet, and the address written then was
    # added as an entry of its own (one Back stayed on the map). The next run, when the
    # map reports its view, writes the whole address in place.
    if not first:
        st.query_params.from_dict(to_params(view, _exact_links()))
    if not whole:
        return
    with link_slot:
        with st.popover(_("Copy link to this view")):
            _copy_link(view)
        playback.pause_button()  # while playing: the controls under the map are out of view
    with right, st.container(key=detail_panel.KEY):
        detail_panel.render(selected)
    with st.expander(_("Time"), expanded=True):
        _time(idx, query)
    picked = _table(idx, query, in_view_query, selected)
    _export_panel(query, view, state.bounds)
    detail_panel.bring_into_view()
    if picked is not None:
        _select(*picked)
        st.rerun()


def _toggle_district(view: ViewState, code: str) -> None:
    """A district clicked on the totals layer: the page shows that district alone (the
    sidebar's District filter and the link say so); clicked again, all districts."""
    chosen = [] if view.query.admin1_codes == (code,) else [code]
    key = next(f.key for f in filter_fields.FIELDS if f.name == "admin1_codes")  # the widget's
    filters.request(**{key: chosen})
    st.rerun(scope="app")


def _table(
    idx: ColumnIndex, query: Query, in_view: Query, selected: str | None
) -> tuple[str, dict | None] | None:
    """The table (and, for editors, the actions on its ticked rows); returns an
    incident picked in it to open, with its row."""
    shown = table_panel.listed(idx, query, in_view)
    with st.container():  # one element however many lines: the table keeps its place
        if shown.off_map:
            st.subheader(_("Incidents in the map view and those not on the map"))
            off_map = ngettext(
                "{n} of them is not on the map (no place recorded, or only the country "
                "known): the Location column says so. Pick a row to open it.",
                "{n} of them are not on the map (no place recorded, or only the country "
                "known): the Location column says so. Pick a row to open it.",
                shown.off_map,
            )
            st.caption(off_map.format(n=number(shown.off_map)))
        else:
            st.subheader(_("Incidents in the map view"))
    rows = common.rows_for(idx, shown.fids, COLUMNS)
    can_edit = common.viewer().can_edit
    pick = table_panel.render(rows, selected, shown, multi=can_edit)
    if can_edit:
        bulk_actions.render(pick.ticked)
    if not pick.opened or pick.opened == selected:
        return None
    row = rows[rows["id"] == pick.opened]
    return pick.opened, row.iloc[0].to_dict() if len(row) else None


def _current(view: ViewState) -> ViewState:
    """The view to draw: the controls' choices from view (the sidebar's, read this run),
    the extent and selection from the session's view (the map reports them in fragment
    reruns, whose argument is the last full run's view). Before, the session's view won
    whenever the filters and layer were unchanged: a new measure, tiles or bar width
    never reached the map or the link."""
    kept = st.session_state.get("_view")
    if not isinstance(kept, ViewState):
        return view
    ss = st.session_state
    chosen = {"bin": ss.get("t_bin", view.bin), "speed": ss.get(playback.SPEED, view.speed),
              "step": ss.get(playback.WINDOW, view.step)}  # fmt: skip
    return dataclasses.replace(
        view, center=kept.center, zoom=kept.zoom, selected=kept.selected, **chosen
    )


def _window_moved(query: Query) -> bool:
    """Whether the time window set by the timeline (brush, preset, step) is not the one
    this view was drawn with. The sidebar swaps a reversed window: compared sorted."""
    start, end = filters.window()
    if start and end and start > end:
        start, end = end, start
    return (start, end) != (query.date_from, query.date_to)


def _copy_link(view: ViewState) -> None:
    """The link in a box to copy (its copy icon, or select and copy): no clipboard
    permission is asked; the link reopens these filters, this extent and selection."""
    st.caption(_("Send this link to reopen this view (filters, time window, map, selection):"))
    link = share_link(_public_address() or _app_address(), view, _exact_links())
    st.code(link, language=None, wrap_lines=True)


def _exact_links() -> bool:
    """Whether this reader's links may name the map's centre exactly: only a reader who
    sees nothing the public does not (a staff link may reach the public: access.shared_point)."""
    viewer = common.viewer()
    return not (viewer.sees_exact_locations or viewer.sees_restricted)


def _public_address() -> str:
    """The address readers of exported files can open (INCIDENTS_PUBLIC_URL or
    public_url in secrets), "" when none is set."""
    try:
        secrets = st.secrets.to_dict()
    except Exception:  # no secrets file at all is the normal offline case
        secrets = {}
    return public_url(secrets=secrets)


def _app_address() -> str:
    """This page's address without its query string (for links that reopen the view)."""
    try:
        url = str(st.context.url or "")
    except AttributeError:
        url = ""
    return url.split("?", 1)[0]


def _export_panel(query: Query, view: ViewState, bounds: tuple | None) -> None:
    try:
        from app_pages.export_panel import render_export_panel
    except ImportError:
        return
    # Only a configured public address: the page's own address is often localhost or an
    # internal name, useless on a slide read elsewhere; without one, files print no link.
    public = _public_address()
    link = share_link(public, view, _exact_links()) if public else ""
    render_export_panel(
        common.get_store(), common.viewer(), query, {"bounds": bounds, "link": link}, lazy=True
    )


main()
