"""Every map image (PNG, SVG or PDF) of a selection, styled as the app styles it.

One figure pipeline: frame, header, legend, footer and file metadata around one map
or small multiples, the incidents as dots (points.py) or, for a selection read from
the column index, counted in squares (cells.py). What you see is what you get: by
default the extent is the view the person had on the interactive map; fit=True frames
the selection instead.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import geodata
from incidents.export import theme
from incidents.export.arabic import for_matplotlib, rtl_svg_text
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
from incidents.export.caption import incidents_words, window_words
from incidents.export.cells import draw_squares
from incidents.export.layout import (
    draw_footer,
    draw_header,
    legend_panel,
    stamp_words,
)
from incidents.export.panels import Panel, panel_boxes, panels_subtitle
from incidents.export.points import Drawn, draw_incidents, in_extent
from incidents.export.selection import Selection
from incidents.styles import TYPE_STYLES
from incidents.translation import _, is_rtl, language

FORMATS = ("png", "svg", "pdf")
MAX_TITLE_COUNTRIES = 3  # more are named in the facts, not the title
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


def viewed_country(selection: Selection, extent: Extent) -> str:
    """Whose districts and locator the map draws: the country at the view's centre
    when the incidents are in it (a view zoomed on Tarhuna in a mixed selection is
    Libya's), else the country most of them are in."""
    west, south, east, north = extent
    here = geodata.country_of_point((south + north) / 2, (west + east) / 2)
    return here if here in selection.countries else selection.country


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


def dated_subtitle(given: str, dates: str) -> str:
    """The subtitle a person typed, followed by the dates: a typed subtitle replaced
    them, and the image then stated its dates nowhere (its filters line says "none
    besides the date window", trusting the subtitle), in a browser walk."""
    return _("{subtitle} · {dates}").format(subtitle=given, dates=dates) if given else dates


def title_of(selection: Selection, options: MapOptions) -> str:
    return options.title or default_title(selection.countries)


def default_title(countries: Sequence[str]) -> str:
    """The title of a file given none: 'Incidents in Libya', 'Incidents in Libya and
    Tunisia' (joined as the language joins a list), or no country for none or many."""
    if not countries:
        return _("Incidents")
    if len(countries) > MAX_TITLE_COUNTRIES:
        return _("Incidents in several countries")
    from babel.lists import format_list

    names = format_list([country_name(c) for c in countries], locale=language())
    return _("Incidents in {country}").format(country=names)


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
            words = dated_subtitle(
                options.subtitle, subtitle(drawn) or window_words(selection.query)
            )
            draw_header(fig, title_of(selection, options), words, size.text_scale,
                        layout.header_top)  # fmt: skip
        legend(fig.add_axes(layout.panel_box), drawn, size.text_scale)
        draw_footer(fig, selection, size.text_scale)
    return fig, drawn


def map_figure(
    selection: Selection, options: MapOptions, panels: Sequence[Panel] = (), fmt: str = "png"
) -> tuple[Figure, Drawn]:
    """The whole image as a matplotlib Figure (closed by the caller) and what it drew:
    one map, or one small map per panel sharing the extent; the incidents as dots, or
    counted in squares when the selection was read from the column index (counted)."""
    rows, located = selection.rows, selection.located
    masks = [p.mask for p in panels] or [pd.Series(True, index=rows.index)]

    def draw(fig: Figure, layout: Frame) -> Drawn:
        boxes = [layout.map_box]
        if panels:
            boxes = panel_boxes(fig, len(panels), layout.map_box, options.size.text_scale)
        extent = map_extent(selection, options, box_ratio(fig, boxes[0]))
        country = viewed_country(selection, extent)
        axes = [fig.add_axes(box) for box in boxes]
        parts = [rows[located & mask] if len(rows) else rows for mask in masks]
        for ax in axes:
            draw_outlines(ax, extent, country)
        width_px = boxes[0][2] * options.size.width_in * theme.BASE_DPI
        marks = _marks(selection, options, axes, parts, (extent, width_px), fmt)
        for i, (ax, drawn) in enumerate(zip(axes, marks, strict=True)):
            draw_extras(ax, extent, options, country, drawn.fans, extras=i == 0)
        if panels:
            _headings(axes, [f"{p.title} · {incidents_words(int(p.mask.sum()))}" for p in panels],
                      options)  # fmt: skip
        in_any = np.logical_or.reduce([np.asarray(m, bool) for m in masks]) & located.to_numpy(bool)
        inside = in_extent(rows, extent).to_numpy(bool) if len(rows) else in_any
        return dataclasses.replace(
            _merge(marks), shown=int((in_any & inside).sum()),
            outside_view=int((in_any & ~inside).sum()),
            unpanelled=int(located.sum()) - int(in_any.sum()),
        )  # fmt: skip

    def subtitle(_drawn: Drawn) -> str:
        return panels_subtitle(selection, masks) if panels else ""

    return compose(selection, options, draw, lambda ax, d, k: legend_panel(ax, selection, d, k),
                   subtitle)  # fmt: skip


def _marks(
    selection: Selection,
    options: MapOptions,
    axes: list[Axes],
    parts: list[pd.DataFrame],
    view: tuple[Extent, float],
    fmt: str,
) -> list[Drawn]:
    """The marks on each map: a dot per incident, or squares counted alike on every map
    (view: the extent and a map's width in pixels)."""
    extent, width_px = view
    if selection.counted:
        points = [(p["latitude"].to_numpy(float), p["longitude"].to_numpy(float)) for p in parts]
        squares = draw_squares(axes, points, extent, width_px, selection.placing, fmt != "png")
        return [Drawn(0, 0, (), (), squares=squares)] * len(axes)
    scale = options.size.text_scale
    return [
        draw_incidents(ax, part, extent, selection.country, scale)
        if len(part)
        else Drawn(0, 0, (), ())
        for ax, part in zip(axes, parts, strict=True)
    ]


def _merge(drawn: Sequence[Drawn]) -> Drawn:
    """What the maps of one image drew together (their counts are set by the caller)."""
    present = {t for d in drawn for t in d.types}
    return Drawn(
        shown=0,
        outside_view=0,
        types=tuple(code for code in TYPE_STYLES if code in present),
        precisions=tuple(dict.fromkeys(p for d in drawn for p in d.precisions)),
        fans=tuple(f for d in drawn for f in d.fans),
        stacks=sum(d.stacks for d in drawn),
        rings=sum(d.rings for d in drawn),
        shaded=any(d.shaded for d in drawn),
        squares=drawn[0].squares,
    )


def _headings(axes: list[Axes], headings: list[str], options: MapOptions) -> None:
    """Each small map's heading, in letters small enough for the longest to fit."""
    width_in = theme.axes_inches(axes[0])[0]
    fits = width_in * 72 / (max(len(h) for h in headings) * 0.62)  # points per character
    font = min(12.5 * options.size.text_scale, fits)
    for ax, heading in zip(axes, headings, strict=True):
        ax.set_title(for_matplotlib(heading), fontsize=font, fontweight="bold",
                     loc="right" if is_rtl() else "left", color=theme.INK)  # fmt: skip


def face_metadata(selection: Selection, title: str, fmt: str, drawn: Drawn) -> dict[str, str]:
    """File metadata: only what the image prints on its face, no names, no paths."""
    profile = selection.profile
    description = _("{badge}: {notice}. {counts}. {stamp}.").format(
        badge=profile.badge(), notice=profile.notice_shown(), counts=drawn.counts_line(selection),
        stamp=stamp_words(selection),
    )  # fmt: skip
    if drawn.squares is not None:  # the file says its counts are in squares, as its legend does
        description = f"{description} {drawn.squares.counted_in()}"
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
    if fmt == "svg":
        return rtl_svg_text(buffer.getvalue().decode()).encode()
    return buffer.getvalue()


def save(fig: Figure, options: MapOptions, fmt: str, metadata: dict[str, str]) -> bytes:
    """A composed figure's bytes (closing it), its metadata from face_metadata."""
    try:
        return save_figure(fig, fmt, options.scale, metadata)
    finally:
        plt.close(fig)


def image(
    selection: Selection, options: MapOptions, fmt: str = "png", panels: Sequence[Panel] = ()
) -> tuple[bytes, Drawn]:
    """The image's bytes in PNG, SVG or PDF (small multiples if panels are given) and
    what it drew."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    fig, drawn = map_figure(selection, options, panels, fmt)
    metadata = face_metadata(selection, title_of(selection, options), fmt, drawn)
    return save(fig, options, fmt, metadata), drawn


def render_map(selection: Selection, options: MapOptions | None = None, fmt: str = "png") -> bytes:
    """The map image's bytes in PNG, SVG or PDF."""
    return image(selection, options or MapOptions(), fmt)[0]


def render_panels(
    selection: Selection, panels: Sequence[Panel], options: MapOptions | None = None,
    fmt: str = "png",
) -> bytes:  # fmt: skip
    """Small multiples as PNG, SVG or PDF bytes."""
    if not panels:
        raise ValueError(_("no panels to draw: the selection is empty"))
    return image(selection, options or MapOptions(), fmt, panels)[0]
