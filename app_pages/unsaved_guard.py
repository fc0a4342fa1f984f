"""Ask before a form's unsaved work is thrown away.

Text typed into a Streamlit form stays in the browser until Save: a reload, a closed
tab or another page in the sidebar drops it without a word. This script, drawn beside
such a form, remembers that something was typed there and asks first: the browser's
own "Leave site?" question for a reload or a closed tab, a question in the reader's
language for the sidebar's links. Save (the form's submit button) clears it. The page
says whether the form it drew already differs from the stored record (a draft brought
back after a visit to another page).
"""

from __future__ import annotations

import json

import streamlit as st

from incidents.translation import _

_SCRIPT = """<script>
(function () {
  var w = window, state = w.__incidentUnsaved || (w.__incidentUnsaved = {dirty: false});
  state.question = %(question)s;
  state.dirty = %(dirty)s;
  if (state.installed) { return; }
  state.installed = true;
  var FORM = '[data-testid="stForm"]';
  function guarded() { return state.dirty && document.querySelector(FORM) !== null; }
  document.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest(FORM)) { state.dirty = true; }
  }, true);
  document.addEventListener("click", function (e) {
    var target = e.target.closest ? e.target : null;
    if (!target) { return; }
    if (target.closest('[data-testid="stFormSubmitButton"]')) { state.dirty = false; return; }
    var link = target.closest('[data-testid="stSidebarNav"] a');
    if (link && guarded()) {
      if (w.confirm(state.question)) { state.dirty = false; }
      else { e.preventDefault(); e.stopPropagation(); }
    }
  }, true);
  w.addEventListener("beforeunload", function (e) {
    if (guarded()) { e.preventDefault(); e.returnValue = ""; }
  });
})();
</script>"""


def guard(differs: bool) -> None:
    """Draw the guard for the form on this page; differs: the form was drawn holding
    changes not saved yet."""
    question = _("Your changes to this incident are not saved. Leave this page anyway?")
    script = _SCRIPT % {
        "question": json.dumps(question).replace("<", "\\u003c"),  # never ends the script
        "dirty": "true" if differs else "false",
    }
    st.sidebar.html(script, unsafe_allow_javascript=True)  # the sidebar: no gap in the page
