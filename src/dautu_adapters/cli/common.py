"""What the command-line modules share: bilingual help, dates and times read as officials
write them, Vietnam time, JSON output, and quiet handling of a closed pipe.

Why Vietnam time here: the clock is read at the edge, never in the core, and "today" for an
official in Hải Dương is the date in UTC+07:00 whatever the server's time zone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = [
    "VIETNAM_TIME",
    "bilingual",
    "parse_date",
    "parse_moment",
    "print_json",
    "quiet_pipe",
    "vietnam_now",
]

VIETNAM_TIME = timezone(timedelta(hours=7))


def bilingual(vi: str, en: str) -> str:
    return f"{vi} / {en}"


def parse_date(text: str) -> date:
    """``2024-02-21`` or ``21/02/2024``."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
            day, month, year = (int(p) for p in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD, dd/mm/yyyy)"
        ) from exc


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is read as Vietnam time (+07:00); a bare
    date means the end of that day."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            moment = datetime.combine(date.fromisoformat(value), datetime.max.time())
        else:
            moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"thời điểm không hợp lệ / invalid date-time: {text!r} (2024-02-21T09:00+07:00)"
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM_TIME)


def vietnam_now() -> datetime:
    """Now in Vietnam time (fixed UTC+07:00), whatever the machine's time zone: "today" is the
    date in Vietnam."""
    return datetime.now(UTC).astimezone(VIETNAM_TIME)


def quiet_pipe(
    command: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Output piped into a reader that stops early (``| head``) ends the command quietly."""

    def run(args: argparse.Namespace) -> int:
        try:
            result = command(args)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            finally:
                os.close(devnull)
            return 0

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
