"""Dates and times as officials type them: one reader for the command line and the importer."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_core.dates import VIETNAM_TIME, parse_date, parse_moment
from dautu_core.errors import InvalidValue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21/02/2024", date(2024, 2, 21)),
        ("21/2/2024", date(2024, 2, 21)),
        (" 2024-02-21 ", date(2024, 2, 21)),
        ("03/04/2024", date(2024, 4, 3)),  # day first, never month first
        ("01/01/0001", date(1, 1, 1)),
        ("31/12/9999", date(9999, 12, 31)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["20240221", "21-02-24", "2024/02/21", "21.02.2024", "", "hôm nay"]
)
def test_forms_that_need_a_guess_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="không đúng dạng"):
        parse_date(text)


@pytest.mark.parametrize("text", ["31/02/2024", "2023-02-29", "00/01/2024", "15/13/2024"])
def test_an_impossible_date_is_called_impossible(text: str) -> None:
    with pytest.raises(InvalidValue, match="does not exist"):
        parse_date(text)


@given(st.dates())
def test_both_forms_read_back_every_date(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day


def test_a_bare_date_moment_is_the_end_of_that_day_in_vietnam() -> None:
    assert parse_moment("21/02/2024") == datetime.combine(
        date(2024, 2, 21), time.max, tzinfo=VIETNAM_TIME
    )


def test_moments_with_clock_and_offset() -> None:
    assert parse_moment("21/02/2024 9:30") == datetime(2024, 2, 21, 9, 30, tzinfo=VIETNAM_TIME)
    utc = parse_moment("2024-02-21T02:30+00:00")
    assert utc == datetime(2024, 2, 21, 9, 30, tzinfo=VIETNAM_TIME)
    assert utc.utcoffset() == timedelta(0)
    assert parse_moment("2024-02-21T09:30").tzinfo == VIETNAM_TIME
    assert parse_moment("2024-02-21 09:30+07:00").tzinfo == timezone(timedelta(hours=7))


@pytest.mark.parametrize("text", ["2024-02-30T10:00", "31/02/2024 10:00"])
def test_an_impossible_moment_is_called_impossible(text: str) -> None:
    with pytest.raises(InvalidValue, match="does not exist"):
        parse_moment(text)


@pytest.mark.parametrize("text", ["tomorrow", "21/02/2024 25:00", "2024-02-21Tnoon", "1708473600"])
def test_unreadable_moments_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="not in an accepted form"):
        parse_moment(text)
