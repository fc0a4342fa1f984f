"""Streamlit's own words in the reader's language.

Streamlit writes a few words of its own into every page and has no way to translate
them: "Select all" atop a filter's choices, "Choose options" in an empty one, the
file uploader's "Upload" and "200MB per file", a table's toolbar (Download as CSV,
Search, Full screen), and the names screen readers read for its buttons. An Arabic
or French page kept them in English. A small script, drawn on every page in another
language, puts the catalogue's words in their place as Streamlit draws them.

Only Streamlit's exact words change, and only in its own controls (drop-down lists,
the uploader, toolbars, tooltips) and in the names of its buttons and fields: record
text is never touched, even if a record says "Search".
"""

from __future__ import annotations

import json

from incidents.translation import N_, _, language

# Streamlit's words, exactly as it writes them (streamlit 1.67), for the catalogue.
WORDS: tuple[str, ...] = (
    N_("Select all"),
    N_("No results"),
    N_("Choose options"),
    N_("Choose an option"),
    N_("Clear all"),
    N_("Upload"),
    N_("Add files"),
    N_("Show/hide columns"),
    N_("Download as CSV"),
    N_("Search"),
    N_("Fullscreen"),
    N_("Close fullscreen"),
    N_("Clear selection"),
    N_("Add row"),
    N_("Delete row(s)"),
    N_("Show data"),
    N_("Download as PNG"),
    N_("Copy Vega-Lite spec"),
    N_("Copied!"),
    N_("Choose date"),
    N_("Clear date"),
    N_("Show password"),
    N_("Hide password"),
    N_("Collapse sidebar"),
    N_("Expand sidebar"),
    N_("Skip to main content"),
    N_("Sidebar"),
    N_("App pages"),
    N_("Open"),
    N_("Link to heading"),
)
# Words with a number or a size in them: Streamlit's pattern, the catalogue's words.
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Select (\d+) matches$", N_("Select {n} matches")),
    (r"^(.+) per file$", N_("{n} per file")),
    (r"^Help for (.+)$", N_("Help for {n}")),
)
# Where Streamlit draws its words as text: its drop-down lists, uploader, toolbars,
# tooltips and empty selects. Elsewhere only attributes (button and field names).
CHROME = (
    '[role="listbox"], [data-baseweb="popover"], [data-testid="stFileUploader"], '
    '[data-testid="stElementToolbar"], [data-testid="stTooltipContent"], '
    '[data-baseweb="select"], [data-testid="stSkipLink"], a[href="#main"]'
)

_SCRIPT = """<script>
(function () {
  var w = window, words = %(words)s, patterns = %(patterns)s, chrome = %(chrome)s;
  var state = w.__incidentStreamlitWords || (w.__incidentStreamlitWords = {});
  state.words = words; state.patterns = patterns;
  function said(text) {
    var t = text.trim();
    if (!t) { return null; }
    if (Object.prototype.hasOwnProperty.call(state.words, t)) { return state.words[t]; }
    for (var i = 0; i < state.patterns.length; i++) {
      var m = t.match(new RegExp(state.patterns[i][0]));
      if (m) { return state.patterns[i][1].replace("{n}", m[1]); }
    }
    return null;
  }
  function attributes(el) {
    ["aria-label", "title", "placeholder"].forEach(function (name) {
      var v = el.getAttribute && el.getAttribute(name);
      var t = v && said(v);
      if (t && t !== v) { el.setAttribute(name, t); }
    });
  }
  function text(node) {
    var parent = node.parentElement;
    if (!parent || !parent.closest(chrome)) { return; }
    var t = said(node.nodeValue);
    if (t && t !== node.nodeValue.trim()) { node.nodeValue = t; }
  }
  function walk(root) {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) { return; }
    attributes(root);
    root.querySelectorAll("[aria-label], [title], [placeholder]").forEach(attributes);
    var it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var n = it.nextNode(); n; n = it.nextNode()) { text(n); }
  }
  walk(document.body);
  if (state.observer) { return; }
  state.observer = new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      if (c.type === "childList") { c.addedNodes.forEach(walk); }
      else if (c.type === "characterData") { text(c.target); }
      else { attributes(c.target); }
    });
  });
  state.observer.observe(document.body, {childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "title", "placeholder"]});
})();
</script>"""


def script() -> str:
    """The script, drawn on every page (the words set again on each run: the language
    can change without a reload; in English there is nothing to replace)."""
    english = language() == "en"
    markup = _SCRIPT % {
        "words": _json({} if english else {word: _(word) for word in WORDS}),
        "patterns": _json([] if english else [[p, _(words)] for p, words in PATTERNS]),
        "chrome": _json(CHROME),
    }
    return markup


def _json(value: object) -> str:
    """JSON that cannot end the script element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
