"""A Selection made from rows built in the test, for exports drawn from rows at hand
(the product reads every selection from a store: read_selection)."""

from __future__ import annotations

import pandas as pd

from incidents.export.profiles import Profile, get_profile
from incidents.export.selection import Selection
from incidents.query import Query
from incidents.record import Source


def selection_from_frame(
    rows: pd.DataFrame,
    query: Query | None = None,
    *,
    profile: Profile | None = None,
    link: str = "",
    sources: dict[str, tuple[Source, ...]] | None = None,
    excluded: dict[str, int] | None = None,
) -> Selection:
    """A Selection of these rows, for the public profile unless another is given."""
    return Selection(
        query=query or Query(),
        profile=profile or get_profile("public"),
        rows=rows.reset_index(drop=True),
        excluded=excluded or {},
        sources=sources or {},
        link=link,
    )
