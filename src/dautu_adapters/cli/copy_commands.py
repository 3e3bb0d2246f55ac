"""``dautu copy --from URL --to URL``: move a record to another store with its proof.

The work is :func:`dautu_adapters.copying.copy_store`; this module opens the two stores (the
source only to read: a SQLite source that does not exist is refused rather than created),
shows a progress bar on a terminal (tqdm, as ``dautu import`` does, when it is installed), and
prints one summary line: records copied, records skipped because the target already held them,
time taken.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dautu_adapters.cli.common import bilingual, terminal_progress
from dautu_adapters.copying import (
    DEFAULT_BATCH_BYTES,
    DEFAULT_BATCH_RECORDS,
    DEFAULT_SAMPLES,
    PREFIX_CHECKS,
    CopyReport,
    copy_store,
)
from dautu_adapters.stores import StorageError, Store, open_store, parse_store_url
from dautu_adapters.stores.backends import sqlite_database_name

__all__ = ["copy_command", "register"]


def register(subparsers: Any) -> None:
    """Add ``dautu copy``."""
    p = subparsers.add_parser(
        "copy",
        help=bilingual(
            "chép toàn bộ hồ sơ sang một kho khác (giữ nguyên byte, vị trí, chuỗi băm)",
            "copy the whole record to another store (bytes, positions and hash chains kept)",
        ),
        description=bilingual(
            "chép mọi bản ghi theo thứ tự chung, từng lô trong một giao dịch; chạy lại để "
            "tiếp tục sau khi bị ngắt; kho đích phải trống hoặc giữ đúng phần đầu của kho nguồn",
            "copies every record in global order, each batch in one transaction; run it again "
            "to resume after an interruption; the target must be empty or hold exactly the "
            "source's first records",
        ),
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="URL",
        required=True,
        help=bilingual("kho nguồn (chỉ đọc)", "source store (read only)"),
    )
    p.add_argument(
        "--to",
        dest="target",
        metavar="URL",
        required=True,
        help=bilingual("kho đích", "target store"),
    )
    p.add_argument(
        "--batch-size",
        type=_positive,
        default=DEFAULT_BATCH_RECORDS,
        metavar="N",
        help=bilingual(
            f"số bản ghi mỗi giao dịch (mặc định {DEFAULT_BATCH_RECORDS}; tối đa "
            f"{DEFAULT_BATCH_BYTES // 2**20} MB)",
            f"records per transaction (default {DEFAULT_BATCH_RECORDS}; at most "
            f"{DEFAULT_BATCH_BYTES // 2**20} MB)",
        ),
    )
    p.add_argument(
        "--check",
        choices=PREFIX_CHECKS,
        default="full",
        help=bilingual(
            "khi kho đích đã có bản ghi: so sánh tất cả (full, mặc định) hoặc bản ghi cuối và "
            f"{DEFAULT_SAMPLES} bản ghi rải đều (sample)",
            "when the target already holds records: compare all of them (full, default) or "
            f"the last one and {DEFAULT_SAMPLES} spread evenly (sample)",
        ),
    )
    p.add_argument(
        "--json", action="store_true", help=bilingual("kết quả dạng JSON", "report as JSON")
    )
    p.set_defaults(func=copy_command)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            bilingual(
                f"cần một số nguyên lớn hơn 0, nhận được {text!r}",
                f"a whole number greater than 0 is needed, got {text!r}",
            )
        )
    return value


def _open_source(url: str) -> Store:
    """The source store; a SQLite file that does not exist is an error, never created, and so
    is a store without records (most likely a mistyped URL)."""
    parsed = parse_store_url(url)
    if parsed.scheme == "sqlite":
        name = sqlite_database_name(parsed)
        if not name.startswith("file:") and not Path(name).exists():
            raise StorageError(
                f"Kho nguồn {parsed.redacted} không tồn tại (không có tệp {name})",
                f"the source store {parsed.redacted} does not exist (no file {name})",
                field="from",
                rule_id="store_missing",
            )
    store = open_store(url)
    try:
        empty = store.max_position() == 0
    except BaseException:
        store.close()
        raise
    if empty:
        store.close()
        raise StorageError(
            f"Kho nguồn {parsed.redacted} không có bản ghi nào: không có gì để chép (địa chỉ "
            "có đúng không?)",
            f"the source store {parsed.redacted} holds no record: there is nothing to copy "
            "(is the URL right?)",
            field="from",
            rule_id="copy_source_empty",
        )
    return store


def summary(report: CopyReport, lang: str) -> str:
    """The one-line summary: copied, skipped, time (and how the prefix was checked)."""
    rate = report.copied / report.seconds if report.seconds > 0 else 0.0
    check = {
        ("vi", "none"): "kho đích trống",
        ("vi", "full"): f"đã so khớp toàn bộ {report.compared} bản ghi đã có",
        ("vi", "sample"): f"đã so khớp {report.compared} bản ghi mẫu trong số đã có",
        ("en", "none"): "the target was empty",
        ("en", "full"): f"all {report.compared} records already there compared",
        ("en", "sample"): f"{report.compared} sampled records already there compared",
    }[(lang, report.prefix_check)]
    if lang == "en":
        return (
            f"Copied {report.copied} records, skipped {report.skipped} already in the target "
            f"({check}), in {report.seconds:.2f} s ({rate:.0f} records/s)"
        )
    seconds = f"{report.seconds:.2f}".replace(".", ",")
    return (
        f"Đã chép {report.copied} bản ghi, bỏ qua {report.skipped} bản ghi đã có ở kho đích "
        f"({check}), trong {seconds} giây ({rate:.0f} bản ghi/giây)"
    )


def _open_target(url: str) -> Store:
    """The target store, created when it is not there; a failure names ``--to``, the option
    the user has to fix, rather than the generic store URL."""
    try:
        return open_store(url)
    except StorageError as exc:
        if type(exc) is not StorageError or exc.field not in (None, "store_url"):
            raise
        raise StorageError(exc.message_vi, exc.message_en, field="to", rule_id=exc.rule_id) from exc


def copy_command(args: argparse.Namespace) -> int:
    """``dautu copy --from URL --to URL [--batch-size N] [--check full|sample] [--json]``."""
    lang = getattr(args, "lang", "vi")
    source = _open_source(args.source)
    try:
        target = _open_target(args.target)
        try:
            with terminal_progress(" bản ghi") as progress:
                try:
                    report = copy_store(
                        source,
                        target,
                        batch_records=args.batch_size,
                        prefix_check=args.check,
                        progress=progress,
                    )
                except KeyboardInterrupt:
                    held = target.max_position()
                    print(
                        f"Đã dừng: kho đích giữ đúng {held} bản ghi đầu tiên của kho nguồn; chạy "
                        f"lại cùng lệnh để chép tiếp"
                        if lang == "vi"
                        else f"Interrupted: the target holds exactly the source's first {held} "
                        "records; run the same command again to go on",
                        file=sys.stderr,
                    )
                    return 130
        finally:
            target.close()
    finally:
        source.close()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(summary(report, lang))
    return 0
