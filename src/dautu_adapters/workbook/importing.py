"""The import: rows become commands, the decider judges them, the store takes all or nothing.

Why each row goes through :meth:`ProjectService.execute_batch`: an imported fact must be judged
exactly as one recorded through the API, by the rulebook in force at its effective date, and
written in one transaction. Before anything is written every cell is parsed and, when the
batch is refused (or on ``--dry-run`` / ``--partial``), every project's rows are judged one by
one so that each problem is reported against its own row, not just the first.

Why a row is recognised by the fact it states (:func:`fact_key`): the identity of an imported
row must live in the record itself and move with it to any other store. The fact's own content
(its kind, project, effective date, legal basis, documents and payload, without the recorded
time and the actor) is already in every event, in every store, in every export, and needs no
extra field that the core, the codec and every adapter would have to learn. Importing the same
file twice therefore writes nothing the second time, and a longer file writes only its new
facts; two rows stating the very same fact in one file are refused as duplicates.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from dautu_adapters.exporters.cells import QuotedText
from dautu_adapters.service import ProjectService
from dautu_adapters.workbook.reading import Sheet, SourceRow, UncachedFormula
from dautu_adapters.workbook.rows import CellError, build_command, parse_cell
from dautu_adapters.workbook.schema import (
    COLUMNS,
    COMMANDS_BY_TYPE,
    DECISION_KINDS,
    PROJECT_SHEET,
)
from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.decider import decide
from dautu_core.errors import DautuError
from dautu_core.state import ProjectState, evolve
from dautu_core.values import Actor, Location

__all__ = [
    "ImportReport",
    "Problem",
    "fact_key",
    "import_sheets",
]

_BOOKKEEPING = frozenset({"recorded_at", "actor"})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
"""The fields of each attrs class :func:`_plain` meets (``None`` for other types), looked up
once per class: asking attrs for every value made the key the slowest step of a large import."""


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = (
            tuple(f.name for f in attrs.fields(cls) if f.name not in _BOOKKEEPING)
            if attrs.has(cls)
            else None
        )
        _FIELD_NAMES[cls] = names
        return names


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls is str or value is None:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    type_name: tuple(f.name for f in attrs.fields(cls) if f.name not in _BOOKKEEPING)
    for type_name, cls in COMMANDS_BY_TYPE.items()
}


def fact_key(fact: cmd.Command | ev.ProjectEvent) -> str:
    """The identity of a recorded fact: a digest of what it says, not of who typed it when.

    A command and the event it produced have the same key (only the fields the command asks
    for are used; what the rules add, such as an adjustment's triggers, is left out).
    """
    type_name = fact.EVENT.TYPE_NAME if isinstance(fact, cmd.Command) else fact.TYPE_NAME
    data = {name: _plain(getattr(fact, name)) for name in _KEY_FIELDS[type_name]}
    text = json.dumps([type_name, data], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.frozen
class Problem:
    """One thing wrong (or, with ``warning``, worth a look) in the file, where it is."""

    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message_vi: str
    message_en: str
    project_code: str | None = None
    rule_id: str | None = None
    citation: str | None = None
    warning: bool = False

    def where(self, lang: str = "vi") -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"{'trang' if lang == 'vi' else 'sheet'} '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'dòng' if lang == 'vi' else 'row'} {self.row}")
        if self.column is not None:
            parts.append(f"{'cột' if lang == 'vi' else 'column'} '{self.column}'")
        return ", ".join(parts)

    def text(self) -> str:
        """Both languages on one line, with the value and the rule's citation."""
        value = f" = {self.value!r}" if self.value is not None else ""
        rule = f" [{self.rule_id}]" if self.rule_id else ""
        cite = f" (căn cứ/basis: {self.citation})" if self.citation else ""
        return f"{self.where()}{value}: {self.message_vi} / {self.message_en}{rule}{cite}"

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _problem(row: SourceRow | None, column: str | None, err: DautuError, **extra: Any) -> Problem:
    value = None
    if row is not None and column is not None and column in row.cells:
        value = str(row.cells[column])[:200]
    return Problem(
        sheet=row.sheet if row else None,
        row=row.row if row else None,
        column=COLUMNS[column].vi if column is not None and column in COLUMNS else None,
        value=value,
        message_vi=err.message_vi,
        message_en=err.message_en,
        project_code=err.project_code,
        rule_id=err.rule_id,
        citation=err.citation,
        **extra,
    )


@attrs.frozen
class _Item:
    row: SourceRow
    command: cmd.Command
    key: str


@attrs.define
class ImportReport:
    """What the import did (or, on a dry run, would do)."""

    actor: Actor
    recorded_at: datetime
    dry_run: bool
    partial: bool
    rows_read: int = 0
    problems: list[Problem] = attrs.field(factory=list)
    written_projects: list[str] = attrs.field(factory=list)
    new_projects: int = 0
    events_written: int = 0
    events_skipped: int = 0
    refused_projects: list[str] = attrs.field(factory=list)
    rejected_rows: list[SourceRow] = attrs.field(factory=list)
    locations: list[tuple[SourceRow, Location, str | None]] = attrs.field(factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_rows(
    sheets: Sequence[Sheet], actor: Actor, recorded_at: datetime, report: ImportReport
) -> dict[int, _Item | None]:
    """Parse every row; a row with any cell problem maps to ``None``."""
    items: dict[int, _Item | None] = {}
    seen: dict[str, SourceRow] = {}
    parsed: dict[tuple[str, type, object], Any] = {}
    for sheet in sheets:
        for unknown in sheet.ignored_headers:
            report.problems.append(
                Problem(
                    sheet.name,
                    None,
                    unknown,
                    None,
                    "cột không có trong mẫu, bỏ qua",
                    "column not in the template, ignored",
                    rule_id="column_unknown",
                    warning=True,
                )
            )
        for row in sheet.rows:
            report.rows_read += 1
            items[id(row)] = _parse_row(row, actor, recorded_at, report, seen, parsed)
    return items


def _parse_row(
    row: SourceRow,
    actor: Actor,
    recorded_at: datetime,
    report: ImportReport,
    seen: dict[str, SourceRow],
    parsed: dict[tuple[str, type, object], Any],
) -> _Item | None:
    """One row's command, or ``None`` with its problems reported.

    ``parsed`` holds the cells this import has already parsed, by column, type and value: a
    workbook repeats the same dates, citations, authorities and places on many rows, and every
    parsed value is immutable, so a cell seen before is not parsed again (a cell that failed is
    not kept, so each of its rows reports its problem)."""
    values: dict[str, Any] = {}
    failed = False
    for key, raw in row.cells.items():
        if isinstance(raw, UncachedFormula):
            report.problems.append(
                _problem(
                    row,
                    key,
                    DautuError(
                        "ô chứa công thức chưa có giá trị tính sẵn; mở tệp bằng Excel rồi lưu "
                        "lại, hoặc dán dạng giá trị (Paste Values)",
                        "the cell holds a formula with no computed value; open and save the "
                        "file in Excel, or paste the values (Paste Values)",
                        rule_id="cell_formula",
                    ),
                )
            )
            failed = True
            continue
        if (
            isinstance(raw, str)
            and not isinstance(raw, QuotedText)  # marked as text by an apostrophe
            and raw.lstrip().startswith("=")
            and len(raw.strip()) > 1
        ):
            report.problems.append(
                _problem(
                    row,
                    key,
                    DautuError(
                        "ô chứa công thức; hãy nhập giá trị (dán dạng giá trị - Paste Values)",
                        "the cell holds a formula; enter the value itself (Paste Values)",
                        rule_id="cell_formula",
                    ),
                )
            )
            failed = True
            continue
        memo = (key, type(raw), raw)
        try:
            values[key] = parsed[memo]
            continue
        except (KeyError, TypeError):  # not seen yet, or a value that cannot be a key
            pass
        try:
            values[key] = parse_cell(key, raw)
        except DautuError as err:
            report.problems.append(_problem(row, key, err))
            failed = True
            continue
        with contextlib.suppress(TypeError):  # a value that cannot be a key is parsed each time
            parsed[memo] = values[key]
    if row.sheet == PROJECT_SHEET:
        type_name: str | None = ev.ProjectApproved.TYPE_NAME
    else:
        type_name = values.get("kind")
        if type_name is None and "kind" not in row.cells:
            report.problems.append(
                _problem(
                    row,
                    "kind",
                    DautuError(
                        "thiếu loại sự kiện", "the event kind is missing", rule_id="column_required"
                    ),
                )
            )
            return None
    if failed or type_name is None:
        return None
    try:
        command, used = build_command(values, type_name, actor=actor, recorded_at=recorded_at)
    except CellError as err:
        report.problems.append(_problem(row, err.column, err.error))
        return None
    for key in sorted(set(values) - used - {"kind", "version"}):
        report.problems.append(
            Problem(
                row.sheet,
                row.row,
                COLUMNS[key].vi,
                str(row.cells[key])[:200],
                "cột này không dùng cho loại sự kiện này, bỏ qua",
                "this column is not used by this event kind, ignored",
                project_code=command.project_code,
                rule_id="column_unused",
                warning=True,
            )
        )
    if type_name in DECISION_KINDS and not command.legal_basis:
        report.problems.append(
            Problem(
                row.sheet,
                row.row,
                COLUMNS["legal_basis"].vi,
                None,
                "quyết định, kết luận cần ghi căn cứ pháp lý",
                "a decision or finding should state its legal basis",
                project_code=command.project_code,
                rule_id="legal_basis_expected",
                warning=True,
            )
        )
    key = fact_key(command)
    first = seen.get(key)
    if first is not None:
        report.problems.append(
            Problem(
                row.sheet,
                row.row,
                None,
                None,
                f"dòng trùng với dòng {first.row} trang '{first.sheet}' (cùng một sự việc)",
                f"this row repeats row {first.row} of sheet '{first.sheet}' (the same fact)",
                project_code=command.project_code,
                rule_id="row_duplicate",
            )
        )
        return None
    seen[key] = row
    return _Item(row, command, key)


def _version_check(item: _Item, version: int) -> Problem | None:
    expected = item.row.cells.get("version")
    if expected is None:
        return None
    given = parse_cell("version", expected)
    if given == version:
        return None
    return _problem(
        item.row,
        "version",
        DautuError(
            f"sự việc này sẽ là số {version} trong hồ sơ, không phải {given}",
            f"this fact would be number {version} in the record, not {given}",
            project_code=item.command.project_code,
            rule_id="version_mismatch",
        ),
    )


def _judge(
    service: ProjectService, code: str, items: Sequence[_Item]
) -> tuple[list[_Item], int, list[Problem]]:
    """The project's new rows (already recorded ones left out) and their problems, each row
    decided on the state the rows before it leave."""
    records = service.store.read_stream(code)
    recorded = {}
    state = ProjectState()
    for record in records:
        event = record.event(service.upcasters)
        recorded[fact_key(event)] = record.version
        state = evolve(state, event)
    new: list[_Item] = []
    problems: list[Problem] = []
    skipped = 0
    rulebooks = service.rulebooks
    for item in items:
        if item.key in recorded:
            skipped += 1
            problem = _version_check(item, recorded[item.key])
            if problem is not None:
                problems.append(problem)
            continue
        try:
            events = decide(item.command, state, rulebooks)
        except DautuError as err:
            problems.append(_problem(item.row, _rule_column(err), err))
            continue
        for event in events:
            state = evolve(state, event)
        problem = _version_check(item, state.version)
        if problem is not None:
            problems.append(problem)
        new.append(item)
    return new, skipped, problems


def _approval_known(service: ProjectService, code: str, items: Sequence[_Item]) -> bool:
    if any(isinstance(i.command, cmd.ApproveProject) for i in items):
        return True
    return bool(service.store.read_stream(code, up_to_version=1))


def _rule_column(err: DautuError) -> str | None:
    field = (err.field or "").split(".")[0]
    return {"project_code": "code", "effective_date": "effective_date"}.get(field) or (
        field if field in COLUMNS else None
    )


def import_sheets(
    service: ProjectService,
    sheets: Sequence[Sheet],
    *,
    actor: Actor,
    recorded_at: datetime,
    dry_run: bool = False,
    partial: bool = False,
    check_locations: Callable[[ImportReport, Iterable[_Item]], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the rows of ``sheets`` into ``service``'s store; see the module docstring.

    All or nothing unless ``partial`` (then every project whose rows are all good is written,
    in one transaction, and no project is ever half-written). ``dry_run`` judges and writes
    nothing. ``progress`` is called with the number of projects judged so far.
    """
    report = ImportReport(actor=actor, recorded_at=recorded_at, dry_run=dry_run, partial=partial)
    parsed = _parse_rows(sheets, actor, recorded_at, report)
    if report.rows_read == 0:
        names = ", ".join(f"'{s.name}' ({s.source})" for s in sheets) or "-"
        report.problems.append(
            Problem(
                None, None, None, None,
                f"không có dòng dữ liệu nào dưới dòng tiêu đề: {names}",
                f"no data rows under the header row: {names}",
                rule_id="rows_missing",
            )
        )  # fmt: skip
        return report
    by_project: dict[str, list[_Item]] = {}
    bad_projects: set[str] = set()
    unparsed: list[SourceRow] = []
    for sheet in sheets:
        for row in sheet.rows:
            item = parsed[id(row)]
            if item is None:
                unparsed.append(row)
                code = _row_code(row)
                if code is not None:
                    bad_projects.add(code)
                continue
            by_project.setdefault(item.command.project_code, []).append(item)
    if check_locations is not None:
        check_locations(report, [i for items in by_project.values() for i in items])
    parse_failed = bool(report.errors)

    if not (dry_run or partial or parse_failed):
        fresh = _fresh(service, by_project)
        if fresh is not None:
            try:
                written = service.execute_batch([i.command for i in fresh])
            except DautuError:
                pass  # judged row by row below, to report every refusal against its row
            else:
                _count(report, fresh, written)
                return report

    to_write: list[_Item] = []
    held: list[SourceRow] = list(unparsed)
    for done, (code, items) in enumerate(by_project.items(), start=1):
        if code in bad_projects and not _approval_known(service, code, items):
            # its approval row is already refused: judging the rest would only say "no approval"
            report.refused_projects.append(code)
            held.extend(i.row for i in items)
            continue
        new, skipped, problems = _judge(service, code, items)
        report.events_skipped += skipped
        report.problems.extend(problems)
        if problems or code in bad_projects:
            report.refused_projects.append(code)
            held.extend(i.row for i in items)
        else:
            to_write.extend(new)
        if progress is not None:
            progress(done)
    if dry_run or (report.errors and not partial):
        if not report.errors or partial:
            _count(report, to_write, to_write)
        if report.errors:
            # nothing is written: every row goes back, so the error file alone can be re-imported
            held = [row for sheet in sheets for row in sheet.rows]
            report.rejected_rows = []
        report.rejected_rows.extend(held)
        report.rejected_rows.sort(key=lambda r: (r.sheet != PROJECT_SHEET, r.row))
        return report
    report.rejected_rows.extend(held)
    report.rejected_rows.sort(key=lambda r: (r.sheet != PROJECT_SHEET, r.row))
    if to_write:
        written = service.execute_batch([i.command for i in to_write])
        _count(report, to_write, written)
    return report


def _row_code(row: SourceRow) -> str | None:
    raw = row.cells.get("code")
    try:
        return parse_cell("code", raw) if raw is not None else None
    except DautuError:
        return None


def _fresh(
    service: ProjectService, by_project: Mapping[str, Sequence[_Item]]
) -> list[_Item] | None:
    """The fast path's rows: all of them when no project is in the store yet, else ``None``
    (rows of known projects are compared with the record first, by :func:`_judge`).

    A row's ``version`` cell (as ``dautu export workbook`` writes it) is checked here: the
    decider makes one event per command, so in a new project the n-th row becomes version n;
    any other number sends the file down the row-by-row path, which reports it.
    """
    out: list[_Item] = []
    known = set(service.store.project_codes())
    for code, items in by_project.items():
        if code in known:
            return None
        for number, item in enumerate(items, start=1):
            if "version" in item.row.cells and _version_check(item, number) is not None:
                return None
        out.extend(items)
    return out


def _count(report: ImportReport, items: Sequence[_Item], written: Sequence[Any]) -> None:
    report.events_written = len(written)
    report.new_projects = sum(1 for i in items if isinstance(i.command, cmd.ApproveProject))
    report.written_projects = list(dict.fromkeys(i.command.project_code for i in items))
