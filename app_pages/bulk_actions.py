"""One change to every ticked incident, after one confirmation (editors only).

An editor ticks rows in the table, chooses what to do (set verification, add a tag,
delete with a reason) and confirms once; the store does it in one transaction and
says how many records it changed. The question names the action and the number of
incidents; it is dropped as soon as the ticks or the choice change, so the "Yes"
always answers what is on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from app_pages import common
from incidents.schema import VERIFICATION_STATUSES
from incidents.store.base import StoreError

PENDING = "_bulk_pending"  # the Request the editor was asked to confirm
DONE = "_bulk_done"  # the sentence saying what the last action did
ACTIONS = {"verification": "Set verification", "tag": "Add a tag", "delete": "Delete"}


@dataclass(frozen=True)
class Request:
    """One action on these incidents, as the editor chose it."""

    action: str
    value: str
    ids: tuple[str, ...]


def _incidents(n: int) -> str:
    return f"{n:,} incident" + ("" if n == 1 else "s")


def question(request: Request) -> str:
    """What the confirmation asks (Markdown; the editor's own text is escaped)."""
    n = _incidents(len(request.ids))
    if request.action == "verification":
        label = VERIFICATION_STATUSES.label(request.value)
        return f"Set verification to **{label}** on {n}?"
    if request.action == "tag":
        return f"Add the tag **{common.md_escape(request.value)}** to {n}?"
    return (
        f"Delete {n}? They leave every view and export; the history keeps them and the "
        f"reason you gave, and an editor can restore them."
    )


def outcome(request: Request, changed: int) -> str:
    """What was done, in the store's own count of changed records."""
    asked = len(request.ids)
    rest = asked - changed
    if request.action == "verification":
        label = VERIFICATION_STATUSES.label(request.value)
        text = f"Verification set to {label} on {_incidents(changed)}"
        unchanged = f"{rest:,} had it already"
    elif request.action == "tag":
        text = f"Tag {common.md_escape(request.value)} added to {_incidents(changed)}"
        unchanged = f"{rest:,} had it already"
    else:
        text = f"{_incidents(changed)} deleted"
        unchanged = f"{rest:,} could not be deleted (already gone, or changed meanwhile)"
    return text + (f" ({unchanged})." if rest > 0 else ".")


def apply(request: Request) -> int:
    """Do it in the store (one transaction); the number of records changed."""
    store, who = common.get_store(), common.viewer()
    ids = list(request.ids)
    act: dict[str, Callable[[], int]] = {
        "verification": lambda: store.bulk_set_verification(ids, request.value, who),
        "tag": lambda: store.bulk_add_tag(ids, request.value, who),
        "delete": lambda: store.bulk_delete(ids, request.value, who),
    }
    return act[request.action]()


def _choice(n: int) -> tuple[str, str]:
    """The action and its value as the editor sets them now."""
    action = st.radio(
        f"Change the {_incidents(n)} ticked in the table",
        list(ACTIONS),
        format_func=ACTIONS.__getitem__,
        horizontal=True,
        key="bulk_action",
    )
    if action == "verification":
        value = st.selectbox(
            "Verification", VERIFICATION_STATUSES.codes,
            format_func=VERIFICATION_STATUSES.label, key="bulk_status",
        )  # fmt: skip
    elif action == "tag":
        value = st.text_input("Tag to add", key="bulk_tag", max_chars=100)
    else:
        value = st.text_input(
            "Why delete them (kept in the history)", key="bulk_reason", max_chars=500
        )
    return str(action), str(value or "").strip()


def _confirm(request: Request) -> None:
    st.warning(question(request))
    yes, no = st.columns(2)
    if yes.button(f"Yes, {ACTIONS[request.action].lower()}", type="primary", key="bulk_yes"):
        st.session_state.pop(PENDING, None)
        try:
            changed = apply(request)
        except (StoreError, ValueError) as problem:
            st.error(f"Nothing was changed: {problem}")
            return
        common.data_changed()
        st.session_state[DONE] = outcome(request, changed)
        if request.action == "delete" and st.session_state.get("_selected") in request.ids:
            st.session_state["_selected"] = None  # the detail panel would show a gone record
        st.rerun()
    if no.button("Cancel", key="bulk_no"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def render(ticked: list[str]) -> None:
    """The actions on the ticked rows, and what the last one did."""
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done)
    if not ticked:
        st.caption("Tick several rows in the table to change them together.")
        st.session_state.pop(PENDING, None)
        return
    with st.container(border=True):
        action, value = _choice(len(ticked))
        now = Request(action, value, tuple(ticked))
        if st.session_state.get(PENDING) != now:
            st.session_state.pop(PENDING, None)  # the ticks or the choice changed
        if st.button(f"{ACTIONS[action]} on {_incidents(len(ticked))}…", key="bulk_ask"):
            if not value:
                what = "the tag to add" if action == "tag" else "why they are deleted"
                st.error(f"Say {what} first.")
            else:
                st.session_state[PENDING] = now
        if st.session_state.get(PENDING) == now:
            _confirm(now)
