"""Duplicates, for editors: probable duplicate pairs side by side, fields that differ
highlighted; merge (choosing fields), not the same, or skip.

Thin: the search is incidents.duplicates (through duplicates_cli.candidates, the same
answer the command line gives), the table incidents/duplicates/review.py, the writes
incidents/store/merges.py. Record text is shown in a data table, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common, merged_records
from app_pages.language import column_order, readable_frame
from incidents.duplicates import DEFAULT_THRESHOLD, Match, reason_text
from incidents.duplicates.review import differing, field_rows
from incidents.duplicates_cli import candidates
from incidents.field_words import field_label
from incidents.record import Incident
from incidents.store import StoreError
from incidents.store.merges import Side, merge, not_same, visible_records
from incidents.store.record_store import RecordStore
from incidents.translation import _, language, ngettext, number

_SKIPPED = "_duplicates_skipped"
_FOUND = "_duplicates_found"


def _found(store: RecordStore, min_score: float) -> tuple[list[Match], dict[str, Incident]]:
    """The pairs and records of this data version (searched once per version)."""
    # The reasons are written in the page's language: another language searches again.
    viewer_key = common.viewer().cache_key()
    key = (store.url, common.data_version(store), min_score, viewer_key, language())
    kept = st.session_state.get(_FOUND)
    if kept is None or kept[0] != key:
        who = common.viewer()
        with st.spinner(_("Looking for records that report the same incident…")):
            records = {r.id: r for r in visible_records(store, who)}
            kept = (key, candidates(store, who, min_score), records)
        st.session_state[_FOUND] = kept
    return kept[1], kept[2]


def _table(first: Incident, second: Incident) -> None:
    rows = field_rows(first, second)
    frame = readable_frame(
        pd.DataFrame(
            {
                _("Field"): [field_label(r.name) for r in rows],
                _("First record"): [r.first for r in rows],
                _("Second record"): [r.second for r in rows],
            }
        )
    )
    ids = common.md_escape(first.id), common.md_escape(second.id)  # ids are record text
    st.caption(
        _("First record: {first} · second record: {second}").format(first=ids[0], second=ids[1])
    )
    differs = [r.differs for r in rows]

    def mark(row: pd.Series) -> list[str]:
        colour = "background-color: #fff3b0" if differs[int(str(row.name))] else ""
        return [colour] * len(row)

    st.dataframe(
        frame.style.apply(mark, axis=1),
        hide_index=True,
        width="stretch",
        column_order=column_order(frame.columns),
    )


def _actions(store: RecordStore, pair: Match, first: Incident, second: Incident) -> None:
    who = common.viewer()
    keep = st.radio(
        _("Keep"), (first.id, second.id), horizontal=True, key=f"keep-{pair.a}-{pair.b}"
    )
    kept, other = (first, second) if keep == first.id else (second, first)
    take = st.multiselect(
        _("Take these fields from the other record"), differing(kept, other),
        key=f"take-{pair.a}-{pair.b}", format_func=field_label, placeholder=_("Choose options"),
    )  # fmt: skip
    merge_col, apart_col, skip_col = st.columns(3)
    try:
        if merge_col.button(_("Merge"), type="primary"):
            choices: dict[str, Side] = dict.fromkeys(take, "absorbed")
            merge(store, kept.id, other.id, who, choices, (kept.version, other.version))
            _done(
                _("Merged {absorbed} into {kept}.").format(
                    absorbed=common.md_escape(other.id), kept=common.md_escape(kept.id)
                )
            )
        if apart_col.button(_("Not the same")):
            not_same(store, pair.a, pair.b, who)
            _done(_("They will not be proposed again."))
    except StoreError as refused:
        st.error(str(refused))
    if skip_col.button(_("Skip")):
        st.session_state.setdefault(_SKIPPED, set()).add((pair.a, pair.b))
        st.rerun()


def _done(message: str) -> None:
    common.data_changed()
    st.session_state.pop(_FOUND, None)
    st.toast(message)
    st.rerun()


def main() -> None:
    st.header(_("Duplicates"))
    merged_records.section()  # merges listed, each undone by "Unmerge"
    who = common.viewer()
    if not who.can_edit:
        st.info(_("Only editors can review duplicate records."))
        return
    store = common.get_store()
    min_score = st.slider(_("Lowest score shown"), 0.1, 1.0, DEFAULT_THRESHOLD, 0.05)
    pairs, records = _found(store, min_score)
    skipped = st.session_state.get(_SKIPPED, set())
    left = [p for p in pairs if (p.a, p.b) not in skipped and p.a in records and p.b in records]
    if not left:
        st.success(_("No probable duplicates to review at this score."))
        return
    st.caption(
        ngettext(
            "{n} pair to review, best first.", "{n} pairs to review, best first.", len(left)
        ).format(n=number(len(left)))
    )
    pair = left[0]
    st.subheader(_("Score {score}").format(score=f"{pair.score:.2f}"))
    st.text(reason_text(pair))
    first, second = records[pair.a], records[pair.b]
    _table(first, second)
    _actions(store, pair, first, second)


main()
