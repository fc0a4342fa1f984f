"""Ask before a form's unsaved work is thrown away.

Text typed into a Streamlit form stays in the browser until Save: a reload, a closed
tab, another page in the sidebar or the browser's Back button drops it without a word.
This script, drawn beside such a form, asks first: the browser's own "Leave site?"
question for a reload or a closed tab, a question in the reader's language for the
sidebar's links and for Back. Back cannot be stopped once it has left the page's
history entry, so the first unsaved change adds a second entry of the same page (its
address ends in '#editing', which Streamlit does not treat as a page change): Back
lands there first, and the question is asked before going on.

What counts as unsaved: what the page says it drew (a draft brought back after a visit
to another page, changes kept after a refused save or an edit conflict), or any field
of the form that differs from how it was drawn (typed text, a choice in a list, a date,
a number, a box ticked), compared with a snapshot taken just before the form is first
touched. The snapshot is taken again after the form is drawn from another record,
version, draft or language: after a save, "New incident" or another record nothing is
left to lose. After a switch of language alone, what was unsaved stays unsaved. The
guard acts only while its marker is on the page: on other pages (the sign-in form) it
never asks.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from incidents.translation import _, language

MARK = "incident-unsaved-guard"

_SCRIPT = """<span id="%(mark)s" hidden></span><script>
(function () {
  var w = window, state = w.__incidentUnsaved || (w.__incidentUnsaved = {});
  var FORM = '[data-testid="stForm"]', MARK = %(mark_json)s;
  state.question = %(question)s;
  state.dropQuestion = %(drop_question)s;
  state.switches = %(switches)s;
  state.server = %(differs)s;
  function snapshot() {
    var form = document.querySelector(FORM);
    if (!form) { return null; }
    var parts = [];
    form.querySelectorAll("input, textarea").forEach(function (el) {
      parts.push(el.type === "checkbox" || el.type === "radio" ? String(el.checked) : el.value);
    });
    form.querySelectorAll('[data-baseweb="select"]').forEach(function (el) {
      parts.push(el.innerText);
    });
    return JSON.stringify(parts);
  }
  if (state.key !== %(key)s) {  // drawn from another record, version, draft or language
    // Only the language switched: the typed text stays in the form, and so does the
    // question (the snapshot taken again would hold the typed text as drawn).
    state.carried = state.form === %(form)s && (state.dirty || state.carried) || false;
    state.key = %(key)s;
    state.form = %(form)s;
    state.baseline = null;  // taken again at the first touch of the form
    state.dirty = false; state.dropped = null;  // what the form held when dropping it was accepted
  }
  state.snapshot = snapshot;
  function unsaved() {
    if (!document.getElementById(MARK)) { return false; }  // not on the form's page
    if (state.server || state.carried) { return true; }
    var now = snapshot();
    return state.baseline !== null && now !== null && now !== state.baseline;
  }
  state.unsaved = unsaved;
  state.forget = function () {  // the form was left: nothing of it is unsaved any more
    state.key = state.form = null;
    state.server = state.carried = state.dirty = false;
    state.baseline = null;
  };
  state.arm = function () {
    var h = w.history;
    if (!document.getElementById(MARK) || (h.state || {}).incidentGuard === "trap") { return; }
    var here = w.location.href.split("#")[0] + "#editing";
    h.replaceState({incidentGuard: "base"}, "", here);
    h.pushState({incidentGuard: "trap"}, "", here);
    state.last = "trap";
  };
  if (state.server || state.carried) { state.arm(); }
  if (state.installed) { return; }
  state.installed = true;
  // The form as drawn, just before the first touch of it (a press, a focus): no value
  // has changed yet then, and the form has long finished drawing.
  ["pointerdown", "focusin", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (state.baseline === null && e.target.closest && e.target.closest(FORM)) {
        state.baseline = state.snapshot();
      }
    }, true);
  });
  // Back is guarded once something is unsaved (a form only looked at adds no entry).
  ["input", "change", "click", "keyup"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.target.closest && e.target.closest(FORM)) {
        w.setTimeout(function () {
          state.dirty = state.unsaved();
          if (state.dirty) { state.arm(); }
        }, 0);
      }
    }, true);
  });
  // The Back button: a second history entry of this page, so that Back first lands on
  // this page's own entry (its '#': Streamlit stays) and the question can be asked.
  // Declined, the entry is put back; accepted (or nothing unsaved), Back goes on.
  // Streamlit may have pushed the form page's address more than once (a record chosen
  // in the form adds one): leaving steps back over every entry of the page, so that
  // one Back (accepted) leaves it. Nothing is forgotten until another page is reached:
  // in a tab where the form came first, Back has nowhere to go and the work stays
  // guarded.
  state.last = (w.history.state || {}).incidentGuard;
  w.addEventListener("popstate", function (e) {
    var now = (e.state || {}).incidentGuard, from = state.last, path = w.location.pathname;
    state.last = now;
    if (state.leaving) {
      if (path === state.leaving && state.steps-- > 0) { w.history.back(); return; }
      if (path !== state.leaving) { state.forget(); }
      state.leaving = null;
    }
    if (now !== "base" || from !== "trap") { return; }  // not a Back from the form
    if (state.unsaved() && !w.confirm(state.question)) {
      w.history.pushState({incidentGuard: "trap"}, "", w.location.href);
      state.last = "trap";
      return;
    }
    state.leaving = path; state.steps = 5;
    w.setTimeout(function () { state.leaving = null; }, 3000);  // Back had nowhere to go
    w.history.back();
  });
  // Keys that open nothing: any other key in the record list (a letter typed opens
  // its choices, which then take a click outside the list's own element) asks first.
  var _QUIET = ["Tab", "Shift", "Control", "Alt", "Meta", "Escape", "CapsLock"];
  // The page's own ways to another record (its record list, "New incident") redraw the
  // form: asked first too. One question per gesture (a press, then its click). A list
  // opens on the press, so it is asked then; a button acts on its click (Enter and
  // Space make one too), and is asked at the click alone: a question shown during the
  // press or the key could lose the click that followed it, and "New incident",
  // accepted, then did nothing.
  ["pointerdown", "mousedown", "click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var picked = state.switches.some(function (key) {
        return e.target.closest && e.target.closest(".st-key-" + key);
      });
      if (!picked) { return; }
      if (type === "keydown" && _QUIET.indexOf(e.key) >= 0) { return; }  // moves focus only
      if (type !== "click" && e.target.closest("button")) { return; }  // Enter, Space: a click
      var g = state.gesture, now = state.snapshot();
      if (!g || Date.now() - g.at > 800) {  // asked once for what the form holds
        var asked = state.unsaved() && now !== state.dropped;
        var stop = asked && !w.confirm(state.dropQuestion);
        g = state.gesture = {at: Date.now(), stop: stop};  // from the answer: it may be slow
        if (asked && !stop) { state.dropped = now; }  // not asked again for the same
      }
      if (g.stop) { e.preventDefault(); e.stopPropagation(); }
    }, true);
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || !state.unsaved()) { return; }
    if (w.confirm(state.question)) { state.forget(); }
    else { e.preventDefault(); e.stopPropagation(); }
  }, true);
  w.addEventListener("beforeunload", function (e) {  // not again when Back was accepted
    if (!state.leaving && state.unsaved()) { e.preventDefault(); e.returnValue = ""; }
  });
})();
</script>"""


def guard(differs: bool, drawn_from: object, switches: tuple[str, ...] = ()) -> None:
    """Draw the guard for the form on this page. differs: the page drew changes not
    saved yet; drawn_from: what the form was filled from (record, version, draft), so
    the browser knows when to take its snapshot again; switches: keys of the page's
    widgets that draw the form from another record (asked before, as a link is)."""
    question = _("Your changes to this incident are not saved. Leave this page anyway?")
    drop = _("Your changes to this incident are not saved. Drop them and open another?")
    form = hashlib.sha256(repr(drawn_from).encode()).hexdigest()[:16]
    key = hashlib.sha256(repr((drawn_from, language())).encode()).hexdigest()[:16]
    script = _SCRIPT % {
        "mark": MARK,
        "mark_json": json.dumps(MARK),
        "question": _json(question),
        "drop_question": _json(drop),
        "switches": _json(list(switches)),
        "differs": "true" if differs else "false",
        "key": json.dumps(key),
        "form": json.dumps(form),
    }
    st.sidebar.html(script, unsafe_allow_javascript=True)  # the sidebar: no gap in the page


def _json(value: object) -> str:
    """JSON that cannot end the script element it sits in."""
    return json.dumps(value).replace("<", "\\u003c")
