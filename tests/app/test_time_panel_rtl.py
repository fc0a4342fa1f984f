"""The time panel in Arabic: time runs right to left, the chart's words are Arabic, and
the playback arrows point the way time runs; English pages keep time left to right."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from incidents import translation
from incidents.maps import timeline_chart


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.set_language("en")


def _spec(lang: str) -> str:
    translation.set_language(lang)
    hist = pd.DataFrame(
        {"start": [date(2020, 1, 1), date(2020, 2, 1)], "end": [date(2020, 1, 31),
         date(2020, 2, 29)], "count": [3.0, 0.5], "certainty": ["within the period",
         "uncertain"]}
    )  # fmt: skip
    spec = timeline_chart.spec(hist, "month", (date(2020, 1, 1), None))
    return json.dumps(spec, ensure_ascii=False)


def test_arabic_time_axis_runs_right_to_left_with_arabic_words() -> None:
    spec = _spec("ar")
    assert '"reverse": true' in spec
    assert "الحوادث" in spec and "الشهر ابتداءً من" in spec
    assert "Incidents" not in spec


def test_english_time_axis_runs_left_to_right() -> None:
    spec = _spec("en")
    assert "reverse" not in spec and '"title": "Incidents"' in spec


def test_the_legend_expression_holds_the_translation_quoted() -> None:
    spec = _spec("fr")
    assert '\\"datés dans la barre\\"' in spec  # a JSON string inside the expression
    assert "répartie également" in spec
