"""The detail panel: every public field of one incident, its sources and its history.

Text written by users is shown escaped (no HTML, no Markdown images that would
load from elsewhere) and in its own direction, so Arabic reads right to left.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse

import streamlit as st
import streamlit.components.v1 as components

from app_pages import common, merged_records, text_table
from geodata import record_country
from geodata.district_names import reader_label
from incidents.duplicates.profile import dataset_of
from incidents.export.people_words import estimate_words
from incidents.export.placement_words import basis_words, town_name
from incidents.field_words import field_label
from incidents.record import Incident, Source
from incidents.record_history import Change, readable_history
from incidents.schema import (
    CONFIDENTIAL_FIELDS,
    DATE_KINDS,
    DATE_PRECISIONS,
    INCIDENT_TYPES,
    LOCATION_METHODS,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
)
from incidents.store.merges import merge_links
from incidents.styles import uncertainty_km
from incidents.translation import N_, _, language, ngettext, number

KEY = "detail_panel"  # the panel's container: .st-key-detail_panel in the page
_SCROLLS = "_detail_scrolls"  # how many times a scroll was asked: tells each asking apart

# Constant script (its only variable, the asking's number, is set by the app): scroll the
# page to the panel when it is off the screen, once for each asking. A row picked in the
# table opens the incident in the panel beside the map, above the table: at 1280x720 it
# opened out of sight (found in a browser walk).
_INTO_VIEW_JS = """<script>
const asked = NUMBER;
const page = window.parent;
const panel = page.document.querySelector('.st-key-detail_panel');
if (panel && page.__incidentsPanelScrolled !== asked) {
  page.__incidentsPanelScrolled = asked;
  const top = panel.getBoundingClientRect().top;
  if (top < 0 || top > page.innerHeight - 80) {
    panel.scrollIntoView({block: "start", behavior: "instant"});
  }
}
</script>"""


def ask_into_view() -> None:
    """The next time the page is drawn to its end, scroll to the panel once."""
    st.session_state[_SCROLLS] = int(st.session_state.get(_SCROLLS, 0)) + 1


def bring_into_view() -> None:
    """The frame that scrolls to the panel for the last asking, drawn in every run. Call
    at the page's end, so that nothing drawn after it moves the panel.

    It is drawn again in every run, not once: a run that drew it could be followed so
    soon by another (the map reporting the view it flew to) that a busy browser never
    put it on the page, and a row picked on a phone left the page at the table. The
    same frame drawn again is left as it is; the page itself remembers which asking it
    scrolled for, so a frame put back on the page does not scroll a second time."""
    scrolls = int(st.session_state.get(_SCROLLS, 0))
    if scrolls:
        components.html(_INTO_VIEW_JS.replace("NUMBER", str(scrolls)), height=0)


def _line(label: str, value: object) -> None:
    if value in (None, "", ()):
        return
    named = _("{label}:").format(label=label)  # French: "Type :"
    st.markdown(
        f"<div><b>{common.md_escape(named)}</b> {common.safe_html(value, 'span')}</div>",
        unsafe_allow_html=True,
    )


_PEOPLE = {
    "killed": N_("People killed"),
    "disappeared": N_("People disappeared"),
    "displaced": N_("People displaced"),
}


def _counts(incident: Incident) -> None:
    for what, label in _PEOPLE.items():
        low, best, high = (getattr(incident, f"{what}_{b}") for b in ("min", "best", "max"))
        if words := estimate_words(low, best, high):
            _line(_(label), words)


def _place(incident: Incident) -> None:
    precision = incident.location_precision
    country = record_country(incident.country, incident.admin1_code)
    town = town_name(incident.place, country)
    _line(_("Place"), f"{town} ({incident.place})" if town != incident.place else incident.place)
    _line(_("District"), reader_label(incident.admin1_code, language(), incident.admin1))
    if incident.has_point:
        _line(_("Point"), f"{incident.latitude:.5f}, {incident.longitude:.5f}")
    if incident.has_point and not common.viewer().sees_exact_locations:
        rules = common.get_store().public_rules
        _line(_("On the public map"), basis_words(precision, incident.place, rules, country))
    text = LOCATION_PRECISIONS.shown(precision)
    radius = uncertainty_km(precision, incident.location_uncertainty_km)
    if precision in ("approximate", "town") and radius:
        text += " " + _("(within about {km} km)").format(km=f"{radius:g}")
    _line(_("Location precision"), text)
    method = LOCATION_METHODS.shown(incident.location_method)
    if not incident.place_confirmed:
        method += " — " + _(
            "not confirmed: the place name matched no place with confidence; review it"
        )
    _line(_("How the point was obtained"), method)


def _sources(incident: Incident) -> None:
    if not incident.sources:
        st.caption(_("No sources recorded."))
        return
    st.markdown("**" + _("Sources") + "**")
    for n, source in enumerate(incident.sources, start=1):
        st.markdown(source_line(n, source), unsafe_allow_html=True)


def source_line(n: int, source: Source) -> str:
    """One source as HTML: its label escaped, its link (http/https only) an escaped
    attribute, so no character of a URL or title can turn into Markdown or markup."""
    label = common.safe_html(source.label() or _("Source {n}").format(n=n), "span")
    url = source.url if urlparse(source.url).scheme in ("http", "https") else ""
    if url:
        href = html.escape(url, quote=True)
        label = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{label}</a>'
    saved = (
        html.escape(_("fingerprint of the saved copy (SHA-256)"))
        + f" <code>{html.escape(source.sha256)}</code>"
        if source.sha256
        else "<i>" + html.escape(_("no saved copy recorded")) + "</i>"
    )
    return f"<div>{n}. {label}<br>{saved}</div>"


def _merged_from(incident: Incident) -> None:
    """The source records merged into this incident (their ids, with their data set),
    so a count of one can be traced to every report it came from. Staff only, as
    merge_links gives them: an absorbed record may have been restricted."""
    store, who = common.get_store(), common.viewer()
    links = merge_links(store, who, incident.id)
    if not links:
        return
    count = len(links) + 1
    heading = ngettext("Merged from {n} source record", "Merged from {n} source records", count)
    st.markdown("**" + common.md_escape(heading.format(n=number(count))) + "**")
    own = dataset_of(incident.source_event_id) or _("own records")
    lines = [_("{id} ({dataset}; kept)").format(id=incident.id, dataset=own)]
    for link in links:
        dataset = dataset_of(link.absorbed_event_id) or _("own records")
        lines.append(
            _("{id} ({dataset}; merged {day} by {who})").format(
                id=link.absorbed_id, dataset=dataset, day=link.merged_at[:10], who=link.merged_by
            )
        )
    for line in lines:
        st.markdown(common.safe_html(line, "div"), unsafe_allow_html=True)


def _history(incident_id: str) -> None:
    """Each change as the form names it: field, before, after, who, when (and deletes,
    restores, reverts with their reasons); confidential fields only for those entitled."""
    who = common.viewer()
    changes = readable_history(common.get_store().history(incident_id, who), who)
    if not changes:
        return
    with st.expander(_("Change history ({n})").format(n=number(len(changes)))):
        rows = [(f"{c.when}\n{c.who}", _change(c)) for c in changes]
        text_table.show_table((_("When (UTC), who"), _("Change")), rows, widths=(32, 68))


def _change(change: Change) -> str:
    """'Edited — Title', then what it was and what it became."""
    if not change.field:
        return change.action
    return _("{action} — {field}\nwas: {before}\nnow: {after}").format(
        action=_(change.action), field=_(change.field), before=change.before, after=change.after
    )


def _confidential(incident: Incident) -> None:
    """Witnesses, victims and notes, under their own heading, for those entitled only
    (editors and admins): the store reads them for no one else, and staff could not see
    what they had imported anywhere but in an internal table export."""
    if not common.viewer().sees_confidential:
        return
    kept = [(name, getattr(incident, name, "")) for name in CONFIDENTIAL_FIELDS]
    kept = [(name, value) for name, value in kept if value]
    if not kept:
        return
    st.markdown("**" + _("Confidential: staff only") + "**")
    for name, value in kept:
        _line(field_label(name), value)


def render(incident_id: str | None) -> None:
    """The panel for one incident (or a hint when none is selected)."""
    if not incident_id:
        st.info(_("Click a marker on the map or a row in the table to see an incident here."))
        return
    incident = common.get_store().get(incident_id, common.viewer())
    if incident is None:
        st.warning(_("That incident is not available (deleted, or not visible to you)."))
        return
    st.markdown(common.safe_html(incident.title, "h3"), unsafe_allow_html=True)
    _line(_("Type"), INCIDENT_TYPES.shown(incident.type))
    when = str(incident.date_start)
    if incident.date_end != incident.date_start:
        when += f" – {incident.date_end}"
    _line(
        _("Date"),
        _("{when} ({kind}; known to the {precision})").format(
            when=when,
            kind=DATE_KINDS.shown(incident.date_kind),
            precision=DATE_PRECISIONS.shown(incident.date_precision).lower(),
        ),
    )
    _line(_("Verification"), VERIFICATION_STATUSES.shown(incident.verification))
    _line(_("Alleged perpetrators"), "; ".join(incident.perpetrators))
    _counts(incident)
    _place(incident)
    if incident.description:
        st.markdown("**" + _("Description") + "**")
        common.show_text(incident.description)
    _line(_("Tags"), "; ".join(incident.tags))
    _confidential(incident)
    _sources(incident)
    # The public gets no version: an edit count says when a hidden field changed.
    version = _("version {n}").format(n=incident.version)
    shown_version = f" · {version}" if common.viewer().sees_exact_locations else ""
    _line(_("Record"), f"{incident.id}{shown_version}")
    _merged_from(incident)
    merged_records.unmerge_buttons(incident)  # editors: "Unmerge" each source record
    _history(incident.id)
    if common.viewer().can_edit and st.button(_("Edit this incident"), key="edit_selected"):
        st.session_state["edit_id"] = incident.id
        st.session_state["_entry_reopen"] = incident.id  # the stored record, unless a draft
        st.switch_page("app_pages/entry_page.py")
