"""``dautu check-adapter URL``: run the conformance kit against the store at a URL.

For adapter authors (is my backend done?) and for operators (does this database server, this
eventsourcing module, this plugin version behave?). The store is opened through
:func:`dautu_adapters.stores.open_store`, hence through the plugin registry, so a third-party
scheme is checked exactly the way users will reach it.

The kit appends test records, and a record can never be removed, so a store that already holds
records is refused unless ``--allow-non-empty`` says it is a scratch store.

By default the first verdict comes quickly, even from a slow store: the run stops at the first
failing test, reports a failing hypothesis example without shrinking it, and works within a
time budget (``--budget``, printed at the start). ``--full`` runs every test and shrinks.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from dautu_adapters.cli.common import add_global_options
from dautu_core.errors import InvalidValue

__all__ = ["DEFAULT_BUDGET_SECONDS", "PARTS", "register", "run_check_adapter"]

PARTS = ("reopen", "processes", "checkpoints")
"""The optional parts of the kit (``dautu_adapters.conformance.CAPABILITIES``), named here so
that building the command line never imports pytest."""
DEFAULT_BUDGET_SECONDS = 600
"""``dautu_adapters.conformance.runner.DEFAULT_BUDGET_SECONDS``, without importing pytest."""
_BUDGET_EXCEEDED = 124

_USAGE = (
    "dautu check-adapter URL [--full] [--budget SECONDS] [--without PART] [--one-process] "
    "[--max-examples N] [--allow-non-empty] [-- PYTEST_ARGS]"
)
_WITHOUT_HELP = (
    "bỏ qua một phần tuỳ chọn của bộ kiểm tra (lặp lại được) / skip an optional part of the "
    "kit (repeatable): reopen, processes, checkpoints"
)


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=PARTS,
        metavar="PART",
        help=_WITHOUT_HELP,
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        default=None,
        metavar="N",
        help="số ví dụ hypothesis mỗi phép thử / hypothesis examples per round-trip test",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="chạy mọi phép thử và thu gọn ví dụ lỗi, không dừng ở lỗi đầu tiên / run every "
        "test and shrink failing examples instead of stopping at the first failure",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_SECONDS,
        metavar="SECONDS",
        help=f"thời gian tối đa, 0 là không giới hạn (mặc định {DEFAULT_BUDGET_SECONDS}) / "
        f"time budget of the run, 0 for none (default {DEFAULT_BUDGET_SECONDS})",
    )
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="cơ sở dữ liệu chỉ cho một tiến trình mở (DuckDB...) / the backend lets one "
        "process at a time open the storage (DuckDB...)",
    )
    parser.add_argument(
        "--allow-non-empty",
        action="store_true",
        help="cho phép kho đã có dữ liệu (kho thử) / accept a store that already holds records",
    )


def register(subparsers: Any) -> None:
    """Add ``check-adapter`` to the ``dautu`` command line."""
    parser = subparsers.add_parser(
        "check-adapter",
        usage=_USAGE,
        help="kiểm tra một kho lưu trữ bằng bộ kiểm tra tương thích / run the conformance kit",
        description=(
            "Chạy bộ kiểm tra tương thích của dautu với kho lưu trữ tại URL; thoát với mã khác 0 "
            "nếu có lỗi. Bộ kiểm tra ghi dữ liệu thử: hãy dùng một kho trống. / Run dautu's "
            "conformance kit against the store at URL; exit non-zero on any failure. The kit "
            "writes test records: use an empty scratch store."
        ),
        epilog="Ví dụ / example: dautu check-adapter jsonl:///tmp/kho-thu --without processes -- -x",
    )
    _add_options(parser)
    # URL, then more of our options, then "--" and pytest's arguments. argparse cannot put a
    # positional between options and pass-through arguments consistently, so everything from
    # the URL on is taken as is and split by _split_target.
    parser.add_argument(
        "target",
        nargs=argparse.REMAINDER,
        metavar="URL [-- PYTEST_ARGS]",
        help="kho cần kiểm tra, rồi tham số cho pytest sau -- / store URL, then pytest "
        "arguments after --",
    )
    later = argparse.ArgumentParser(prog="dautu check-adapter", usage=_USAGE, add_help=False)
    _add_options(later)
    add_global_options(later)  # `dautu check-adapter URL --lang en` like every command
    parser.set_defaults(func=run_check_adapter, _check_adapter_parser=later)


def _split_target(args: argparse.Namespace) -> tuple[str, list[str]]:
    """``(url, pytest arguments)``; options written after URL are parsed into ``args``."""
    target = list(getattr(args, "target", []) or [])
    later: argparse.ArgumentParser = args._check_adapter_parser
    if target[:1] == ["--"]:
        target = target[1:]
    if not target or target[0].startswith("-"):
        later.error("the store URL is missing / thiếu địa chỉ kho lưu trữ (URL)")
    url, rest = target[0], target[1:]
    if "--" in rest:
        ours, pytest_args = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
    else:
        ours, pytest_args = rest, []
    if ours:
        later.parse_args(ours, namespace=args)
    return url, pytest_args


def _say(lang: str, vi: str, en: str) -> None:
    print(vi if lang == "vi" else en, flush=True)


def run_check_adapter(args: argparse.Namespace) -> int:
    """Run the kit; 0 when every test passed, pytest's exit code otherwise."""
    from dautu_adapters.stores import open_store, parse_store_url

    lang: str = getattr(args, "lang", "vi")
    url, pytest_args = _split_target(args)
    missing = [name for name in ("pytest", "hypothesis") if importlib.util.find_spec(name) is None]
    if missing:
        raise InvalidValue(
            f"Bộ kiểm tra cần {', '.join(missing)}: pip install 'dautu[testing]'",
            f"the conformance kit needs {', '.join(missing)}: pip install 'dautu[testing]'",
            field="check-adapter",
            rule_id="testing_extra_missing",
        )
    from dautu_adapters.conformance import (
        EventStoreConformance,
        default_capabilities,
        run_conformance,
    )

    shown = parse_store_url(url).redacted
    store = open_store(url)
    try:
        held = store.max_position()
    finally:
        store.close()
    if held and not args.allow_non_empty:
        raise InvalidValue(
            f"Kho {shown} đã có {held} bản ghi; bộ kiểm tra sẽ ghi thêm dữ liệu thử không xoá "
            "được. Hãy dùng một kho trống, hoặc thêm --allow-non-empty nếu đây là kho thử",
            f"the store {shown} already holds {held} records; the kit would add test records "
            "that cannot be removed. Use an empty store, or pass --allow-non-empty for a "
            "scratch store",
            field="url",
            rule_id="check_adapter_empty_store",
        )
    capabilities = default_capabilities(url).without(args.without)
    if args.one_process:
        capabilities = capabilities.one_process_at_a_time()
    skipped = [part for part in PARTS if not getattr(capabilities, part)]
    skipped_vi = ", ".join(skipped) or "không"
    skipped_en = ", ".join(skipped) or "none"
    _say(
        lang,
        f"Kiểm tra tương thích kho lưu trữ {shown} (bỏ qua: {skipped_vi})",
        f"Checking the store {shown} against the conformance kit (skipped: {skipped_en})",
    )
    budget = args.budget if args.budget > 0 else None
    _say_profile(lang, args.full, budget)
    max_examples = args.max_examples or EventStoreConformance.max_examples

    def announce(folder: Path) -> None:
        _say(
            lang,
            f"Thư mục tạm: {folder} (chỉ chứa mô-đun kiểm tra sinh ra; bản ghi thử nằm trong "
            "kho; thư mục được xoá khi kết thúc, kể cả khi bị ngắt)",
            f"Scratch folder: {folder} (only the generated test module; the test records go "
            "into the store; removed at the end, also when interrupted)",
        )

    code = run_conformance(
        url,
        pytest_args=pytest_args,
        capabilities=capabilities,
        max_examples=max_examples,
        full=args.full,
        budget_seconds=budget,
        on_start=announce,
    )
    _say_outcome(lang, code, shown, args.full, budget)
    return code


def _say_profile(lang: str, full: bool, budget: float | None) -> None:
    if budget is None:
        limit_vi, limit_en = "không giới hạn thời gian", "no time budget"
    else:
        limit_vi, limit_en = f"thời gian tối đa {budget:g} giây", f"time budget {budget:g} s"
    if full:
        _say(
            lang,
            f"Chạy đầy đủ: mọi phép thử, ví dụ lỗi được thu gọn; {limit_vi} (--budget)",
            f"Full run: every test, failing examples shrunk; {limit_en} (--budget)",
        )
    else:
        _say(
            lang,
            f"Chạy nhanh: dừng ở phép thử lỗi đầu tiên, ví dụ lỗi không thu gọn; {limit_vi} "
            "(--budget). Dùng --full để có danh sách mọi lỗi",
            f"Quick run: stops at the first failing test, failing examples not shrunk; "
            f"{limit_en} (--budget). Use --full for the list of every failure",
        )


def _say_outcome(lang: str, code: int, shown: str, full: bool, budget: float | None) -> None:
    if code == 0:
        _say(
            lang,
            f"ĐẠT: kho {shown} đáp ứng bộ kiểm tra tương thích của dautu",
            f"PASSED: the store {shown} conforms to dautu's storage contract",
        )
    elif code == 5:
        _say(
            lang,
            "KHÔNG ĐẠT: không có phép thử nào được chạy (xem lại tham số pytest)",
            "FAILED: no test was run (check the pytest arguments)",
        )
    elif code == _BUDGET_EXCEEDED:
        _say(
            lang,
            f"KHÔNG ĐẠT: bộ kiểm tra bị dừng sau {budget:g} giây (hết thời gian tối đa): kho "
            f"{shown} quá chậm hoặc bị treo; tăng --budget nếu kho chỉ chậm",
            f"FAILED: the kit was stopped after {budget:g} s (its time budget): the store "
            f"{shown} is too slow or hangs; raise --budget if it is only slow",
        )
    elif code > 128:
        _say(
            lang,
            f"ĐÃ NGẮT: bộ kiểm tra bị dừng bởi tín hiệu {code - 128}; thư mục tạm đã được xoá",
            f"INTERRUPTED: the kit was stopped by signal {code - 128}; the scratch folder was "
            "removed",
        )
    else:
        more_vi = "" if full else "; đây là lỗi đầu tiên, dùng --full để xem mọi lỗi"
        more_en = "" if full else "; this is the first failure, use --full to list them all"
        _say(
            lang,
            f"KHÔNG ĐẠT: kho {shown} chưa đáp ứng bộ kiểm tra (mã thoát pytest {code}); "
            f"xem phép thử lỗi ở trên{more_vi}",
            f"FAILED: the store {shown} does not conform (pytest exit code {code}); "
            f"see the failed test above{more_en}",
        )
