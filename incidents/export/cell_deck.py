"""A deck of a large selection, made from the column index instead of the rows.

Above the images' limit (cells.CELLS_ABOVE) a deck's map slides are the same squared
images as a PNG export (cell_map, cell_panels), and its other slides (title, timeline,
counts by type and district, sources) are given a light frame built from the index:
one row per matching incident holding only its type, district, dates and point, as the
export's viewer may see them. Nothing else about the incidents is read, so a deck of a
million incidents needs neither every row nor their memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from incidents.access import Viewer
from incidents.export.cell_map import render_cells
from incidents.export.cell_panels import (
    CellPanel,
    cell_panels_by_period,
    cell_panels_by_type,
    render_cell_panels,
)
from incidents.export.cell_selection import coarsening_note, read_cells
from incidents.export.cells import Tally
from incidents.export.deck import DeckOptions, build_deck
from incidents.export.selection import Selection, excluded_counts
from incidents.export.static_map import MapOptions
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.store.record_store import RecordStore
from incidents.translation import _


@dataclass(frozen=True)
class CellMaps:
    """Map slides counted in squares (see deck.DeckMaps)."""

    selection: Selection  # read_cells' selection: no rows, the undrawable in excluded
    counted: Tally
    note: str  # how the public rules placed the incidents, '' for staff

    @property
    def legend_words(self) -> str:
        return _(
            "The incidents are too many to draw one by one: each square is coloured by how "
            "many incidents it holds, as its legend says."
        )

    def whole(self, options: MapOptions) -> bytes:
        return render_cells(self.selection, self.counted, options, self.note, "png")[0]

    def by_type(self, options: MapOptions) -> bytes:
        return self._panels(cell_panels_by_type(self.counted), options)

    def by_period(self, options: MapOptions, breaks: Sequence[date]) -> bytes:
        return self._panels(cell_panels_by_period(self.counted, breaks), options)

    def _panels(self, panels: Sequence[CellPanel], options: MapOptions) -> bytes:
        return render_cell_panels(self.selection, self.counted, panels, options, self.note)[0]


def cell_deck(
    store: RecordStore,
    index: ColumnIndex,
    query: Query,
    reader: Viewer,
    options: DeckOptions,
    *,
    link: str = "",
    country: str = "LY",
) -> tuple[bytes, Selection]:
    """The deck's bytes and the selection its slides describe, all from the index."""
    drawn_from, counted = read_cells(store, index, query, reader, link=link, country=country)
    # The slides' rows hold the incidents without a point (no coordinates), which
    # Selection.not_shown counts itself: only the filters' exclusions are added to them.
    excluded = excluded_counts(index.count, query, counted.total)
    selection = dataclasses.replace(drawn_from, rows=index_frame(index, query), excluded=excluded)
    maps = CellMaps(drawn_from, counted, coarsening_note(reader, store.public_rules))
    return build_deck(selection, options, maps), selection


def index_frame(index: ColumnIndex, query: Query) -> pd.DataFrame:
    """One row per match, in the index's (date) order: type, admin1_code, date_start,
    date_end, and latitude/longitude only where the map can place the incident."""
    keep = index.mask(query)
    drawable = index.drawable[keep]
    return pd.DataFrame(
        {
            "type": _labelled(index, "type", keep),
            "admin1_code": _labelled(index, "admin1_code", keep),
            "date_start": pd.to_datetime(index.start[keep], unit="D"),
            "date_end": pd.to_datetime(index.end[keep], unit="D"),
            "latitude": np.where(drawable, index.lat[keep], np.nan),
            "longitude": np.where(drawable, index.lon[keep], np.nan),
        }
    )


def _labelled(index: ColumnIndex, name: str, keep: np.ndarray) -> pd.Categorical[str]:
    labels = index.labels[name]
    return pd.Categorical.from_codes(index.codes[name][keep], categories=pd.Index(labels))
