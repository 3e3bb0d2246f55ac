"""``dautu``: the command line for clerks, auditors and adapter authors.

Subcommands live in one module per concern (``COMMAND_MODULES``); each module has a
``register(subparsers)`` function that adds its parsers and sets ``func`` on them. The global
options (``--store``, ``--lang``, ``--debug``) are added here to every command as well, so they
work before or after the command's name; every command gets an example in its ``--help``
(``EXAMPLES``) and every option a help line (``OPTION_HELP`` for the options many commands
share).

Why one handler at the top: an expected failure (a refused value, a store that cannot be
opened, a file that cannot be written, Ctrl-C) is one clear line in Vietnamese and English and a
non-zero exit, never a traceback; ``--debug`` shows the traceback for a bug report.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from dautu_adapters.cli.common import add_global_options, bilingual
from dautu_core import DautuError, InvalidValue, __version__

__all__ = [
    "COMMAND_MODULES",
    "EXAMPLES",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "OPTION_HELP",
    "build_parser",
    "main",
]

COMMAND_MODULES: tuple[str, ...] = (
    "dautu_adapters.cli.store_commands",
    "dautu_adapters.cli.kit_commands",
    "dautu_adapters.cli.review_commands",
    "dautu_adapters.cli.audit_commands",
    "dautu_adapters.cli.trail_commands",
    "dautu_adapters.cli.import_commands",
    "dautu_adapters.cli.copy_commands",
)

EXIT_ERROR = 1
"""An expected failure: the message says what and why."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as shells report a process ended by SIGINT (128 + 2)."""

EXAMPLES: dict[str, str] = {
    "plugins": "dautu plugins --json",
    "check-adapter": "dautu check-adapter jsonl:///tmp/kho-thu --without processes -- -x",
    "demo": "dautu demo --details",
    "review": "dautu review --as-of 21/02/2024 --summary",
    "history": "dautu history DA-HD-005 --as-of 21/02/2024",
    "diff": "dautu diff DA-HD-005 --from 01/01/2023 --to 21/02/2024",
    "explain": "dautu explain DA-HD-005 --as-of 21/02/2024",
    "keygen": "dautu keygen --out khoa.pem",
    "checkpoint": "dautu checkpoint --key khoa.pem --out cp.json",
    "verify": "dautu verify --checkpoint cp.json --public-key khoa.pem.pub",
    "export": "dautu export audit-bundle --project DA-HD-005 --checkpoint cp.json --out bo-ho-so",
    "verify-bundle": "dautu verify-bundle bo-ho-so --public-key khoa.pem.pub",
    "template": "dautu template --out mau-nhap-lieu.xlsx",
    "import": "dautu import du-an.xlsx --actor 'lan.nt|Nguyễn Thị Lan|Sở Tài chính' --dry-run",
    "copy": "dautu copy --from sqlite:///dautu.db --to postgresql://dautu@db.example/dautu",
}
"""One example per command, shown at the end of ``dautu COMMAND --help`` unless the command's
module wrote an epilog of its own (``verify`` and ``verify-bundle`` list their exit codes, then
an example)."""

OPTION_HELP: dict[str, str] = {
    "--format": bilingual("định dạng kết quả", "output format"),
    "--out": bilingual("tệp hoặc thư mục ghi ra", "file or folder to write"),
    "--checkpoint": bilingual("tệp điểm kiểm tra (JSON)", "checkpoint file (JSON)"),
    "--public-key": bilingual(
        "khoá công khai do cơ quan công bố", "the authority's published public key"
    ),
    "--project": bilingual("mã dự án", "project code"),
    "--as-of": bilingual("ngày hiệu lực, 21/02/2024 hoặc 2024-02-21", "effective date"),
    "--option": bilingual(
        "tuỳ chọn riêng của trình xuất (lặp lại được)", "an exporter's own option (repeatable)"
    ),
    "name": bilingual("tên trình xuất (xem: dautu plugins)", "exporter name (see: dautu plugins)"),
    "folder": bilingual("thư mục bộ hồ sơ", "bundle folder"),
    "files": bilingual("tệp Excel (.xlsx) hoặc CSV", "Excel (.xlsx) or CSV files"),
}
"""Help lines of options several commands share, for a command that gave none itself."""


_EXAMPLE = bilingual("Ví dụ", "example") + ": "


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that the example stays on one line, ready to copy."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(_EXAMPLE):
            return indent + text
        return super()._fill_text(text, width, indent)


def _complete(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Give every command the global options, its example and a help line for each option."""
    for name, parser in subparsers.choices.items():
        if "--store" not in parser._option_string_actions:
            add_global_options(parser)
        elif "--debug" not in parser._option_string_actions:
            parser.add_argument(
                "--debug", action="store_true", default=argparse.SUPPRESS, help="= dautu --debug"
            )
        if parser.epilog is None and name in EXAMPLES:
            parser.epilog = _EXAMPLE + EXAMPLES[name]
        if parser.formatter_class is argparse.HelpFormatter:
            parser.formatter_class = _HelpFormatter
        for action in parser._actions:
            if action.help is None:
                key = action.option_strings[0] if action.option_strings else action.dest
                action.help = OPTION_HELP.get(key)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dautu",
        description=(
            "Hồ sơ vòng đời dự án đầu tư theo sự kiện / "
            "event-sourced lifecycle records of investment projects"
        ),
        epilog=_EXAMPLE
        + "dautu review --as-of 21/02/2024; "
        + bilingual("mỗi lệnh", "each command")
        + ": dautu COMMAND --help",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dautu {__version__}")
    add_global_options(parser, defaults=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    _complete(subparsers)
    return parser


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def check_arguments(argv: Sequence[str]) -> None:
    """Refuse an argument that is not valid text before anything reads it.

    Python hands bytes that are not UTF-8 to the program as lone surrogates
    (``surrogateescape``); stored or printed they fail deep inside a driver. They are refused
    here, showing the argument with its bad bytes escaped.
    """
    for position, value in enumerate(argv, start=1):
        if any(_is_surrogate(char) for char in value):
            try:  # the bytes as typed, when they came from the terminal
                shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:  # a surrogate passed from Python itself
                shown = value
            shown = shown.encode("ascii", "backslashreplace").decode("ascii")
            raise InvalidValue(
                f"Tham số thứ {position} ({shown}) không phải văn bản UTF-8 hợp lệ; hãy gõ lại "
                "hoặc đổi bảng mã của terminal sang UTF-8",
                f"argument {position} ({shown}) is not valid UTF-8 text; type it again or set "
                "the terminal's encoding to UTF-8",
                field="argv",
                rule_id="argument_utf8",
            )


def _wants_debug(argv: Sequence[str]) -> bool:
    return "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv


def _say(lines: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"dautu: {lines}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dautu``; the exit code: 0 done, 1 an expected failure (said on one line),
    2 a usage error, 130 interrupted (Ctrl-C); a command may return others (``verify``)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_debug(arguments)
    try:
        check_arguments(arguments)
        parser = build_parser()
        try:
            args = parser.parse_args(arguments)
        except SystemExit as stop:  # a usage error (2), --help or --version (0): said already
            return stop.code if isinstance(stop.code, int) else EXIT_ERROR
        if getattr(args, "func", None) is None:
            parser.print_help()
            return 2
        result: int = args.func(args)
        return result
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        _say("đã dừng theo yêu cầu (Ctrl-C) / interrupted (Ctrl-C)")
        return EXIT_INTERRUPTED
    except DautuError as err:
        if debug:
            traceback.print_exc()
        _say(str(err))
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point standard output at the null
        # device so that the interpreter's last flush does not fail again.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return 0
    except OSError as err:
        # A file that cannot be read or written (permissions, a full disk, a folder where a
        # file was expected): the system's own words name the file.
        if debug:
            traceback.print_exc()
        _say(
            bilingual(
                f"không đọc/ghi được tệp: {err.strerror or err}"
                + (f": {err.filename}" if err.filename else ""),
                f"cannot read or write a file: {err.strerror or err}"
                + (f": {err.filename}" if err.filename else ""),
            )
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
