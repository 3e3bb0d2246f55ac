"""Calendar arithmetic in months, the unit the Law on Investment counts schedules in.

Why not ``timedelta``: "extended by 24 months" and "12 months behind" are calendar months, and a
due date of 31 January extended by one month is 28 (or 29) February, not 3 March.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone

from dautu_core.errors import InvalidValue

__all__ = [
    "VIETNAM_TIME",
    "add_months",
    "format_vi_date",
    "full_months_between",
    "months_started_between",
    "parse_date",
    "parse_moment",
]

# Vietnam has kept UTC+07:00 all year since 1975, without daylight saving: a fixed offset is
# exact, and needs no time-zone database (which a minimal container may lack). "Today" for an
# official in the province is the date at this offset, whatever the server's zone.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ACCEPTED_VI = "dd/mm/yyyy (21/02/2024, 21/2/2024) hoặc yyyy-mm-dd (2024-02-21)"
_ACCEPTED_EN = "dd/mm/yyyy (21/02/2024, 21/2/2024) or yyyy-mm-dd (2024-02-21)"


def parse_date(text: str, *, field: str = "date") -> date:
    """A date as officials type it: ``21/02/2024``, ``21/2/2024`` or ISO ``2024-02-21``.

    Why so strict: day-first is the Vietnamese order, so ``03/04/2024`` is 3 April, never March;
    forms that cannot be read without guessing (``20240221``, ``21-02-24``, ``2024/02/21``) are
    refused rather than guessed. An impossible date (``31/02/2024``) is reported as impossible,
    not as a wrong format, because the official typed the right form with the wrong day.
    """
    if not isinstance(text, str):
        raise InvalidValue(
            f"ngày phải là chuỗi, nhận được {type(text).__name__}",
            f"a date must be text, got {type(text).__name__}",
            field=field,
        )
    value = text.strip()
    match = _DMY.fullmatch(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.fullmatch(value)
        if not match:
            raise InvalidValue(
                f"ngày {value!r} không đúng dạng; dùng {_ACCEPTED_VI}",
                f"date {value!r} is not in an accepted form; use {_ACCEPTED_EN}",
                field=field,
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(
            f"ngày {value!r} không tồn tại (ngày {day}, tháng {month}, năm {year})",
            f"date {value!r} does not exist (day {day}, month {month}, year {year})",
            field=field,
        ) from None


def parse_moment(text: str, *, field: str = "time") -> datetime:
    """A moment: a date (as :func:`parse_date` reads it, meaning the end of that day), a date
    followed by ``HH:MM[:SS]``, or ISO 8601 (``2024-02-21T09:00+07:00``). Without an offset it
    is Vietnam time (UTC+07:00); the result is always aware.

    Why the end of the day for a bare date: "as known on 21/02/2024" includes what was recorded
    during that day.
    """
    if not isinstance(text, str):
        raise InvalidValue(
            f"thời điểm phải là chuỗi, nhận được {type(text).__name__}",
            f"a time must be text, got {type(text).__name__}",
            field=field,
        )
    value = text.strip()
    head, _, rest = value.replace("T", " ", 1).partition(" ")
    rest = rest.strip()
    if not rest and (_DMY.fullmatch(head) or _ISO_DATE.fullmatch(head)):
        moment = datetime.combine(parse_date(head, field=field), time.max)
    elif _DMY.fullmatch(head) and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", rest):
        day = parse_date(head, field=field)
        try:
            hour, minute, *second = (int(part) for part in rest.split(":"))
            clock = time(hour, minute, second[0] if second else 0)
        except ValueError:
            raise InvalidValue(
                f"giờ {rest!r} không tồn tại",
                f"time {value!r} is not in an accepted form: no such hour {rest!r}",
                field=field,
            ) from None
        moment = datetime.combine(day, clock)
    elif _ISO_DATE.fullmatch(head):
        parse_date(head, field=field)  # an impossible day is reported as such
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidValue(
                f"thời điểm {value!r} không đúng dạng; dùng 21/02/2024 09:30 hoặc "
                "2024-02-21T09:30+07:00",
                f"time {value!r} is not in an accepted form; use 21/02/2024 09:30 or "
                "2024-02-21T09:30+07:00",
                field=field,
            ) from None
    else:
        raise InvalidValue(
            f"thời điểm {value!r} không đúng dạng; dùng 21/02/2024, 21/02/2024 09:30 hoặc "
            "2024-02-21T09:30+07:00",
            f"time {value!r} is not in an accepted form; use 21/02/2024, 21/02/2024 09:30 or "
            "2024-02-21T09:30+07:00",
            field=field,
        )
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM_TIME)


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
