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
from typing import TYPE_CHECKING

from dautu_core import dates
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import InvalidValue

if TYPE_CHECKING:
    from dautu_adapters.stores import Store

__all__ = [
    "VIETNAM_TIME",
    "bilingual",
    "open_store_for_reading",
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


def open_store_for_reading(args: argparse.Namespace) -> Store:
    """The store named by the global ``--store URL`` (default ``$DAUTU_STORE``, else
    ``sqlite:///dautu.db``), opened read-only: what every read command uses.

    Why: a read command must never create or change a store. A missing file is an error
    naming the URL (not a new empty store reported as "no projects"), a read-only copy handed
    to an auditor opens as it is, and nothing (no table, no ``-wal`` file, no stored
    projection) is written; see :func:`dautu_adapters.stores.open_store`.
    """
    from dautu_adapters.stores import open_store

    return open_store(getattr(args, "store", None) or None, read_only=True)


def print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
