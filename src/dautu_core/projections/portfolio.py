"""The portfolio read model: every project's timeline, folded from the global log.

Why timelines rather than ready-made counts: every question a department asks of its portfolio
(how many projects per track, status, district or sector; which are late and by how many months
per milestone; how many violations are open per category) is asked *as of a date*, and the
answer for one date cannot be updated into the answer for another. A timeline per project
(:class:`~dautu_core.review.timeline.ProjectTimeline`) is small, folds incrementally from the
log, and answers for any date (:func:`summarize`). The fold is pure: the adapter that runs it
reads the log and stores the checkpoint (``dautu_adapters.review.projection``).

Guarantees, checked on every step: records arrive in global order without a gap (positions
``n+1, n+2...`` after the checkpoint) and each project's versions follow on without a gap, so
an event is never skipped; folding the log in one go or in any number of steps, with the state
serialised in between, gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from dautu_core.codec import NO_UPCASTERS, Upcasters, canonical_bytes
from dautu_core.errors import ProjectionGap
from dautu_core.record import StoredRecord
from dautu_core.review.builtin import BUILTIN_REVIEW_RULEBOOKS
from dautu_core.review.engine import PortfolioReview, judge
from dautu_core.review.facts import facts_as_of
from dautu_core.review.rulebook import ReviewRulebook, ReviewRulebooks
from dautu_core.review.rules import behind_schedule
from dautu_core.review.timeline import (
    EXTRACTION_VERSION,
    ProjectTimeline,
    TimelineEntry,
    code_fingerprint,
    entries_from_json,
    entry_from_record,
)
from dautu_core.vocab import ProjectStatus, ViolationCategory

__all__ = [
    "NOT_APPROVED",
    "DelayedProject",
    "Portfolio",
    "PortfolioProjection",
    "PortfolioSummary",
    "ProjectionGap",
    "apply_records",
    "layout_digest",
    "summarize",
]


NOT_APPROVED = "not_approved"
"""The status key of projects with no approval in effect on the summary's date."""


@attrs.frozen
class Portfolio:
    """The folded state: the last global position read and every project's timeline."""

    position: int = 0
    timelines: Mapping[str, ProjectTimeline] = attrs.field(factory=dict)

    def to_bytes(self) -> bytes:
        """Canonical JSON lines: the same portfolio always gives the same bytes.

        A header line (format, position, number of projects), then one line per project in
        code order, ``[code, [entry, ...]]``. Why lines: a checkpoint of 10,000 projects is
        about 30 MB; read in one piece its text and parsed objects all exist at once, while
        line by line only one project's do (canonical JSON holds no raw newline, so a line
        is always one project).
        """
        header = canonical_bytes(
            {"format": FORMAT, "position": self.position, "projects": len(self.timelines)}
        )
        lines = [header]
        for code in sorted(self.timelines):
            entries = [e.to_json() for e in self.timelines[code].entries]
            lines.append(canonical_bytes([code, entries]))
        return b"\n".join(lines)

    @classmethod
    def from_bytes(cls, data: bytes, start: int = 0) -> Portfolio:
        """Inverse of :meth:`to_bytes` of the bytes of ``data`` from ``start`` on (a stored
        checkpoint holds an anchor before them), parsed one line (one project) at a time."""
        end = _line_end(data, start)
        value = json.loads(data[start:end])
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            found = value.get("format") if isinstance(value, dict) else None
            raise ProjectionGap(
                "Dữ liệu điểm kiểm tra của bảng tổng hợp có định dạng khác; hãy dựng lại",
                f"portfolio checkpoint has format {found!r}, expected {FORMAT}; rebuild it",
                field="format",
                rule_id="projection_format",
            )
        timelines: dict[str, ProjectTimeline] = {}
        size = len(data)
        while end < size:
            start = end + 1
            end = _line_end(data, start)
            code, entries = _DECODE(data[start:end].decode("utf-8"))[0]
            timelines[code] = ProjectTimeline(code, entries_from_json(entries))
        if len(timelines) != value["projects"]:
            raise ValueError(
                f"the checkpoint names {value['projects']} projects and holds {len(timelines)}"
            )
        return cls(int(value["position"]), timelines)


_DECODE = json.JSONDecoder().raw_decode


def _line_end(data: bytes, start: int) -> int:
    """Where the line starting at ``start`` ends (its newline's index, or the end)."""
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end


def layout_digest(writers: Sequence[Any] | None = None) -> str:
    """A short digest of the code that writes and reads a stored portfolio, computed from it.

    Why computed and not a layout number raised by hand: a number is forgotten when the layout
    changes, and a checkpoint would then be misread. The digest covers :meth:`Portfolio.to_bytes`,
    :meth:`Portfolio.from_bytes`, :meth:`TimelineEntry.to_json` and :func:`entries_from_json`
    with the helpers of their modules they call (see
    :func:`~dautu_core.review.timeline.code_fingerprint`). ``writers`` replaces that list (for
    tests). A new Python version may compile the same source differently; the projection is
    then rebuilt once, which is slower but never wrong.
    """
    functions = writers or (
        Portfolio.to_bytes,
        Portfolio.from_bytes.__func__,  # type: ignore[attr-defined]
        TimelineEntry.to_json,
        entries_from_json,
    )
    digest = hashlib.sha256()
    seen: set[str] = set()
    for function in functions:
        module = sys.modules[function.__module__]
        digest.update(function.__qualname__.encode())
        digest.update(code_fingerprint(function.__code__, vars(module), seen, module.__name__))
    return digest.hexdigest()[:12]


LAYOUT = layout_digest()
"""Version of the portfolio's own serialised layout (:meth:`Portfolio.to_bytes`: a header line,
then one line per project), :func:`layout_digest` of the code at import."""

FORMAT = f"{LAYOUT}.{EXTRACTION_VERSION}"
"""Version of the serialised form: the layout and the timeline extraction
(:data:`~dautu_core.review.timeline.EXTRACTION_VERSION`), both digests of the code computed at
import, never bumped by hand. A checkpoint in another format, including one folded by an older
extraction or written in another layout, is rebuilt, not misread."""


def _gap(vi: str, en: str, project_code: str | None = None) -> ProjectionGap:
    return ProjectionGap(
        vi, en, project_code=project_code, field="position", rule_id="projection_contiguous"
    )


def apply_records(
    portfolio: Portfolio, records: Iterable[StoredRecord], upcasters: Upcasters = NO_UPCASTERS
) -> Portfolio:
    """Fold ``records`` (the log right after ``portfolio.position``) into the portfolio.

    Raises :class:`ProjectionGap` if a global position or a project version is skipped or
    repeated; nothing is folded in that case.
    """
    position = portfolio.position
    added: dict[str, list[TimelineEntry]] = {}
    for record in records:
        if record.position != position + 1:
            raise _gap(
                f"Bỏ sót hoặc lặp bản ghi: chờ vị trí {position + 1}, nhận {record.position}",
                f"skipped or repeated record: expected position {position + 1}, got "
                f"{record.position}",
                record.project_code,
            )
        position = record.position
        pending = added.get(record.project_code)
        if pending is None:
            pending = added[record.project_code] = []
            known = portfolio.timelines.get(record.project_code)
            last = known.last_version if known is not None else 0
        else:
            last = pending[-1].version
        if record.version != last + 1:
            raise _gap(
                f"Bỏ sót hoặc lặp sự kiện của dự án: chờ phiên bản {last + 1}, nhận "
                f"{record.version}",
                f"skipped or repeated event of the project: expected version {last + 1}, got "
                f"{record.version}",
                record.project_code,
            )
        pending.append(entry_from_record(record, upcasters))
    if not added:
        return portfolio
    timelines = dict(portfolio.timelines)
    for code, entries in added.items():
        known = timelines.get(code)
        base = known.entries if known is not None else ()
        timelines[code] = ProjectTimeline(code, base + tuple(entries))
    return Portfolio(position, timelines)


@attrs.frozen
class PortfolioProjection:
    """The portfolio as a named projection: what a projection runner needs to know.

    ``name`` is the checkpoint's name; it carries the format so that a new format starts from
    zero instead of misreading an old checkpoint.
    """

    name: str = f"dautu.portfolio.v{FORMAT}"
    upcasters: Upcasters = NO_UPCASTERS

    def initial(self) -> Portfolio:
        return Portfolio()

    def apply(self, state: Portfolio, records: Sequence[StoredRecord]) -> Portfolio:
        return apply_records(state, records, self.upcasters)

    def encode(self, state: Portfolio) -> bytes:
        return state.to_bytes()

    def decode(self, data: bytes, start: int = 0) -> Portfolio:
        return Portfolio.from_bytes(data, start)


@attrs.frozen(kw_only=True)
class DelayedProject:
    """A project the review calls behind schedule (:func:`~dautu_core.review.rules.behind_schedule`)
    and by how many whole months per milestone (``0``: a delay recorded before the due date)."""

    project_code: str
    project_name: str | None
    district: str | None
    months_late: Mapping[str, int]


@attrs.frozen(kw_only=True)
class PortfolioSummary:
    """The portfolio's answers on one date (see :func:`summarize`)."""

    as_of: date
    review: PortfolioReview
    by_status: Mapping[str, int]
    by_district: Mapping[str, int]
    by_sector: Mapping[str, int]
    delayed: tuple[DelayedProject, ...]
    open_violations: Mapping[ViolationCategory, int]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "by_track": {t.value: n for t, n in self.review.counts.items()},
            "by_status": dict(self.by_status),
            "by_district": dict(self.by_district),
            "by_sector": dict(self.by_sector),
            "delayed": [
                {
                    "code": d.project_code,
                    "name": d.project_name,
                    "district": d.district,
                    "months_late": dict(d.months_late),
                }
                for d in self.delayed
            ],
            "open_violations": {c.value: n for c, n in self.open_violations.items()},
        }


def _count(counts: dict[str, int], key: str | None, unknown: str) -> None:
    name = key if key is not None else unknown
    counts[name] = counts.get(name, 0) + 1


def summarize(
    portfolio: Portfolio,
    as_of: date,
    rulebooks: ReviewRulebook | ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
    *,
    known_at: datetime | None = None,
    review_round: str | None = None,
) -> PortfolioSummary:
    """Counts by track, status, district and sector, delayed projects with months late per
    milestone, and open violations by category, as of ``as_of``.

    Projects with no approval in effect on ``as_of`` count under :data:`NOT_APPROVED` status and
    nowhere else; terminated projects are not listed as delayed. "Delayed" is the review's own
    definition (:func:`~dautu_core.review.rules.behind_schedule` with the rulebook's parameters):
    a milestone late by the rulebook's threshold, or a delay recorded before it was due.
    """
    book = rulebooks if isinstance(rulebooks, ReviewRulebook) else rulebooks.in_force(as_of)
    by_status: dict[str, int] = {}
    by_district: dict[str, int] = {}
    by_sector: dict[str, int] = {}
    violations: dict[ViolationCategory, int] = {}
    delayed: list[DelayedProject] = []
    reviews = []
    for code in sorted(portfolio.timelines):
        facts = facts_as_of(portfolio.timelines[code], as_of, known_at)
        reviews.append(judge(facts, book, review_round))
        if facts.status is None:
            _count(by_status, NOT_APPROVED, NOT_APPROVED)
            continue
        _count(by_status, facts.status.value, NOT_APPROVED)
        _count(by_district, facts.district, "")
        _count(by_sector, facts.sector, "")
        for category, n in facts.open_violations_by_category().items():
            violations[category] = violations.get(category, 0) + n
        late = behind_schedule(facts, book.parameters)
        if late and facts.status is not ProjectStatus.TERMINATED:
            delayed.append(
                DelayedProject(
                    project_code=code,
                    project_name=facts.project_name,
                    district=facts.district,
                    months_late=late,
                )
            )
    return PortfolioSummary(
        as_of=as_of,
        review=PortfolioReview(as_of=as_of, rulebook=book, projects=tuple(reviews)),
        by_status=dict(sorted(by_status.items())),
        by_district=dict(sorted(by_district.items())),
        by_sector=dict(sorted(by_sector.items())),
        delayed=tuple(delayed),
        open_violations=dict(sorted(violations.items())),
    )
