"""``dautu export review-html``: the review as the department would present it.

The counts per track (the article's table) and a chart of them, then the projects of each
track with their reasons and citations, in tables that sort and filter in the browser without
a server. The data is :func:`dautu_adapters.review.render.review_document` (what ``dautu review
--format json`` prints), once per language; the wording of statuses and decisions is the
review renderer's own (:func:`~dautu_adapters.review.render.status_label`,
:func:`~dautu_adapters.review.render.decision_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from dautu_adapters.html.chart import bar_chart
from dautu_adapters.html.page import LANGS, bilingual_date, bilingual_time, render_page, write_page
from dautu_adapters.review.export import _review as review_from_options
from dautu_adapters.review.render import LABELS, decision_text, review_document, status_label
from dautu_core.ports import EventStore
from dautu_core.review import PortfolioReview, Track

__all__ = ["export_review_html", "review_context", "review_page"]


def _track_short(track_id: str, lang: str) -> str:
    try:
        return Track(track_id).short(lang)
    except ValueError:
        return track_id


def review_context(review: PortfolioReview) -> dict[str, Any]:
    """What the template shows, from the review document in both languages."""
    docs = {lang: review_document(review, lang) for lang in LANGS}
    vi, en = docs["vi"], docs["en"]
    counts = [
        {"id": track, "count": n, "label": {"vi": vi["labels"][track], "en": en["labels"][track]}}
        for track, n in vi["counts"].items()
    ]
    chart = bar_chart([(c["id"], c["count"], c["label"]["vi"], c["label"]["en"]) for c in counts])
    projects = []
    for item, project, item_en in zip(vi["projects"], review.projects, en["projects"], strict=True):
        reasons = [
            {
                "rule_id": r_vi["rule_id"],
                "track": r_vi["track"],
                "primary": r_vi["track"] == item["primary_track"],
                "detail": {"vi": r_vi["detail"], "en": r_en["detail"]},
                "citation": {"vi": r_vi["citation"], "en": r_en["citation"]},
                "events": [f"{e['project_code']}@{e['version']}" for e in r_vi["events"]],
                "assumption": r_vi["assumption"],
            }
            for r_vi, r_en in zip(item["reasons"], item_en["reasons"], strict=True)
        ]
        projects.append(
            {
                "code": item["code"],
                "name": item["name"] or "",
                "district": item["district"] or "",
                "place_now": item["place_now"],
                "status": {lang: status_label(item["status"], lang) for lang in LANGS},
                "primary_track": item["primary_track"],
                "also": [
                    {lang: _track_short(t, lang) for lang in LANGS}
                    for t in item["tracks"]
                    if t != item["primary_track"]
                ],
                "reasons": reasons,
                "decision": {lang: decision_text(project, lang) for lang in LANGS},
                "agrees": item["agrees_with_decision"],
            }
        )
    sections = [
        {**count, "projects": [p for p in projects if p["primary_track"] == count["id"]]}
        for count in counts
    ]
    return {
        "as_of": bilingual_date(review.as_of),
        "as_of_iso": review.as_of.isoformat(),
        "rulebook": {
            "id": vi["rulebook"]["id"],
            "title": {"vi": vi["rulebook"]["title"], "en": en["rulebook"]["title"]},
            "assumptions": vi["rulebook"]["assumptions"],
        },
        "counts": counts,
        "total": len(projects),
        "chart": chart,
        "sections": sections,
        "disagreements": [p for p in projects if p["code"] in set(vi["disagreements"])],
        "labels": LABELS,
    }


def review_page(
    review: PortfolioReview, *, generated_at: datetime | None = None, lang: str = "vi"
) -> str:
    """The review page (HTML text)."""
    context = review_context(review) | {"generated_at": bilingual_time(generated_at)}
    return render_page("review.html.j2", context, lang)


def export_review_html(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Exporter ``review-html``, with the review exporters' options
    (:data:`~dautu_adapters.review.export.REVIEW_OPTIONS`: ``as_of``, ``project``,
    ``review_round``) read the same way; ``lang`` is the language shown first (both are in
    the page)."""
    review, lang = review_from_options(store, options)
    now = options.get("now")
    text = review_page(review, generated_at=now if isinstance(now, datetime) else None, lang=lang)
    return [write_page(Path(out), f"review-{review.as_of.isoformat()}.html", text)]
