"""One entry point for every export, used by the command line and the app alike.

read -> render -> log: the rows are read for the export's viewer (the lesser of the
person's role and the profile's), the file is rendered from those rows only, and
the export is logged with its format, profile, count and data version.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

import pandas as pd

from incidents.access import Viewer, shared_extent
from incidents.export.basemap import PlaceLabel, fit_extent
from incidents.export.cells import CELLS_ABOVE
from incidents.export.deck import DeckOptions, build_deck
from incidents.export.html_map import to_html
from incidents.export.panels import Panel, panels_by_period, panels_by_type
from incidents.export.points import Drawn
from incidents.export.profiles import export_viewer, get_profile
from incidents.export.selection import (
    DRAWING_COLUMNS,
    FACE_SOURCE_LIMIT,
    SOURCE_LIMIT,
    Selection,
    read_selection,
)
from incidents.export.static_map import MapOptions, image
from incidents.export.tables import to_csv, to_geojson, to_xlsx
from incidents.export.theme import SIZES, ImageSize
from incidents.maps.plan import Rows
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.store.record_store import RecordStore
from incidents.translation import _, language, set_language, supported

FORMATS = ("png", "svg", "pdf", "pptx", "html", "csv", "xlsx", "geojson")
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
TABLE_FORMATS = ("csv", "xlsx", "geojson")
IMAGE_FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class ExportRequest:
    """Everything about one export except the data: format, audience, look."""

    fmt: str
    profile: str = "public"
    title: str = ""
    subtitle: str = ""
    size: ImageSize = field(default_factory=lambda: SIZES["16:9"])
    scale: int = 1
    extent: tuple[float, float, float, float] | None = None  # the map's current view
    fit: bool = False
    locator: bool = True
    labels: tuple[PlaceLabel, ...] = ()
    panels: str = ""  # "", "type" or "period" (images); decks add such slides too
    breaks: tuple[date, ...] = ()
    link: str = ""
    country: str = ""  # ISO code of the map's country; "" takes it from the incidents
    cells_above: int = CELLS_ABOVE  # larger selections: images count incidents in squares
    lang: str = ""  # "en", "ar" or "fr"; "" speaks the language active where it is made

    def map_options(self) -> MapOptions:
        return MapOptions(
            title=self.title, subtitle=self.subtitle, size=self.size, scale=self.scale,
            extent=self.extent, fit=self.fit or self.extent is None, locator=self.locator,
            labels=self.labels,
        )  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    """The file's bytes and what the face says about it."""

    data: bytes
    fmt: str
    profile: str
    count: int
    data_version: str
    squares_km: float = 0.0  # an image that counts incidents in squares: their size


IndexFor = Callable[[Viewer], ColumnIndex]
T = TypeVar("T")


def in_language(lang: str, make: Callable[[], T]) -> T:
    """make() with lang as the active language, in a copy of the current context: the
    file speaks the language asked for, and the caller's own language (the app page's,
    the command's) is left as it was. "" keeps the active language."""
    chosen = supported(lang) or language()

    def run() -> T:
        set_language(chosen)
        return make()

    return contextvars.copy_context().run(run)


def run_export(
    store: RecordStore,
    viewer: Viewer,
    query: Query,
    request: ExportRequest,
    index_for: IndexFor | None = None,
) -> ExportResult:
    """Read the selection for the export's audience, render the file, log the export.

    Images and decks of more than request.cells_above incidents are read from the
    column snapshot the export's viewer would get (index_for, by default
    store.snapshot, the one the map page reads): incidents counted in squares, see
    cells.py. Everything else reads the rows. Every word of the file is in
    request.lang (see in_language).
    """
    return in_language(request.lang, lambda: _run(store, viewer, query, request, index_for))


def _run(
    store: RecordStore,
    viewer: Viewer,
    query: Query,
    request: ExportRequest,
    index_for: IndexFor | None,
) -> ExportResult:
    if request.fmt not in FORMATS:
        raise ValueError(f"format {request.fmt!r}: use one of {', '.join(FORMATS)}")
    profile = get_profile(request.profile)
    reader = export_viewer(viewer, profile)
    if request.extent is not None and not reader.sees_exact_locations:  # its frame names no site
        request = replace(request, extent=shared_extent(request.extent))
    index = _index(store, reader, request, index_for)
    table = request.fmt in TABLE_FORMATS
    counted = index is not None and index.count(query) > request.cells_above
    selection = read_selection(
        store, query, reader, link=request.link, country=request.country,
        confidential=table, columns=None if table else DRAWING_COLUMNS,
        source_limit=SOURCE_LIMIT if table else FACE_SOURCE_LIMIT,
        index=index if counted else None,
    )  # fmt: skip
    squares_km = 0.0
    if request.fmt == "html" and index is not None:
        data = _html(store, index, reader, selection, request)
    elif request.fmt in IMAGE_FORMATS:
        data, drawn = _image(selection, request)
        squares_km = drawn.squares.step_km if drawn.squares is not None else 0.0
    else:
        data = _render(selection, request)
    result = ExportResult(data, request.fmt, selection.profile.name, len(selection.rows),
                          selection.data_version, squares_km)  # fmt: skip
    store.log_event(reader, "export", {"format": result.fmt, "profile": result.profile,
                                       "count": result.count,
                                       "data_version": result.data_version})  # fmt: skip
    return result


def _index(
    store: RecordStore, reader: Viewer, request: ExportRequest, index_for: IndexFor | None
) -> ColumnIndex | None:
    """The column snapshot of what the export's viewer sees (index_for, by default
    store.snapshot: the page's own when the app exports), for the files drawn from it:
    the offline map always (drawn as the app draws the same selection, plan.layer), and
    an image or deck of a selection above request.cells_above (counted in squares)."""
    if request.fmt not in (*IMAGE_FORMATS, "html", "pptx"):
        return None
    return (index_for or store.snapshot)(reader)


def _html(
    store: RecordStore,
    index: ColumnIndex,
    reader: Viewer,
    selection: Selection,
    request: ExportRequest,
) -> bytes:
    """The offline map: the app's layer for this selection and view (markers, or the
    grid levels it sums on zoom), whatever its size; the facts block from the selection."""
    lat, lon, _ = index.drawable_points(selection.query)
    extent = request.extent or (fit_extent(lon, lat, 1.6, pad_km=20) if len(lat) else None)
    rows = _rows_by_fid(store, index, reader)
    return to_html(selection, request.title, extent, index=index, rows=rows)


def _rows_by_fid(store: RecordStore, index: ColumnIndex, reader: Viewer) -> Rows:
    """Rows for the map's markers: the first matching fids in the index, read as reader."""

    def rows(query: Query, columns: tuple[str, ...], limit: int) -> pd.DataFrame:
        fids = [int(f) for f in index.first_fids(query, limit)]
        return store.rows_for(fids, reader, list(columns))

    return rows


def _render(selection: Selection, request: ExportRequest) -> bytes:
    """A deck or a table, made from the selection alone (_run draws images and the
    offline map)."""
    if request.fmt == "pptx":
        return build_deck(selection, DeckOptions(
            title=request.title, subtitle=request.subtitle, map=request.map_options(),
            breaks=request.breaks, by_type=request.panels == "type"))  # fmt: skip
    tables = {"csv": lambda: to_csv(selection), "xlsx": lambda: to_xlsx(selection, request.title),
              "geojson": lambda: to_geojson(selection, request.title)}  # fmt: skip
    return tables[request.fmt]()


def _image(selection: Selection, request: ExportRequest) -> tuple[bytes, Drawn]:
    panels: list[Panel] = []
    if request.panels == "type":
        panels = panels_by_type(selection)
    elif request.panels == "period":
        panels = panels_by_period(selection, request.breaks)
    if request.panels and not panels:
        raise ValueError(_("no panels to draw: the selection is empty"))
    return image(selection, request.map_options(), request.fmt, panels)
