"""One map image of a large selection: incidents counted in squares, not drawn one by one.

Same frame as static_map (title, legend beside the map, scale bar, locator, sources,
profile stamp); the map holds coloured squares of a round size in km, the largest
counts written on them, and the legend says how big a square is and how many
incidents a colour stands for, so the slide states honestly what it aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from incidents import translation
from incidents.export import theme
from incidents.export.basemap import HALO, Extent, draw_outlines, fit_extent, shape_extent
from incidents.export.caption import counts_line
from incidents.export.cells import (
    CellGrid,
    Tally,
    cell_km,
    class_labels,
    class_of,
    count_cells,
)
from incidents.export.layout import Flow, filters_and_sources
from incidents.export.points import Drawn
from incidents.export.selection import Selection
from incidents.export.static_map import (
    Frame,
    MapOptions,
    box_ratio,
    compose,
    draw_extras,
    face_metadata,
    save,
    title_of,
)
from incidents.maps.aggregate import class_edges
from incidents.styles import type_style
from incidents.translation import _, is_rtl, ngettext

RAMP = plt.get_cmap("YlOrRd")
LABELLED = 6  # the largest squares get their count written on them
RASTER_CELLS = 3000  # above this many squares, PDF and SVG hold them as one image


@dataclass(frozen=True)
class CellPicture:
    """What the squares show, for the legend and the file's metadata."""

    step_km: float
    edges: list[int]  # lower bound of each colour class
    colours: list[str]
    top: int  # the largest count in one square
    squares: int
    shown: int  # distinct incidents in the squares
    outside_view: int
    note: str  # how places were coarsened before counting ('' when they were not)
    unpanelled: int = 0  # small multiples: drawable incidents of types in no panel

    @property
    def drawn(self) -> Drawn:
        return Drawn(self.shown, self.outside_view, (), ())

    def counts_line(self, selection: Selection) -> str:
        """'N incidents shown; M not shown (...)', as static_map words it."""
        not_shown = selection.not_shown(self.outside_view)
        if self.unpanelled:
            not_shown["of a type in no panel"] = self.unpanelled
        return counts_line(self.shown, not_shown)


def picture_of(grids: list[CellGrid], shown: int, note: str) -> CellPicture:
    """Classes and colours shared by every map of the image (one, or the panels)."""
    top = max((int(g.n.max()) for g in grids if len(g.n)), default=1)
    edges = class_edges(top)
    shades = np.linspace(0.3, 0.95, len(edges)) if len(edges) > 1 else np.array([0.75])
    return CellPicture(
        step_km=grids[0].step_km, edges=edges, colours=[to_hex(RAMP(v)) for v in shades],
        top=top, squares=sum(len(g.n) for g in grids), shown=shown,
        outside_view=max(g.outside_view for g in grids), note=note,
    )  # fmt: skip


def cells_extent(tally: Tally, options: MapOptions, ratio: float, country: str) -> Extent:
    """The view passed in, else a frame around the drawable incidents, else the country."""
    import geodata

    if options.extent is not None and not options.fit:
        return shape_extent(options.extent, ratio, grow=1.0, min_km=1.0)
    if tally.drawable:
        lat, lon = tally.points()
        return fit_extent(lon, lat, ratio, pad_km=15)
    return shape_extent(geodata.country_bounds(country), ratio, 0)


def draw_cells(ax: Axes, grid: CellGrid, picture: CellPicture, raster: bool) -> None:
    """The non-empty squares in their class colours, the largest counts written on them."""
    if not len(grid.n):
        return
    faces = np.asarray(picture.colours, dtype=object)[class_of(grid.n, picture.edges)]
    squares = PolyCollection(
        list(grid.corners()), facecolors=list(faces), edgecolors="white",
        linewidths=0.3, alpha=0.92, zorder=6,
    )  # fmt: skip
    squares.set_rasterized(raster or len(grid.n) > RASTER_CELLS)
    ax.add_collection(squares)
    _write_counts(ax, grid)


def _write_counts(ax: Axes, grid: CellGrid) -> None:
    """The counts of the largest squares, above them (no two within four squares)."""
    lon, lat = grid.centres()
    chosen: list[int] = []
    for i in np.argsort(-grid.n, kind="stable"):
        if len(chosen) == LABELLED:
            break
        near = any(abs(grid.row[i] - grid.row[j]) < 4 and abs(grid.col[i] - grid.col[j]) < 4
                   for j in chosen)  # fmt: skip
        if not near:
            chosen.append(int(i))
    size = max(7.0, 10 * theme.axes_inches(ax)[0] / 8.8)
    for i in chosen:
        ax.text(lon[i], lat[i] + grid.dlat * 0.6, translation.number(int(grid.n[i])), ha="center",
                va="bottom", fontsize=size, fontweight="bold", color=theme.INK, zorder=8,
                path_effects=HALO)  # fmt: skip


def cells_figure(
    selection: Selection, tally: Tally, options: MapOptions, note: str, fmt: str = "png"
) -> tuple[Figure, CellPicture]:
    """The whole image as a matplotlib Figure (closed by the caller) and what it drew."""

    def draw(fig: Figure, layout: Frame) -> CellPicture:
        ax = fig.add_axes(layout.map_box)
        extent = cells_extent(tally, options, box_ratio(fig, layout.map_box), selection.country)
        draw_outlines(ax, extent, selection.country)
        width_px = layout.map_box[2] * options.size.width_in * theme.BASE_DPI
        lat, lon = tally.points()
        grid = count_cells(lat, lon, extent, cell_km(extent, width_px))
        picture = picture_of([grid], grid.shown, note)
        draw_cells(ax, grid, picture, raster=fmt != "png")
        draw_extras(ax, extent, options, selection.country)
        return picture

    def legend(ax: Axes, picture: CellPicture, scale: float) -> None:
        cells_legend(ax, selection, tally, picture, scale)

    return compose(selection, options, draw, legend)


def cells_legend(
    ax: Axes, selection: Selection, tally: Tally, picture: CellPicture, scale: float
) -> None:
    """Legend, counts, filters and sources beside (or under) the map, shrunk to fit."""
    ax.set_axis_off()
    for _attempt in range(4):
        flow = _legend_flow(ax, selection, tally, picture, scale)
        if flow.y_in <= flow.height_in:
            return
        ax.clear()
        ax.set_axis_off()
        scale *= max(0.6, flow.height_in / flow.y_in * 0.97)
    _legend_flow(ax, selection, tally, picture, scale)


def aggregation_sentence(picture: CellPicture) -> str:
    """What a square is, in words: its size and what its colour counts."""
    text = _(
        "Too many to draw one by one: the {n} incidents shown are counted in squares of "
        "{km} km; a square's colour says how many it holds (up to {top}); the counts of "
        "the largest are written on the map."
    ).format(n=translation.number(picture.shown), km=_km(picture.step_km),
             top=translation.number(picture.top))  # fmt: skip
    return f"{text} {picture.note}" if picture.note else text


def _km(step: float) -> str:
    return translation.number(step, 0 if float(step).is_integer() else 1)


def _legend_flow(
    ax: Axes, selection: Selection, tally: Tally, picture: CellPicture, scale: float
) -> Flow:
    flow = Flow(ax, scale, rtl=is_rtl())
    flow.text(_("Incidents in each {km} km square").format(km=_km(picture.step_km)), 12.5,
              bold=True)  # fmt: skip
    flow.gap(2)
    labels = class_labels(picture.edges, picture.top)
    for label, colour in zip(labels, picture.colours, strict=True):
        flow.row(label, 11, "filled", marker="s", colour=colour)
    flow.gap(6)
    flow.text(aggregation_sentence(picture), 10.5)
    flow.gap(8)
    flow.text(_("By type (all counted together above)"), 12.5, bold=True)
    for code, n in tally.by_type.items():
        flow.text(_("{type}: {n}").format(type=_(type_style(code).label),
                                          n=translation.number(n)), 10.5)  # fmt: skip
    flow.gap(8)
    flow.text(picture.counts_line(selection), 11.5, bold=True)
    for line in selection.people_lines():
        flow.text(line, 10.5)
    filters_and_sources(flow, selection)
    return flow


def render_cells(
    selection: Selection, tally: Tally, options: MapOptions, note: str = "", fmt: str = "png"
) -> tuple[bytes, CellPicture]:
    """The image's bytes in PNG, SVG or PDF, and what its squares show."""
    fig, picture = cells_figure(selection, tally, options, note, fmt)
    return save_cells(fig, picture, selection, options, fmt), picture


def save_cells(
    fig: Figure, picture: CellPicture, selection: Selection, options: MapOptions, fmt: str
) -> bytes:
    """A squared figure's bytes, its file description saying what the squares show."""
    metadata = face_metadata(selection, title_of(selection, options), fmt, picture.drawn)
    return save(fig, options, fmt, with_squares(metadata, picture, selection))


def with_squares(
    metadata: dict[str, str], picture: CellPicture, selection: Selection
) -> dict[str, str]:
    """The file's description has the legend's counts and says they are in squares."""
    key = "Subject" if "Subject" in metadata else "Description"
    plain = selection.counts_line(picture.shown, picture.outside_view)
    text = metadata[key].replace(plain, picture.counts_line(selection), 1)
    squares = ngettext("{n} square", "{n} squares", picture.squares).format(
        n=translation.number(picture.squares)
    )
    counted = _("Counted in {km} km squares ({squares}).").format(
        km=_km(picture.step_km), squares=squares
    )
    return {**metadata, key: f"{text} {counted}"}
