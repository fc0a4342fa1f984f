"""A briefing deck (PPTX): title, maps, timeline, counts table, sources.

Titles are real title placeholders and captions are text boxes, so both stay
editable; every slide carries the audience profile and the export stamp, and its
speaker notes say what it shows and how the selection was filtered.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

import geodata
from incidents.export import theme
from incidents.export.caption import day_words, filters_sentence, incidents_words, window_words
from incidents.export.deck_parts import counts_table_data, source_lines
from incidents.export.deck_text import direction
from incidents.export.layout import district_names, stamp_words
from incidents.export.panels import Panel, panels_by_period, panels_by_type
from incidents.export.placement_words import placement_summary
from incidents.export.selection import Selection
from incidents.export.static_map import MapOptions, default_title, render_map, render_panels
from incidents.export.timeline import timeline_png
from incidents.translation import _, is_rtl, number

SLIDE_W, SLIDE_H = 13.333, 7.5
PICTURE_BOX = (0.2, 1.0, 12.93, 5.7)  # left, top, width, height in inches
SOURCES_PER_SLIDE = 9
MAX_SOURCE_SLIDES = 3


@dataclass(frozen=True)
class DeckOptions:
    """What goes in the deck; map options apply to every map slide."""

    title: str = ""
    subtitle: str = ""
    map: MapOptions = field(default_factory=MapOptions)
    breaks: tuple[date, ...] = ()  # adds a small-multiples slide by period
    by_type: bool = False  # adds a small-multiples slide by type


def legend_words(selection: Selection) -> str:
    """What the speaker notes say about the marks on the map slides."""
    if selection.counted:
        return _(
            "The incidents are too many to draw one by one: each square is coloured by how "
            "many incidents it holds, as its legend says."
        )
    return _(
        "Solid markers are exact sites; rings show an approximate radius; hollow markers "
        "are known only to the town or district. Incidents at the same place are spread "
        "around it with thin leader lines; the black dot is the place itself."
    )


def build_deck(selection: Selection, options: DeckOptions | None = None) -> bytes:
    """The deck as PPTX bytes; its map slides are drawn as images are (dots, or squares
    for a selection read from the column index)."""
    options = options or DeckOptions()
    title = options.title or default_title(selection.countries)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    _properties(prs, selection, title)
    _title_slide(prs, selection, title, options.subtitle)
    _map_slides(prs, selection, options, title)
    _timeline_slide(prs, selection, options)
    _table_slide(prs, selection)
    _source_slides(prs, selection)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _properties(prs: PresentationType, selection: Selection, title: str) -> None:
    """Core properties: only what the slides print (no user names, no paths)."""
    props = prs.core_properties
    props.title = title
    props.subject = selection.profile.choice_shown(badge=True)
    props.author = ""
    props.last_modified_by = ""
    props.keywords = f"profile:{selection.profile.name}"
    props.comments = stamp_words(selection)
    props.category = selection.profile.badge()
    props.revision = 1
    props.created = selection.exported_at.replace(tzinfo=None)
    props.modified = selection.exported_at.replace(tzinfo=None)


def _slide(
    prs: PresentationType, selection: Selection, title: str, notes: str, footer: bool = True
) -> Slide:
    """A 'Title Only' slide with the title placed for 16:9, a footer stamp and notes.

    Map slides skip the footer: their picture carries the same stamp, so it stays with
    the image if someone copies it out of the deck.
    """
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    shape = slide.shapes.title
    assert shape is not None
    shape.left, shape.top = Inches(0.35), Inches(0.2)
    shape.width, shape.height = Inches(SLIDE_W - 0.7), Inches(0.8)
    shape.text = title
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    direction(paragraph, title)
    paragraph.font.size, paragraph.font.bold = Pt(28), True
    if footer:
        _footer(slide, selection)
    notes_frame = slide.notes_slide.notes_text_frame
    assert notes_frame is not None
    notes_frame.text = notes
    return slide


def _text(slide: Slide, box: tuple[float, float, float, float], lines: Sequence[str],
          size: float, colour: str = theme.INK, bold_first: bool = False) -> None:  # fmt: skip
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        direction(paragraph, line)
        paragraph.font.size = Pt(size)
        paragraph.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
        paragraph.font.bold = bold_first and i == 0


def _footer(slide: Slide, selection: Selection) -> None:
    profile = selection.profile
    colour = theme.PROFILE_COLOURS.get(profile.name, theme.INK)
    _text(slide, (0.35, 6.92, 12.6, 0.5),
          [f"{profile.badge()} · {profile.notice_shown()}",
           f"{stamp_words(selection)} · {_(geodata.ATTRIBUTION)}"],
          9, colour, bold_first=True)  # fmt: skip


def _picture(slide: Slide, png: bytes, box: tuple[float, float, float, float]) -> None:
    left, top, width, height = box
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top))
    ratio = min(Inches(width) / picture.width, Inches(height) / picture.height)
    picture.width, picture.height = (
        Emu(int(picture.width * ratio)),
        Emu(int(picture.height * ratio)),
    )
    picture.left = Emu(Inches(left) + (Inches(width) - picture.width) // 2)


def _title_slide(prs: PresentationType, selection: Selection, title: str, subtitle: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    assert slide.shapes.title is not None
    slide.shapes.title.text = title
    direction(slide.shapes.title.text_frame.paragraphs[0], title)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.8), Inches(1.7)
    slide.shapes.title.width, slide.shapes.title.height = Inches(11.7), Inches(1.6)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.4), Inches(11.7), Inches(1.6)
    # a typed subtitle goes above the dates, never instead of them (as in the images)
    lines = [*filter(None, [subtitle]), window_words(selection.query), selection.counts_line()]
    large = len(lines)
    lines += selection.people_lines()
    sub.text_frame.text = "\n".join(lines)
    for i, (paragraph, line) in enumerate(zip(sub.text_frame.paragraphs, lines, strict=False)):
        direction(paragraph, line)
        # the people lines are long sentences (longer still in French): smaller, so the
        # subtitle keeps inside its box above the footer
        paragraph.font.size = Pt(24 if i < large else 16)
    _footer(slide, selection)
    notes = slide.notes_slide.notes_text_frame
    assert notes is not None
    # Where the public rules put the places shown ('9 shown at the town of Tarhuna'); the
    # footer's notice names the rule on every slide.
    placed = (
        placement_summary(selection.rows, selection.public_rules)
        if selection.profile.coarsened
        else ""
    )
    facts = _(". ").join([selection.counts_line(), *_merged(selection), *selection.people_lines()])
    notes.text = " ".join(
        [
            _("Briefing on {title}.").format(title=title),
            _("Dates: {window}.").format(window=window_words(selection.query)),
            _("Filters: {filters}.").format(
                filters=filters_sentence(selection.query, district_names(selection))
            ),
            _("{facts}.").format(facts=facts),
            *([placed] if placed else []),
            _("Audience: {audience} ({notice}).").format(
                audience=selection.profile.badge(), notice=selection.profile.notice_shown()
            ),
            _("Data version {version}.").format(version=selection.data_version),
        ]
    )


def _merged(selection: Selection) -> list[str]:
    return [selection.merged_line()] if selection.merged else []


def _map_slides(
    prs: PresentationType, selection: Selection, options: DeckOptions, title: str
) -> None:
    box = PICTURE_BOX
    size = theme.ImageSize("deck", box[2], box[3], text=0.9)
    map_options = dataclasses.replace(options.map, size=size, header=False, title=title)
    filters = filters_sentence(selection.query, district_names(selection))
    caption = _("{window}. Filters: {filters}.").format(
        window=window_words(selection.query), filters=filters
    )
    notes = _map_notes(selection, filters, _("The map"), legend_words(selection))
    slide = _slide(prs, selection, title, notes, False)
    _picture(slide, render_map(selection, map_options, "png"), box)
    _caption(slide, caption)
    for heading, panels in _panel_sets(selection, options):
        what = _("Small multiples ({heading}), sharing one extent and legend").format(
            heading=heading.lower()
        )
        notes = _map_notes(selection, filters, what, legend_words(selection))
        slide = _slide(prs, selection, heading, notes, footer=False)
        _picture(slide, render_panels(selection, panels, map_options, "png"), box)
        _caption(slide, caption)


def _panel_sets(selection: Selection, options: DeckOptions) -> list[tuple[str, list[Panel]]]:
    sets: list[tuple[str, list[Panel]]] = []
    if options.breaks and len(selection.rows):
        cuts = sorted(options.breaks)
        heading = (
            _("Before and after {day}").format(day=day_words(cuts[0]))
            if len(cuts) == 1
            else _("By period, split at {days}").format(
                days=_(", ").join(day_words(c) for c in cuts)
            )
        )
        sets.append((heading, panels_by_period(selection, options.breaks)))
    if options.by_type and len(selection.rows):
        sets.append((_("By incident type"), panels_by_type(selection)))
    return sets


def _caption(slide: Slide, text: str) -> None:
    _text(slide, (0.35, 6.7, 12.6, 0.5), [text], 12, theme.MUTED)


def _map_notes(selection: Selection, filters: str, what: str, legend_words: str) -> str:
    return " ".join(
        [
            _("{what} of the selection: {counts}.").format(
                what=what, counts=selection.counts_line()
            ),
            _("Dates: {window}.").format(window=window_words(selection.query)),
            _("Filters: {filters}.").format(filters=filters),
            legend_words,
            _("Audience: {audience}.").format(audience=selection.profile.badge()),
        ]
    )


def _timeline_slide(prs: PresentationType, selection: Selection, options: DeckOptions) -> None:
    png = timeline_png(selection, PICTURE_BOX[2], PICTURE_BOX[3], options.breaks)
    many = len(selection.rows) > 30
    what = (
        _(
            "Incidents per period, stacked by type; an incident dated only to a longer range "
            "is spread evenly over it (lighter bars), not counted at its start."
        )
        if many
        else _(
            "One bar per incident from its first to its last possible date; pale bars are "
            "dates known only to the month or year; '(discovered)' and '(reported)' mark "
            "dates of discovery or report rather than of the events."
        )
    )
    counts = _("{counts}.").format(counts=selection.counts_line())
    slide = _slide(prs, selection, _("Timeline"), f"{what} {counts}")
    _picture(slide, png, PICTURE_BOX)


def _table_slide(prs: PresentationType, selection: Selection) -> None:
    header, body = counts_table_data(selection, district_names(selection))
    notes = _(
        "Incidents by type (rows) and district (columns) in the selection; districts "
        "beyond the busiest five are grouped. {incidents} in all, located or not."
    ).format(incidents=incidents_words(len(selection.rows)))
    slide = _slide(prs, selection, _("Incidents by type and district"), notes)
    rows, cols = len(body) + 1, len(header)
    height = min(0.42 * rows, 5.4)
    shape = slide.shapes.add_table(rows, cols, Inches(0.35), Inches(1.15), Inches(12.6),
                                   Inches(height))  # fmt: skip
    table = shape.table
    rtl = is_rtl()
    # Right to left, the type column is the rightmost and the totals the leftmost.
    place = (lambda c: cols - 1 - c) if rtl else (lambda c: c)
    widths = [4.0, *[8.6 / (cols - 1)] * (cols - 1)]
    for c, width in enumerate(widths):
        table.columns[place(c)].width = Inches(width)
    for r, values in enumerate([header, *body]):
        for c, value in enumerate(values):
            cell = table.cell(r, place(c))
            cell.text = str(value)
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.font.size = Pt(_cell_points(str(value), widths[c], 13 if rows < 12 else 10))
            paragraph.font.bold = r == 0 or r == rows - 1 or c == cols - 1
            if c > 0:
                paragraph.alignment = PP_ALIGN.RIGHT
            direction(paragraph, str(value))
            if rtl and c > 0:  # counts centred under their district
                paragraph.alignment = PP_ALIGN.CENTER


def _cell_points(text: str, width_in: float, points: float) -> float:
    """The letter size at which the cell's longest word fits its column: a district
    name wider than its column was broken mid-word ("Badakhsha / n" in LibreOffice).
    Sized for bold letters, about 0.68 of the size wide, inside 0.1 in margins."""
    longest = max((len(word) for word in text.split()), default=0)
    if not longest:
        return points
    return max(7.0, min(points, (width_in - 0.2) * 72 / (0.68 * longest)))


def _source_slides(prs: PresentationType, selection: Selection) -> None:
    lines = source_lines(selection)
    if lines and not selection.sources_complete:
        read, total = number(len(selection.sources)), number(len(selection.rows))
        first = (
            _("Sources of an even sample of {n} of {total} incidents (the CSV lists all of "
              "them for selections up to 2,000).")
            if selection.sources_sampled
            else _("Sources of the first {n} of {total} incidents (the CSV lists all of them "
                   "for selections up to 2,000).")
        )  # fmt: skip
        lines.insert(0, first.format(n=read, total=total))
    pages = [lines[i : i + SOURCES_PER_SLIDE] for i in range(0, len(lines), SOURCES_PER_SLIDE)]
    pages = pages[:MAX_SOURCE_SLIDES] or [[_("Sources are listed in each incident record.")]]
    left_out = max(len(lines) - SOURCES_PER_SLIDE * MAX_SOURCE_SLIDES, 0)
    for n, page in enumerate(pages, start=1):
        title = (
            _("Sources")
            if len(pages) == 1
            else _("Sources ({n} of {total})").format(n=number(n), total=number(len(pages)))
        )
        notes = _(
            "Sources cited by the incidents in the selection, most cited first, with the "
            "number of incidents citing each. Map data: {attribution}."
        ).format(attribution=_(geodata.ATTRIBUTION))
        slide = _slide(prs, selection, title, notes)
        more = _("… and {n} more sources: see the CSV or XLSX export.").format(n=number(left_out))
        extra = [more] if (left_out and n == len(pages)) else []
        _text(slide, (0.35, 1.15, 12.6, 5.4), [*page, *extra], 13)
