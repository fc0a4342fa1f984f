"""The data dictionary (docs/data-dictionary.md), written from incidents.schema.

`python -m incidents.data_dictionary > docs/data-dictionary.md` regenerates it; a test
fails when the committed file and the schema disagree.
"""

from __future__ import annotations

from incidents.io.template import TEMPLATE_COLUMNS
from incidents.schema import FIELDS, VOCABULARIES


def render() -> str:
    """The whole dictionary as Markdown."""
    lines = [
        "# Data dictionary: the incident record",
        "",
        "Generated from `incidents/schema.py` by `python -m incidents.data_dictionary`;",
        "a test checks this file against the code. Template columns use these names.",
        "",
        "| field | kind | group | required | confidential | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for f in FIELDS:
        kind = f"code ({f.vocabulary})" if f.vocabulary else f.kind
        lines.append(
            f"| `{f.name}` | {kind} | {f.group} | {'yes' if f.required else ''} | "
            f"{'yes' if f.confidential else ''} | {f.description} |"
        )
    lines += ["", "## Controlled values", "", "Codes or labels are accepted, in any case.", ""]
    for vocabulary in VOCABULARIES.values():
        lines += [f"### {vocabulary.name}", "", "| code | label |", "|---|---|"]
        lines += [f"| `{code}` | {label} |" for code, label in vocabulary.terms]
        lines.append("")
    lines += [
        "## Spreadsheet template columns",
        "",
        "Sources are numbered: `source1_title` ... `source3_sha256` in the template "
        "(up to `source9_*` accepted). Lists (perpetrators, tags) are separated by `;`.",
        "",
        ", ".join(f"`{c}`" for c in TEMPLATE_COLUMNS),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
