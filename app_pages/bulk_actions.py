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
from incidents.translation import N_, _, ngettext, number

PENDING = "_bulk_pending"  # the Request the editor was asked to confirm
DONE = "_bulk_done"  # (the sentence saying what the last action did, the ids it was done to)
ACTIONS = {"verification": N_("Set verification"), "tag": N_("Add a tag"), "delete": N_("Delete")}
_YES = {"verification": N_("Yes, set verification"), "tag": N_("Yes, add a tag"),
        "delete": N_("Yes, delete")}  # fmt: skip


@dataclass(frozen=True)
class Request:
    """One action on these incidents, as the editor chose it."""

    action: str
    value: str
    ids: tuple[str, ...]


def question(request: Request) -> str:
    """What the confirmation asks (Markdown; the editor's own text is escaped)."""
    count = len(request.ids)
    n = number(count)
    if request.action == "verification":
        label = VERIFICATION_STATUSES.shown(request.value)
        asks = ngettext("Set verification to **{label}** on {n} incident?",
                        "Set verification to **{label}** on {n} incidents?", count)  # fmt: skip
        return asks.format(label=label, n=n)
    if request.action == "tag":
        asks = ngettext("Add the tag **{tag}** to {n} incident?",
                        "Add the tag **{tag}** to {n} incidents?", count)  # fmt: skip
        return asks.format(tag=common.md_escape(request.value), n=n)
    return ngettext(
        "Delete {n} incident? They leave every view and export; the history keeps them and "
        "the reason you gave, and an editor can restore them.",
        "Delete {n} incidents? They leave every view and export; the history keeps them and "
        "the reason you gave, and an editor can restore them.",
        count,
    ).format(n=n)


def outcome(request: Request, changed: int) -> str:
    """What was done, in the store's own count of changed records."""
    asked = len(request.ids)
    rest = asked - changed
    n = number(changed)
    unchanged = ngettext("{n} had it already", "{n} had it already", rest)
    if request.action == "verification":
        label = VERIFICATION_STATUSES.shown(request.value)
        text = ngettext("Verification set to {label} on {n} incident",
                        "Verification set to {label} on {n} incidents", changed)  # fmt: skip
        text = text.format(label=label, n=n)
    elif request.action == "tag":
        text = ngettext("Tag {tag} added to {n} incident",
                        "Tag {tag} added to {n} incidents", changed)  # fmt: skip
        text = text.format(tag=common.md_escape(request.value), n=n)
    else:
        text = ngettext("{n} incident deleted", "{n} incidents deleted", changed).format(n=n)
        unchanged = ngettext(
            "{n} could not be deleted (already gone, or changed meanwhile)",
            "{n} could not be deleted (already gone, or changed meanwhile)",
            rest,
        )
    return text + (" (" + unchanged.format(n=number(rest)) + ")." if rest > 0 else ".")


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
        ngettext(
            "Change the {n} incident ticked in the table",
            "Change the {n} incidents ticked in the table",
            n,
        ).format(n=number(n)),
        list(ACTIONS),
        format_func=lambda c: _(ACTIONS[c]),
        horizontal=True,
        key="bulk_action",
    )
    if action == "verification":
        value = st.selectbox(
            _("Verification"), VERIFICATION_STATUSES.codes,
            format_func=VERIFICATION_STATUSES.shown, key="bulk_status",
        )  # fmt: skip
    elif action == "tag":
        value = st.text_input(_("Tag to add"), key="bulk_tag", max_chars=100)
    else:
        value = st.text_input(
            _("Why delete them (kept in the history)"), key="bulk_reason", max_chars=500
        )
    return str(action), str(value or "").strip()


def _confirm(request: Request) -> None:
    st.warning(question(request))
    yes, no = st.columns(2)
    if yes.button(_(_YES[request.action]), type="primary", key="bulk_yes"):
        st.session_state.pop(PENDING, None)
        try:
            changed = apply(request)
        except (StoreError, ValueError) as problem:
            st.error(_("Nothing was changed: {problem}").format(problem=problem))
            return
        common.data_changed()
        st.session_state[DONE] = (outcome(request, changed), request.ids)
        if request.action == "delete" and st.session_state.get("_selected") in request.ids:
            st.session_state["_selected"] = None  # the detail panel would show a gone record
        st.rerun()
    if no.button(_("Cancel"), key="bulk_no"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def _ask(action: str, n: int) -> str:
    """The button that asks for confirmation: "Delete on 2 incidents…"."""
    asks = {
        "verification": ngettext("Set verification on {n} incident…",
                                 "Set verification on {n} incidents…", n),
        "tag": ngettext("Add a tag on {n} incident…", "Add a tag on {n} incidents…", n),
        "delete": ngettext("Delete on {n} incident…", "Delete on {n} incidents…", n),
    }  # fmt: skip
    return asks[action].format(n=number(n))


def _said(ticked: list[str]) -> None:
    """What the last action did, while the ticks are those it was done to (or fewer: a
    deleted row leaves the list). Not shown once only: the map reporting its view
    after the change reran the page at once, and the sentence was gone before it was
    seen (on a busy machine it never reached the screen)."""
    done = st.session_state.get(DONE)
    if done and set(ticked) <= set(done[1]):
        st.success(done[0])
    else:
        st.session_state.pop(DONE, None)


def render(ticked: list[str]) -> None:
    """The actions on the ticked rows, and what the last one did."""
    _said(ticked)
    if not ticked:
        st.caption(_("Tick several rows in the table to change them together."))
        st.session_state.pop(PENDING, None)
        return
    with st.container(border=True):
        action, value = _choice(len(ticked))
        now = Request(action, value, tuple(ticked))
        if st.session_state.get(PENDING) != now:
            st.session_state.pop(PENDING, None)  # the ticks or the choice changed
        if st.button(_ask(action, len(ticked)), key="bulk_ask"):
            if not value:
                missing = (_("Say the tag to add first.") if action == "tag"
                           else _("Say why they are deleted first."))  # fmt: skip
                st.error(missing)
            else:
                st.session_state[PENDING] = now
                st.session_state.pop(DONE, None)  # a new question: the last answer is done
        if st.session_state.get(PENDING) == now:
            _confirm(now)
