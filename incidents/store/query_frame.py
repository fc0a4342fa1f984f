"""Apply a Query's time window and box to rows already read.

Used for the public view, where the filters must act on the coarsened dates and
points: filtering the exact ones in SQL would let a narrow box or a one-day window
reveal an exact site or date.
"""

from __future__ import annotations

import pandas as pd

from incidents.query import Query


def filter_frame(frame: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Rows of frame inside the query's date window and bounding box."""
    keep = pd.Series(True, index=frame.index)
    start = frame["date_start"].astype(str)
    end = frame["date_end"].astype(str)
    if query.date_mode == "within":
        if query.date_from:
            keep &= start >= query.date_from.isoformat()
        if query.date_to:
            keep &= end <= query.date_to.isoformat()
    else:
        if query.date_from:
            keep &= end >= query.date_from.isoformat()
        if query.date_to:
            keep &= start <= query.date_to.isoformat()
    if query.bbox is not None:
        west, south, east, north = query.bbox
        lat, lon = frame["latitude"], frame["longitude"]
        keep &= lat.between(south, north) & lon.between(west, east)
    return frame[keep]
