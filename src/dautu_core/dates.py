"""Calendar arithmetic in months, the unit the Law on Investment counts schedules in.

Why not ``timedelta``: "extended by 24 months" and "12 months behind" are calendar months, and a
due date of 31 January extended by one month is 28 (or 29) February, not 3 March.
"""

from __future__ import annotations

import calendar
from datetime import date

__all__ = [
    "add_months",
    "format_vi_date",
    "format_vi_long_date",
    "full_months_between",
    "months_started_between",
]


def add_months(day: date, months: int) -> date:
    """Shift ``day`` by ``months`` calendar months, clamping to the end of shorter months."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def full_months_between(start: date, end: date) -> int:
    """Number of whole calendar months from ``start`` to ``end`` (0 if ``end <= start``).

    This is how "months behind schedule" is counted: a milestone due on 15 March is one month
    late on 15 April and still one month late on 14 May.
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def months_started_between(start: date, end: date) -> int:
    """Calendar months from ``start`` to ``end``, counting a started month as a month.

    Used for schedule extensions measured against a cap: a schedule moved by one month and a
    day has used two months of the cap, so the cap cannot be exceeded a few days at a time.
    """
    months = full_months_between(start, end)
    return months + 1 if add_months(start, months) < end else months


def format_vi_date(day: date) -> str:
    """``dd/mm/yyyy``, the form Vietnamese reports use."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_vi_long_date(day: date) -> str:
    """``ngày 05 tháng 02 năm 2021``, the form official documents use."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year:04d}"
