"""The review as officials read it: a terminal table, CSV for Excel, JSON for scripts.

Vietnamese by default, English with ``lang="en"``. CSV is UTF-8 *with* BOM (Excel on Windows
reads UTF-8 without a BOM as the system code page and garbles Vietnamese); dates in Vietnamese
text and in the Vietnamese CSV are ``dd/mm/yyyy`` like the workbook, ISO 8601 in English and in
JSON. Counts group thousands as each language writes them (:func:`dautu_core.text.format_count`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from dautu_adapters.exporters.cells import neutralise
from dautu_adapters.workbook.places import place_now
from dautu_core.dates import format_vi_date
from dautu_core.projections import NOT_APPROVED, PortfolioSummary
from dautu_core.review import PortfolioReview, ProjectReview, Track
from dautu_core.review.rules import milestone_label
from dautu_core.text import format_count
from dautu_core.vocab import ProjectStatus

__all__ = [
    "CSV_COLUMNS",
    "LABELS",
    "REVIEW_DATE_INDEX",
    "decision_text",
    "render_counts",
    "render_overview",
    "render_summary",
    "render_table",
    "review_csv",
    "review_document",
    "review_json",
    "review_rows",
    "status_label",
]

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "RÀ SOÁT DỰ ÁN ĐẦU TƯ NGOÀI KHU CÔNG NGHIỆP",
        "as_of": "ngày",
        "rulebook": "Bộ quy tắc",
        "track": "Phương án xử lý đề xuất",
        "count": "Số dự án",
        "total": "Tổng cộng",
        "projects": "dự án",
        "decision": "Quyết định của Sở",
        "agrees": "đồng ý",
        "differs": "KHÁC",
        "none": "chưa có",
        "disagreements": "Quyết định của Sở khác với đề xuất của bộ quy tắc",
        "no_disagreement": "Quyết định đã ghi nhận đều khớp với đề xuất.",
        "empty": "Kho chưa có dự án nào.",
        "also": "cũng thuộc",
        "status": "Theo tình trạng",
        "district": "Theo địa bàn",
        "sector": "Theo lĩnh vực",
        "delayed": "Dự án chậm tiến độ (số tháng chậm theo mốc)",
        "violations": "Vi phạm chưa khắc phục theo loại",
        "months": "tháng",
        "found_behind": "đã ghi nhận chậm tiến độ (chưa đến hạn)",
        "not_approved": "Chưa được chấp thuận",
        "notes": "Ghi chú về căn cứ pháp lý",
    },
    "en": {
        "title": "REVIEW OF INVESTMENT PROJECTS OUTSIDE INDUSTRIAL ZONES",
        "as_of": "as of",
        "rulebook": "Rulebook",
        "track": "Proposed handling track",
        "count": "Projects",
        "total": "Total",
        "projects": "projects",
        "decision": "Department's decision",
        "agrees": "agrees",
        "differs": "DIFFERS",
        "none": "none",
        "disagreements": "Department decisions that differ from the rulebook's proposal",
        "no_disagreement": "Every recorded decision matches the proposal.",
        "empty": "The store has no project yet.",
        "also": "also",
        "status": "By status",
        "district": "By district",
        "sector": "By sector",
        "delayed": "Projects behind schedule (months late per milestone)",
        "violations": "Open violations by category",
        "months": "months",
        "found_behind": "found behind (not yet due)",
        "not_approved": "Not approved yet",
        "notes": "Notes on the legal basis",
    },
}


def _fit(text: str | None, width: int) -> str:
    value = text or "-"
    if len(value) > width:
        value = value[: width - 1] + "…"
    return value.ljust(width)


def _day(day: date, lang: str) -> str:
    return format_vi_date(day) if lang == "vi" else day.isoformat()


def render_counts(review: PortfolioReview, lang: str = "vi") -> str:
    """The counts per track, one line each, with the article's wording in Vietnamese."""
    t = LABELS[lang]
    width = max(len(track.label(lang)) for track in review.counts) + 2
    lines = [f"{t['track'].ljust(width)}{t['count']:>9}", "-" * (width + 9)]
    for track, n in review.counts.items():
        lines.append(f"{track.label(lang).ljust(width)}{format_count(n, lang):>9}")
    lines.append("-" * (width + 9))
    lines.append(f"{t['total'].ljust(width)}{format_count(len(review.projects), lang):>9}")
    return "\n".join(lines)


def decision_text(project: ProjectReview, lang: str) -> str:
    """The department's recorded decision against the proposal: none, agrees, or differs."""
    t = LABELS[lang]
    if project.decision is None:
        return t["none"]
    if project.agrees_with_decision:
        return t["agrees"]
    try:
        decided = Track(project.decision.track).short(lang)
    except ValueError:
        decided = project.decision.track
    return f"{t['differs']}: {decided}"


_NOTE = re.compile(r" \[([^\[\]]+)\]")


def _footnoted(citation: str, notes: dict[str, int]) -> str:
    """``citation`` with each bracketed note (``[số khoản theo trí nhớ, chưa xác minh]``)
    replaced by its number in ``notes``, which collects them in order of first use."""

    def number(match: re.Match[str]) -> str:
        return f" [{notes.setdefault(match.group(1), len(notes) + 1)}]"

    return _NOTE.sub(number, citation)


def _project_lines(project: ProjectReview, lang: str, notes: dict[str, int]) -> list[str]:
    t = LABELS[lang]
    head = (
        f"  {_fit(project.project_code, 10)} {_fit(project.project_name, 46)} "
        f"{_fit(project.district, 17)} {t['decision']}: {decision_text(project, lang)}"
    )
    lines = [head]
    primary = [r for r in project.reasons if r.track is project.primary_track]
    for reason in primary:
        detail = reason.detail_vi if lang == "vi" else reason.detail_en
        citation = reason.citation_vi if lang == "vi" else reason.citation
        lines.append(f"{'':13}{detail[:1].upper()}{detail[1:]}")
        lines.append(f"{'':13}[{reason.rule_id}] {_footnoted(citation, notes)}")
    others = [track.short(lang) for track in project.tracks if track is not project.primary_track]
    if others:
        lines.append(f"{'':13}{t['also']}: {', '.join(others)}")
    return lines


def _heading(review: PortfolioReview, lang: str) -> list[str]:
    t = LABELS[lang]
    book = review.rulebook
    title = book.title_vi if lang == "vi" else book.title_en
    return [
        f"{t['title']} — {t['as_of']} {_day(review.as_of, lang)}",
        f"{t['rulebook']}: {book.id} ({title})",
        "",
    ]


def render_overview(review: PortfolioReview, lang: str = "vi") -> str:
    """The title and the counts per track only: what fits on a screen (``dautu demo``)."""
    out = _heading(review, lang)
    if not review.projects:
        out.append(LABELS[lang]["empty"])
    else:
        out.append(render_counts(review, lang))
    return "\n".join(out) + "\n"


def render_table(review: PortfolioReview, lang: str = "vi") -> str:
    """The full review for a terminal: counts, then every project grouped by primary track."""
    t = LABELS[lang]
    out = _heading(review, lang)
    if not review.projects:
        out.append(t["empty"])
        return "\n".join(out)
    out += [render_counts(review, lang), ""]
    # A citation's note (what was not verified) is the same for dozens of projects: it is
    # numbered and written once, at the end.
    notes: dict[str, int] = {}
    for track in review.counts:
        members = [p for p in review.projects if p.primary_track is track]
        if not members:
            continue
        out.append(f"== {track.label(lang)}: {format_count(len(members), lang)} {t['projects']} ==")
        for project in members:
            out += _project_lines(project, lang, notes)
        out.append("")
    differ = review.disagreements
    if differ:
        out.append(f"{t['disagreements']} ({format_count(len(differ), lang)}):")
        for project in differ:
            assert project.decision is not None
            out.append(
                f"  {project.project_code}: {project.primary_track.short(lang)} -> "
                f"{decision_text(project, lang)} ({_day(project.decision.on, lang)})"
            )
    elif any(p.decision is not None for p in review.projects):
        out.append(t["no_disagreement"])
    if notes:
        out += ["", f"{t['notes']}:"]
        out += [f"  [{n}] {note}" for note, n in notes.items()]
    return "\n".join(out).rstrip() + "\n"


def render_summary(summary: PortfolioSummary, lang: str = "vi") -> str:
    """Portfolio counts by status, district and sector, delays and open violations."""
    t = LABELS[lang]
    out = [render_counts(summary.review, lang), ""]
    statuses = {status_label(name, lang): n for name, n in summary.by_status.items()}
    for key, counts in (
        ("status", statuses),
        ("district", summary.by_district),
        ("sector", summary.by_sector),
    ):
        out.append(f"{t[key]}:")
        out += [f"  {_fit(name, 40)} {format_count(n, lang):>7}" for name, n in counts.items()]
        out.append("")
    out.append(f"{t['violations']}:")
    out += [
        f"  {_fit(c.label(lang), 40)} {format_count(n, lang):>7}"
        for c, n in summary.open_violations.items()
    ]
    out += ["", f"{t['delayed']}: {format_count(len(summary.delayed), lang)}"]
    for delayed in summary.delayed:
        late = ", ".join(
            f"{milestone_label(k, lang)} "
            + (f"{format_count(m, lang)} {t['months']}" if m else t["found_behind"])
            for k, m in delayed.months_late.items()
        )
        out.append(f"  {_fit(delayed.project_code, 10)} {late}")
    return "\n".join(out) + "\n"


def review_document(review: PortfolioReview, lang: str = "vi") -> dict[str, Any]:
    """``{"as_of", "rulebook", "counts", "labels", "projects", "disagreements"}``: the review as
    data; each project also says what its place is called now (``place_now``, ``null`` when the
    name did not change or the places dataset is not installed)."""
    data = review.to_dict(lang)
    for project in data["projects"]:
        project["place_now"] = place_now(project["province"], project["district"], review.as_of)
    return data


def review_json(review: PortfolioReview, lang: str = "vi") -> str:
    """:func:`review_document` on one line (the indented encoder is the pure-Python one,
    seconds slower on a province of 10,000 projects; pipe it to ``jq`` to read it)."""
    return json.dumps(review_document(review, lang), ensure_ascii=False) + "\n"


CSV_COLUMNS: dict[str, Sequence[str]] = {
    "vi": (
        "Mã dự án",
        "Tên dự án",
        "Địa bàn",
        "Tình trạng",
        "Phương án đề xuất (mã)",
        "Phương án đề xuất",
        "Các phương án thỏa mãn",
        "Quy tắc",
        "Căn cứ pháp lý",
        "Sự kiện căn cứ (mã dự án@phiên bản)",
        "Diễn giải",
        "Quyết định của Sở (mã)",
        "Khớp với đề xuất",
        "Ngày rà soát",
        "Địa danh hiện nay",
    ),
    "en": (
        "Project code",
        "Project name",
        "District",
        "Status",
        "Proposed track (id)",
        "Proposed track",
        "All tracks that hold",
        "Rules",
        "Legal basis",
        "Triggering events (code@version)",
        "Details",
        "Department decision (id)",
        "Agrees with proposal",
        "Review date",
        "Place name now",
    ),
}


REVIEW_DATE_INDEX = CSV_COLUMNS["en"].index("Review date")
"""Where the review date is in a row of :func:`review_rows` (``dd/mm/yyyy`` in Vietnamese, ISO
in English; the workbook puts a real date there, shown the same way)."""


def status_label(status: str | None, lang: str) -> str:
    """A project status id of the review (or ``not_approved``) in words."""
    if status is None:
        return ""
    if status == NOT_APPROVED:
        return LABELS[lang]["not_approved"]
    return ProjectStatus(status).label(lang)


def review_rows(review: PortfolioReview, lang: str = "vi") -> list[tuple[str, ...]]:
    """One row per project, in the columns of ``CSV_COLUMNS`` (shared by CSV and Excel)."""
    yes, no = ("có", "không") if lang == "vi" else ("yes", "no")
    review_day = _day(review.as_of, lang)
    rows: list[tuple[str, ...]] = []
    for p in review.projects:
        agrees = p.agrees_with_decision
        rows.append(
            (
                p.project_code,
                p.project_name or "",
                p.district or "",
                status_label(p.status, lang),
                p.primary_track.value,
                p.primary_track.label(lang),
                "; ".join(t.value for t in p.tracks),
                "; ".join(r.rule_id for r in p.reasons),
                " | ".join(r.citation_vi if lang == "vi" else r.citation for r in p.reasons),
                "; ".join(f"{e.project_code}@{e.version}" for r in p.reasons for e in r.events),
                " | ".join(r.detail_vi if lang == "vi" else r.detail_en for r in p.reasons),
                "" if p.decision is None else p.decision.track,
                "" if agrees is None else (yes if agrees else no),
                review_day,
                place_now(p.province, p.district, review.as_of) or "",
            )
        )
    return rows


def review_csv(review: PortfolioReview, lang: str = "vi") -> bytes:
    """One row per project; UTF-8 with BOM so that Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS[lang])
    writer.writerows([neutralise(cell) for cell in row] for row in review_rows(review, lang))
    return buffer.getvalue().encode("utf-8-sig")
