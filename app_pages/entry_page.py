"""Add or edit one incident: find the place, check the point on a map, then save.

Saving goes through the same validation as an import, and problems are shown next
to their fields. Each save names the version that was opened: if someone else saved
in between, the edit is refused rather than written over theirs.
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import common, entry_fields
from incidents.query import Query
from incidents.record import Incident
from incidents.store import StaleEdit, StoreError
from incidents.validation import RowInvalid, validate_row

PROBLEMS = "_entry_problems"
CHOOSE_FROM_ALL = 2_000  # records; above, the page asks for words to search first
MATCHES = 200


def _load(incident_id: str | None) -> Incident | None:
    """The record being edited (None: a new one); fills the form once per record."""
    if st.session_state.get("_entry_loaded") == (incident_id or "new"):
        return st.session_state.get("_entry_record")
    record = common.get_store().get(incident_id, common.viewer()) if incident_id else None
    for key in [k for k in st.session_state if str(k).startswith("e_")]:
        del st.session_state[key]
    entry_fields.prime(record)
    st.session_state["_entry_loaded"] = incident_id or "new"
    st.session_state["_entry_record"] = record
    st.session_state[PROBLEMS] = []
    return record


def _choose_record() -> str | None:
    """All records in one list for a small store; above CHOOSE_FROM_ALL, a search box
    first (a list of a million titles would stall the page)."""
    if common.count(Query()) <= CHOOSE_FROM_ALL:
        ids = common.query_frame(Query(), ("id", "title"))
    else:
        ids = _found(st.session_state.get("edit_id"))
    options = ["new", *ids["id"].tolist()]
    current = st.session_state.get("edit_id") or "new"
    titles = dict(zip(ids["id"], ids["title"], strict=True))
    choice = st.selectbox(
        "Incident",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda i: "New incident" if i == "new" else f"{i} — {titles.get(i, '')[:70]}",
    )
    st.session_state["edit_id"] = None if choice == "new" else choice
    return None if choice == "new" else choice


def _found(current: str | None) -> pd.DataFrame:
    """The record being edited, and the first matches of the words typed (id, title,
    description or place), in date order."""
    columns = ("id", "title")
    words = st.text_input(
        "Find the incident to edit",
        key="entry_find",
        placeholder="Its id, or words from its title, description or place",
    ).strip()
    idx = common.index()
    parts = [common.rows(idx, Query(ids=(current,)), columns, 1)] if current else []
    if words:
        exact = common.rows(idx, Query(ids=(words,)), columns, 1)
        matches = common.rows(idx, Query(text=words), columns, MATCHES)
        parts += [exact, matches]
        more = " (the first ones)" if len(matches) >= MATCHES else ""
        st.caption(f"{len(matches):,} incidents found{more}; choose one below.")
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    return pd.concat(parts).drop_duplicates("id")


def _save(record: Incident | None, raw: dict[str, Any]) -> None:
    try:
        incident = validate_row(raw)
    except RowInvalid as error:
        st.session_state[PROBLEMS] = [(p.field, p.message) for p in error.problems]
        return
    st.session_state[PROBLEMS] = []
    incident = incident.replace(
        id=record.id if record else f"inc-{uuid.uuid4().hex[:10]}",
        version=record.version if record else 0,
        location_method=st.session_state.get("e_method", "manual"),
        place_confirmed=True,
    )
    try:
        saved = common.get_store().save(incident, common.viewer())
    except StaleEdit as error:
        st.session_state["_entry_error"] = (
            f"Not saved: {error} Someone changed this incident after you opened it. "
            "Reload it to see their changes, then make your edit again."
        )
        return
    except StoreError as error:
        st.session_state["_entry_error"] = f"Not saved: {error}"
        return
    st.session_state["_entry_saved"] = f"Saved {saved.id} (version {saved.version})."
    st.session_state["edit_id"] = saved.id
    st.session_state["_entry_loaded"] = None


def main() -> None:
    st.title("Add or edit an incident")
    if not common.viewer().can_edit:
        st.info("Your role can look but not edit.")
        return
    record = _load(_choose_record())
    for key, show in (("_entry_saved", st.success), ("_entry_error", st.error)):
        if st.session_state.get(key):
            show(st.session_state.pop(key))
    problems = dict(st.session_state.get(PROBLEMS, []))
    if problems:
        st.error("Not saved yet: please fix the fields marked below.")
    entry_fields.place_finder(problems)
    with st.form("incident_form"):
        raw = entry_fields.form_fields(problems)
        if st.form_submit_button("Save", type="primary"):
            _save(record, raw)
            st.rerun()
    if record is not None:
        st.caption(f"Editing {record.id}, version {record.version}.")


main()
