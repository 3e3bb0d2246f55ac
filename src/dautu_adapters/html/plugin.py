"""The builtin HTML plugin (entry point ``html = "dautu_adapters.html.plugin"``).

It registers the ``timeline`` and ``review-html`` exporters through the same hook a
province's plugin uses. Jinja2 (the ``html`` extra) is imported only when a page is written,
so ``dautu plugins`` and the other exporters work without it.
"""

from __future__ import annotations

from dautu_adapters.hookspecs import RegisterExporter, hookimpl
from dautu_adapters.html.review_page import export_review_html
from dautu_adapters.html.timeline import TIMELINE_OPTIONS, export_timeline
from dautu_adapters.review.export import REVIEW_OPTIONS

__all__ = ["dautu_register_exporters"]


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "timeline",
        export_timeline,
        "Trang HTML diễn biến một dự án (kế hoạch và thực tế, sự kiện, kiểm tra chuỗi) / "
        "one project's timeline as a self-contained HTML page (plan against what happened, "
        "events, chain verification)",
        options=TIMELINE_OPTIONS,
    )
    register(
        "review-html",
        export_review_html,
        "Kết quả rà soát, trang HTML sắp xếp và lọc được / the review as a self-contained HTML "
        "page, sortable and filterable",
        options=REVIEW_OPTIONS,
    )
