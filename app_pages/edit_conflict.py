"""Two editors saved the same record: the second save is refused, not lost.

The refused editor sees each field either side changed, their value and the value
stored now, and chooses: keep their changes on top of the stored record (the form is refilled
with them, to check and save again), or drop them and reload the stored record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages import common, once, text_table
from incidents import form_edit
from incidents.record import Incident
from incidents.store import StoreError
from incidents.text_diff import changed_words
from incidents.translation import _

CONFLICT = "_entry_conflict"
OpenForm = Callable[..., None]


def refused(error: StoreError, state: dict[str, Any], now: dict[str, Any]) -> None:
    """Remember a refused save (StaleEdit, or NotFound for a record deleted since it was
    opened): the person's changes and the record stored now."""
    record: Incident | None = state["record"]
    current = getattr(error, "current", None)
    if current is None and record is not None:
        current = common.get_store().get(record.id, common.viewer())
    st.session_state[CONFLICT] = {
        "id": record.id if record else None,
        "base": state["base"],
        "now": now,
        "current": current,
        "message": str(error),
    }


def _keep(open_form: OpenForm, conflict: dict[str, Any]) -> None:
    current = common.get_store().get(conflict["id"], common.viewer())
    st.session_state.pop(CONFLICT, None)
    if current is None:
        open_form(None, conflict["now"])
        once.ask(
            "_entry_info",
            _(
                "The incident was deleted meanwhile: your version is in the form as a new "
                "incident. Save it only if it should exist again."
            ),
        )
        return
    draft, both = form_edit.merged_draft(current, conflict["base"], conflict["now"])
    open_form(current.id, draft)
    said = _(
        "Your changes are now on top of version {version} as stored. Check the form and press Save."
    ).format(version=current.version)
    if both:  # the other editor's value of these is in the record's versions, not the form
        also = _(
            "Version {version} changed these too, and the form holds your value: {fields}. "
            "Its value is listed under Versions."
        )
        fields = _("; ").join(_(form_edit.LABELS[f]) for f in both)
        said += " " + also.format(version=current.version, fields=fields)
    once.ask("_entry_info", said)


def _reload(open_form: OpenForm, conflict: dict[str, Any]) -> None:
    st.session_state.pop(CONFLICT, None)
    open_form(conflict["id"])
    once.ask("_entry_info", _("Your changes were dropped; the form shows the stored record."))


def _changes_table(conflict: dict[str, Any], current: Incident) -> None:
    """Each field either side changed: the person's value and the stored one, each
    side's own changes since the version both started from marked on that side. Marking where the
    two sides differ put the other editor's words under "Your value" too, so it could
    not tell whose change a marked word was."""
    rows = [
        (_(field), changed_words(first, mine)[1], changed_words(first, stored)[1])
        for field, first, mine, stored in form_edit.differences(
            conflict["base"], conflict["now"], current
        )
    ]
    header = (_("Field"), _("Your value"), _("Stored now"))
    text_table.show_table(header, rows, widths=(16, 42, 42))  # the texts need the room
    if any(differs for row in rows for run in row[1:] for _t, differs in run):
        said = _(
            "In a long text, the words changed since you opened the incident are "
            "highlighted: yours under “Your value”, the other save's under “Stored now”."
        )
        st.caption(said)


def render(open_form: OpenForm) -> bool:
    """Show a refused save and the two ways on; True while it waits for a choice."""
    conflict = st.session_state.get(CONFLICT)
    if not conflict or conflict["id"] != st.session_state.get("edit_id"):
        return False
    current: Incident | None = conflict["current"]
    if current is None:
        st.error(_("Not saved: this incident was deleted after you opened it."))
        st.caption(
            _(
                "Nothing you typed is lost. To bring the incident back with its history, "
                "drop your changes and restore it under “Deleted incidents” on this page; "
                "or keep your changes as a new incident."
            )
        )
    else:
        if current.updated_by and current.updated_by == common.viewer().name:
            said = _(
                "Not saved: you saved this incident in another tab or window (now "
                "version {version}) after this form was opened. Your changes here are "
                "kept below; nothing has been lost."
            )
        else:
            said = _(
                "Not saved: {who} saved this incident (now version {version}) after "
                "you opened it. Your changes are kept below; nothing has been lost."
            )
        who = current.updated_by or _("someone else")
        st.error(said.format(who=who, version=current.version))
        _changes_table(conflict, current)
    c1, c2 = st.columns(2)
    c1.button(
        _("Keep my changes on top of the stored record"),
        type="primary",
        on_click=_keep,
        args=(open_form, conflict),
    )
    c2.button(_("Drop my changes and reload"), on_click=_reload, args=(open_form, conflict))
    return True
