"""``dautu template`` and ``dautu import``: the department's spreadsheets become the record.

The clock is read here, at the edge: every fact of one import gets the same recorded time
(shown in Vietnam time), and the actor is the official named by ``--actor``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dautu_adapters.cli.common import (
    bilingual,
    open_store_for_reading,
    output_path,
    terminal_progress,
    vietnam_now,
)
from dautu_adapters.cli.store_commands import open_store_from_args
from dautu_adapters.service import ProjectService
from dautu_adapters.workbook.importing import ImportReport, import_sheets
from dautu_adapters.workbook.reading import open_sources
from dautu_core.errors import InvalidValue, StorageError
from dautu_core.values import Actor

__all__ = ["import_command", "parse_actor", "register", "template_command"]

PROGRESS_THRESHOLD = 2000
"""Rows from which a progress bar is shown (on a terminal only)."""


def register(subparsers: Any) -> None:
    """Add ``template`` and ``import``."""
    p = subparsers.add_parser(
        "template",
        help=bilingual("ghi mẫu nhập liệu Excel (hoặc CSV)", "write the Excel (or CSV) template"),
        description=bilingual(
            "mẫu có trang hướng dẫn, danh sách chọn, định dạng cột và dòng ví dụ; --out *.csv "
            "ghi mỗi trang thành một tệp CSV",
            "the template has instructions, drop-down lists, column formats and example rows; "
            "--out *.csv writes one CSV file per sheet",
        ),
    )
    p.add_argument("--out", type=Path, default=Path("mau-nhap-lieu.xlsx"), metavar="FILE")
    p.set_defaults(func=template_command)

    p = subparsers.add_parser(
        "import",
        help=bilingual("nhập dữ liệu từ tệp Excel/CSV", "import records from Excel/CSV files"),
        description=bilingual(
            "mỗi dòng được xét theo quy định có hiệu lực tại ngày hiệu lực của nó; có lỗi thì "
            "không ghi gì (trừ khi --partial)",
            "each row is judged by the rules in force at its effective date; any error means "
            "nothing is written (unless --partial)",
        ),
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--actor",
        metavar="'MÃ|HỌ TÊN|ĐƠN VỊ'",
        help=bilingual(
            "người ghi: mã người dùng | họ tên | đơn vị", "who records: user id | name | unit"
        ),
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=bilingual("chỉ kiểm tra, không ghi", "judge everything, write nothing"),
    )
    p.add_argument(
        "--partial",
        action="store_true",
        help=bilingual(
            "ghi các dự án không có lỗi, báo các dự án còn lại",
            "write every project whose rows are all good, report the rest",
        ),
    )
    p.add_argument(
        "--errors",
        type=Path,
        metavar="FILE",
        help=bilingual(
            "ghi các dòng chưa nhập kèm cột lỗi vào tệp .xlsx này",
            "write the rows not imported, with an error column, to this .xlsx",
        ),
    )
    p.add_argument(
        "--json", action="store_true", help=bilingual("kết quả dạng JSON", "report as JSON")
    )
    p.set_defaults(func=import_command)


def template_command(args: argparse.Namespace) -> int:
    from dautu_adapters.workbook.examples import template_bytes
    from dautu_adapters.workbook.writing import write_csv

    out = output_path(args.out)
    if out.suffix.lower() == ".csv":
        written = write_csv(out, {})
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(template_bytes())
        written = [out]
    for path in written:
        print(path)
    return 0


def parse_actor(text: str | None) -> Actor:
    """``mã người dùng | họ tên | đơn vị``: who recorded the imported facts."""
    parts = [p.strip() for p in (text or "").split("|")]
    if text is None or len(parts) != 3 or not all(parts):
        raise InvalidValue(
            "cần --actor 'mã người dùng|họ tên|đơn vị' (ví dụ 'lan.nt|Nguyễn Thị Lan|Sở Tài "
            "chính'): người ghi được lưu cùng mỗi sự kiện",
            "--actor 'user id|name|unit' is needed (e.g. 'lan.nt|Nguyễn Thị Lan|Sở Tài chính'): "
            "the recording official is stored with every event",
            field="actor",
            rule_id="actor_required",
        )
    return Actor(*parts)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """The import's bar, by projects judged, from :data:`PROGRESS_THRESHOLD` rows."""
    if total < PROGRESS_THRESHOLD:
        yield None
        return
    with terminal_progress(" dự án") as bar:
        yield None if bar is None else (lambda done: bar(done, total))


def _store_exists(args: argparse.Namespace) -> bool:
    """Whether the store named by ``--store`` is there, asked read-only (nothing is created)."""
    try:
        open_store_for_reading(args).close()
    except StorageError as exc:
        if exc.rule_id != "store_missing":
            raise
        return False
    return True


def _in_memory(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "store": "memory://"})


def _open_service(args: argparse.Namespace, *, exists: bool) -> ProjectService:
    """The store; a dry run opens it read-only, and judges against an empty record in memory
    when there is no store yet (a check never creates or changes a store)."""
    if args.dry_run:
        if exists:
            return ProjectService(open_store_for_reading(args))
        args = _in_memory(args)
    return ProjectService(open_store_from_args(args))


def import_command(args: argparse.Namespace) -> int:
    actor = parse_actor(args.actor) if args.actor or not args.dry_run else None
    if actor is None:
        actor = Actor("dry-run", "kiểm tra thử", "dautu import --dry-run")
    if args.errors is not None:
        output_path(args.errors, "--errors")
    sheets = open_sources(args.files)
    total = sum(len(s.rows) for s in sheets)
    recorded_at = vietnam_now()
    from dautu_adapters.workbook.places import check_locations

    def run(
        service: ProjectService, dry_run: bool, progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        return import_sheets(
            service,
            sheets,
            actor=actor,
            recorded_at=recorded_at,
            dry_run=dry_run,
            partial=args.partial,
            check_locations=check_locations,
            progress=progress,
        )

    exists = _store_exists(args)
    if not exists and not args.dry_run:
        # A new store is made only for an import that writes something: the same import is
        # first judged against an empty record in memory, so that a refused file does not
        # leave an empty store behind (which later commands would read as "no projects").
        with ProjectService(open_store_from_args(_in_memory(args))) as service:
            report = run(service, dry_run=False)
        if report.events_written == 0:
            return _finish(report, args)
    with _open_service(args, exists=exists) as service, _progress(total) as progress:
        report = run(service, args.dry_run, progress)
    return _finish(report, args)


def _finish(report: ImportReport, args: argparse.Namespace) -> int:
    """Write the errors workbook, print the report, and give the exit code."""
    if args.errors is not None and report.rejected_rows:
        _write_errors(args.errors, report)
    if args.json:
        print(json.dumps(_as_json(report), ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(report, args)
    return 0 if report.ok else 1


def _write_errors(path: Path, report: ImportReport) -> None:
    from dautu_adapters.workbook.writing import workbook_bytes

    messages: dict[tuple[str, int], list[str]] = {}
    for problem in report.errors:
        if problem.sheet is not None and problem.row is not None:
            messages.setdefault((problem.sheet, problem.row), []).append(
                (f"{problem.column}: " if problem.column else "")
                + f"{problem.message_vi} / {problem.message_en}"
                + (f" (căn cứ/basis: {problem.citation})" if problem.citation else "")
            )
    data: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, list[str]] = {}
    for row in report.rejected_rows:
        data.setdefault(row.sheet, []).append(dict(row.cells))
        errors.setdefault(row.sheet, []).append(
            "; ".join(messages.get((row.sheet, row.row), []))
            or "chưa ghi vì dự án còn dòng lỗi / not written: another row of this project has an error"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(data, errors=errors))


def _as_json(report: ImportReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "partial": report.partial,
        "actor": {"user_id": report.actor.user_id, "name": report.actor.name,
                  "unit": report.actor.unit},
        "recorded_at": report.recorded_at.isoformat(),
        "rows_read": report.rows_read,
        "new_projects": report.new_projects,
        "projects_written": len(report.written_projects),
        "events_written": report.events_written,
        "events_skipped": report.events_skipped,
        "refused_projects": report.refused_projects,
        "problems": [p.as_dict() for p in report.problems],
        "locations": [
            {"sheet": row.sheet, "row": row.row, "then": _place(loc), "now": now}
            for row, loc, now in report.locations
        ],
    }  # fmt: skip


def _place(location: Any) -> str:
    return ", ".join(p for p in (location.commune, location.district, location.province) if p)


def _print_report(report: ImportReport, args: argparse.Namespace) -> None:
    out = sys.stdout
    for problem in report.errors:
        print(f"LỖI/ERROR   {problem.text()}", file=out)
    for problem in report.warnings:
        print(f"LƯU Ý/NOTE  {problem.text()}", file=out)
    for row, location, now in report.locations:
        if now is not None:
            print(
                f"ĐỊA DANH/PLACE  trang '{row.sheet}', dòng {row.row}: {_place(location)} "
                f"-> nay là / now: {now}",
                file=out,
            )
    when = report.recorded_at.strftime("%d/%m/%Y %H:%M:%S")
    actor = report.actor
    verb = ("sẽ ghi", "would write") if report.dry_run else ("đã ghi", "wrote")
    print(
        f"Người ghi / actor: {actor.name} ({actor.user_id}, {actor.unit}); thời điểm ghi / "
        f"recorded at: {when} giờ Việt Nam (UTC+07:00)",
        file=out,
    )
    print(
        f"Đã đọc {report.rows_read} dòng; {verb[0]} {report.new_projects} dự án mới, "
        f"{report.events_written} sự kiện của {len(report.written_projects)} dự án; bỏ qua "
        f"{report.events_skipped} sự kiện đã có trong hồ sơ. / Read {report.rows_read} rows; "
        f"{verb[1]} {report.new_projects} new projects, {report.events_written} events of "
        f"{len(report.written_projects)} projects; skipped {report.events_skipped} already "
        "recorded.",
        file=out,
    )
    if report.errors:
        refused = len(report.refused_projects)
        if report.partial:
            print(
                f"{len(report.errors)} lỗi: {refused} dự án chưa được ghi. / {len(report.errors)} "
                f"errors: {refused} projects were not written.",
                file=out,
            )
        else:
            print(
                f"{len(report.errors)} lỗi: không ghi gì cả (sửa lỗi rồi nhập lại, hoặc dùng "
                f"--partial). / {len(report.errors)} errors: nothing was written (fix them and "
                "import again, or use --partial).",
                file=out,
            )
        if args.errors is not None:
            print(f"Các dòng cần sửa / rows to fix: {args.errors}", file=out)
