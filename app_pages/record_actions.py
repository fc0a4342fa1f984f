"""Delete, restore, revert and purge from the entry page, each after one confirmation.

A delete asks why (the reason stays in the audit chain) and hides the record from
every view; "Deleted incidents" lists such records with Restore. A record's versions
can be reverted to (stored as its next version). Administrators may purge a deleted
record for a legal request, after typing its id: its content goes for good.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages import common, once, text_table
from incidents.record import Incident
from incidents.store import StoreError
from incidents.store.record_versions import entry_versions
from incidents.translation import _

PENDING = "_record_action"  # (what, id, detail) awaiting its confirmation
DONE = "_entry_saved"  # entry_page shows it as a success
FAILED = "_entry_error"


def written() -> None:
    """After a write: the next run reads the store's new data version at once, so every
    cached count, table and map shows the change."""
    st.session_state.pop("_data_version", None)


def _ask(what: str, incident_id: str, detail: object = None) -> None:
    st.session_state[PENDING] = (what, incident_id, detail)


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def _pending(what: str, incident_id: str) -> object | None:
    pending = st.session_state.get(PENDING)
    if pending and pending[0] == what and pending[1] == incident_id:
        return pending[2] if pending[2] is not None else True
    return None


def _run(action: Callable[[], str]) -> None:
    """Do a write; its sentence, or the store's refusal, is shown by the entry page."""
    _cancel()
    try:
        once.ask(DONE, action())
    except StoreError as error:
        once.ask(FAILED, _("Not done: {error}").format(error=error))
    written()


def _delete(record: Incident, new_incident: Callable[[], None]) -> None:
    reason = str(st.session_state.get("delete_reason", "")).strip()
    if not reason:
        once.ask(FAILED, _("Say why the incident is deleted."))
        return

    def act() -> str:
        common.get_store().delete(record.id, record.version, common.viewer(), reason=reason)
        new_incident()
        return _(
            "Deleted {id}. It is hidden from every view and export; "
            "'Deleted incidents' below can restore it."
        ).format(id=record.id)

    _run(act)


def _delete_section(record: Incident, new_incident: Callable[[], None]) -> None:
    if not _pending("delete", record.id):
        st.button(_("Delete…"), key="delete_ask", on_click=_ask, args=("delete", record.id))
        return
    with st.container(border=True):
        st.warning(
            _(
                "Delete {id}? It disappears from the map, the tables, counts and "
                "exports. It can be restored from 'Deleted incidents'."
            ).format(id=record.id)
        )
        st.text_input(_("Why is it deleted? (kept in the audit log)"), key="delete_reason")
        c1, c2 = st.columns(2)
        c1.button(
            _("Delete this incident"),
            type="primary",
            key="delete_confirm",
            on_click=_delete,
            args=(record, new_incident),
        )
        c2.button(_("Cancel"), key="delete_cancel", on_click=_cancel)


def _revert(record: Incident, version: int) -> None:
    def act() -> str:
        saved = common.get_store().revert(record.id, version, record.version, common.viewer())
        st.session_state.pop("_entry_form", None)  # refilled from the stored record
        return _("{id} now says what version {version} said (stored as version {saved}).").format(
            id=record.id, version=version, saved=saved.version
        )

    _run(act)


def _versions(record: Incident) -> None:
    entries = common.get_store().history(record.id, common.viewer())
    versions = entry_versions(entries, record.version)
    rows = [(versions[e.seq], e) for e in entries if e.seq in versions]
    asked = _pending("revert", record.id)
    with st.expander(_("Versions ({n})").format(n=len(rows)), expanded=asked is not None):
        for version, entry in reversed(rows):
            when = entry.at[:19].replace("T", " ")
            c1, c2 = st.columns([3, 1])
            c1.markdown(
                text_table.html_table(
                    (), [(_("Version {n}").format(n=version), when, entry.actor)]
                ),
                unsafe_allow_html=True,
            )
            if version == record.version:
                c2.caption(_("the version shown in the form"))
            elif asked == version:
                c2.button(_("Confirm revert"), key=f"revert_ok_{version}", type="primary",
                          on_click=_revert, args=(record, version))  # fmt: skip
                c2.button(_("Cancel"), key=f"revert_cancel_{version}", on_click=_cancel)
            else:
                c2.button(_("Revert to this version"), key=f"revert_{version}",
                          on_click=_ask, args=("revert", record.id, version))  # fmt: skip


def render(record: Incident, new_incident: Callable[[], None]) -> None:
    """The actions on a stored record: its versions (revert), delete; then the deleted."""
    _versions(record)
    _delete_section(record, new_incident)
    deleted_list()


def _restore(incident_id: str) -> None:
    def act() -> str:
        saved = common.get_store().restore(incident_id, common.viewer())
        st.session_state["edit_id"] = saved.id
        st.session_state.pop("_entry_form", None)
        return _("Restored {id} (version {version}).").format(id=saved.id, version=saved.version)

    _run(act)


def _purge(incident_id: str) -> None:
    typed = str(st.session_state.get("purge_id", "")).strip()
    reason = str(st.session_state.get("purge_reason", "")).strip()
    if typed != incident_id:
        once.ask(
            FAILED, _("Not purged: type the id {id} exactly to confirm.").format(id=incident_id)
        )
        return

    def act() -> str:
        common.get_store().purge(incident_id, common.viewer(), reason)
        return _(
            "Purged {id}: its content is gone; the audit log says who purged it and why."
        ).format(id=incident_id)

    _run(act)


def _purge_form(incident_id: str) -> None:
    with st.container(border=True):
        st.error(
            _(
                "Purging {id} removes its content for good, from the store and from "
                "its audit entries. Nobody can restore it. Do this only for a legal request."
            ).format(id=incident_id)
        )
        st.text_input(_("Reason (for example the request's reference)"), key="purge_reason")
        st.text_input(_("Type {id} to confirm").format(id=incident_id), key="purge_id")
        c1, c2 = st.columns(2)
        c1.button(_("Purge for good"), type="primary", key="purge_confirm",
                  on_click=_purge, args=(incident_id,))  # fmt: skip
        c2.button(_("Cancel"), key="purge_cancel", on_click=_cancel)


def deleted_list() -> None:
    """Deleted incidents, newest first, with Restore (and Purge… for administrators)."""
    who = common.viewer()
    deleted = common.get_store().deleted_records(who)
    title = _("Deleted incidents ({n})").format(n=len(deleted))
    with st.expander(title, expanded=bool(_pending_any())):
        if not deleted:
            st.caption(_("No deleted incidents."))
        for item in deleted:
            when = item.deleted_at[:19].replace("T", " ")
            by = _("deleted {when} by {who}").format(when=when, who=item.deleted_by)
            row = (item.id, item.title, by, item.reason)
            st.markdown(text_table.html_table((), [row]), unsafe_allow_html=True)
            c1, c2 = st.columns([1, 3])
            c1.button(_("Restore"), key=f"restore_{item.id}", on_click=_restore, args=(item.id,))
            if who.is_admin and _pending("purge", item.id):
                with c2:
                    _purge_form(item.id)
            elif who.is_admin:
                c2.button(_("Purge…"), key=f"purge_{item.id}",
                          on_click=_ask, args=("purge", item.id))  # fmt: skip


def _pending_any() -> bool:
    pending = st.session_state.get(PENDING)
    return bool(pending and pending[0] == "purge")
