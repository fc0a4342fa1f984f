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

from incidents.translation import N_, _, browser_locale, language

# Streamlit's words, exactly as it writes them (streamlit 1.67), for the catalogue, by
# where it writes them as text.
LIST = (N_("Select all"), N_("No results"))  # atop and inside a drop-down's choices
EMPTY = (N_("Choose options"), N_("Choose an option"))  # an empty select
UPLOADER = (N_("Upload"),)
TOOLBAR = (  # a table's or a chart's toolbar, and their tooltips
    N_("Show/hide columns"), N_("Download as CSV"), N_("Search"), N_("Fullscreen"),
    N_("Close fullscreen"), N_("Clear selection"), N_("Add row"), N_("Delete row(s)"),
    N_("Show data"), N_("Download as PNG"), N_("Copy Vega-Lite spec"), N_("Copied!"),
)  # fmt: skip
SKIP = (N_("Skip to main content"),)
DATE_FIELD = (N_("yyyy"), N_("mm"), N_("dd"))  # an empty date field's parts
CALENDAR = (N_("Use arrow keys to navigate dates. Enter to select. Escape to close."),)
NAMES = (  # only ever the names of Streamlit's buttons and fields
    N_("Clear all"), N_("Add files"), N_("Choose date"), N_("Clear date"),
    N_("Show password"), N_("Hide password"), N_("Collapse sidebar"), N_("Expand sidebar"),
    N_("Sidebar"), N_("App pages"), N_("Open"), N_("Link to heading"),
    N_("Previous month"), N_("Next month"), N_("Empty"),
)  # fmt: skip
WORDS: tuple[str, ...] = (*LIST, *EMPTY, *UPLOADER, *TOOLBAR, *SKIP, *DATE_FIELD, *CALENDAR,
                          *NAMES)  # fmt: skip
# What screen readers call the parts of a chart (Vega's aria-roledescription, English
# whatever the chart's words): changed in that attribute only.
ROLES = (N_("axis"), N_("legend"), N_("group mark container"), N_("rect mark container"))
# Words with a number or a size in them: Streamlit's pattern, the catalogue's words.
MATCHES, PER_FILE = r"^Select (\d+) matches$", r"^(.+) per file$"
CHOOSE_DATE = r"^Choose date, (.+)$"  # the calendar's name, with its month
# The last part: where an attribute may say it ("" anywhere), like PLACES for text.
DATES = '[data-testid="stDateInput"], [role="dialog"]'
PATTERNS: tuple[tuple[str, str, str], ...] = (
    (MATCHES, N_("Select {n} matches"), ""),
    (PER_FILE, N_("{n} per file"), ""),
    (r"^Help for (.+)$", N_("Help for {n}"), ""),
    (CHOOSE_DATE, N_("Choose date, {n}"), DATES),
    (r"^year, (.+)$", N_("year, {n}"), DATES),  # a date field's parts, with its name
    (r"^month, (.+)$", N_("month, {n}"), DATES),
    (r"^day, (.+)$", N_("day, {n}"), DATES),
)
# Where Streamlit draws which of its words as text, and nowhere else: a tag or a record
# that says "Search" or "Open" is data, shown as it is. Elsewhere only attributes
# change (the names of Streamlit's buttons and fields).
PLACES: tuple[tuple[str, list[str]], ...] = (
    ('[role="listbox"]', [*LIST, MATCHES]),
    ('[data-baseweb="select"]', list(EMPTY)),
    ('[data-testid="stFileUploader"]', [*UPLOADER, PER_FILE]),
    ('[data-testid="stElementToolbar"], [data-testid="stTooltipContent"]', list(TOOLBAR)),
    ('a[href="#main"], [data-testid="stSkipLink"]', list(SKIP)),
    ('[data-testid="stDateInputField"] [data-placeholder="true"]', list(DATE_FIELD)),
    ('[role="dialog"]', [*CALENDAR, CHOOSE_DATE]),
)

_SCRIPT = """<script>
(function () {
  var NAMED = ["aria-label", "title", "placeholder", "aria-roledescription", "aria-valuetext"];
  var w = window, words = %(words)s, patterns = %(patterns)s, places = %(places)s;
  var state = w.__incidentStreamlitWords || (w.__incidentStreamlitWords = {});
  state.words = words; state.places = places; state.roles = %(roles)s;
  state.patterns = patterns.map(function (p) { return [new RegExp(p[0]), p[1], p[0], p[2]]; });
  // [the reader's words, the English word or pattern they replace], or null; node: the
  // element the words are on (a pattern with a place changes only there)
  function said(text, node) {
    var t = text.trim();
    if (!t) { return null; }
    if (Object.prototype.hasOwnProperty.call(state.words, t)) { return [state.words[t], t]; }
    for (var i = 0; i < state.patterns.length; i++) {
      var p = state.patterns[i], m = t.match(p[0]);
      if (m && (!p[3] || (node && node.closest && node.closest(p[3])))) {
        return [p[1].replace("{n}", function () { return m[1]; }), p[2]];
      }
    }
    return null;
  }
  // What was replaced, by node: [Streamlit's words, ours]; a language switched without
  // a reload starts again from Streamlit's words (back to them in English).
  var kept = state.kept || (state.kept = new WeakMap());
  function source(node, key, now) {
    var record = (kept.get(node) || {})[key];
    return record && record[1] === now ? record[0] : now;
  }
  function keep(node, key, original, shown) {
    var records = kept.get(node) || {};
    records[key] = [original, shown];
    kept.set(node, records);
  }
  function role(original) {
    var has = Object.prototype.hasOwnProperty.call(state.roles, original);
    return has ? [state.roles[original], original] : null;
  }
  function attributes(el) {
    NAMED.forEach(function (name) {
      var now = el.getAttribute && el.getAttribute(name);
      if (!now) { return; }
      var original = source(el, name, now);
      var t = name === "aria-roledescription" ? role(original) : said(original, el);
      var shown = t ? t[0] : original;
      if (shown !== now) { el.setAttribute(name, shown); keep(el, name, original, shown); }
    });
  }
  function text(node) {
    var parent = node.parentElement, now = node.nodeValue;
    if (!parent) { return; }
    var original = source(node, "text", now), t = said(original, parent), shown = original;
    for (var i = 0; t && i < state.places.length; i++) {
      if (state.places[i][1].indexOf(t[1]) >= 0 && parent.closest(state.places[i][0])) {
        shown = t[0];
        break;
      }
    }
    if (shown !== now) { node.nodeValue = shown; keep(node, "text", original, shown); }
  }
  function walk(root) {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) { return; }
    attributes(root);
    root.querySelectorAll(NAMED.map(function (n) { return "[" + n + "]"; }).join(", "))
      .forEach(attributes);
    var it = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var n = it.nextNode(); n; n = it.nextNode()) { text(n); }
  }
  // The locale Streamlit hands its date fields and calendar: it reads the browser's
  // (navigator.language) each time it draws, so the page's language is put there.
  var proto = Navigator.prototype, locale = %(locale)s;
  if (!state.native) {
    state.native = ["language", "languages"].map(function (n) {
      return [n, Object.getOwnPropertyDescriptor(proto, n)];
    });
  }
  if ((state.locale === undefined ? null : state.locale) !== locale) {
    state.locale = locale;
    try {
      state.native.forEach(function (d) {
        var mine = d[0] === "language" ? locale : [locale];
        if (locale) {
          Object.defineProperty(proto, d[0], {get: function () { return mine; },
            configurable: true});
        } else if (d[1]) {
          Object.defineProperty(proto, d[0], d[1]);
        }
      });
      w.dispatchEvent(new Event("languagechange"));
    } catch (e) { /* the browser's own locale stays: only the calendar's words */ }
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
    attributes: true, attributeFilter: NAMED});
})();
</script>"""


def script() -> str:
    """The script, drawn on every page (the words set again on each run: the language
    can change without a reload; in English there is nothing to replace)."""
    english = language() == "en"
    markup = _SCRIPT % {
        "words": _json({} if english else {word: _(word) for word in WORDS}),
        "patterns": _json(
            [] if english else [[p, _(words), where] for p, words, where in PATTERNS]
        ),
        "places": _json(PLACES),
        "roles": _json({} if english else {word: _(word) for word in ROLES}),
        "locale": _json(browser_locale()),
    }
    return markup


def _json(value: object) -> str:
    """JSON that cannot end the script element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
