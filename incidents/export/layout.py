"""The frame around a map: title, legend, counts, filters, sources and the stamp.

Everything a slide needs to stand on its own is printed on the image itself: what it
shows, for which dates, from which sources, for which audience, and how to reopen it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Rectangle
from matplotlib.text import Text

import geodata
from geodata.district_names import reader_name
from incidents import translation
from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.export.caption import filters_sentence
from incidents.export.cells import Squares
from incidents.export.points import COUNT_BOX, Drawn, marker_style
from incidents.export.selection import Selection
from incidents.styles import TYPE_STYLES, type_style
from incidents.translation import _, is_rtl, isolate, ngettext

MAX_PUBLISHERS = 6


@dataclass
class Flow:
    """Writes lines and legend rows top-down in an axes, tracking the height used."""

    ax: Axes
    scale: float
    y_in: float = 0.0
    rtl: bool = False  # right to left: lines aligned right, legend symbols on the right
    shortened: bool = False  # first_whole drew a shorter text than its first

    @property
    def height_in(self) -> float:
        return theme.axes_inches(self.ax)[1]

    @property
    def width_in(self) -> float:
        return theme.axes_inches(self.ax)[0]

    def _y(self) -> float:
        return 1 - self.y_in / self.height_in

    def gap(self, points: float) -> None:
        self.y_in += points * self.scale / 72

    def text(self, text: str, size: float, bold: bool = False, colour: str = theme.INK) -> None:
        """Wrapped lines, as many as the panel still has room for; a cut one ends in "…"
        (record text has no length limit: a megabyte name took two minutes to draw)."""
        self.first_whole([text], size, bold, colour)

    def first_whole(
        self, texts: Sequence[str], size: float, bold: bool = False, colour: str = theme.INK
    ) -> None:
        """The first of texts the panel holds whole, as drawn and measured, else the last
        one cut: a list is shortened by whole items ("…; CNN; and 2 more"), not cut in a
        name with its count lost ("…; CNN; Teller…")."""
        size *= self.scale
        weight = "bold" if bold else "normal"
        style: dict[str, Any] = {"fontsize": size, "fontweight": weight, "color": colour}
        drawn: list[Text] = []
        for n, text in enumerate(texts, 1):
            drawn, cut = self._wrapped(text, size, style)
            if not cut or n == len(texts):
                self.shortened |= n > 1
                break
            for t in drawn:
                t.remove()
        for t in drawn:
            t.set(y=self._y(), va="top", transform=self.ax.transAxes)
            self.y_in += size * 1.32 / 72

    def _wrapped(self, text: str, size: float, style: dict[str, Any]) -> tuple[list[Text], bool]:
        """text's lines drawn, not yet placed: as many as the panel has room for, the
        width guessed from the size, then measured; and whether it was cut."""
        chars = max(12, int(self.width_in * 72 / (size * 0.56)))  # guessed, then measured
        room = max(1, int((self.height_in - self.y_in) / (size * 1.32 / 72)))
        x, ha = (1, "right") if self.rtl else (0, "left")
        for attempt in range(4):
            lines = textwrap.wrap(text[: chars * (room + 1)], chars) or [""]
            cut = len(lines) > room or len(text) > chars * (room + 1)
            if cut:
                lines = lines[:room]
                lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
            drawn = [self.ax.text(x, 0, for_matplotlib(line, self.rtl), ha=ha, **style)
                     for line in lines]  # fmt: skip
            widest = max(_width_in(t, size, self.width_in) for t in drawn)
            if widest <= self.width_in or chars <= 12 or attempt == 3:
                break
            for t in drawn:
                t.remove()
            chars = max(12, int(chars * self.width_in / widest) - 1)
        return drawn, cut

    def row(self, label: str, size: float, draw: str, **style: object) -> None:
        """A legend row: a symbol drawn in a small box, then its label, its letters made
        smaller if a longer translation would run past the panel (a row is one line),
        down to 0.7 of their size; a label still too long is cut and ends in "…"."""
        label = label if len(label) <= 200 else label[:199] + "…"  # record text: no limit
        size *= self.scale
        line_in = size * 1.9 / 72
        room = self.width_in - 0.5
        fits = room * 72 / (size * 0.56)  # characters the line holds
        smallest = size * 0.7
        size *= min(1.0, max(0.7, fits / max(len(label), 1)))
        ybox = 1 - (self.y_in + line_in / 2) / self.height_in
        xbox, xtext = 0.22 / self.width_in, 0.5 / self.width_in
        if self.rtl:  # the symbol on the right, the words to its left
            xbox, xtext = 1 - xbox, 1 - xtext
        _symbol(self.ax, draw, xbox, ybox, self.scale, **style)
        words = self.ax.text(
            xtext, ybox, for_matplotlib(label, self.rtl), fontsize=size, va="center",
            ha="right" if self.rtl else "left", color=theme.INK, transform=self.ax.transAxes,
        )  # fmt: skip
        width = _width_in(words, size, room)
        if width > room > 0:  # the guess above was short: smaller letters, measured again
            size = max(smallest, size * room / width * 0.97)
            words.set_fontsize(size)
            width = _width_in(words, size, 0.0)
        keep = len(label)
        while width > room > 0 and keep > 1:  # the smallest letters are not enough: cut
            keep = max(1, min(keep - 1, int(keep * room / width)))
            words.set_text(for_matplotlib(label[:keep].rstrip() + "…", self.rtl))
            width = _width_in(words, size, 0.0)
        self.y_in += line_in


# The most a letter of each kind can take, as a share of the letter size, in the export
# fonts (DejaVu Sans, bold the widest: m 1.04, digits 0.70, other lower case 0.71); any
# other letter, capitals and scripts beyond Latin included, as the widest of all (W 1.1).
_AT_MOST = dict.fromkeys("abcdefghijklnopqrstuvxyz0123456789()[]", 0.72) | dict.fromkeys(
    " .,;:'!|", 0.45
)


def _width_in(text: Text, size: float, room: float) -> float:
    """How wide these letters are drawn, in inches: measured, because a width guessed
    from the letter size ran bold lines and long translations past the legend's edge.
    A line surely inside room is not measured (0.0): even if each letter took the most
    its kind can (_AT_MOST), it would fit. Each measure costs about 1 ms: measuring
    every line took a tenth of a later PNG export's time."""
    bound = sum(_AT_MOST.get(c, 1.1) for c in text.get_text()) * size / 72
    if bound <= room:
        return 0.0
    fig = text.get_figure()
    renderer = fig.canvas.get_renderer()  # type: ignore[union-attr]
    return float(text.get_window_extent(renderer).width) / fig.dpi  # type: ignore[union-attr]


def _symbol(ax: Axes, draw: str, x: float, y: float, scale: float, **style: object) -> None:
    tr = ax.transAxes
    marker = str(style.get("marker", "o"))
    colour = str(style.get("colour", theme.INK))
    s = 90 * scale * scale
    if draw in ("ring", "dashed-ring"):
        w_in, h_in = theme.axes_inches(ax)
        d = 0.34 * scale
        ax.add_patch(
            Ellipse((x, y), d / w_in, d / h_in, transform=tr, facecolor=colour, alpha=0.15,
                    edgecolor=colour, linestyle="--" if draw == "dashed-ring" else "-")
        )  # fmt: skip
    if draw == "district":
        ax.add_patch(
            Rectangle((x - 0.014, y - 0.012), 0.028, 0.024, transform=tr, hatch="///",
                      facecolor=theme.DISTRICT_SHADE, edgecolor="#7d8fa6", alpha=0.6)
        )  # fmt: skip
    if draw == "fan":
        w_in, h_in = theme.axes_inches(ax)
        r = 0.13 * scale
        for dx, dy in ((0, r), (-r * 0.87, -r / 2), (r * 0.87, -r / 2)):
            ax.plot([x, x + dx / w_in], [y, y + dy / h_in], color="#55555a", lw=0.8,
                    transform=tr)  # fmt: skip
            ax.scatter([x + dx / w_in], [y + dy / h_in], s=14 * scale * scale, color=theme.MUTED,
                       transform=tr, zorder=5)  # fmt: skip
        ax.scatter([x], [y], s=8 * scale * scale, color=theme.INK, transform=tr, zorder=6)
        return
    if draw == "count":  # points._number_beside, as small
        ax.text(x, y, translation.number(3), transform=tr, ha="center", va="center",
                color=theme.INK, fontsize=8.5 * scale, fontweight="bold", bbox=COUNT_BOX,
                zorder=6)  # fmt: skip
        return
    hollow = draw in ("hollow", "dashed-ring", "district")
    ax.scatter([x], [y], s=s, transform=tr, clip_on=False, zorder=5,
               **marker_style(marker, colour, not hollow, scale))  # fmt: skip


def draw_header(fig: Figure, title: str, subtitle: str, scale: float, top: float) -> None:
    """Title and subtitle at the top, from the side the language starts its lines.

    The subtitle sits 0.435 in below the title's top on a 7.5 in slide, less as the
    letters shrink (a share of the height fell on the map of a tall image). Arabic lines
    are placed by their baselines: Noto Sans Arabic's tall line box would push a
    top-aligned title down onto its subtitle.
    """
    height_in = fig.get_size_inches()[1]
    if not is_rtl():
        fig.text(0.015, top, for_matplotlib(title), fontsize=24 * scale, fontweight="bold",
                 va="top", color=theme.INK)  # fmt: skip
        fig.text(0.015, top - 0.435 * scale / height_in, for_matplotlib(subtitle),
                 fontsize=13.5 * scale, va="top", color=theme.MUTED)  # fmt: skip
        return
    baseline = top - 24 * scale * 0.8 / 72 / height_in
    fig.text(0.985, baseline, for_matplotlib(title), fontsize=24 * scale, fontweight="bold",
             va="baseline", ha="right", color=theme.INK)  # fmt: skip
    fig.text(0.985, baseline - 0.34 * scale / height_in, for_matplotlib(subtitle),
             fontsize=13.5 * scale, va="baseline", ha="right", color=theme.MUTED)  # fmt: skip


def legend_panel(ax: Axes, selection: Selection, drawn: Drawn, scale: float) -> None:
    """Legend, counts, filters and sources beside (or under) the map, shrunk to fit, and
    a little more (to 0.85 of its size) rather than name fewer sources: a filtered
    Tarhuna slide said "Human Rights Watch; and 5 more" beside free room."""
    ax.set_axis_off()
    first = scale
    for _attempt in range(4):
        flow = _legend_flow(ax, selection, drawn, scale)
        fits = flow.y_in <= flow.height_in
        if fits and not (flow.shortened and scale * 0.95 >= first * 0.85):
            return
        ax.clear()
        ax.set_axis_off()
        scale *= 0.95 if fits else max(0.6, flow.height_in / flow.y_in * 0.97)
    _legend_flow(ax, selection, drawn, scale)


def _legend_flow(ax: Axes, selection: Selection, drawn: Drawn, scale: float) -> Flow:
    flow = Flow(ax, scale, rtl=is_rtl())
    counts = {str(k): int(v) for k, v in selection.rows["type"].value_counts().items() if v}
    if drawn.squares is not None:
        _square_rows(flow, drawn.squares, drawn.shown, counts)
    else:
        _marker_rows(flow, drawn, counts)
    flow.gap(8)
    flow.text(drawn.counts_line(selection), 11.5, bold=True)
    for line in selection.people_lines():
        flow.text(line, 10.5)
    filters_and_sources(flow, selection)
    return flow


def _marker_rows(flow: Flow, drawn: Drawn, counts: dict[str, int]) -> None:
    """Dots: a row per type drawn, then how precisely places are known."""
    flow.text(_("Incident type"), 12.5, bold=True)
    flow.gap(2)
    for code in drawn.types or tuple(counts.keys()):
        style = type_style(code)
        label = _("{type} ({n})").format(
            type=_(style.label), n=translation.number(int(counts.get(code, 0)))
        )
        flow.row(label, 11, "filled", marker=style.matplotlib_marker, colour=style.colour)
    flow.gap(8)
    flow.text(_("How precisely the place is known"), 12.5, bold=True)
    flow.gap(2)
    _precision_rows(flow, drawn)


def _square_rows(flow: Flow, squares: Squares, shown: int, counts: dict[str, int]) -> None:
    """Squares: a row per colour class, what a square is, and every type's count."""
    flow.text(squares.heading(), 12.5, bold=True)
    flow.gap(2)
    for label, colour in squares.legend_rows():
        flow.row(label, 11, "filled", marker="s", colour=colour)
    flow.gap(6)
    flow.text(squares.sentence(shown), 10.5)
    flow.gap(8)
    flow.text(_("By type (all counted together above)"), 12.5, bold=True)
    order = [c for c in TYPE_STYLES if c in counts] + sorted(set(counts) - set(TYPE_STYLES))
    for code in order:
        flow.text(_("{type}: {n}").format(type=_(type_style(code).label),
                                          n=translation.number(counts[code])), 10.5)  # fmt: skip


def filters_and_sources(flow: Flow, selection: Selection) -> None:
    """The legend's closing lines, the same on every image: which filters, which sources."""
    flow.gap(8)
    flow.text(_("Filters"), 12.5, bold=True)
    flow.text(filters_sentence(selection.query, district_names(selection)), 10.5)
    flow.gap(8)
    flow.text(_("Sources"), 12.5, bold=True)
    names = selection.publishers()  # read once: 0.1 s a call at 20,000 incidents
    shorter = [sources_sentence(selection, n, names) for n in range(MAX_PUBLISHERS, 0, -1)]
    none = _("Sources are listed in each incident record.")  # not even one name fits
    flow.first_whole(list(dict.fromkeys([*shorter, none])), 10.5)


def _precision_rows(flow: Flow, drawn: Drawn) -> None:
    kinds = {
        "exact": ("filled", _("Exact site")),
        "approximate": ("ring", _("Approximate: ring shows the radius")),
        "town": ("dashed-ring", _("Town only: somewhere in or near it")),
        "district": ("district", _("District only: shaded district")),
    }
    if not drawn.rings:
        kinds["approximate"] = ("filled", _("Approximate: within a few km (too small to ring)"))
        kinds["town"] = ("hollow", _("Town only: somewhere in or near it"))
    if not drawn.shaded:
        kinds["district"] = ("hollow", _("District only: marker inside the district"))
    present = [p for p in kinds if p in drawn.precisions] or ["exact"]
    for p in present:
        draw, label = kinds[p]
        flow.row(label, 10.5, draw, marker="o", colour=theme.MUTED)
    if drawn.fanned:
        flow.row(_("Incidents at the same place, spread around it"), 10.5, "fan")
    if drawn.stacks:
        flow.row(_("Incidents at the same place: their number"), 10.5, "count")


def sources_sentence(
    selection: Selection, limit: int = MAX_PUBLISHERS, names: list[str] | None = None
) -> str:
    """The publishers most cited first (names: selection.publishers(), when read
    already), up to limit of them, and how many more."""
    names = selection.publishers() if names is None else names
    if not names:
        return _("Sources are listed in each incident record.")
    shown = names[:limit]
    more = len(names) - len(shown)
    text = _("; ").join(shown)
    if more:
        said = ngettext("{names}; and {n} more", "{names}; and {n} more", more)
        text = said.format(names=text, n=translation.number(more))
    if not selection.sources_complete:
        n = translation.number(len(selection.sources))
        read = (
            _("sources read for an even sample of {n} incidents")
            if selection.sources_sampled
            else _("sources read for the first {n} incidents")
        )
        text = _("{names} ({read})").format(names=text, read=read.format(n=n))
    return _("{sentence}.").format(sentence=text)


def district_names(selection: Selection) -> dict[str, str]:
    """District names by code, of every country the selection's incidents are in: the
    one name the app shows the reader for each (geodata.district_names.reader_name),
    so the deck's table and the filters line name them as the app's table does."""
    names: dict[str, str] = {}
    lang = translation.language()
    for country in selection.countries or (selection.country,):
        try:
            frame = geodata.admin1_frame(country)
        except FileNotFoundError:
            continue
        for code, name in zip(frame["code"], frame["name_en"], strict=False):
            names[code] = reader_name(str(code), lang, str(name))
    return names


def draw_footer(fig: Figure, selection: Selection, scale: float) -> None:
    """Profile badge, export stamp (date, data version, link) and attribution; in a
    right-to-left language the badge and stamp start on the right."""
    profile = selection.profile
    colour = theme.PROFILE_COLOURS.get(profile.name, theme.INK)
    rtl = is_rtl()
    start, end = (0.985, 0.015) if rtl else (0.015, 0.985)
    ha, other = ("right", "left") if rtl else ("left", "right")
    badge = profile.badge()
    # Arabic lines are taller (Noto Sans Arabic): the badge sits higher, clear of the stamp
    y = 0.052 + (0.07 * scale / fig.get_size_inches()[1] if rtl else 0)
    fig.text(
        start, y, for_matplotlib(f" {badge} "), fontsize=10.5 * scale, fontweight="bold",
        color="white", va="center", ha=ha,
        bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": colour},
    )  # fmt: skip
    badge_in = (len(badge) + 2) * 10.5 * scale * 0.75 / 72
    step = (badge_in + 0.1) / fig.get_size_inches()[0]
    notice = fig.text(start - step if rtl else start + step, y,
                      for_matplotlib(profile.notice_shown()), fontsize=10.5 * scale,
                      va="center", ha=ha, color=colour, fontweight="bold")  # fmt: skip
    credit = for_matplotlib(_(geodata.ATTRIBUTION))  # translated where the map's is
    attribution = fig.text(end, y, credit, fontsize=9.5 * scale, va="center", ha=other,
                           color=theme.MUTED)  # fmt: skip
    _keep_apart(fig, notice, attribution)
    fig.text(start, 0.02, for_matplotlib(stamp_words(selection)), fontsize=9.5 * scale,
             va="center", ha=ha, color=theme.MUTED)  # fmt: skip


def _keep_apart(fig: Figure, notice: Text, attribution: Text) -> None:
    """Make the notice's letters smaller where it would run into the map credit on the
    same line (a longer translation, a narrow image): both must stay readable."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    a, b = notice.get_window_extent(renderer), attribution.get_window_extent(renderer)
    gap = 12.0  # pixels between the two
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0) + gap
    if overlap > 0 and a.width > 0:
        notice.set_fontsize(notice.get_fontsize() * max(0.6, 1 - overlap / a.width))


def stamp_words(selection: Selection) -> str:
    """'Exported 2026-12-03 07:10 UTC · Data version 1a2b3c · Reopen this view: URL', the
    stamp every image, slide and file prints."""
    rtl = is_rtl()
    text = _("Exported {when} · Data version {version}").format(
        when=isolate(selection.exported_on(), rtl), version=isolate(selection.data_version, rtl)
    )
    if selection.link:
        text += " · " + _("Reopen this view: {link}").format(link=isolate(selection.link, rtl))
    return text
