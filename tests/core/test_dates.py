from collections.abc import Callable
from datetime import date, datetime

import pytest
import xlsxwriter
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from incidents.dates import DateError, DayOrder, infer_day_order, parse_date
from incidents.importer import import_file
from tests.conftest import EDITOR


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


# --- Layouts real exports use (ACLED over the years, and what Excel makes of them) ---

MAY_9 = date(2020, 5, 9)


@pytest.mark.parametrize(
    "text",
    [
        "2020-05-09",  # ACLED, ISO
        "2020-05-09T00:00:00",  # ISO with a time
        "2020/05/09",  # year first with slashes
        "09 May 2020",  # ACLED's usual export
        "9 May 2020",
        "09-May-2020",
        "9-May-20",  # ACLED opened and saved again by Excel (d-mmm-yy)
        "09-May-20",
        "May 9, 2020",  # Excel's US long date
        "Saturday, May 9, 2020",  # Excel's long date with the weekday
        "Sat 9 May 2020",
        "9th May 2020",
        "9 MAY 2020",  # 2015-2018 ACLED files in capitals
        "2020 May 9",
        "09/05/2020",  # day first: the day is told by the order of the file, below
    ],
)
def test_acled_and_excel_layouts(text):
    order = "day_first" if text == "09/05/2020" else "unknown"
    assert parse_date(text, order) == parse_date("2020-05-09")
    assert parse_date(text, order).start == MAY_9


def test_older_acled_long_month_layout():
    parsed = parse_date("01-January-2015")
    assert (parsed.start, parsed.precision) == (date(2015, 1, 1), "day")


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("5/9/2020", "month_first", MAY_9),  # a US file: another row had 5/13/2020
        ("5/9/2020 0:00", "month_first", MAY_9),  # Excel's CSV of a date-time cell
        ("9/5/2020", "day_first", MAY_9),
        ("9.5.2020", "day_first", MAY_9),
    ],
)
def test_numeric_dates_take_the_order_the_file_settles(text, order, expected):
    assert parse_date(text, order).start == expected


def test_a_us_file_settles_its_own_order():
    column = ["5/9/2020", "5/13/2020 0:00", "12/1/2020"]
    assert infer_day_order(column) == "month_first"
    assert parse_date(column[0], infer_day_order(column)).start == MAY_9
    assert infer_day_order(["٩/٥/٢٠٢٠", "١٣/٥/٢٠٢٠"]) == "day_first"  # Arabic-Indic digits


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("May-20", date(2020, 5, 1), date(2020, 5, 31)),  # Excel's mmm-yy
        ("May 2020", date(2020, 5, 1), date(2020, 5, 31)),
        ("أيار 2020", date(2020, 5, 1), date(2020, 5, 31)),
        ("كانون الثاني ٢٠٢١", date(2021, 1, 1), date(2021, 1, 31)),
    ],
)
def test_month_and_year_stand_for_the_month(text, start, end):
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, "month")


@pytest.mark.parametrize(
    ("two", "year"),
    [("00", 2000), ("20", 2020), ("29", 2029), ("30", 1930), ("69", 1969), ("97", 1997)],
)
def test_two_digit_years_follow_excels_pivot(two, year):
    assert parse_date(f"9-May-{two}").start == date(year, 5, 9)
    assert parse_date(f"13/05/{two}").start == date(year, 5, 13)


# The brief's lists, written here independently of incidents.date_words.
LEVANTINE = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
EGYPTIAN_MAGHREB = [
    ("يناير",),
    ("فبراير",),
    ("مارس",),
    ("أبريل", "ابريل"),
    ("مايو", "ماي"),
    ("يونيو", "يونيه"),
    ("يوليو", "يوليوز"),
    ("أغسطس", "غشت"),
    ("سبتمبر", "شتنبر"),
    ("أكتوبر",),
    ("نوفمبر", "نونبر"),
    ("ديسمبر", "دجنبر"),
]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_arabic_month_name_with_either_digits(month):
    names = [LEVANTINE[month - 1], *EGYPTIAN_MAGHREB[month - 1]]
    for name in names:
        for text in (f"15 {name} 2019", f"15 {name} 2019".translate(ARABIC_DIGITS)):
            assert parse_date(text).start == date(2019, month, 15), text
        assert parse_date(f"{name} 2019").start == date(2019, month, 1)


@pytest.mark.parametrize(
    "text",
    [
        "٩ أيار ٢٠٢٠",
        "٠٩ أيّار ٢٠٢٠",  # a shadda
        "9 مايو 2020م",  # م: Gregorian
        "السبت ٩ أيار ٢٠٢٠",  # with the weekday
        "\u200f9 مايو 2020",  # a right-to-left mark left by a word processor
        "9 ايار، 2020",  # Arabic comma
        "9 أيار/مايو 2020",  # one month named both ways, as Levantine papers do
        "9 أيار (مايو) 2020",
        "۹ مه ۲۰۲۰".replace("مه", "مايو"),  # Persian digits
    ],
)
def test_arabic_writing(text):
    assert parse_date(text).start == MAY_9


def test_a_hijri_date_is_never_read_as_a_gregorian_one():
    for text in ("15 رمضان 1441 هـ", "12/9/1441هـ"):
        with pytest.raises(DateError, match="Hijri"):
            parse_date(text)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (43960, MAY_9),
        (43960.75, MAY_9),  # 18:00 that day
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serial_numbers(number, expected):
    assert parse_date(number).start == expected


def test_a_number_is_a_year_when_it_reads_as_one_and_nonsense_is_refused():
    assert parse_date(2020).precision == "year"
    for number in (0, -5, 60, 3_000_000, float("nan")):
        with pytest.raises(DateError):
            parse_date(number)


@pytest.mark.parametrize(
    "text", ["May 9", "9 May", "May 20", "9 May 5", "Mayday 2020", "9 أيار/حزيران 2020"]
)
def test_dates_without_a_year_or_with_stray_words_are_refused(text):
    with pytest.raises(DateError):
        parse_date(text)


# --- Any date written in each layout reads back as itself ---

ENGLISH = "January February March April May June July August September October November December"
MONTH_NAMES = ENGLISH.split()
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _words(d: date, names: list[str]) -> str:
    return f"{d.day} {names[d.month - 1]} {d.year:04d}"


LAYOUTS: dict[str, tuple[Callable[[date, int], str], DayOrder]] = {
    "ISO": (lambda d, _: d.isoformat(), "unknown"),
    "year/month/day": (lambda d, _: f"{d.year:04d}/{d.month:02d}/{d.day:02d}", "unknown"),
    "ACLED 09 May 2020": (
        lambda d, _: f"{d.day:02d} {MONTH_NAMES[d.month - 1]} {d.year:04d}",
        "unknown",
    ),
    "ACLED 01-January-2015": (
        lambda d, _: f"{d.day:02d}-{MONTH_NAMES[d.month - 1]}-{d.year:04d}",
        "unknown",
    ),
    "ACLED in capitals": (lambda d, _: _words(d, MONTH_NAMES).upper(), "unknown"),
    "Excel May 9, 2020": (
        lambda d, _: f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year:04d}",
        "unknown",
    ),
    "Excel Saturday, May 9, 2020": (
        lambda d, _: (
            f"{WEEKDAY_NAMES[d.weekday()]}, {MONTH_NAMES[d.month - 1]} {d.day}, {d.year:04d}"
        ),
        "unknown",
    ),
    "day first 09/05/2020": (
        lambda d, _: f"{d.day:02d}/{d.month:02d}/{d.year:04d}",
        "day_first",
    ),
    "US 5/9/2020": (lambda d, _: f"{d.month}/{d.day}/{d.year:04d}", "month_first"),
    "Levantine, Arabic-Indic digits": (
        lambda d, _: _words(d, LEVANTINE).translate(ARABIC_DIGITS),
        "unknown",
    ),
    "Egyptian and Maghreb": (
        lambda d, pick: _words(d, [n[pick % len(n)] for n in EGYPTIAN_MAGHREB]),
        "unknown",
    ),
}


@settings(deadline=None, max_examples=60)
@given(day=st.dates(), pick=st.integers(0, 1), layout=st.sampled_from(sorted(LAYOUTS)))
def test_any_date_in_any_layout_reads_back(day, pick, layout):
    write, order = LAYOUTS[layout]
    parsed = parse_date(write(day, pick), order)
    assert (parsed.start, parsed.end, parsed.precision) == (day, day, "day")


@settings(deadline=None, max_examples=60)
@given(day=st.dates(date(1930, 1, 1), date(2029, 12, 31)))
def test_any_date_excel_writes_with_two_digit_years_reads_back(day):
    excel = f"{day.day}-{MONTH_NAMES[day.month - 1][:3]}-{day.year % 100:02d}"
    assert parse_date(excel).start == day


@settings(deadline=None, max_examples=60)
@given(day=st.dates(date(1900, 3, 1), date(9999, 12, 31)), time=st.floats(0, 0.999))
def test_any_excel_serial_number_reads_back(day, time):
    """Except whole numbers 1000-9999 (1902-09-26 to 1927-05-18): those are years."""
    serial = (day - date(1899, 12, 30)).days
    assume(not 1000 <= serial <= 9999)
    assert parse_date(serial).start == day
    assert parse_date(serial + time).start == day


def test_an_xlsx_with_serial_numbers_and_date_cells_imports(gpkg_store, tmp_path):
    """Real workbook cells: a date cell (openpyxl gives a datetime), a serial number in
    a cell formatted as a number, and ACLED text after Excel."""
    path = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "type", "title", "date_start", "place", "country"])
    as_date = book.add_format({"num_format": "d-mmm-yy"})
    cells = [("syn-d-1", 43960), ("syn-d-2", "9-May-20"), ("syn-d-3", "٩ أيار ٢٠٢٠")]
    for row, (rid, value) in enumerate(cells, start=1):
        sheet.write_row(row, 0, [rid, "Killing", f"SYNTHETIC {rid}"])
        sheet.write(row, 3, value)
        sheet.write_row(row, 4, ["Tarhuna", "Libya"])
    sheet.write_row(4, 0, ["syn-d-4", "Killing", "SYNTHETIC syn-d-4"])
    sheet.write_datetime(4, 3, datetime(2020, 5, 9), as_date)
    sheet.write_row(4, 4, ["Tarhuna", "Libya"])
    book.close()
    report = import_file(path, gpkg_store, EDITOR)
    assert report.rejected == [] and report.imported == 4
    for rid in ("syn-d-1", "syn-d-2", "syn-d-3", "syn-d-4"):
        record = gpkg_store.get(rid, EDITOR)
        assert record is not None and (record.date_start, record.date_end) == (MAY_9, MAY_9)
