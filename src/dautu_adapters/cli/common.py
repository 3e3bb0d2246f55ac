"""What the command-line modules share: bilingual help, the global options every command
takes, dates and times read as officials write them, output paths checked alike, Vietnam time,
JSON output, and quiet handling of a closed pipe.

Why Vietnam time here: the clock is read at the edge, never in the core, and "today" for an
official in Hải Dương is the date in UTC+07:00 whatever the server's time zone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dautu_core import dates
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import InvalidValue
from dautu_core.text import bilingual

if TYPE_CHECKING:
    from dautu_adapters.stores import Store

__all__ = [
    "GLOBAL_OPTIONS",
    "VIETNAM_TIME",
    "add_global_options",
    "bilingual",
    "open_store_for_reading",
    "output_path",
    "parse_date",
    "parse_moment",
    "print_json",
    "quiet_pipe",
    "terminal_progress",
    "vietnam_now",
]

GLOBAL_OPTIONS: tuple[str, ...] = ("--store", "--lang", "--debug")
"""The options of ``dautu`` itself, also accepted after any command's name."""


def add_global_options(parser: argparse.ArgumentParser, *, defaults: bool = False) -> None:
    """``--store``, ``--lang`` and ``--debug`` on ``parser``.

    On the main parser (``defaults=True``) they carry the defaults; on a command's parser the
    default is ``SUPPRESS``, so that given after the command they override what was given
    before it, and otherwise leave it alone. One definition, so that ``dautu --lang en review``
    and ``dautu review --lang en`` cannot drift apart.
    """
    suppress = argparse.SUPPRESS
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None if defaults else suppress,
        help=bilingual(
            "nơi lưu trữ (mặc định: $DAUTU_STORE, nếu không có thì sqlite:///dautu.db)",
            "storage URL (default: $DAUTU_STORE, else sqlite:///dautu.db)",
        ),
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi" if defaults else suppress,
        help=bilingual("ngôn ngữ hiển thị (mặc định: vi)", "display language (default: vi)"),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if defaults else suppress,
        help=bilingual(
            "khi có lỗi, in cả traceback (để báo lỗi phần mềm)",
            "on an error, also print the traceback (for bug reports)",
        ),
    )


def _shown(path: Path) -> str:
    return ascii(str(path))[1:-1] if not str(path).isprintable() else str(path)


def output_path(path: str | Path, option: str = "--out", *, directory: bool | None = False) -> Path:
    """``path`` as a place to write to, checked before any work is done, the same way for
    every command: its folder must exist and be a folder (nothing is created on the way, so a
    typo does not scatter folders), and a file output must not be an existing folder.

    ``directory=True`` is for outputs that are folders themselves (an audit bundle): the path
    may exist if it is a folder; ``directory=None`` when the writer decides (an exporter named
    on the command line). Raises :class:`InvalidValue` naming the option.
    """
    target = Path(path)
    parent = target.parent
    field = option.lstrip("-")
    if not parent.exists():
        raise InvalidValue(
            f"{option} {_shown(target)}: thư mục {_shown(parent)} không tồn tại",
            f"{option} {_shown(target)}: the folder {_shown(parent)} does not exist",
            field=field,
            rule_id="output_folder_exists",
        )
    if not parent.is_dir():
        raise InvalidValue(
            f"{option} {_shown(target)}: {_shown(parent)} không phải là thư mục",
            f"{option} {_shown(target)}: {_shown(parent)} is not a folder",
            field=field,
            rule_id="output_folder_exists",
        )
    if directory is True and target.exists() and not target.is_dir():
        raise InvalidValue(
            f"{option} {_shown(target)}: đã có một tệp trùng tên, cần một thư mục",
            f"{option} {_shown(target)}: a file of that name exists, a folder is needed",
            field=field,
            rule_id="output_is_folder",
        )
    if directory is False and target.is_dir():
        raise InvalidValue(
            f"{option} {_shown(target)}: đây là một thư mục, cần tên tệp",
            f"{option} {_shown(target)}: this is a folder, a file name is needed",
            field=field,
            rule_id="output_is_file",
        )
    return target


def parse_date(text: str) -> date:
    """A date option: ``21/02/2024``, ``21/2/2024`` or ``2024-02-21`` (:func:`dautu_core.dates.parse_date`)."""
    try:
        return dates.parse_date(text)
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(bilingual(exc.message_vi, exc.message_en)) from None


def parse_moment(text: str) -> datetime:
    """A time option (:func:`dautu_core.dates.parse_moment`): a bare date means the end of that
    day; without an offset it is Vietnam time."""
    try:
        return dates.parse_moment(text)
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(bilingual(exc.message_vi, exc.message_en)) from None


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


@contextmanager
def terminal_progress(unit: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal and tqdm is installed, else ``None``:
    a pipe or a log file gets no control characters. ``advance(done, total)``; the bar is made
    at the first call, when the total is known."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]
    except ModuleNotFoundError:
        yield None
        return
    bars: list[Any] = []

    def advance(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, initial=done, unit=unit, file=sys.stderr,
                             leave=False, dynamic_ncols=True))  # fmt: skip
        else:
            bars[0].update(done - bars[0].n)

    try:
        yield advance
    finally:
        for bar in bars:
            bar.close()
