"""The review exporters: ``dautu export review-csv``, ``review-xlsx`` and ``review-json``.

Registered by the builtin ``review`` plugin through ``dautu_register_exporters`` with the
options :data:`REVIEW_OPTIONS`: ``as_of`` (``--as-of``; default today in Vietnam),
``project`` (``--project``: only that project's row, and counts of that project alone),
``review_round`` (which recorded decision to compare with; default the latest); and the
context ``lang`` (``vi`` or ``en``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dautu_adapters.exporters.options import ExporterOption
from dautu_adapters.hookspecs import requires
from dautu_adapters.review.render import review_csv, review_json
from dautu_adapters.review.reviewing import review_store
from dautu_core import dates
from dautu_core.dates import VIETNAM_TIME
from dautu_core.errors import UnknownProject
from dautu_core.ports import EventStore
from dautu_core.review import PortfolioReview

__all__ = [
    "REVIEW_OPTIONS",
    "export_review_csv",
    "export_review_json",
    "export_review_xlsx",
    "parse_as_of",
]

REVIEW_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption(
        "as_of",
        date,
        "ngày rà soát (mặc định hôm nay) / review date (default today)",
    ),
    ExporterOption(
        "project",
        str,
        "chỉ rà soát dự án này / review only this project",
    ),
    ExporterOption(
        "review_round",
        str,
        "đợt rà soát có quyết định để so sánh (mặc định đợt gần nhất) / the review round whose "
        "recorded decisions are compared (default the latest)",
    ),
)


def parse_as_of(value: object, field: str = "as_of") -> date:
    """A review date from a ``date``, ``None`` (today in Vietnam, whatever the server's time
    zone) or text as officials type it (:func:`dautu_core.dates.parse_date`)."""
    if value is None:
        return datetime.now(VIETNAM_TIME).date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return dates.parse_date(str(value), field=field)


def _today(options: Mapping[str, Any]) -> date:
    now = options.get("now")
    if isinstance(now, datetime):
        return now.astimezone(VIETNAM_TIME).date()
    return datetime.now(VIETNAM_TIME).date()


def _review(store: EventStore, options: Mapping[str, Any]) -> tuple[PortfolioReview, str]:
    lang = str(options.get("lang") or "vi")
    as_of = options.get("as_of")
    project = options.get("project")
    codes = None if project is None else [str(project)]
    review = review_store(
        store,
        _today(options) if as_of is None else parse_as_of(as_of),
        review_round=options.get("review_round"),
        project_codes=codes,
    )
    if project is not None and not review.projects:
        raise UnknownProject.not_in_store(str(project))
    return review, lang


def _target(out: Path, review: PortfolioReview, suffix: str) -> Path:
    if out.is_dir():
        return out / f"review-{review.as_of.isoformat()}.{suffix}"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def export_review_csv(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """The review as CSV (UTF-8 with BOM, one row per project)."""
    review, lang = _review(store, options)
    path = _target(Path(out), review, "csv")
    path.write_bytes(review_csv(review, lang))
    return [path]


def export_review_json(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """The review as JSON (the same document as ``dautu review --format json``)."""
    review, lang = _review(store, options)
    path = _target(Path(out), review, "json")
    path.write_text(review_json(review, lang), encoding="utf-8")
    return [path]


@requires("openpyxl", install="dautu[excel]")
def export_review_xlsx(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """The review as an Excel workbook (a counts sheet and a sheet of projects)."""
    from dautu_adapters.review.excel import review_xlsx

    review, lang = _review(store, options)
    path = _target(Path(out), review, "xlsx")
    path.write_bytes(review_xlsx(review, lang))
    return [path]
