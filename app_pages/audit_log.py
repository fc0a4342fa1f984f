"""The audit log, for administrators: every change and event, and whether the store holds.

The checks at the top are those of `python -m incidents audit verify`. The hash chain
shows an entry altered or removed. The record check compares every record with what
its last audit entry says: a record changed, added or deleted with sqlite3, psql or
QGIS behind the app's back writes no entry, so the chain alone would call such a store
intact. The head hash is shown with the advice to keep it elsewhere (the anchor): with
it, entries cut from the end of the log, or a log rebuilt from scratch, show too.

Browsing the entries is a fragment: filtering reruns only it, not the record check,
which reads every record (seconds on a large store).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import common, language
from incidents.record_history import action_words
from incidents.spreadsheet_safety import safe_cell
from incidents.store import NotAllowed, Store
from incidents.store.audit import AuditEntry
from incidents.translation import _, isolate, ngettext, number

SHOWN = 1000
LISTED = 50  # problems listed on the page; the count says how many more


def _listed(title: str, lines: list[str]) -> str:
    """A title and its lines as a Markdown list; the lines name record ids (user text)."""
    items = [f"- {common.md_escape(line)}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        items.append("- " + _("… and {n} more.").format(n=number(len(lines) - LISTED)))
    return title + "\n\n" + "\n".join(items)


def _checks(store: Store) -> None:
    """The chain, then every record against it, in plain words."""
    with st.spinner(_("Checking the audit log and every record against it…")):
        chain = store.verify_audit()
        records = store.verify_records()
    if chain:
        st.error(_listed(_("The audit log has been altered outside the app:"), chain))
    else:
        st.success(_("Chain verified: every entry follows the one before it and is unchanged."))
    many = len(records.problems)
    if many:
        title = ngettext(
            "{n} record differs from what the audit log says (changed, added or deleted "
            "outside the app):",
            "{n} records differ from what the audit log says (changed, added or deleted "
            "outside the app):",
            many,
        ).format(n=number(many))
        st.error(_listed(title, records.problems))
    else:
        said = _(
            "Records checked: all {n} records in the store are as their last audit entry says."
        )
        if records.unchecked:
            said = _(
                "Records checked: all {n} records in the store are as their last audit entry "
                "says (except what is named below as not checkable)."
            )
        st.success(said.format(n=number(records.checked)))
    if records.unchecked:
        st.info(
            _listed(_("Some records cannot be checked against the audit log:"), records.unchecked)
        )
    _warn_if_shared(store)


def _warn_if_shared(store: Store) -> None:
    """A store file other accounts can read (made before files were created private)."""
    path = getattr(store, "path", None)
    if not isinstance(path, Path) or not path.exists():
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        st.warning(
            _(
                "The store file can be read by other accounts on the server (mode {mode}) and "
                "holds every confidential field; make it private with: {command}"
            ).format(mode=f"{mode:o}", command=f"`chmod 600 {path}`")
        )


def _head(store: Store) -> None:
    """The head hash and why to keep it: the chain cannot show its own end cut off."""
    head = store.audit_head()
    if head is None:
        st.caption(_("The audit log is empty: there is nothing to anchor yet."))
        return
    st.markdown(
        _(
            "**Anchor.** The latest entry is number {seq} of {entries}, written at {at}. Its hash:"
        ).format(  # the time and the command read left to right in an Arabic line
            seq=number(head.seq),
            entries=number(head.entries),
            at=isolate(common.md_escape(head.at)),
        )
    )
    st.code(head.hash, language=None)
    st.caption(
        _(
            "Keep a copy of this hash outside this system, with today's date (a report, an "
            "e-mail to a colleague, a printed note): it is your anchor. Someone with write "
            "access to the database could remove the latest entries, or rebuild the whole log "
            "so that every hash checks; checking the hash you kept, below or with "
            "{command}, shows it."
        ).format(command=isolate("`python -m incidents audit verify --anchor HASH`"))
    )
    _anchor_box(store, head.hash)


@st.fragment
def _anchor_box(store: Store, current: str) -> None:
    kept = st.text_input(_("Check a hash you kept earlier"), key="audit_anchor").strip()
    if not kept:
        return
    problems = store.verify_anchor(kept)
    if problems:
        st.error(" ".join(common.md_escape(p) for p in problems))
    elif kept.lower() == current:
        st.success(_("That is the latest entry's hash: nothing has been added since."))
    else:
        st.success(
            _(
                "The entry with that hash is still in the log: if the chain is verified above, "
                "it and every entry before it are unchanged."
            )
        )


def _frame(entries: list[AuditEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "seq": [e.seq for e in entries],
            "at": [e.at for e in entries],
            "actor": [e.actor for e in entries],
            "action": [e.action for e in entries],
            "what": [action_words(e) for e in entries],
            "incident": [e.incident_id for e in entries],
            "hash": [e.hash[:16] for e in entries],
        }
    )


def _filtered(frame: pd.DataFrame) -> pd.DataFrame:
    c1, c2, c3 = st.columns(3)
    actions = c1.multiselect(_("Action"), sorted(frame["action"].unique()))
    actor = c2.text_input(_("Actor contains"))
    incident = c3.text_input(_("Incident id"))
    if actions:
        frame = frame[frame["action"].isin(actions)]
    if actor:
        frame = frame[frame["actor"].str.contains(actor, case=False, regex=False)]
    if incident:
        frame = frame[frame["incident"] == incident.strip()]
    return frame


def _entry(entries: list[AuditEntry], seqs: list[int]) -> None:
    seq = st.selectbox(_("Show the before and after of entry"), seqs[:SHOWN])
    entry = next((e for e in entries if e.seq == seq), None)
    if entry is None:
        return
    left, right = st.columns(2)
    sides = ((left, _("Before"), entry.before), (right, _("After"), entry.after))
    for column, label, text in sides:
        column.markdown(f"**{label}**")
        column.json(json.loads(text) if text else {}, expanded=True)
    st.caption(
        _("Hash of the entry before: {before} · this entry's hash: {hash}").format(
            before=entry.prev_hash, hash=entry.hash
        )
    )


def _csv(frame: pd.DataFrame) -> bytes:
    """CSV whose headers and cells a spreadsheet program shows as text: an actor or an
    incident id (both come from outside: sign-in names, imported files) could start
    with '=' and run as a formula on the admin's computer."""
    safe = frame.map(safe_cell)
    safe.columns = [str(safe_cell(c)) for c in frame.columns]
    return safe.to_csv(index=False).encode("utf-8")


def _log_export(rows: int) -> None:
    common.get_store().log_event(common.viewer(), "export", {"what": "audit log", "rows": rows})


@st.fragment
def _browse(entries: list[AuditEntry]) -> None:
    frame = _filtered(_frame(entries)).sort_values("seq", ascending=False)
    st.caption(
        _("{n} of {total} entries (newest first; {shown} shown).").format(
            n=number(len(frame)), total=number(len(entries)), shown=number(SHOWN)
        )
    )
    headings = {"seq": _("No."), "at": _("When"), "actor": _("Who"),
                "what": _("What happened"), "action": _("Action (code)"),
                "incident": _("Incident"), "hash": _("Hash")}  # fmt: skip
    st.dataframe(
        language.readable_frame(frame.head(SHOWN)),
        hide_index=True,
        width="stretch",
        column_config=headings,
        column_order=language.column_order(frame.columns),
    )
    st.download_button(
        _("Download these entries (CSV)"),
        _csv(frame.drop(columns="what")),  # the log as kept: its codes
        "audit-log.csv",
        mime="text/csv",
        on_click=_log_export,
        args=(len(frame),),
    )
    if len(frame):
        _entry(entries, frame["seq"].tolist())


def main() -> None:
    st.title(_("Audit log"))
    store = common.get_store()
    try:
        entries = store.audit_log(common.viewer())
    except NotAllowed:
        st.error(_("Only administrators can read the audit log."))
        return
    _checks(store)
    _head(store)
    _browse(entries)


main()
