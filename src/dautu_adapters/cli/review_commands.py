"""``dautu demo`` and ``dautu review``: the provincial review from the command line.

``dautu demo`` records the fictional 2024 Hải Dương scenario (78 projects, one transaction,
nothing written twice) and ends with the counts of its review as of 21 Feb 2024 (what fits on a
screen; ``--details`` prints every project first). ``dautu review`` reviews every project in the
store as of a date, as a terminal table (Vietnamese by default), JSON or CSV. The global options
(``--store``, ``--lang``) work after the command as well as before it (:mod:`.main`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from dautu_adapters.cli.common import open_store_for_reading, output_path, parse_date
from dautu_adapters.cli.store_commands import open_store_from_args
from dautu_adapters.plugins import rulebook_registry
from dautu_adapters.review.demo import (
    DEMO_REVIEW_DATE,
    DEMO_REVIEW_ROUND,
    DEMO_SEED,
    record_demo,
)
from dautu_adapters.review.export import parse_as_of
from dautu_adapters.review.render import (
    render_overview,
    render_summary,
    render_table,
    review_csv,
    review_document,
)
from dautu_adapters.review.reviewing import review_store, summarize_store
from dautu_adapters.review.rulebooks import installed_review_rulebooks
from dautu_adapters.service import ProjectService
from dautu_adapters.stores.urls import default_store_url, redact_url
from dautu_core.text import bilingual, format_count

__all__ = ["demo_command", "register", "review_command"]

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "demo_help": "ghi kịch bản minh hoạ rà soát 78 dự án của Hải Dương (2024) rồi in kết quả",
        "review_help": "rà soát mọi dự án trong kho tại một ngày",
        "as_of": "ngày rà soát, 21/02/2024 hoặc 2024-02-21 (mặc định: hôm nay, giờ Việt Nam)",
        "format": "định dạng: table (bảng), json, csv (UTF-8 có BOM)",
        "round": "đợt rà soát để so với quyết định đã ghi (mặc định: quyết định mới nhất)",
        "output": "ghi ra tệp thay vì màn hình",
        "summary": "in thêm bảng tổng hợp theo tình trạng, địa bàn, lĩnh vực, chậm tiến độ, vi phạm",
        "seed": "hạt giống của kịch bản (mặc định 2024)",
        "details": "in từng dự án với lý do và căn cứ trước bảng số liệu",
        "more": "Chi tiết từng dự án: dautu demo --details, hoặc dautu review --as-of 21/02/2024",
        "rebuild": "dựng lại bảng tổng hợp từ nhật ký, bỏ qua dữ liệu đã lưu (và ghi đè nó)",
        "recorded": "Đã ghi {projects} dự án minh hoạ ({events} sự kiện) vào {store} "
        "trong một giao dịch.",
        "skipped": "{projects} dự án minh hoạ đã có trong {store}: không ghi thêm gì.",
        "partial": "Đã ghi {recorded} dự án còn thiếu ({events} sự kiện); "
        "{skipped} dự án đã có sẵn trong {store}.",
        "fiction": "Nhà đầu tư, tên dự án và số văn bản đều là hư cấu; tên huyện là địa danh "
        "thật năm 2024.",
        "written": "Đã ghi {path}",
    },
    "en": {
        "demo_help": "record the fictional 2024 Hải Dương review of 78 projects, then print it",
        "review_help": "review every project in the store as of a date",
        "as_of": "review date, 21/02/2024 or 2024-02-21 (default: today in Vietnam)",
        "format": "output format: table, json, csv (UTF-8 with BOM)",
        "round": "review round whose recorded decisions to compare with (default: the latest)",
        "output": "write to a file instead of the terminal",
        "summary": "also print counts by status, district, sector, delays and open violations",
        "seed": "scenario seed (default 2024)",
        "details": "print every project with its reasons and citations before the counts",
        "more": "Every project: dautu demo --details, or dautu review --as-of 2024-02-21",
        "rebuild": "fold the whole log again, ignoring (and replacing) the stored projection",
        "recorded": "Recorded {projects} fictional projects ({events} events) into {store} in "
        "one transaction.",
        "skipped": "The {projects} fictional projects are already in {store}: nothing written.",
        "partial": "Recorded the {recorded} missing projects ({events} events); {skipped} were "
        "already in {store}.",
        "fiction": "Investors, project names and document numbers are fictional; district "
        "names are the real ones of 2024.",
        "written": "Wrote {path}",
    },
}


def _help(key: str) -> str:
    return bilingual(TEXT["vi"][key], TEXT["en"][key])


def register(subparsers: Any) -> None:
    """Add ``dautu demo`` and ``dautu review`` to the command line."""
    demo = subparsers.add_parser("demo", help=_help("demo_help"), description=_help("demo_help"))
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help=_help("seed"))
    demo.add_argument("--details", action="store_true", help=_help("details"))
    demo.set_defaults(func=demo_command)

    review = subparsers.add_parser(
        "review", help=_help("review_help"), description=_help("review_help")
    )
    review.add_argument(
        "--as-of", metavar="DATE", type=parse_date, default=None, help=_help("as_of")
    )
    review.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help=_help("format")
    )
    review.add_argument("--round", dest="review_round", default=None, help=_help("round"))
    review.add_argument("--output", "-o", metavar="FILE", default=None, help=_help("output"))
    review.add_argument("--summary", action="store_true", help=_help("summary"))
    review.add_argument("--rebuild", action="store_true", help=_help("rebuild"))
    review.set_defaults(func=review_command)


def _emit(data: bytes) -> None:
    """Write ``data`` to standard output; a reader that stops early (``| head``) is not an error.

    On a closed pipe the rest is dropped and standard output is pointed at the null device, so
    that the interpreter's final flush does not raise again.
    """
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)


def demo_command(args: argparse.Namespace) -> int:
    lang: str = args.lang
    text = TEXT[lang]
    review_books = installed_review_rulebooks()
    store = open_store_from_args(args)
    try:
        service = ProjectService(store, rulebooks=rulebook_registry().rulebooks)
        outcome = record_demo(service, seed=args.seed, rulebooks=review_books)
        review = review_store(
            store,
            DEMO_REVIEW_DATE,
            rulebooks=review_books,
            review_round=DEMO_REVIEW_ROUND,
            project_codes=outcome.project_codes,
        )
        url = redact_url(getattr(args, "store", None) or default_store_url())
    finally:
        store.close()
    recorded = format_count(outcome.recorded_projects, lang)
    events = format_count(outcome.recorded_events, lang)
    skipped = format_count(outcome.skipped_projects, lang)
    if outcome.skipped_projects == 0:
        line = text["recorded"].format(projects=recorded, events=events, store=url)
    elif outcome.recorded_projects == 0:
        line = text["skipped"].format(projects=skipped, store=url)
    else:
        line = text["partial"].format(recorded=recorded, events=events, skipped=skipped, store=url)
    # The counts come last, so that they are what stays on the screen.
    details = f"{render_table(review, lang)}\n" if args.details else f"{text['more']}\n\n"
    _emit(f"{line}\n{text['fiction']}\n\n{details}{render_overview(review, lang)}".encode())
    return 0


def review_command(args: argparse.Namespace) -> int:
    lang: str = args.lang
    as_of = parse_as_of(args.as_of, "as-of")
    output = output_path(args.output, "--output") if args.output else None
    books = installed_review_rulebooks()
    # --rebuild replaces the stored projection (what `dautu verify` advises): the one write
    store = open_store_from_args(args) if args.rebuild else open_store_for_reading(args)
    try:
        summary = None
        if args.summary:
            summary = summarize_store(
                store,
                as_of,
                rulebooks=books,
                review_round=args.review_round,
                from_zero=args.rebuild,
            )
            review = summary.review
        else:
            review = review_store(
                store,
                as_of,
                rulebooks=books,
                review_round=args.review_round,
                from_zero=args.rebuild,
            )
    finally:
        store.close()
    if args.format == "csv":
        data = review_csv(review, lang)
    elif args.format == "json":
        document = review_document(review, lang)
        if summary is not None:
            document["summary"] = summary.to_dict(lang)
        # One line: the document is for scripts (pipe it to `jq` to read it), and the indented
        # encoder is the pure-Python one, seconds slower on a province of 10,000 projects.
        data = (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        text = render_table(review, lang)
        if summary is not None:
            text += "\n" + render_summary(summary, lang)
        data = text.encode("utf-8")
    if output is not None:
        output.write_bytes(data)
        print(TEXT[lang]["written"].format(path=output), file=sys.stderr)
    else:
        _emit(data)
    return 0
