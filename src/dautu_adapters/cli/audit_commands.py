"""The auditor's replay commands: history, diff and explain.

Each reads one project's records and replays them through :mod:`dautu_core.replay`: the state
as of an effective date, as known at a recorded time, and what changed between two such points.
The commands that prove the log (keys, checkpoints, verification, exports) are in
:mod:`dautu_adapters.cli.trail_commands`.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from dautu_adapters.audit.render import (
    explanation_json,
    explanation_text,
    history_json,
    history_text,
    show_time,
)
from dautu_adapters.audit.render_diff import diff_json, diff_text
from dautu_adapters.cli.common import (
    bilingual,
    open_store_for_reading,
    parse_date,
    parse_moment,
    print_json,
    quiet_pipe,
    vietnam_now,
)
from dautu_adapters.html.timeline import read_project
from dautu_adapters.plugins import get_plugin_manager, rulebook_registry
from dautu_core.audit import explain
from dautu_core.errors import InvalidValue
from dautu_core.replay import Point, diff, history

__all__ = ["parse_date", "parse_moment", "register"]


def register(subparsers: Any) -> None:
    """Add the audit commands to the command line."""
    p = subparsers.add_parser(
        "history",
        help=bilingual("lịch sử sự kiện của dự án", "a project's event history"),
        description=bilingual(
            "Mọi sự kiện của dự án: ngày hiệu lực, thời điểm ghi, người ghi, căn cứ, văn bản, "
            "đính chính",
            "every event of a project with effective date, recorded time, actor, legal basis, "
            "documents and corrections",
        ),
    )
    p.add_argument("code", metavar="CODE", help=bilingual("mã dự án", "project code"))
    _add_point(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=quiet_pipe(history_command))

    p = subparsers.add_parser(
        "diff",
        help=bilingual(
            "điều đã thay đổi trong hiểu biết về dự án giữa hai thời điểm",
            "what changed in what we knew about a project between two points",
        ),
    )
    p.add_argument("code", metavar="CODE", help=bilingual("mã dự án", "project code"))
    p.add_argument(
        "--from",
        dest="known_from",
        type=parse_moment,
        metavar="DATETIME",
        required=True,
        help=bilingual("theo hiểu biết lúc (điểm đầu)", "as known at (first point)"),
    )
    p.add_argument(
        "--to",
        dest="known_to",
        type=parse_moment,
        metavar="DATETIME",
        default=None,
        help=bilingual(
            "theo hiểu biết lúc (điểm sau; mặc định: nay)", "as known at (default: now)"
        ),
    )
    p.add_argument(
        "--as-of",
        type=parse_date,
        metavar="DATE",
        help=bilingual("ngày hiệu lực cho cả hai điểm", "effective date of both points"),
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=quiet_pipe(diff_command))

    p = subparsers.add_parser(
        "explain",
        help=bilingual("tình trạng dự án và lý do", "a project's state and why"),
    )
    p.add_argument("code", metavar="CODE", help=bilingual("mã dự án", "project code"))
    _add_point(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=quiet_pipe(explain_command))


def _add_point(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=parse_date,
        metavar="DATE",
        help=bilingual("ngày hiệu lực (mặc định: nay)", "effective date (default: now)"),
    )
    parser.add_argument(
        "--known-at",
        type=parse_moment,
        metavar="DATETIME",
        help=bilingual(
            "theo hiểu biết tại thời điểm ghi này (không múi giờ: +07:00)",
            "as known at this recorded time (no offset: +07:00)",
        ),
    )


def history_command(args: argparse.Namespace) -> int:
    store = open_store_for_reading(args)
    try:
        recorded = read_project(store, args.code)
    finally:
        store.close()
    entries = history(recorded, as_of=args.as_of, known_at=args.known_at)
    code = recorded[0].event.project_code
    if args.format == "json":
        print_json(history_json(code, entries, args.lang))
    else:
        print(history_text(code, entries, as_of=args.as_of, known_at=args.known_at, lang=args.lang))
    return 0


def _check_order(known_from: datetime, known_to: datetime | None) -> None:
    """``--to`` must not be earlier than ``--from``: a reversed range would list what was
    learned backwards, which reads as if records had been unlearned."""
    end = known_to if known_to is not None else vietnam_now()
    if end < known_from:
        to_text = "--to" if known_to is not None else "now (no --to)"
        raise InvalidValue(
            f"--to ({show_time(end, 'vi')}) sớm hơn --from ({show_time(known_from, 'vi')}); "
            "hãy đổi chỗ hai thời điểm",
            f"{to_text} ({show_time(end, 'en')}) is earlier than --from "
            f"({show_time(known_from, 'en')}); swap the two points",
            field="to",
            rule_id="diff_range_order",
        )


def diff_command(args: argparse.Namespace) -> int:
    _check_order(args.known_from, args.known_to)
    store = open_store_for_reading(args)
    try:
        recorded = read_project(store, args.code)
    finally:
        store.close()
    before = Point(as_of=args.as_of, known_at=args.known_from)
    after = Point(as_of=args.as_of, known_at=args.known_to)
    change = diff(recorded, before, after)
    code = recorded[0].event.project_code
    if args.format == "json":
        print_json(diff_json(code, change, recorded))
    else:
        print(diff_text(code, change, recorded, args.lang))
    return 0


def explain_command(args: argparse.Namespace) -> int:
    store = open_store_for_reading(args)
    try:
        recorded = read_project(store, args.code)
    finally:
        store.close()
    as_of = args.as_of or vietnam_now().date()
    books = rulebook_registry(get_plugin_manager()).rulebooks
    explanation = explain(recorded, as_of=as_of, known_at=args.known_at, rulebooks=books)
    if args.format == "json":
        print_json(explanation_json(explanation))
    else:
        print(explanation_text(explanation, args.lang))
    return 0
