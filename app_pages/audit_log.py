"""The audit log, for administrators: every change and event, and whether the chain holds.

Each entry carries the hash of the one before it; the check at the top recomputes
them all, so an entry altered or removed outside the app shows here.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from app_pages import common
from incidents.spreadsheet_safety import safe_cell
from incidents.store import NotAllowed
from incidents.store.audit import AuditEntry

SHOWN = 1000


def _chain(entries: list[AuditEntry]) -> None:
    problems = common.get_store().verify_audit()  # type: ignore[attr-defined]
    if problems:
        st.error("The audit log has been altered outside the app:\n\n" + "\n".join(
            f"- {common.md_escape(p)}" for p in problems[:50]
        ))  # fmt: skip
    else:
        st.success("Chain verified: every entry follows the one before it and is unchanged.")
    if entries:
        # Someone with write access to the database could rebuild the whole chain; a
        # copy of the latest hash kept elsewhere shows that, as it would no longer match.
        last = entries[-1]
        st.caption(
            f"Latest entry {last.seq}: hash `{last.hash}`. Keep a copy of it outside this "
            "system (a report, an e-mail) to detect a rewritten log later."
        )


def _frame(entries: list[AuditEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "seq": [e.seq for e in entries],
            "at": [e.at for e in entries],
            "actor": [e.actor for e in entries],
            "action": [e.action for e in entries],
            "incident": [e.incident_id for e in entries],
            "hash": [e.hash[:16] for e in entries],
        }
    )


def _filtered(frame: pd.DataFrame) -> pd.DataFrame:
    c1, c2, c3 = st.columns(3)
    actions = c1.multiselect("Action", sorted(frame["action"].unique()))
    actor = c2.text_input("Actor contains")
    incident = c3.text_input("Incident id")
    if actions:
        frame = frame[frame["action"].isin(actions)]
    if actor:
        frame = frame[frame["actor"].str.contains(actor, case=False, regex=False)]
    if incident:
        frame = frame[frame["incident"] == incident.strip()]
    return frame


def _entry(entries: list[AuditEntry], seqs: list[int]) -> None:
    seq = st.selectbox("Show the before and after of entry", seqs[:SHOWN])
    entry = next((e for e in entries if e.seq == seq), None)
    if entry is None:
        return
    left, right = st.columns(2)
    for column, label, text in ((left, "Before", entry.before), (right, "After", entry.after)):
        column.markdown(f"**{label}**")
        column.json(json.loads(text) if text else {}, expanded=True)
    st.caption(f"prev_hash {entry.prev_hash}  ·  hash {entry.hash}")


def _log_export(rows: int) -> None:
    common.get_store().log_event(common.viewer(), "export", {"what": "audit log", "rows": rows})


def main() -> None:
    st.title("Audit log")
    try:
        entries = common.get_store().audit_log(common.viewer())
    except NotAllowed:
        st.error("Only administrators can read the audit log.")
        return
    _chain(entries)
    frame = _filtered(_frame(entries)).sort_values("seq", ascending=False)
    st.caption(f"{len(frame):,} of {len(entries):,} entries (newest first; {SHOWN:,} shown).")
    st.dataframe(frame.head(SHOWN), hide_index=True, width="stretch")
    csv = frame.map(safe_cell).to_csv(index=False).encode("utf-8")
    st.download_button(
        "Download these entries (CSV)",
        csv,
        "audit-log.csv",
        mime="text/csv",
        on_click=_log_export,
        args=(len(frame),),
    )
    if len(frame):
        _entry(entries, frame["seq"].tolist())


main()
