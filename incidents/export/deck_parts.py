"""Data for the deck's table and sources slides, kept apart from the drawing code."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from incidents.export.selection import Selection
from incidents.styles import TYPE_STYLES
from incidents.translation import _, is_rtl, isolate, ngettext, number

TOP_DISTRICTS = 5


def counts_table_data(
    selection: Selection, names: Mapping[str, str]
) -> tuple[list[str], list[list[str]]]:
    """Header and rows: incident type by district, busiest districts first, with totals."""
    rows = selection.rows
    if rows.empty:
        return [_("Type"), _("Total")], [[_("No incidents"), number(0)]]
    codes = rows.get("admin1_code", pd.Series("", index=rows.index)).fillna("").astype(str)
    unknown, other = _("District unknown"), _("Other districts")
    district = codes.map(lambda c: names.get(c, c) if c else unknown)
    busiest = district.value_counts().index.tolist()
    keep = busiest[:TOP_DISTRICTS]
    district = district.where(district.isin(keep), other)
    table = pd.crosstab(rows["type"].astype(str), district)
    columns = [*keep, *([other] if len(busiest) > TOP_DISTRICTS else [])]
    order = [c for c in TYPE_STYLES if c in table.index]
    header = [_("Type"), *columns, _("Total")]
    values = table.to_numpy()
    counts = {
        (str(t), str(c)): int(values[i, j])
        for i, t in enumerate(table.index)
        for j, c in enumerate(table.columns)
    }
    body = [
        [_(TYPE_STYLES[t].label), *(number(counts.get((t, c), 0)) for c in columns),
         number(sum(counts.get((t, c), 0) for c in table.columns))]
        for t in order
    ]  # fmt: skip
    col_total = {c: sum(n for (_, cc), n in counts.items() if cc == c) for c in columns}
    totals = [_("Total"), *(number(col_total[c]) for c in columns), number(len(rows))]
    return header, [*body, totals]


def source_lines(selection: Selection) -> list[str]:
    """'Publisher — Title (date) · URL · cited by N incidents', most cited first.

    Each part is cut to CITATION_CHARS: a slide holds citations, and record text has no
    length limit (a megabyte publisher name filled the deck with one source).
    """
    lines = []
    for source, n in selection.source_list():
        head = " — ".join(_cut(b) for b in (source.publisher, source.title) if b)
        when = f" ({_cut(source.date)})" if source.date else ""
        url = f" · {_cut(source.url)}" if source.url else ""
        cited = ngettext("cited by {n} incident", "cited by {n} incidents", n).format(n=number(n))
        # Right to left, the citation (data, often Latin) stays one run read first.
        lines.append(f"{isolate(f'{head}{when}{url}', is_rtl())} · {cited}")
    return lines


CITATION_CHARS = 300


def _cut(text: str) -> str:
    return text if len(text) <= CITATION_CHARS else text[: CITATION_CHARS - 1] + "…"
