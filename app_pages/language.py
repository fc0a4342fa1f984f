"""Which language this visitor reads, the switch in the sidebar, and right-to-left pages.

Chosen, strongest first: `lang=` in the link (a shared link opens in the language it
was shared in), the visitor's own choice in the switch (kept for the session), the
signed-in account's language (the last one its owner chose in the switch, kept on the
account), the instance's default (INCIDENTS_LANGUAGE), then the browser's
Accept-Language. The map page writes the language chosen into its link (view_state),
so "Copy link" keeps it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from app_pages import identity
from app_pages.history_entries import history_step
from incidents import translation
from incidents.auth.accounts import AccountError
from incidents.form_edit import CODED
from incidents.translation import LANGUAGES
from incidents.view_state import ViewState

CHOSEN = "_incidents_lang"  # an explicit choice: from the link or the switch
ACTIVE = "_incidents_lang_active"  # the language of the last run (for callbacks)
SWITCH = "lang_switch"
FORM_PREFIX = "e_"  # the entry form's fields (app_pages/entry_fields.py)
PARAM = "lang"
VIEW = "_view"  # the map page's view (app_pages/map_page.py), which writes its link
ACCOUNT = "_incidents_lang_account"  # (signed-in account's name, its language), read once
# The switch's label names it in each language at once, so it is never translated.
SWITCH_LABEL = "Language · اللغة · Langue"


def _from_session() -> str | None:
    try:
        value = st.session_state.get(ACTIVE)
    except Exception:  # outside a Streamlit run (tests, the command line)
        return None
    return value if isinstance(value, str) else None


def _browser() -> str | None:
    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # AppTest's stand-in runtime has no request
        return None
    return translation.from_accept_language(header if isinstance(header, str) else None)


def pick(*candidates: str | None) -> str:
    """The first language the interface speaks among candidates, strongest first (the
    link or the switch, the account, the setting, the browser); English if none."""
    return next((code for c in candidates if (code := translation.supported(c))), "en")


def _signed_in() -> str | None:
    """The signed-in account's name, if any (never an error: the page goes on)."""
    try:
        session = identity.current_session()
    except Exception:  # AppTest's stand-in runtime, or an accounts file being replaced
        return None
    return session.name if session is not None else None


def _account_language() -> str | None:
    """The language kept on the signed-in account (read once per sign-in)."""
    name = _signed_in()
    if name is None:
        st.session_state.pop(ACCOUNT, None)
        return None
    kept = st.session_state.get(ACCOUNT)
    if not (isinstance(kept, tuple) and kept[0] == name):
        account = identity.accounts(str(identity.settings().users_path)).get(name)
        kept = st.session_state[ACCOUNT] = (name, account.language if account else "")
    return translation.supported(kept[1])


def resolve() -> str:
    """Set this run's language (link, choice, account, setting, browser) and return it."""
    translation.use_resolver(_from_session)
    linked = translation.supported(st.query_params.get(PARAM))
    if linked and not (history_step() and isinstance(st.session_state.get(CHOSEN), str)):
        # A choice, not a view: Back or Forward to an entry made before a switch (its
        # lang= an earlier one, or none) keeps the language chosen since, as a switch
        # on any page does; it went back one language, then not at all (tried as a
        # reader would: English, French, Arabic, then Back three times).
        st.session_state[CHOSEN] = linked
    chosen = st.session_state.get(CHOSEN)
    configured = os.environ.get(translation.DEFAULT_SETTING)
    code = pick(
        chosen if isinstance(chosen, str) else None,
        _account_language(),
        configured,
        _browser(),
    )
    st.session_state[ACTIVE] = translation.set_language(code)
    _keep_in_map_link()
    return code


def _keep_in_map_link() -> None:
    """The map page rewrites its whole link from its view on every run: the language
    chosen rides in that view, so the link and "Copy link to this view" keep it."""
    view = st.session_state.get(VIEW)
    if isinstance(view, ViewState) and view.lang != in_link():
        st.session_state[VIEW] = dataclasses.replace(view, lang=in_link())


def in_link() -> str:
    """The language a link to this view carries ("" when none was chosen explicitly)."""
    chosen = st.session_state.get(CHOSEN)
    return translation.supported(chosen if isinstance(chosen, str) else None) or ""


def keep_in_link() -> None:
    """Pages other than the map: the language chosen stays in the address, so a reload
    or a copied address opens in it (Streamlit clears the address on a page change; the
    map page writes its whole link from its view)."""
    code = in_link()
    if code and st.query_params.get(PARAM) != code:
        st.query_params[PARAM] = code


def _switched() -> None:
    code = translation.supported(st.session_state.get(SWITCH)) or "en"
    st.session_state[CHOSEN] = st.session_state[ACTIVE] = code
    st.query_params[PARAM] = code
    _keep_choices()
    _keep_on_account(code)


def _keep_choices() -> None:
    """Every choice set again to its value, so it goes to the browser in the new words.

    Streamlit keeps a choice as the label the browser shows and reads it back through
    the labels of the run that draws it: after a switch the browser still held the old
    language's label, which named no option, and Streamlit handed back the label itself
    (the next click failed on 'Any location precision'; "Bars per" became 'الشهر').
    Values set in a callback win over the browser's. Only values made of text (codes,
    lists of codes) are set; the others (dates, ticks, tables' selections) have no
    words to lose, and a few kinds of widget cannot be set at all. The entry form's text
    (e_...) is left as the browser holds it, typed and not saved; its lists are set (with
    old words, Save sent no type), so a list choice not saved goes back to the saved one."""
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        words = isinstance(value, str) or (
            isinstance(value, list | tuple)
            and bool(value)
            and all(isinstance(v, str) for v in value)
        )
        typed = str(key).startswith(FORM_PREFIX) and str(key)[len(FORM_PREFIX) :] not in CODED
        if key == SWITCH or typed or not words:
            continue
        try:
            st.session_state[key] = value
        except StreamlitAPIException:
            continue


def _keep_on_account(code: str) -> None:
    """A signed-in person's choice is kept on their account: their next sign-in, in any
    browser, opens in it."""
    name = _signed_in()
    if name is None:
        return
    try:
        identity.accounts(str(identity.settings().users_path)).set_language(name, code)
    except AccountError:  # the account was removed meanwhile: the choice stays this session's
        return
    st.session_state[ACCOUNT] = (name, code)


def switch() -> None:
    """The language switch, at the top of the sidebar on every page (each language
    named in itself, so anyone finds their own)."""
    codes = list(LANGUAGES)
    st.session_state[SWITCH] = translation.language()
    st.sidebar.selectbox(
        SWITCH_LABEL,
        codes,
        key=SWITCH,
        format_func=LANGUAGES.__getitem__,
        on_change=_switched,
    )


_RTL_CSS = """
<style>
[data-testid="stAppViewContainer"], [data-testid="stSidebar"], [data-testid="stMain"],
[data-testid="stHeader"], [data-testid="stBottom"] { direction: rtl; }
/* A closed sidebar is 0 px wide and moved left by its width; its contents spill out
   toward their reading end, which right to left was onto the page (on a phone a strip
   of the closed sidebar lay over the map and the table). */
[data-testid="stSidebar"][data-collapsed="true"],
[data-testid="stSidebar"][data-collapsed="true"] * { visibility: hidden !important; }
/* The sidebar stands at the right: its open and close chevrons are mirrored, so "open"
   points into the page and "close" toward the edge (they pointed the other way). */
[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"] {
  transform: scaleX(-1); }
/* Segmented choices (speed, step) are styled for left to right: the first button's
   rounded corners on its left, the join (a -1 px margin) on its right. Right to left
   the first button stands at the right edge: its corners and joins are mirrored (it
   looked cut off, the label above it too). */
button[data-variant="segmented_control"] { margin-right: 0; margin-left: -1px; }
button[data-variant="segmented_control"]:last-child { margin-left: 0; border-radius: 8px 0 0 8px; }
button[data-variant="segmented_control"]:first-child { border-radius: 0 8px 8px 0; }
button[data-variant="segmented_control"]:first-child:last-child { border-radius: 8px; }
/* Streamlit leaves each button's right border to its right-hand neighbour; the first one
   now has none, so its outer edge had no border ("2 s" looked cut off): Streamlit's own
   grey for an unchosen button (a chosen one draws all four sides itself). */
button[data-variant="segmented_control"]:first-child:not([aria-checked="true"]) {
  border-right-color: rgba(47, 45, 43, 0.2) !important; }
/* Each paragraph, heading, label, cell or field takes its direction from its first letter:
   an Arabic sentence reads right to left, a Latin source title left to right. The detail
   panel's lines are divs ("النوع: ..."): they stood left-aligned, labels out of line. */
p, h1, h2, h3, h4, li, label, summary, th, td, [data-testid="stWidgetLabel"],
[data-testid="stMarkdownContainer"] div,
[data-testid="stCaptionContainer"], [data-testid="stText"],
[data-testid="stTextArea"] textarea, [data-testid="stTextInput"] input {
  unicode-bidi: plaintext; text-align: start; }
[data-testid="stSlider"], [data-testid="stCode"], [data-testid="stDataFrame"],
[data-testid="stNumberInput"] input, [data-testid="stDateInput"] input,
[data-testid="stDateInputField"], [data-testid="stJson"], .leaflet-container { direction: ltr; }
/* Vega places each text from its left end (its own layout mirrors the chart): drawn
   right to left from there, the timeline's legend labels ran over each other. */
[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas { direction: ltr; }
</style>
"""


# Tables draw left to right on a canvas; right to left their columns come in reverse
# (table_panel.py), so a table wider than the screen (a phone) opens at its right end,
# where its first columns are; again when its width changes (a narrower window, the
# sidebar opened: it stayed at its old place and showed its last columns), until the
# reader scrolls it.
_RTL_TABLES = """<script>
(function () {
  var w = window;
  if (w.__incidentRtlTables) { return; }
  var seen = new WeakSet();
  function toRight(scroller, tries) {
    if (document.documentElement.dir !== "rtl" || scroller.dataset.moved) { return; }
    scroller.scrollLeft = scroller.scrollWidth;
    if (tries > 0) { setTimeout(function () { toRight(scroller, tries - 1); }, 150); }
  }
  function look() {
    if (document.documentElement.dir !== "rtl") { return; }  // switched without a reload
    document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller').forEach(
      function (s) {
        if (seen.has(s)) { return; }
        seen.add(s);
        ["wheel", "touchstart", "pointerdown", "keydown"].forEach(function (e) {
          s.addEventListener(e, function () { s.dataset.moved = "1"; }, {once: true});
        });
        toRight(s, 10);  // its width settles as the grid lays out
        if (w.ResizeObserver) { new ResizeObserver(function () { toRight(s, 2); }).observe(s); }
      });
  }
  w.__incidentRtlTables = new MutationObserver(look);
  w.__incidentRtlTables.observe(document.body, {childList: true, subtree: true});
  look();
})();
</script>"""


def column_order(columns: Iterable[object]) -> list[str] | None:
    """A table's columns as its grid should draw them: reversed right to left (the grid
    draws left to right, so the first column comes at the right edge, where an Arabic
    reader starts), as they are (None) otherwise."""
    return [str(c) for c in columns][::-1] if translation.is_rtl() else None


def readable_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a table on the page shows it: its text without direction overrides
    (translation.readable), which the table's cells would otherwise obey."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            out[column] = [translation.readable(v) if isinstance(v, str) else v for v in values]
    return out


def direction_markup() -> str:
    """The page's dir and lang (and the mirrored layout for Arabic), as markup app.py
    draws on every run, in the sidebar, so the page's own elements never move."""
    code = translation.language()
    direction = "rtl" if translation.is_rtl(code) else "ltr"
    script = (
        "<script>"
        f"document.documentElement.setAttribute('dir', '{direction}');"
        f"document.documentElement.setAttribute('lang', '{code}');"
        "</script>"
    )
    return script + (_RTL_CSS + _RTL_TABLES if direction == "rtl" else "")  # dir first
