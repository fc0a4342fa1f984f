"""The import page's steps: how the file reads, the column mapping and values for every
row a person chooses, the preview, Check only, Import, and the report.

import_page.py only runs main(); the work itself is in incidents (importer,
import_preview, import_fill).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import common, import_memory, language
from geodata import countries_of
from incidents import failures
from incidents.column_choices import chosen_map, column_choices
from incidents.country_names import country_code, country_label
from incidents.dates import DayOrder
from incidents.default_country import GIVEN, Offer, offered_country
from incidents.field_words import field_label
from incidents.import_fill import fixed_problems, settable_fields
from incidents.import_preview import cannot_import, preview_rows, preview_table
from incidents.import_read import FileRows, ImportFailed, ImportOptions, delimiter_of, read_rows
from incidents.importer import import_file
from incidents.io import template
from incidents.io.formats import (
    ACCEPTED,
    FileUnusable,
    Format,
    Table,
    data_rows,
    detect,
    formats,
    layout_of,
    read_any,
)
from incidents.report import ImportReport
from incidents.translation import N_, _, ago, ngettext, number

PREVIEW_ROWS = 10
MAP_COLUMNS = 3  # selectboxes side by side
CHANGE_COUNTRY = N_("change the default country above the preview to change it")


def main() -> None:
    st.title(_("Import incidents"))
    st.write(
        _(
            "Upload a spreadsheet (CSV or XLSX, the incident template or an ACLED, UCDP or HXL "
            "export), a GeoJSON file or a GeoPackage. Nothing is saved until you press Import."
        )
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        _("Blank template (CSV)"), template.blank_template_csv(), "incident-template.csv"
    )
    c2.download_button(
        _("Blank template (XLSX)"), template.blank_template_xlsx(), "incident-template.xlsx"
    )
    upload = st.file_uploader(_("File"), type=["csv", "xlsx", "geojson", "json", "gpkg"])
    if upload is None:
        _show_last()
        return
    data = upload.getvalue()
    kept = import_memory.last()
    if kept is not None and not kept.same_file(upload.name, hashlib.sha256(data).hexdigest()):
        import_memory.forget()  # another file: its check or import is the one kept next
    show_file(data, upload.name)


def _show_last() -> None:
    """No file chosen: this session's last check or import, as its file showed it. The
    upload box starts empty on every visit, and a person back from the map (or who
    reloaded) would otherwise lose the report and its rejected rows to fix."""
    kept = import_memory.last()
    if kept is None:
        return
    if kept.report.dry_run:
        st.subheader(_("Last check in this session (nothing was written)"))
    else:
        st.subheader(_("Last import in this session"))
    said = _("File: {name}, {when}. Choose a file above to check or import another.")
    when = ago(time.time() - kept.made)
    st.caption(common.md_escape(said.format(name=kept.name, when=when)))  # the file's name
    _show(kept.report, kept.name)
    st.button(_("Dismiss this report"), key="import_last_dismiss", on_click=import_memory.forget)


def show_file(data: bytes, name: str) -> None:
    """Everything below the upload; whatever goes wrong, the person reads one sentence
    (an error nobody foresaw is logged with its trace, never shown)."""
    try:
        _show_file(data, name)
    except Exception as error:
        what = _("Reading {name}").format(name=name)
        st.error(failures.sentence(what, error, failures.log_unexpected(what, error)))


def _show_file(data: bytes, name: str) -> None:
    try:
        table = read_any(Path(name), data, name)
    except FileUnusable as error:
        said = _("This file cannot be read: {error}.").format(error=common.md_escape(error))
        if error.wrong_kind:  # not a kind of file the tool reads: say which it reads
            said += " " + _("The tool reads {accepted}.").format(accepted=_(ACCEPTED))
        st.error(said)
        return
    fmt_name = _format_choice(table)
    fmt = formats()[fmt_name]
    how = ImportReport(name, fmt_name, encoding=table.encoding, format_label=fmt.LABEL)
    how.delimiter = delimiter_of(Path(name), data, name, table)
    how.layout = layout_of(fmt, table)
    st.caption(
        common.md_escape(_("Read as: {how}").format(how=how.how_read()))
    )  # a sheet's name is the file's
    column_map = _mapping_choices(table, fmt, name)
    fixed = _fixed_values(name)
    order = _day_order(name)
    refused = fixed_problems(fixed)
    if refused:
        _not_ready(refused)
        return
    options = ImportOptions(
        format=fmt_name, column_map=column_map or None, fixed=fixed or None, day_order=order
    )
    try:
        rows = read_rows(table, fmt, options)  # once per run, for both uses below
    except FileUnusable as error:
        said = _("This file cannot be read this way: {error}")
        st.error(said.format(error=common.md_escape(error)))
        return
    country = _default_country(name, rows)
    if country is None:
        refused = [_("the default country is not a country this tool knows")]
        _not_ready(refused)
        return
    options = replace(options, default_country=country.code, default_country_why=country.why)
    reason = cannot_import(rows, fmt)
    if reason:
        st.warning(common.md_escape(reason))
        return
    st.markdown(_("**Preview** (the first rows as they would be stored)"))
    editor = common.viewer().can_edit  # only those who may import learn of deleted records
    preview = preview_rows(rows, options, PREVIEW_ROWS, common.get_store() if editor else None)
    preview_frame = language.readable_frame(pd.DataFrame(preview_table(preview)))
    columns = language.column_order(preview_frame.columns)
    st.dataframe(preview_frame, hide_index=True, width="stretch", column_order=columns)
    if not common.viewer().can_edit:
        st.info(_("Your role can look but not import."))
        return
    _buttons(table, data, name, options)
    shown = _report_of(name, data, options)
    if shown is not None:
        _show(shown, name)


def _report_of(name: str, data: bytes, options: ImportOptions) -> ImportReport | None:
    """The last check's or import's report of this file read this way (kept across
    reruns, such as a download's). The file by its contents, not only its name: the
    rejected rows fixed in the same spreadsheet come back under the same name."""
    kept = import_memory.last()
    return kept.report if kept and kept.key == _file_key(name, data, options) else None


def _file_key(name: str, data: bytes, options: ImportOptions) -> import_memory.FileKey:
    return name, hashlib.sha256(data).hexdigest(), options


def _import_label(rows: int, report: ImportReport | None) -> tuple[str, bool]:
    """The import button's words, and whether it is done: after a check, how many rows
    the import will write; after the import, done (pressing it again would only
    report the same rows unchanged)."""
    if report is not None and not report.dry_run:
        return _("Import done"), True
    will = report.imported + report.updated if report is not None else rows
    if will != rows:  # rejected rows, or rows of deleted records
        said = ngettext("Import {n} of {total} row", "Import {n} of {total} rows", rows)
        return said.format(n=number(will), total=number(rows)), False
    return ngettext("Import {n} row", "Import {n} rows", rows).format(n=number(rows)), False


def _format_choice(table: Table) -> str:
    detected = detect(table)
    names = list(formats())
    count = data_rows(table)
    rows = ngettext("**{n} row.**", "**{n} rows.**", count).format(n=number(count))
    found = _(detected.LABEL) if detected else _("not recognised")
    st.markdown(rows + " " + _("Detected format: **{format}**").format(format=found))
    if detected is None and table.name.lower().endswith((".geojson", ".json")):
        st.info(  # GeoJSON was read; only its property names are its own
            _(
                "The file's features are read, but their properties have names of their "
                "own. Choose below which field each property fills (at least the type and "
                "the date)."
            )
        )
    elif detected is None:
        st.info(
            _(
                "The columns match none of the formats the tool reads by itself ({accepted}). "
                "Choose below which field each column fills (at least the type and the date), "
                "or the format the file is in."
            ).format(accepted=_(ACCEPTED))
        )
    for note in table.notes:
        st.caption(common.md_escape(note))
    index = names.index(detected.NAME) if detected else names.index(template.NAME)
    return str(
        st.selectbox(
            _("Read the file as"), names, index=index, format_func=lambda n: _(formats()[n].LABEL)
        )
    )


def _mapping_choices(table: Table, fmt: Format, name: str) -> dict[str, str]:
    """One choice per column of the file, starting where the format's reader puts it
    (incidents.column_choices); the map holds the choices changed."""
    choices = column_choices(table, fmt)
    picked: dict[int, str] = {}
    with st.expander(_("Column mapping: which field each column fills"), expanded=True):
        slots = st.columns(MAP_COLUMNS)
        for at, choice in enumerate(choices):
            options = list(choice.options)
            picked[choice.index] = str(
                slots[at % MAP_COLUMNS].selectbox(
                    common.md_escape(choice.column),
                    options,
                    index=options.index(choice.start) if choice.start in options else 0,
                    format_func=choice.label,
                    key=f"import_map:{name}:{fmt.NAME}:{choice.index}",
                )
            )
    return chosen_map(choices, picked)


DAY_ORDERS: dict[str, DayOrder | None] = {
    N_("as the file's other dates settle it (a day above 12)"): None,
    N_("day first (03/04/2020 is 3 April)"): "day_first",
    N_("month first (03/04/2020 is March 4)"): "month_first",
}


def _day_order(name: str) -> DayOrder | None:
    """The order of dates such as 03/04/2020 (the command line's --day-first and
    --month-first): a file whose dates cannot tell has its rows refused until chosen."""
    shown = st.selectbox(
        _("Dates such as 03/04/2020"),
        list(DAY_ORDERS),
        key=f"import_day_order:{name}",
        format_func=_,
    )
    return DAY_ORDERS[str(shown)]


def _not_ready(reasons: list[str]) -> None:
    """Why the file cannot be imported as chosen: the reasons quote values typed and the
    file's own words, shown as text (never read as Markdown links or images)."""
    said = _("Not ready to import: {reasons}.")
    st.error(said.format(reasons=common.md_escape(_("; ").join(reasons))))


def _default_country(name: str, rows: FileRows) -> Offer | None:
    """The default country for rows that name none and have no point, and why it is that
    one: shown, never silent (the report says how many rows took it and why), offered
    from the file's rows or else the records already stored (offered_country)."""
    offered = offered_country(  # the store is read only when the file names no country
        rows.columns, lambda: countries_of(common.index().district_counts())
    )
    text = st.text_input(
        _("Default country (for rows that name no country and have no point)"),
        value=country_label(offered.code),  # its name in the reader's language ("SO" said little)
        key=f"import_country:{name}",
        help=_(
            "A country's name or ISO code. Offered: the country most of the file's rows "
            "name, else the one most stored records are in. The report says how many rows "
            "took it."
        ),
    )
    code = country_code(text.strip())
    if code is None:
        return None
    return offered if code == offered.code else Offer(code, GIVEN)


def _fixed_values(name: str) -> dict[str, str]:
    """Fields given one value for every row whose cell is empty (e.g. the country)."""
    picked = st.multiselect(
        _("Same value for every row (fills the rows that have none)"),
        settable_fields(),
        key=f"import_fixed:{name}",
        format_func=field_label,
    )
    values: dict[str, str] = {}
    for field in picked:
        value = st.text_input(
            _("{field} for every row").format(field=field_label(field)),
            key=f"import_fixed:{name}:{field}",
        )
        if value.strip():
            values[field] = value.strip()
    return values


def _buttons(table: Table, data: bytes, name: str, options: ImportOptions) -> None:
    c1, c2 = st.columns(2)
    label, done = _import_label(data_rows(table), _report_of(name, data, options))
    again = _("Change the file or the options to import again.") if done else None
    run = c1.button(label, type="primary", key="import_run", disabled=done, help=again)
    check = c2.button(_("Check only (nothing is written)"), key="import_check")
    if not (check or run):
        return
    chosen = replace(options, dry_run=bool(check))
    with st.spinner(_("Checking…") if check else _("Importing…")):
        try:
            report = import_file(
                Path(name), common.get_store(), common.viewer(), chosen, data=data, name=name
            )
        except ImportFailed as error:
            st.error(_("Nothing was imported: {error}").format(error=common.md_escape(error)))
            return
    import_memory.keep(_file_key(name, data, options), report)
    st.rerun()  # the buttons say what is left to do


def _show(report: ImportReport, name: str) -> None:
    counts = report.counts()
    for slot, (label, count) in zip(st.columns(len(counts)), counts, strict=True):
        slot.metric(label.capitalize(), count)
    if report.defaulted:
        st.warning(common.md_escape(report.default_country_note(_(CHANGE_COUNTRY))))
    if report.changes:  # the records it writes over, listed in the report below
        st.warning(common.md_escape(report.changes_sentence()))
    if report.like_existing:
        said = ngettext(
            "{n} row looks like an incident already stored: review it on the Duplicates page.",
            "{n} rows look like incidents already stored: review them on the Duplicates page.",
            report.like_existing,
        )
        st.info(said.format(n=number(report.like_existing)))
    st.text("\n".join(report.page_lines(_(CHANGE_COUNTRY))), width="stretch")  # never Markdown
    stem = Path(name).stem
    downloads = (
        (report.rejected, report.rejected_csv, "rejected",
         _("Download the rejected rows with reasons (CSV; fix them and import this file)")),
        (report.warnings, report.warnings_csv, "warnings",
         _("Download the warnings (CSV: rows kept with a value dropped or fixed)")),
    )  # fmt: skip
    for rows, as_csv, kind, label in downloads:
        if rows:
            st.download_button(label, as_csv(), f"{kind}-{stem}.csv", mime="text/csv",
                               on_click="ignore")  # fmt: skip
