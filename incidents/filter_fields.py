"""Every filter of a Query, once: its URL parameter, CLI option and sidebar widget.

The link codec (view_state), the export command line (export/cli) and the sidebar
(app_pages/filters) all loop over FIELDS, and the page's "hidden by each filter" line
groups them by noun. A new filter is one entry here (plus its evaluator in the query
layer); a new entry of an existing kind needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from incidents.query import Query
from incidents.schema import (
    DATE_KINDS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    VERIFICATION_STATUSES,
    Vocabulary,
)
from incidents.translation import N_

# How a value is written and read: a date, one code of vocab, several, free words (as
# perpetrators, tags), district or country codes (by name or code on the command line),
# a text, a yes/no, or a box WEST,SOUTH,EAST,NORTH.
Kind = Literal["day", "code", "codes", "names", "district", "country", "text", "switch", "box"]
LISTS = ("codes", "names", "district", "country")  # the kinds whose value is a tuple
Widget = Literal["", "multiselect", "selectbox", "radio", "text_input", "checkbox"]
DATE_MODES = Vocabulary(
    "date mode",
    (("overlaps", N_("overlaps the window")), ("within", N_("lies entirely within it"))),
)


@dataclass(frozen=True)
class FilterField:
    """One Query attribute and how each surface shows it ("" = not on that surface)."""

    name: str  # the Query attribute; for "names", also the column its choices come from
    kind: Kind
    noun: str = ""  # "hidden by" and description; one noun lifts its fields together
    # noun, label, tip and says are English, marked N_(): pages show them through _().
    param: str = ""  # URL query parameter
    flag: str = ""  # export command-line option
    help: str = ""  # command-line help (vocabularies list their codes themselves)
    vocab: Vocabulary | None = None
    widget: Widget = ""
    key: str = ""  # Streamlit widget key (tests and URL priming address widgets by it)
    label: str = ""  # the widget's label
    tip: str = ""  # the widget's help (a text box's placeholder)
    offer: tuple[str, ...] = ()  # codes the widget offers, when not all of vocab
    section: Literal["filters", "time"] = "filters"
    says: str = ""  # the description's words, "{}" for the value (default "noun: {}")

    @property
    def default(self) -> Any:
        """The Query's value for "no filter"."""
        return getattr(Query(), self.name)


FIELDS: tuple[FilterField, ...] = (
    FilterField("date_from", "day", N_("time window"), "from", "--from"),
    FilterField("date_to", "day", N_("time window"), "to", "--to"),
    FilterField("date_mode", "code", "", "dates", "--date-mode", vocab=DATE_MODES,
                widget="radio", key="d_mode", section="time",
                label=N_("An incident with an uncertain date counts when its date range")),
    FilterField("date_kinds", "codes", N_("which dates"), "kind", "--date-kind", vocab=DATE_KINDS,
                widget="multiselect", key="f_kinds", label=N_("Which dates"), section="time",
                tip=N_("Each record gives one date and says what it is: when it occurred, "
                "or when it was discovered or reported. Empty: all of them."),
                says=N_("dates: {}")),
    FilterField("types", "codes", N_("type"), "type", "--type", vocab=INCIDENT_TYPES,
                widget="multiselect", key="f_types", label=N_("Type")),
    FilterField("perpetrators", "names", N_("perpetrator"), "perp", "--perpetrator",
                widget="multiselect", key="f_perps", label=N_("Alleged perpetrator")),
    FilterField("verification", "codes", N_("verification"), "ver", "--verification",
                vocab=VERIFICATION_STATUSES, widget="multiselect", key="f_ver",
                label=N_("Verification")),
    FilterField("countries", "country", N_("country"), "country", "--in-country",
                "ISO code (SO) or name", widget="multiselect", key="f_country",
                label=N_("Country")),
    FilterField("admin1_codes", "district", N_("district"), "dist", "--district",
                "code (LY-MB) or name", widget="multiselect", key="f_dist", label=N_("District")),
    FilterField("max_precision", "code", N_("location precision"), "prec", "--max-precision",
                vocab=LOCATION_PRECISIONS, widget="selectbox", key="f_prec",
                label=N_("Location known at least to"), offer=LOCATION_PRECISIONS.codes[:-1],
                tip=N_("Hides incidents whose place is known less precisely than this."),
                says=N_("location at least as precise as {}")),
    FilterField("tags", "names", N_("tags"), "tag", "--tag", widget="multiselect", key="f_tags",
                label=N_("Tags")),
    FilterField("text", "text", N_("text"), "q", "--text", widget="text_input", key="f_text",
                label=N_("Text contains"), tip=N_("title, description, place, id"),
                says=N_('text contains "{}"')),
    FilterField("bbox", "box", flag="--bbox", help="only incidents inside WEST,SOUTH,EAST,NORTH"),
    FilterField("ids", "names", flag="--id"),
    FilterField("include_unlocated", "switch", N_("no place"), "unlocated", "--located-only",
                widget="checkbox", key="f_unlocated", label=N_("Include incidents with no place")),
)  # fmt: skip


def choice_lists() -> list[str]:
    """The list columns whose values the sidebar offers as choices (perpetrators, tags)."""
    return [f.name for f in FIELDS if f.kind == "names" and f.key]


def lifts(query: Query) -> dict[str, Query]:
    """For each filter active in query (by noun), the query without it."""
    nouns = dict.fromkeys(f.noun for f in FIELDS if f.noun)
    out = {n: query.replace(**{f.name: f.default for f in FIELDS if f.noun == n}) for n in nouns}
    return {noun: lifted for noun, lifted in out.items() if lifted != query}
