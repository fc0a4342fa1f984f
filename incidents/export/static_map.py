"""One map image (PNG, SVG or PDF) of a selection, styled as the app styles it.

What you see is what you get: by default the extent is the view the person had on
the interactive map; fit=True frames the selection instead.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import geodata
from incidents.export import theme
from incidents.export.basemap import (
    Extent,
    PlaceLabel,
    draw_district_names,
    draw_labels,
    draw_locator,
    draw_north_arrow,
    draw_outlines,
    draw_scale_bar,
    fit_extent,
    shape_extent,
)
from incidents.export.layout import (
    default_subtitle,
    draw_footer,
    draw_header,
    legend_panel,
    stamp_words,
)
from incidents.export.points import Drawn, draw_incidents
from incidents.export.selection import Selection
from incidents.translation import _, is_rtl, language

FORMATS = ("png", "svg", "pdf")
T = TypeVar("T")


@dataclass(frozen=True)
class MapOptions:
    """How to draw the map: words on top, size, extent and extras."""

    title: str = ""
    subtitle: str = ""
    size: theme.ImageSize = field(default_factory=lambda: theme.SIZES["16:9"])
    scale: int = 1
    extent: Extent | None = None  # the interactive map's view (west, south, east, north)
    fit: bool = False  # frame the selection instead of the view
    locator: bool = True
    labels: tuple[PlaceLabel, ...] = ()
    header: bool = True  # off in decks, where the slide carries an editable title


@dataclass(frozen=True)
class Frame:
    """Where the parts of the image go, as figure fractions."""

    header_top: float
    map_box: tuple[float, float, float, float]
    panel_box: tuple[float, float, float, float]


def frame_for(size: theme.ImageSize, header_band: bool = True) -> Frame:
    """Landscape: map left, legend right; otherwise legend under the map."""
    header = (0.86 / size.height_in * size.text_scale if header_band else 0) + 0.02
    footer = 0.72 / size.height_in * size.text_scale + 0.01
    top = 1 - header
    if size.landscape and is_rtl():  # the legend on the left, read after the map
        return Frame(0.975, (0.328, footer, 0.66, top - footer), (0.01, footer, 0.3, top - footer))
    if size.landscape:
        return Frame(0.975, (0.012, footer, 0.66, top - footer), (0.69, footer, 0.3, top - footer))
    split = footer + (top - footer) * 0.38
    return Frame(
        0.98, (0.02, split + 0.01, 0.96, top - split - 0.01), (0.04, footer, 0.92, split - footer)
    )


def country_name(iso2: str) -> str:
    """The country's name in the active language (Babel's CLDR names beside English)."""
    if language() != "en":
        from babel import Locale

        name = Locale.parse(language()).territories.get(iso2.upper())
        if name:
            return str(name)
    frame = geodata.countries_frame()
    names = frame.loc[frame["iso2"] == iso2, "name"]
    return str(names.iloc[0]) if len(names) else iso2


def map_extent(selection: Selection, options: MapOptions, box_ratio: float) -> Extent:
    """The view passed in, else a frame around the drawable incidents, else the country."""
    if options.extent is not None and not options.fit:
        return shape_extent(options.extent, box_ratio, grow=1.0, min_km=1.0)
    rows = selection.rows[selection.located]
    if len(rows):
        lon, lat = rows["longitude"].to_numpy(float), rows["latitude"].to_numpy(float)
        lon, lat = _with_shaded_districts(rows, lon, lat, selection.country)
        return fit_extent(lon, lat, box_ratio, pad_km=15)
    return shape_extent(geodata.country_bounds(selection.country), box_ratio, 0)


def _with_shaded_districts(
    rows: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, country: str
) -> tuple[np.ndarray, np.ndarray]:
    """Add the corners of districts that will be shaded, so they show whole."""
    if "admin1_code" not in rows.columns or "location_precision" not in rows.columns:
        return lon, lat
    codes = rows.loc[rows["location_precision"] == "district", "admin1_code"].dropna().unique()
    if not 0 < len(codes) <= 12:
        return lon, lat
    frame = geodata.admin1_frame(country)
    chosen = frame[frame["code"].isin(list(codes))]
    if chosen.empty:
        return lon, lat
    west, south, east, north = chosen.total_bounds
    return np.append(lon, [west, east]), np.append(lat, [south, north])


def box_ratio(fig: Figure, box: tuple[float, float, float, float]) -> float:
    w, h = fig.get_size_inches()
    return (box[2] * w) / (box[3] * h)


def draw_map(
    ax: Axes, selection: Selection, extent: Extent, options: MapOptions, extras: bool = True
) -> Drawn:
    """Outlines, incidents, labels; with extras, scale bar, north arrow and locator."""
    scale = options.size.text_scale
    draw_outlines(ax, extent, selection.country)
    rows = selection.rows[selection.located] if len(selection.rows) else selection.rows
    drawn = (
        draw_incidents(ax, rows, extent, selection.country, scale)
        if len(rows)
        else Drawn(0, 0, (), ())
    )
    draw_extras(ax, extent, options, selection.country, drawn.fans, extras)
    return drawn


def draw_extras(
    ax: Axes,
    extent: Extent,
    options: MapOptions,
    country: str,
    fans: tuple[tuple[float, float, float], ...] = (),
    extras: bool = True,
) -> None:
    """What every map image carries over its marks, dots or squares: district and place
    names; with extras, scale bar, north arrow and locator."""
    scale = options.size.text_scale
    draw_district_names(ax, extent, country, 9 * scale, fans)
    draw_labels(ax, options.labels, 12 * scale, fans)
    if extras:
        draw_scale_bar(ax, extent, 10 * scale)
        draw_north_arrow(ax, 12 * scale)
        if options.locator:
            draw_locator(ax, extent, country)
    for spine in ax.spines.values():
        spine.set_edgecolor(theme.BORDER)


def title_of(selection: Selection, options: MapOptions) -> str:
    return options.title or default_title(selection.country)


def default_title(country: str) -> str:
    """'Incidents in Libya', the title of a file given none."""
    return _("Incidents in {country}").format(country=country_name(country))


def compose(
    selection: Selection,
    options: MapOptions,
    draw: Callable[[Figure, Frame], T],
    legend: Callable[[Axes, T, float], None],
    subtitle: Callable[[T], str] = lambda _: "",
) -> tuple[Figure, T]:
    """The one figure pipeline of every map image: the frame, header, legend panel and
    footer around whatever draw() puts on the map (dots or counted squares, one map or
    small multiples). Returns the Figure (closed by the caller) and what draw() drew."""
    size = options.size
    with theme.export_style():
        fig = plt.figure(figsize=(size.width_in, size.height_in), dpi=theme.BASE_DPI)
        fig.patch.set_facecolor("white")
        layout = frame_for(size, options.header)
        drawn = draw(fig, layout)
        if options.header:
            words = options.subtitle or subtitle(drawn) or default_subtitle(selection)
            draw_header(fig, title_of(selection, options), words, size.text_scale,
                        layout.header_top)  # fmt: skip
        legend(fig.add_axes(layout.panel_box), drawn, size.text_scale)
        draw_footer(fig, selection, size.text_scale)
    return fig, drawn


def map_figure(selection: Selection, options: MapOptions) -> tuple[Figure, Drawn]:
    """The whole image as a matplotlib Figure (closed by the caller) and what it drew."""

    def draw(fig: Figure, layout: Frame) -> Drawn:
        ax = fig.add_axes(layout.map_box)
        extent = map_extent(selection, options, box_ratio(fig, layout.map_box))
        return draw_map(ax, selection, extent, options)

    return compose(selection, options, draw, lambda ax, d, k: legend_panel(ax, selection, d, k))


def face_metadata(selection: Selection, title: str, fmt: str, drawn: Drawn) -> dict[str, str]:
    """File metadata: only what the image prints on its face, no names, no paths."""
    profile = selection.profile
    counts = selection.counts_line(drawn.shown, drawn.outside_view)
    description = _("{badge}: {notice}. {counts}. {stamp}.").format(
        badge=profile.badge(), notice=profile.notice_shown(), counts=counts,
        stamp=stamp_words(selection),
    )  # fmt: skip
    if fmt == "png":
        return {"Title": title, "Description": description, "Software": "incident-map"}
    if fmt == "pdf":
        return {"Title": title, "Subject": description, "Creator": "incident-map",
                "Author": "", "Keywords": f"profile:{profile.name}"}  # fmt: skip
    return {"Title": title, "Description": description, "Creator": "incident-map"}


def save_figure(fig: Figure, fmt: str, scale: int, metadata: dict[str, str]) -> bytes:
    """Serialise a figure; PNG at 144 dpi times the scale, which the file records."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with theme.export_style():
        fig.savefig(buffer, format=fmt, dpi=theme.BASE_DPI * (scale if fmt == "png" else 1),
                    metadata=metadata, facecolor="white")  # fmt: skip
    return buffer.getvalue()


def save(fig: Figure, options: MapOptions, fmt: str, metadata: dict[str, str]) -> bytes:
    """A composed figure's bytes (closing it), its metadata from face_metadata."""
    try:
        return save_figure(fig, fmt, options.scale, metadata)
    finally:
        plt.close(fig)


def render_map(selection: Selection, options: MapOptions | None = None, fmt: str = "png") -> bytes:
    """The map image's bytes in PNG, SVG or PDF."""
    options = options or MapOptions()
    fig, drawn = map_figure(selection, options)
    metadata = face_metadata(selection, title_of(selection, options), fmt, drawn)
    return save(fig, options, fmt, metadata)
