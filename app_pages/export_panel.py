"""The export panel under the map: audience, size and format, then one click per file.

Files are made only when a download button is clicked (deferred data), for the
person's own viewer and the audience they chose; nothing is cached across users.
A file that fails to be made is logged with its trace on the server only
(incidents.failures); Streamlit tells the person the download failed, and the panel
says why in one sentence the next time it is drawn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st

from geodata import FALLBACK_COUNTRY, countries_of
from incidents import failures
from incidents.access import PUBLIC, Viewer
from incidents.export.cli import labels_from_args
from incidents.export.profiles import PROFILES, allowed_profiles
from incidents.export.service import FORMATS, MEDIA_TYPES, ExportRequest, in_language, run_export
from incidents.export.static_map import default_title
from incidents.export.theme import SIZES, ImageSize, parse_size
from incidents.query import Query
from incidents.store.record_store import RecordStore
from incidents.translation import N_, _, language, ngettext, number

Extent = tuple[float, float, float, float]
LABELS = {  # English (the server's log names a failed file with it); shown translated
    "png": N_("Image (PNG)"),
    "svg": N_("Image (SVG)"),
    "pdf": N_("Image (PDF)"),
    "pptx": N_("Slide deck (PPTX)"),
    "html": N_("Offline map (HTML)"),
    "csv": N_("Table (CSV)"),
    "xlsx": N_("Table (XLSX)"),
    "geojson": N_("GIS (GeoJSON)"),
}
FAILED = "_export_failed"  # session key: {"message": sentence} of the last failed file
OPENED = "_export_opened"  # the panel was opened once in this session
# Choice -> its words; the widgets keep the codes, so a language switch keeps the choice.
SIZE_CHOICES = {"16:9": N_("16:9 slide (1920x1080)"), "4:3": N_("4:3 slide"),
                "a4": N_("A4 landscape"), "": N_("Custom")}  # fmt: skip
EXTENTS = {"now": N_("What the map shows now"), "fit": N_("Fit to the selection")}
PANELS = {"": N_("None"), "type": N_("By type"), "period": N_("By period")}


def view_parts(view: Mapping[str, Any] | Sequence[float] | None) -> tuple[Extent | None, str]:
    """The map's current bounds (west, south, east, north) and the link that reopens it.

    Accepts None, a 4-number sequence, or a mapping with "bounds" and "link".
    """
    if view is None:
        return None, ""
    if isinstance(view, Mapping):
        bounds, link = view.get("bounds"), str(view.get("link") or "")
    else:
        bounds, link = view, ""
    if bounds is None or len(bounds) != 4:
        return None, link
    west, south, east, north = (float(v) for v in bounds)
    return (west, south, east, north), link


def render_export_panel(
    store: RecordStore,
    viewer: Viewer,
    query: Query,
    view: Mapping[str, Any] | Sequence[float] | None = None,
    lazy: bool = False,
) -> None:
    """Export controls and download buttons for the current selection and map view.

    lazy: the panel's controls are drawn only once it is opened (opening it reruns the
    page, or the fragment holding it). Drawn closed, its 25 elements and their code
    held the map page's whole first drawing back by about half a second. Once opened
    they are drawn on every run, closed or not: a widget not drawn loses its value, and
    a title typed for a briefing must survive closing the panel."""
    extent, link = view_parts(view)
    label = _("Export for a briefing: image, slides, offline map, tables")
    panel = st.expander(label, key="export_open", on_change="rerun") if lazy else st.expander(label)
    with panel:
        if lazy and panel.open:
            st.session_state[OPENED] = True
        if lazy and not st.session_state.get(OPENED):
            return  # never opened in this session: nothing to keep
        failed: dict[str, str] = st.session_state.setdefault(FAILED, {})
        if failed.get("message"):
            st.warning(failed.pop("message"))
        profiles = allowed_profiles(viewer)
        profile = st.radio(
            _("Audience"), profiles, horizontal=True, key="export_profile",
            format_func=lambda p: PROFILES[p].choice_shown(),
            help=_("Public: public records only, locations coarsened. Images and slides "
                   "never show confidential fields; internal tables do."),
        )  # fmt: skip
        if profile == "public" and viewer.sees_restricted:
            _restricted_left_out(store, viewer, query)
        matches = store.snapshot(viewer).district_counts(query)  # the title names where they are
        countries = countries_of(matches) or (FALLBACK_COUNTRY,)
        request = _image_options(extent, link, countries)
        request = dataclasses.replace(request, profile=profile, lang=language())
        st.caption(
            _(
                "Every file states its audience, dates, filters and counts on its face, but "
                "a CSV table states only its audience, in its file name. Each download is "
                "recorded in the audit log."
            )
        )
        columns = st.columns(4)
        for i, fmt in enumerate(FORMATS):
            one = dataclasses.replace(request, fmt=fmt)
            columns[i % 4].download_button(
                _(LABELS[fmt]), data=_maker(store, viewer, query, one, failed),
                file_name=f"incidents-{date.today().isoformat()}-{profile}.{fmt}",
                mime=MEDIA_TYPES[fmt], on_click="ignore", key=f"export_{fmt}",
            )  # fmt: skip


def _restricted_left_out(store: RecordStore, viewer: Viewer, query: Query) -> None:
    """Staff are told how many fewer incidents a Public file holds: imported rows with
    no audience were stored Restricted, and a public export left 26 of a map's
    incidents out while its counts said nothing of them (they are not the public's to
    count). The two counts differ by restricted records, and by public ones whose
    coarsened point or date falls outside the selection's box or dates."""
    hidden = store.count(query, viewer) - store.count(query, PUBLIC)
    if hidden > 0:
        said = ngettext(
            "A Public file of this selection holds {n} incident fewer: restricted records "
            "are left out, and some places and dates are coarsened for the public.",
            "A Public file of this selection holds {n} incidents fewer: restricted records "
            "are left out, and some places and dates are coarsened for the public.",
            hidden,
        )
        st.info(said.format(n=number(hidden)))


def _maker(
    store: RecordStore,
    viewer: Viewer,
    query: Query,
    request: ExportRequest,
    failed: dict[str, str] | None = None,
) -> Callable[[], bytes]:
    """The deferred file: built on click, outside the page script (no st.* calls here).
    A failure is logged with its trace, its sentence kept in failed for the panel, and
    only that sentence is raised (Streamlit tells the browser the download failed)."""

    def make() -> bytes:
        try:
            return run_export(store, viewer, query, request).data
        except Exception as error:
            label, failure = LABELS.get(request.fmt, request.fmt), error
            logged = failures.log_unexpected(f"The {label} export", error)  # the log: English

            def said() -> str:  # in the page's language: this runs on a server thread
                what = _("The {file} export").format(file=_(label))
                return failures.sentence(what, failure, logged)

            message = in_language(request.lang, said)
            if failed is not None:
                failed["message"] = message
            raise ExportFailed(message) from None

    return make


class ExportFailed(RuntimeError):
    """A file could not be made; the message is the sentence the person is shown."""


def _image_options(extent: Extent | None, link: str, countries: tuple[str, ...]) -> ExportRequest:
    """countries: where the incidents are, for the title's example and the place names."""
    left, right = st.columns(2)
    title = left.text_input(_("Title"), key="export_title", placeholder=default_title(countries))
    subtitle = left.text_input(_("Subtitle"), key="export_subtitle",
                               placeholder=_("Left empty: the date window, in words"))  # fmt: skip
    size = _size(right)
    scale = 2 if right.toggle(_("Double resolution (PNG 2x)"), key="export_scale") else 1
    fit = right.radio(_("Map extent"), list(EXTENTS), format_func=lambda c: _(EXTENTS[c]),
                      key="export_extent", horizontal=True) == "fit"  # fmt: skip
    locator = right.toggle(_("Locator inset"), value=True, key="export_locator")
    places = left.text_input(_("Name these places on the map"), key="export_labels",
                             placeholder=_("Town names, separated by commas"))  # fmt: skip
    panels, breaks = _panels(left)
    try:
        labels = labels_from_args([p.strip() for p in places.split(",") if p.strip()], countries)
    except ValueError as error:
        st.warning(str(error))
        labels = ()
    return ExportRequest(
        fmt="png", title=title, subtitle=subtitle, size=size, scale=scale,
        extent=None if fit else extent, fit=fit or extent is None, locator=locator,
        labels=labels, panels=panels, breaks=breaks, link=link,
    )  # fmt: skip


def _size(container: Any) -> ImageSize:
    key = container.selectbox(_("Size"), list(SIZE_CHOICES), key="export_size",
                              format_func=lambda c: _(SIZE_CHOICES[c]))  # fmt: skip
    if key:
        return SIZES[key]
    width = container.number_input(_("Width (px)"), 320, 8000, 1600, key="export_w")
    height = container.number_input(_("Height (px)"), 320, 8000, 900, key="export_h")
    return parse_size(f"{int(width)}x{int(height)}")


def _panels(container: Any) -> tuple[str, tuple[date, ...]]:
    kind = container.selectbox(_("Small multiples"), list(PANELS), key="export_panels",
                               format_func=lambda c: _(PANELS[c]))  # fmt: skip
    if kind == "type":
        return "type", ()
    if kind == "period":
        cut = container.date_input(_("Split at"), date(2020, 6, 1), key="export_break")
        return "period", (cut,)
    return "", ()
