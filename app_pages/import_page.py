"""Import page: upload a file, check the detected format and columns, preview, import.

The report says what happened to every row; rejected rows can be downloaded with
their reasons, fixed in a spreadsheet and uploaded again. Whatever goes wrong with an
upload, the person reads one sentence: an error nobody foresaw is logged with its
trace on the server (incidents.failures), never shown on the page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import common
from incidents import failures
from incidents.importer import ImportFailed, ImportOptions, import_file
from incidents.io import template
from incidents.io.formats import FileUnusable, Table, detect, formats, read_any
from incidents.report import ImportReport

PREVIEW_ROWS = 10
REPORT = "_import_report"


def _mapping(table: Table) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Column in the file": table.header,
            "Read as": [template.field_for(c) or "— not used —" for c in table.header],
        }
    )


def _preview(table: Table, fmt_name: str) -> pd.DataFrame:
    fmt = formats()[fmt_name]
    rows = []
    for n, (_, row) in enumerate(fmt.raw_rows(table)):
        if n >= PREVIEW_ROWS:
            break
        rows.append({k: v for k, v in row.items() if v not in (None, "")})
    return pd.DataFrame(rows).astype(str)


def _report(report_lines: list[str], imported: int, updated: int, rejected: int) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Imported", imported)
    c2.metric("Updated", updated)
    c3.metric("Rejected", rejected)
    st.code("\n".join(report_lines), language=None)


def main() -> None:
    st.title("Import incidents")
    st.write(
        "Upload a spreadsheet (CSV or XLSX, the incident template or an ACLED, UCDP or HXL "
        "export), a GeoJSON file or a GeoPackage. Nothing is saved until you press Import."
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Blank template (CSV)", template.blank_template_csv(), "incident-template.csv"
    )
    c2.download_button(
        "Blank template (XLSX)", template.blank_template_xlsx(), "incident-template.xlsx"
    )
    upload = st.file_uploader("File", type=["csv", "xlsx", "geojson", "json", "gpkg"])
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    try:
        _upload(data, name)
    except Exception as error:  # unforeseen: a sentence here, the trace in the server's log
        what = f"Reading {name}"
        st.error(failures.sentence(what, error, failures.log_unexpected(what, error)))


def _upload(data: bytes, name: str) -> None:
    """Read the upload, show how it will be read, and import it on request."""
    try:
        table = read_any(Path(name), data, name)
    except FileUnusable as error:
        st.error(f"This file cannot be read: {error}")
        return
    detected = detect(table)
    names = list(formats())
    st.markdown(
        f"**{len(table.rows)} rows.** Detected format: "
        f"**{detected.LABEL if detected else 'not recognised'}**"
    )
    index = names.index(detected.NAME) if detected else names.index(template.NAME)
    fmt_name = st.selectbox(
        "Read the file as", names, index=index, format_func=lambda n: formats()[n].LABEL
    )
    if fmt_name == template.NAME:
        with st.expander("Column mapping", expanded=True):
            st.dataframe(_mapping(table), hide_index=True, width="stretch")
    st.markdown("**Preview** (first rows as they will be read)")
    st.dataframe(_preview(table, fmt_name), hide_index=True, width="stretch")
    if not common.viewer().can_edit:
        st.info("Your role can look but not import.")
        return
    if st.button(f"Import {len(table.rows)} rows", type="primary"):
        with st.spinner("Importing…"):
            try:
                report = import_file(
                    Path(name), common.get_store(), common.viewer(),
                    ImportOptions(format=fmt_name), data=data, name=name,
                )  # fmt: skip
            except ImportFailed as error:
                st.error(f"Nothing was imported: {error}")
                return
        st.session_state[REPORT] = (name, report)
    shown = st.session_state.get(REPORT)
    if shown and shown[0] == name:  # kept, so downloading the rejected rows does not lose it
        _show(shown[1], name)


def _show(report: ImportReport, name: str) -> None:
    _report(report.lines(), report.imported, report.updated, len(report.rejected))
    if report.rejected:
        st.download_button(
            "Download the rejected rows with reasons (CSV)",
            report.rejected_csv(),
            f"rejected-{Path(name).stem}.csv",
            mime="text/csv",
            on_click="ignore",
        )


main()
