from datetime import date

import pytest

from incidents.dates import DateError, infer_day_order, parse_date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2020-06-11", date(2020, 6, 11), date(2020, 6, 11), "day"),
        ("2020-06", date(2020, 6, 1), date(2020, 6, 30), "month"),
        ("2020", date(2020, 1, 1), date(2020, 12, 31), "year"),
        ("11 June 2020", date(2020, 6, 11), date(2020, 6, 11), "day"),
        ("June 2020", date(2020, 6, 1), date(2020, 6, 30), "month"),
        ("25/11/2020", date(2020, 11, 25), date(2020, 11, 25), "day"),
        ("11/25/2020", date(2020, 11, 25), date(2020, 11, 25), "day"),
        ("05/05/2020", date(2020, 5, 5), date(2020, 5, 5), "day"),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
    ],
)
def test_reads_the_forms_researchers_write(text, start, end, precision):
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)


def test_ambiguous_day_month_is_refused_with_both_readings():
    with pytest.raises(DateError) as error:
        parse_date("03/04/2020")
    assert "3 April" in str(error.value) and "4 March" in str(error.value)


def test_the_column_settles_the_order():
    assert infer_day_order(["03/04/2020", "25/04/2020"]) == "day_first"
    assert infer_day_order(["03/04/2020", "04/25/2020"]) == "month_first"
    assert infer_day_order(["03/04/2020"]) == "unknown"
    assert parse_date("03/04/2020", "day_first").start == date(2020, 4, 3)


@pytest.mark.parametrize("text", ["2020-02-30", "yesterday", "31/31/2020", "2020-13"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_date(text)
