"""What the command-line modules share: bilingual help, dates and times read as officials
write them, Vietnam time, JSON output, and quiet handling of a closed pipe.

Why Vietnam time here: the clock is read at the edge, never in the core, and "today" for an
official in Hải Dương is the date in UTC+07:00 whatever the server's time zone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime

from dautu_core import dates
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import InvalidValue

__all__ = [
    "VIETNAM_TIME",
    "bilingual",
    "parse_date",
    "parse_moment",
    "print_json",
    "quiet_pipe",
    "vietnam_now",
]


def bilingual(vi: str, en: str) -> str:
    return f"{vi} / {en}"


def parse_date(text: str) -> date:
    """A date option: ``21/02/2024``, ``21/2/2024`` or ``2024-02-21`` (:func:`dautu_core.dates.parse_date`)."""
    try:
        return dates.parse_date(text)
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(f"{exc.message_vi} / {exc.message_en}") from None


def parse_moment(text: str) -> datetime:
    """A time option (:func:`dautu_core.dates.parse_moment`): a bare date means the end of that
    day; without an offset it is Vietnam time."""
    try:
        return dates.parse_moment(text)
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(f"{exc.message_vi} / {exc.message_en}") from None


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
