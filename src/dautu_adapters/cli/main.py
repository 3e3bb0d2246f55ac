"""``dautu``: the command line for clerks, auditors and adapter authors.

Subcommands live in one module per concern (``COMMAND_MODULES``); each module has a
``register(subparsers)`` function that adds its parsers and sets ``func`` on them. The global
options (``--store``, ``--lang``) are read by every subcommand through ``args``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from dautu_core import DautuError, __version__

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

COMMAND_MODULES: tuple[str, ...] = (
    "dautu_adapters.cli.store_commands",
    "dautu_adapters.cli.kit_commands",
    "dautu_adapters.cli.review_commands",
    "dautu_adapters.cli.audit_commands",
    "dautu_adapters.cli.trail_commands",
    "dautu_adapters.cli.import_commands",
    "dautu_adapters.cli.copy_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dautu",
        description=(
            "Hồ sơ vòng đời dự án đầu tư theo sự kiện / "
            "event-sourced lifecycle records of investment projects"
        ),
    )
    parser.add_argument("--version", action="version", version=f"dautu {__version__}")
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help="nơi lưu trữ / storage URL (default: $DAUTU_STORE, else sqlite:///dautu.db)",
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="ngôn ngữ hiển thị / display language (default: vi)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    try:
        result: int = args.func(args)
    except DautuError as err:
        print(f"dautu: {err}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
