"""The sidebar: filters, time window and layer choices, read into a ViewState.

Widget values start from the URL (or from this session's last view, when the user
comes back from another page); the page writes the resulting view back to the URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from app_pages.common import EARLIEST, LATEST
from geodata.district_names import search_label
from incidents import filter_fields
from incidents.country_names import country_label
from incidents.maps import LAYERS
from incidents.maps.aggregate import MEASURES
from incidents.query import Query
from incidents.translation import N_, _, language, readable
from incidents.view_state import ViewState

PENDING = "_pending_widgets"
WINDOW = "_time_window"
WINDOW_VERSION = "_time_window_version"
_ANY = "any"  # a selectbox's "no filter" choice
LINK_ASKS_TILES = "_link_asks_tiles"  # the opened link had tiles=1: asked, not obeyed
# The query left once a link's perpetrators or tags this reader is not offered were
# dropped: the notice stays while the view is still that one.
LINK_UNSEEN = "_link_filters_unseen"
LINK_UNSEEN_FIRST = "_link_filters_unseen_first"  # dropped in the first run, before a sidebar
UNSEEN_SAID = N_(
    "This link asked for a tag or alleged perpetrator that is not among the incidents you "
    "can see; those filters were left out."
)


# The page's choices besides the filter table's: the map layer, its count, online
# tiles, the timeline's bars, playback's speed and what each step shows (playback.py).
_VIEW_KEYS = ("m_layer", "m_measure", "m_tiles", "t_bin", "t_speed", "t_trail")


def widget_defaults(view: ViewState) -> dict[str, Any]:
    """Widget key -> value for a view (how a URL becomes the sidebar)."""
    values = {f.key: getattr(view.query, f.name) for f in filter_fields.FIELDS if f.key}
    fields = {k: list(v) if isinstance(v, tuple) else _ANY if v is None else v  # multi, select
              for k, v in values.items()}  # fmt: skip
    shown = (view.layer, view.measure, view.online_tiles, view.bin, view.speed, view.step)
    return {**fields, **dict(zip(_VIEW_KEYS, shown, strict=True))}


def forget() -> None:
    """Another page runs: drop the map page's widget values. Once a widget is gone,
    Streamlit keeps the value code last gave its key (the link's, at prime), not the one
    the person chose since, so coming back brought the link's filters back; prime now
    gives every widget its value again from this session's last view."""
    for key in (*(f.key for f in filter_fields.FIELDS if f.key), *_VIEW_KEYS):
        st.session_state.pop(key, None)


def _read(f: filter_fields.FilterField) -> Any:
    value = st.session_state[f.key]
    if f.widget == "multiselect":
        return tuple(value)
    if f.widget == "text_input":
        return str(value).strip()
    return bool(value) if f.widget == "checkbox" else None if value == _ANY else value


def prime(view: ViewState) -> None:
    """Give every widget its starting value, and apply changes asked for last run."""
    for key, value in widget_defaults(view).items():
        if key not in st.session_state:
            st.session_state[key] = value
    st.session_state.setdefault(WINDOW, (view.query.date_from, view.query.date_to))
    st.session_state.setdefault(WINDOW_VERSION, 0)
    for key, value in st.session_state.pop(PENDING, {}).items():
        st.session_state[key] = value


def request(**values: Any) -> None:
    """Change widget values from code after the widgets were drawn (applied next run)."""
    st.session_state.setdefault(PENDING, {}).update(values)


def set_window(start: date | None, end: date | None) -> None:
    """Set the time window from code (presets, brushing, playback), at any point of a run.

    The window lives outside the date widgets, whose keys change with each such set:
    a rerun that arrives carrying the old widgets' stale values then cannot undo it.
    """
    st.session_state[WINDOW] = (start, end)
    st.session_state[WINDOW_VERSION] = st.session_state.get(WINDOW_VERSION, 0) + 1


def window() -> tuple[date | None, date | None]:
    value = st.session_state.get(WINDOW) or (None, None)
    return value[0], value[1]


def _typed(version: int) -> None:
    """A person changed a date field: that is the window now."""
    ss = st.session_state
    ss[WINDOW] = (ss.get(f"d_from_{version}"), ss.get(f"d_to_{version}"))


def _district_options(codes: list[str], key: str) -> dict[str, str]:
    """The districts the records name (and any already chosen), each labelled with its
    one display name and code, then every other name it is known by (both scripts), so
    typing "Marqab" finds Murqub (geodata.district_names).

    Only these: districts are bundled for every country now, and a list of 4,000 names
    would be sent to the browser on every run.
    """
    chosen = st.session_state.get(key) or []
    return {code: _district_label(code) for code in sorted({*codes, *chosen})}


def _district_label(code: str) -> str:
    """The district's name in the page's language and its code lead (what a chosen chip
    shows, as the table and detail panel name it); every other name follows, so typing
    finds it."""
    return search_label(code, language())


def _widgets(section: str, choices: dict[str, list[str]]) -> dict[str, Any]:
    """Draw the widgets of one sidebar section of the filter table; return their values."""
    fields = [f for f in filter_fields.FIELDS if f.key and f.section == section]
    for f in fields:
        _draw(f, choices.get(f.name, []))
    return {f.name: _read(f) for f in fields}


def _drop_unoffered(choices: dict[str, list[str]]) -> bool:
    """Take out of the perpetrator and tag filters the values this reader is not offered
    (a link's values found only on records the reader may not see, or on none), and say
    whether any were. Streamlit would drop them from the widgets without a word, and the
    reader would take the page for the sender's view."""
    dropped = False
    for f in filter_fields.FIELDS:
        chosen = st.session_state.get(f.key) if f.kind == "names" and f.key else None
        if not chosen:
            continue
        offered = set(choices.get(f.name, []))
        kept = [value for value in chosen if value in offered]
        if len(kept) != len(chosen):
            st.session_state[f.key], dropped = kept, True
    return dropped


def seen_only(view: ViewState, offered: Callable[[str], list[str]]) -> ViewState:
    """The view of a session's first run (no sidebar yet) with a link's perpetrators and
    tags this reader is not offered (offered(field): the values offered) taken out, as
    the sidebar takes them out in the next run: the first counts and map were the
    link's, an unseen filter included, for a moment."""
    names = [f for f in filter_fields.FIELDS if f.kind == "names" and f.key]
    asked = [f for f in names if getattr(view.query, f.name)]
    if not asked or not _drop_unoffered({f.name: offered(f.name) for f in asked}):
        return view
    kept = {f.name: _read(f) for f in asked}
    st.session_state[LINK_UNSEEN_FIRST] = True  # the sidebar says so from the next run
    return dataclasses.replace(view, query=dataclasses.replace(view.query, **kept))


def unseen_notice() -> None:
    """Say that filters of the opened link were left out for this reader (the same
    words for a value restricted and one unknown), while the view is still the link's."""
    if LINK_UNSEEN in st.session_state or st.session_state.get(LINK_UNSEEN_FIRST):
        st.warning(_(UNSEEN_SAID))


def _draw(f: filter_fields.FilterField, choices: list[str]) -> None:
    """One filter's widget, as its entry in the table describes it."""
    label: Callable[[str], str] = f.vocab.shown if f.vocab else readable  # tags: record text
    common: dict[str, Any] = {"key": f.key, "help": _(f.tip) if f.tip else None}
    if f.widget == "multiselect":
        names = {c: label(c) for c in (f.vocab.codes if f.vocab else choices)}
        if f.kind == "district":
            names = _district_options(choices, f.key)
        if f.kind == "country":  # the data's countries (and any chosen), named as read
            chosen = st.session_state.get(f.key) or []
            names = {c: f"{country_label(c)} ({c})" for c in sorted({*choices, *chosen})}
        st.multiselect(
            _(f.label), list(names), format_func=lambda c: names.get(c, c),
            placeholder=_("Choose options"), **common,
        )  # fmt: skip
    elif f.widget == "selectbox" and f.vocab:
        options = {_ANY: _("Any {noun}").format(noun=_(f.noun))} | {
            c: label(c) for c in f.offer or f.vocab.codes
        }
        st.selectbox(_(f.label), list(options), format_func=lambda c: options.get(c, c), **common)
    elif f.widget == "radio" and f.vocab:
        st.radio(_(f.label), f.vocab.codes, format_func=label, **common)
    elif f.widget == "text_input":
        st.text_input(_(f.label), key=f.key, placeholder=_(f.tip) if f.tip else None)
    elif f.widget == "checkbox":
        st.checkbox(_(f.label), **common)


def _time(query: Query, span: tuple[date, date] | None) -> Query:
    from app_pages import period_choice  # it sets the window through this module

    st.subheader(_("Time"))
    period_choice.render(span)
    version = st.session_state.get(WINDOW_VERSION, 0)
    start, end = window()
    # One field a row: side by side in the sidebar they cut off the day ("2019 - 04 - 0").
    for label, name, value in ((_("From"), "d_from", start), (_("To"), "d_to", end)):
        key = f"{name}_{version}"
        # The date through the session, the field made with no value: Streamlit lets a
        # person empty only a field created empty (a set date could not be cleared).
        st.session_state.setdefault(key, value)
        st.date_input(
            label,
            value=None,
            key=key,
            format="YYYY-MM-DD",
            # a window from a link or an old record may lie outside: the field takes it
            min_value=min([EARLIEST, *(d for d in (start, end) if d)]),
            max_value=max([LATEST, *(d for d in (start, end) if d)]),
            on_change=_typed,
            args=(version,),
        )
    values = _widgets("time", {})
    start, end = window()
    if start and end and start > end:
        st.warning(_("'From' is after 'To': the two dates were swapped."))
        start, end = end, start
    return query.replace(date_from=start, date_to=end, **values)


def _layers() -> None:
    st.subheader(_("Map"))
    st.radio(
        _("Show"), list(LAYERS), format_func=lambda c: _(LAYERS[c]), key="m_layer", horizontal=True
    )
    if st.session_state.m_layer == "districts":
        st.selectbox(
            _("Count"), list(MEASURES), format_func=lambda c: _(MEASURES[c]), key="m_measure"
        )
    st.checkbox(
        _("Online map tiles (needs internet)"),
        key="m_tiles",
        help=_(
            "Off by default: the map uses the country and district outlines bundled with the app."
        ),
    )


def _accept_tiles() -> None:
    st.session_state.pop(LINK_ASKS_TILES, None)
    request(m_tiles=True)


def ask_tiles() -> None:
    """When the opened link asked for online map tiles: say so and offer them, off until
    the person agrees (tiles come from a server on the internet, which then learns that
    this browser looks at this place; a link must not decide that for its reader)."""
    ss = st.session_state
    if not ss.get(LINK_ASKS_TILES) or ss.get("m_tiles"):
        return
    left, right = st.columns([4, 1])
    left.caption(
        _(
            "The link you opened asks for online map tiles. They are off: they would load "
            "map images from a server on the internet, which then sees which area you look at."
        )
    )
    right.button(_("Use online tiles"), key="accept_tiles", on_click=_accept_tiles)


def _reset() -> None:
    """Every filter and the time window back to "all incidents" (map choices stay)."""
    blank = widget_defaults(ViewState())
    request(**{f.key: blank[f.key] for f in filter_fields.FIELDS if f.key})
    set_window(None, None)
    st.session_state.pop("t_period", None)


def sidebar(
    view: ViewState, choices: dict[str, list[str]], span: tuple[date, date] | None = None
) -> ViewState:
    """Draw the sidebar; return the view it describes (map extent and selection kept).

    choices: the values each list filter offers, by Query field (perpetrators, tags...);
    span: the data's first and last dates (the periods offered).
    """
    with st.sidebar:
        st.header(_("Filters"))
        st.button(
            _("Reset all filters"),
            key="reset_filters",
            on_click=_reset,
            help=_("Show every incident again: clears the filters and the time window."),
        )
        dropped = _drop_unoffered(choices)
        query = _time(Query(**_widgets("filters", choices)), span)
        _layers()
    ss = st.session_state
    if dropped or ss.pop(LINK_UNSEEN_FIRST, False):  # here, or in the first run (seen_only)
        ss[LINK_UNSEEN] = query
    elif ss.get(LINK_UNSEEN) != query:  # the reader has changed the view since
        ss.pop(LINK_UNSEEN, None)
    return dataclasses.replace(view, query=query, layer=ss.m_layer, measure=ss.m_measure,
                               online_tiles=bool(ss.m_tiles), bin=ss.t_bin)  # fmt: skip
