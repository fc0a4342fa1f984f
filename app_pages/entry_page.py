"""Add or edit one incident: find the place, check the point on a map, then save.

The form always shows the stored record or the draft the person typed: it keeps the
values it was filled with, so a save writes only the fields changed since (applied
onto the stored record, validated as an import is), and widgets Streamlit forgets while
another page is shown are put back. Each save names the version that was opened: if
someone else saved in between, the save is refused and edit_conflict.py offers to keep
the person's changes on top of the new version or to drop them.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import common, edit_conflict, entry_fields, once, record_actions, unsaved_guard
from geodata import countries_of
from incidents import form_edit
from incidents.query import Query
from incidents.record import Incident
from incidents.store import StaleEdit, StoreError
from incidents.store.base import NotFound
from incidents.translation import _, ngettext, number, readable
from incidents.validation import RowInvalid
from incidents.view_state import RECORD_PARAM  # the record open in the form: a reload reopens it

FORM = entry_fields.FORM  # the form and what it was filled with
PROBLEMS = "_entry_problems"
MESSAGES = (("_entry_saved", st.success), ("_entry_info", st.info), ("_entry_error", st.error))
CHOICE = "entry_choice"
NEW = "entry_new"  # the "New incident" button (the guard asks before it too)
REOPEN = "_entry_reopen"  # set by the detail panel's "Edit this incident"
CHOOSE_FROM_ALL = 2_000  # records; above, the page asks for words to search first
MATCHES = 200
LINKED = "_entry_linked"  # the record this page last wrote into the address
LAST_SAVE = "_entry_last_save"  # (id, version, what its save said): a second Save repeats it


def open_form(incident_id: str | None, draft: dict[str, Any] | None = None) -> None:
    """Fill the form from the stored record (or a new one's defaults), or with a draft
    laid over it; remember what it was filled with."""
    record = common.get_store().get(incident_id, common.viewer()) if incident_id else None
    data = countries_of(common.index().district_counts()) if record is None else ()
    base = form_edit.form_values(record, *data[:1])
    st.session_state[FORM] = {
        "id": incident_id if record else None,
        "record": record,
        "base": base,
        "draft": dict(draft or base),
        "owner": common.viewer().name,  # a draft is never shown to another account
    }
    entry_fields.fill(draft or base)
    st.session_state[PROBLEMS] = []


def _form(incident_id: str | None) -> dict[str, Any]:
    """The form for this record: filled afresh when another record is chosen, or when
    the record is opened again from the map and the form holds no saved-for-later
    change; else its draft restored."""
    state = st.session_state.get(FORM)
    reopened = incident_id is not None and st.session_state.pop(REOPEN, None) == incident_id
    if (
        state is None
        or state["id"] != incident_id
        or state.get("owner") != common.viewer().name  # another account signed in here
        or (reopened and not form_edit.changed(state["base"], state["draft"]))
    ):
        open_form(incident_id)
        return dict(st.session_state[FORM])
    if state.pop("interrupted", False):  # the session ended with it open (keep_typed)
        once.ask(
            "_entry_info",
            _(
                "Your session ended before this was saved: what you typed is back in the form. "
                "Check it and press Save."
            ),
        )
    entry_fields.restore(state["draft"])
    return dict(state)


def _choose_record() -> str | None:
    """All records in one list for a small store; above CHOOSE_FROM_ALL, a search box
    first (a list of a million titles would stall the page)."""
    if common.count(Query()) <= CHOOSE_FROM_ALL:
        ids = common.query_frame(Query(), ("id", "title"))
    else:
        ids = _found(st.session_state.get("edit_id"))
    options = ["new", *ids["id"].tolist()]
    titles = dict(zip(ids["id"], ids["title"], strict=True))
    current = st.session_state.get("edit_id") or "new"
    held = (st.session_state.get(FORM) or {}).get("record")
    if current not in options and held is not None and held.id == current:
        # Deleted by someone else since the form was filled: the form and what was typed
        # in it stay (a Save is refused and offers to keep them); choosing "new" here
        # emptied the form, and the Save that followed checked the empty one.
        options.insert(1, current)
        titles[current] = held.title
    st.session_state[CHOICE] = current if current in options else "new"
    st.selectbox(
        _("Incident"),
        options,
        key=CHOICE,
        on_change=lambda: st.session_state.update(edit_id=_chosen()),
        format_func=lambda i: (
            _("New incident") if i == "new" else f"{i} — {readable(titles.get(i, ''))[:70]}"
        ),
    )
    st.session_state["edit_id"] = _chosen()
    _keep_in_link(_chosen())
    return _chosen()


def _from_link() -> None:
    """Open the record the address names when the address chose it, not this page: a
    new session (a reload, another tab), an arrival, or Back to a record the page did
    not last write (Back from a new form stayed on it). Shown only if this viewer may
    see it; an address naming none (the map's Edit button) leaves the choice alone."""
    linked, ss = st.query_params.get(RECORD_PARAM), st.session_state
    if linked and ("edit_id" not in ss or common.arrived() or linked != ss.get(LINKED)):
        ss["edit_id"] = linked


def _keep_in_link(incident_id: str | None) -> None:
    """The address names the form's record (a reload reopens it), as LINKED recalls."""
    st.session_state[LINKED] = incident_id
    if incident_id and st.query_params.get(RECORD_PARAM) != incident_id:
        st.query_params[RECORD_PARAM] = incident_id
    elif not incident_id and RECORD_PARAM in st.query_params:
        del st.query_params[RECORD_PARAM]


def _chosen() -> str | None:
    choice = st.session_state.get(CHOICE)
    return None if choice in (None, "new") else str(choice)


def _found(current: str | None) -> pd.DataFrame:
    """The record being edited, and the first matches of the words typed (id, title,
    description or place), in date order."""
    columns = ("id", "title")
    words = st.text_input(
        _("Find the incident to edit"),
        key="entry_find",
        placeholder=_("Its id, or words from its title, description or place"),
    ).strip()
    idx = common.index()
    parts = [common.rows(idx, Query(ids=(current,)), columns, 1)] if current else []
    if words:
        exact = common.rows(idx, Query(ids=(words,)), columns, 1)
        matches = common.rows(idx, Query(text=words), columns, MATCHES)
        parts += [exact, matches]
        found = ngettext(
            "{n} incident found; choose it below.",
            "{n} incidents found; choose one below.",
            len(matches),
        )
        if len(matches) >= MATCHES:
            found = _("The first {n} incidents found; choose one below.")
        st.caption(found.format(n=number(len(matches))))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    return pd.concat(parts).drop_duplicates("id")


def new_incident() -> None:
    """Start a new, empty form (a button's callback: runs before the page is drawn)."""
    st.session_state["edit_id"] = None
    st.session_state.pop(FORM, None)
    st.session_state.pop(edit_conflict.CONFLICT, None)


def _save(state: dict[str, Any], now: dict[str, Any]) -> None:
    """Write the fields changed since the form was filled onto the stored record."""
    st.session_state[FORM]["draft"] = now
    record: Incident | None = state["record"]
    if record is not None and not form_edit.changed(state["base"], now):
        _nothing_to_save(record)
        return
    try:
        incident = form_edit.apply_edit(record, state["base"], now, f"inc-{uuid.uuid4().hex[:10]}")
    except RowInvalid as error:
        st.session_state[PROBLEMS] = [(p.field, p.message) for p in error.problems]
        return
    st.session_state[PROBLEMS] = []
    try:
        saved = common.get_store().save(incident, common.viewer())
    except (StaleEdit, NotFound) as error:  # NotFound: deleted since it was opened
        edit_conflict.refused(error, state, now)
        return
    except StoreError as error:
        once.ask("_entry_error", _("Not saved: {error}").format(error=error))
        return
    record_actions.written()
    said = _("Saved {id} (version {version}).").format(id=saved.id, version=saved.version)
    once.ask("_entry_saved", said)
    st.session_state[LAST_SAVE] = (saved.id, saved.version, said)
    once.ask("_entry_last_saved", saved.id)
    if record is None:  # the next incident typed is a new record, not this one again
        new_incident()
    else:
        st.session_state.pop(FORM, None)  # refilled from the stored record


def _nothing_to_save(record: Incident) -> None:
    """Save with no field changed. If the record was saved since (another tab, another
    editor), show that version: a stale tab said "Saved (version 3). Nothing changed
    since." beside version 4, in a walk. Right after a save of this very version (Save
    pressed twice: the second run's message replaced the first's), say it was saved,
    not only that nothing was: that read as if the edit had been lost."""
    current = common.get_store().get(record.id, common.viewer())
    if current is not None and current.version != record.version:  # saved since, elsewhere
        st.session_state.pop(FORM, None)  # refilled from the stored record: nothing is lost
        said = _(
            "Nothing to save: no field was changed. {id} was changed by {who} at {at} after "
            "you opened it: the form now shows that version ({version})."
        )
        who = current.updated_by or _("someone else")
        once.ask("_entry_info", said.format(
            id=record.id, who=who, at=current.updated_at, version=current.version
        ))  # fmt: skip
        return
    last = st.session_state.get(LAST_SAVE)
    if last and tuple(last[:2]) == (record.id, record.version):
        once.ask("_entry_saved", f"{last[2]} " + _("Nothing changed since."))
        return
    once.ask("_entry_info", _("Nothing to save: no field was changed."))


def _messages() -> None:
    for key, show in MESSAGES:
        said = once.due(key)
        if said:
            show(str(said))
            if key == "_entry_saved":  # seen wherever the long form is scrolled to
                st.toast(common.md_escape(str(said)))
    last = once.due("_entry_last_saved")
    if last and not st.session_state.get("edit_id"):
        st.button(_("Edit {id} again").format(id=last), on_click=_edit, args=(last,))


def _edit(incident_id: str) -> None:
    st.session_state["edit_id"] = incident_id
    st.session_state.pop(edit_conflict.CONFLICT, None)


def main() -> None:
    st.title(_("Add or edit an incident"))
    if not common.viewer().can_edit:
        st.info(_("Your role can look but not edit."))
        return
    _from_link()
    incident_id = _choose_record()
    if incident_id:
        st.button(_("New incident"), on_click=new_incident, type="secondary", key=NEW)
    state = _form(incident_id)
    _messages()
    if edit_conflict.render(open_form):
        unsaved_guard.guard(True, ("conflict", incident_id), (CHOICE, NEW))  # kept below
        return
    problems = dict(st.session_state.get(PROBLEMS, []))
    if problems:
        st.error(_("Not saved yet: please fix the fields marked below."))
    entry_fields.place_finder(problems)
    with st.form("incident_form"):
        now = entry_fields.form_fields(problems)
        if st.form_submit_button(_("Save"), type="primary"):
            _save(state, now)
            st.rerun()
    st.session_state[FORM]["draft"] = now
    drawn_from = (state["id"], getattr(state["record"], "version", None), sorted(now.items()))
    unsaved_guard.guard(bool(form_edit.changed(state["base"], now)), drawn_from, (CHOICE, NEW))
    if state["record"] is not None:
        shown = state["record"]
        st.caption(_("Editing {id}, version {version}.").format(id=shown.id, version=shown.version))
        record_actions.render(state["record"], new_incident)
    else:
        record_actions.deleted_list()


main()
