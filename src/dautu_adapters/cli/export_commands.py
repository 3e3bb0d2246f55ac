"""``dautu export NAME --out PATH``: run an exporter a plugin registered, with the options it
declared.

Why the options are checked here, before the store is opened: an exporter given a mistyped
option used to ignore it and write something else than asked (``--option asof=...`` gave
today's review). The command now refuses an unknown or malformed option, or a shared flag
(``--project``, ``--as-of``, ``--checkpoint``, ``--public-key``) the exporter does not declare,
naming the accepted ones; ``dautu export NAME --help`` lists them. The store is opened only
once the options are known to be good, and read-only: an export never creates or changes a
store.

Help is answered by the command, not argparse, because what ``NAME --help`` shows depends on
which plugins are installed, and the plugins are loaded only when an export is asked for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dautu_adapters.audit.trail import read_checkpoint
from dautu_adapters.cli.common import (
    bilingual,
    open_store_for_reading,
    output_path,
    parse_date,
    vietnam_now,
)
from dautu_adapters.exporters.options import SHARED_FLAGS, resolve_options
from dautu_adapters.hookspecs import Exporter
from dautu_adapters.plugins import Registration, Registry, exporter_registry, get_plugin_manager
from dautu_core.errors import InvalidValue

__all__ = ["export_command", "exporter_help", "register"]

_DESCRIPTION = bilingual(
    "NAME là tên trình xuất (xem: dautu plugins); `dautu export NAME --help` liệt kê tuỳ chọn "
    "của nó",
    "NAME is an exporter (see: dautu plugins); `dautu export NAME --help` lists its options",
)


def register(subparsers: Any) -> None:
    """Add ``dautu export`` to the command line."""
    p = subparsers.add_parser(
        "export",
        add_help=False,
        help=bilingual(
            "xuất dữ liệu bằng một trình xuất đã cài", "export with an installed exporter"
        ),
        description=_DESCRIPTION,
    )
    p.add_argument(
        "-h",
        "--help",
        action="store_true",
        dest="export_help",
        help=bilingual(
            "trợ giúp (kèm NAME: các tuỳ chọn của trình xuất)",
            "help (with NAME: the exporter's options)",
        ),
    )
    p.add_argument("name", metavar="NAME", nargs="?")
    p.add_argument("--out", type=Path, metavar="PATH", help=bilingual("nơi ghi", "where to write"))
    p.add_argument("--project", metavar="CODE", help=bilingual("mã dự án", "project code"))
    p.add_argument(
        "--as-of", type=parse_date, metavar="DATE", help=bilingual("ngày xét", "as of date")
    )
    p.add_argument(
        "--checkpoint", type=Path, metavar="FILE", help=bilingual("điểm kiểm tra", "checkpoint")
    )
    p.add_argument(
        "--public-key", type=Path, metavar="FILE", help=bilingual("khoá công khai", "public key")
    )
    p.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=bilingual(
            "tuỳ chọn riêng của trình xuất (lặp lại được)",
            "an option of the exporter (repeatable)",
        ),
    )
    p.set_defaults(func=export_command, export_parser=p)


def _given(args: argparse.Namespace) -> list[tuple[str, object]]:
    """The options as given, shared flags first, in command-line order."""
    given: list[tuple[str, object]] = []
    for name in SHARED_FLAGS:
        value = getattr(args, name, None)
        if value is not None:
            given.append((name, value))
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidValue(
                f"Tuỳ chọn phải có dạng KHOÁ=GIÁ_TRỊ: {item!r}",
                f"an option must look like KEY=VALUE: {item!r}",
                field="option",
                rule_id="export_option",
            )
        given.append((key, value))
    return given


def _lookup(registry: Registry[Exporter], name: str) -> Registration[Exporter]:
    entry = registry.get(name)
    if entry is None:
        names = ", ".join(registry.names()) or "-"
        raise InvalidValue(
            f"Không có trình xuất '{name}'; các trình xuất đã cài: {names}",
            f"no exporter named '{name}'; installed: {names}",
            field="name",
            rule_id="exporter_known",
        )
    return entry


def exporter_help(entry: Registration[Exporter], lang: str = "vi") -> str:
    """What ``dautu export NAME --help`` prints: usage, description, origin and options."""
    vi = lang == "vi"
    flags = " ".join(o.flag if o.required else f"[{o.flag}]" for o in entry.options)
    lines = [
        f"usage: dautu export {entry.name} --out PATH {flags}".rstrip(),
        "",
        entry.description or "",
        f"Plugin: {entry.plugin.describe()}",
        "",
        "Tuỳ chọn:" if vi else "Options:",
    ]
    if not entry.options:
        lines.append("  (không có) " if vi else "  (none)")
    lines.extend(f"  {option.describe(lang)}" for option in entry.options)
    refused = [
        flag for name, flag in SHARED_FLAGS.items() if name not in {o.name for o in entry.options}
    ]
    if refused:
        lines.append(
            f"Không nhận: {', '.join(refused)}" if vi else f"Not accepted: {', '.join(refused)}"
        )
    return "\n".join(lines) + "\n"


def _general_help(args: argparse.Namespace, registry: Registry[Exporter]) -> str:
    parser: argparse.ArgumentParser = args.export_parser
    example, parser.epilog = parser.epilog, None  # the example goes last, after the list
    try:
        lines = [parser.format_help().rstrip(), "", "Trình xuất đã cài / installed exporters:"]
    finally:
        parser.epilog = example
    for entry in registry:
        lines.append(f"  {entry.name} — {entry.description}" if entry.description else entry.name)
    if example:
        lines += ["", example]
    return "\n".join(lines) + "\n"


def _warn_if_unsigned(written: list[Path], lang: str) -> None:
    """An audit bundle whose checkpoint is unsigned proves integrity only: say so, loudly,
    rather than let it leave the department looking like proof."""
    for path in written:
        if path.name != "checkpoint.json":
            continue
        if read_checkpoint(path).is_signed:
            return
        print(
            "Cảnh báo: bộ hồ sơ CHƯA KÝ (không có điểm kiểm tra đã ký, --checkpoint): "
            "verify-bundle chỉ kiểm tra được tính toàn vẹn, không xác thực được nguồn gốc "
            "(mã thoát 3)"
            if lang == "vi"
            else "Warning: the bundle is UNSIGNED (no signed checkpoint, --checkpoint): "
            "verify-bundle can check its integrity only, not its authenticity (exit 3)",
            file=sys.stderr,
        )
        return


def export_command(args: argparse.Namespace) -> int:
    registry = exporter_registry(get_plugin_manager())
    if args.export_help or args.name is None:
        if args.name is None:
            sys.stdout.write(_general_help(args, registry))
            return 0 if args.export_help else 2
        sys.stdout.write(exporter_help(_lookup(registry, args.name), args.lang))
        return 0
    entry = _lookup(registry, args.name)
    options = resolve_options(entry.name, entry.options, _given(args))
    if args.out is None:
        raise InvalidValue(
            f"Cần nơi ghi: dautu export {entry.name} --out PATH",
            f"where to write is needed: dautu export {entry.name} --out PATH",
            field="out",
            rule_id="export_out",
        )
    output_path(args.out, directory=None)
    store = open_store_for_reading(args)
    try:
        written = entry.value(store, args.out, {**options, "lang": args.lang, "now": vietnam_now()})
    finally:
        store.close()
    vi = args.lang == "vi"
    print(f"{'Đã ghi' if vi else 'Wrote'} {len(written)} {'tệp' if vi else 'files'}:")
    for path in written:
        print(f"  {path}")
    if entry.name == "audit-bundle":
        _warn_if_unsigned(written, args.lang)
    return 0
