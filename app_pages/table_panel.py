"""The table of the selection, kept in step with the map's selected incident."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS, VERIFICATION_STATUSES

TABLE_COLUMNS = (
    "id", "date_start", "date_end", "type", "title", "place", "admin1",
    "location_precision", "verification",
)  # fmt: skip
MAX_ROWS = 500


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(TABLE_COLUMNS)].copy()
    out["type"] = out["type"].map(INCIDENT_TYPES.label)
    out["location_precision"] = out["location_precision"].map(LOCATION_PRECISIONS.label)
    out["verification"] = out["verification"].map(VERIFICATION_STATUSES.label)
    return out.rename(
        columns={
            "id": "Ref.",
            "date_start": "From",
            "date_end": "To",
            "type": "Type",
            "title": "Title",
            "place": "Place",
            "admin1": "District",
            "location_precision": "Location",
            "verification": "Verification",
        }
    )


def render(frame: pd.DataFrame, selected: str | None, total: int) -> str | None:
    """Show up to MAX_ROWS rows (selected one first); return the id of a row the user picks."""
    rows = frame
    if selected is not None and selected in set(frame["id"]):
        rows = pd.concat([frame[frame["id"] == selected], frame[frame["id"] != selected]])
    rows = rows.head(MAX_ROWS).reset_index(drop=True)
    if total > len(rows):
        st.caption(
            f"The table lists {len(rows):,} of the {total:,} incidents in the map view: "
            "zoom in or add filters to see the others."
        )
    picked = [0] if selected is not None and len(rows) and rows["id"].iloc[0] == selected else []
    event = st.dataframe(
        _display(rows),
        key=f"table_{selected}",
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": picked}},
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(rows), 1), 390),
    )
    chosen = event.selection.rows if event is not None else []
    if chosen and 0 <= chosen[0] < len(rows):
        return str(rows["id"].iloc[chosen[0]])
    return None
