"""Merged incidents, for editors: each merge listed (the merged incident, the source
records merged into it, who merged them and when), each undone by "Unmerge" after one
confirmation.

Why a module of its own: the Duplicates page lists every merge and the detail panel
offers the same action for the incident it shows, so both call here. Thin: the list
and the undo are incidents/store/merges.py (merged_incidents, unmerge), which audit
the unmerge and bring both records back to the map and the counts. Record text (ids,
titles) is escaped: button labels are Markdown, titles are shown as text.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common
from incidents.duplicates.profile import dataset_of
from incidents.record import Incident
from incidents.store import StoreError
from incidents.store.merges import MergeLink, merge_links, merged_incidents, unmerge
from incidents.store.record_store import RecordStore
from incidents.translation import _, ngettext, number

_PENDING = "_unmerge_pending"  # (where, absorbed id) the editor was asked to confirm
_DONE = "_unmerge_done"  # (the message of the last unmerge, where it is shown: _place)


def section() -> None:
    """The Duplicates page's list of merges, latest first (editors and admins only;
    a merge involving a restricted record is listed only to those who may see it)."""
    store, who = common.get_store(), common.viewer()
    if not who.can_edit:
        return
    _said("list")
    merged = merged_incidents(store, who)
    asked = st.session_state.get(_PENDING)
    label = _("Merged incidents ({n})").format(n=number(len(merged)))
    with st.expander(label, expanded=bool(asked and asked[0] == "list")):
        if not merged:
            st.caption(_("No incidents have been merged."))
        for kept, links in merged:
            _merged_incident(store, kept, links)


def unmerge_buttons(incident: Incident) -> None:
    """Under a merged incident's detail: "Unmerge" for each record merged into it."""
    store, who = common.get_store(), common.viewer()
    if not who.can_edit:
        return
    _said(_place("detail", incident.id))
    for link in merge_links(store, who, incident.id):
        _unmerge_action(store, incident, link, "detail")


def _merged_incident(store: RecordStore, kept: Incident, links: list[MergeLink]) -> None:
    with st.container(border=True):
        common.show_text(kept.title, "b")
        count = len(links) + 1
        heading = ngettext(
            "{id}: merged from {n} source record", "{id}: merged from {n} source records", count
        )
        st.caption(common.md_escape(heading.format(id=kept.id, n=number(count))))
        for link in links:
            dataset = dataset_of(link.absorbed_event_id) or _("own records")
            line = _("{id} ({dataset}; merged {day} by {who})").format(
                id=link.absorbed_id, dataset=dataset, day=link.merged_at[:10], who=link.merged_by
            )
            common.show_text(line)
            _unmerge_action(store, kept, link, "list")


def _unmerge_action(store: RecordStore, kept: Incident, link: MergeLink, where: str) -> None:
    """The "Unmerge…" button, or, once pressed, the question and its two answers."""
    key = f"{where}-{link.absorbed_id}"
    absorbed, kept_id = common.md_escape(link.absorbed_id), common.md_escape(kept.id)
    if st.session_state.get(_PENDING) != (where, link.absorbed_id):
        label = _("Unmerge {absorbed}…").format(absorbed=absorbed)
        if st.button(label, key=f"unmerge-ask-{key}"):
            st.session_state[_PENDING] = (where, link.absorbed_id)
            st.rerun()
        return
    st.warning(
        _(
            "Unmerge {absorbed} from {kept}? Both records are back on the map and in the "
            "counts; each field the merge changed in {kept} returns to its earlier value "
            "unless someone edited it since. The audit log records the unmerge."
        ).format(absorbed=absorbed, kept=kept_id)
    )
    yes, no = st.columns(2)
    if yes.button(_("Unmerge"), type="primary", key=f"unmerge-yes-{key}"):
        st.session_state.pop(_PENDING, None)
        try:
            unmerge(store, link.absorbed_id, common.viewer())
        except StoreError as refused:
            st.error(str(refused))
            return
        common.data_changed()
        said = _("Unmerged {absorbed} from {kept}.").format(absorbed=absorbed, kept=kept_id)
        st.session_state[_DONE] = (said, _place(where, kept.id))
        st.rerun()
    if no.button(_("Cancel"), key=f"unmerge-no-{key}"):
        st.session_state.pop(_PENDING, None)
        st.rerun()


def _place(where: str, incident_id: str) -> str:
    """Where an unmerge's message is shown: the list, or the panel of the kept incident."""
    return "list" if where == "list" else f"{where} {incident_id}"


def _said(place: str) -> None:
    """The message of an unmerge done before (st.rerun drops a toast), while the same
    list or incident is shown. Not once only: the map reporting its view after the
    change reran the panel at once, and the message was gone before it was seen."""
    done = st.session_state.get(_DONE)
    if done and done[1] == place:
        st.success(done[0])
    else:
        st.session_state.pop(_DONE, None)
