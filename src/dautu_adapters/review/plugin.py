"""The builtin review plugin (entry point ``review = "dautu_adapters.review.plugin"``).

It registers dautu's review rulebooks and review exporters through the same hooks a province's
plugin uses, so the builtins have no privileged path: a province replaces a rulebook by
registering one with the same id.
"""

from __future__ import annotations

from dautu_adapters.hookspecs import RegisterExporter, RegisterReviewRulebook, hookimpl
from dautu_adapters.review.export import (
    REVIEW_OPTIONS,
    export_review_csv,
    export_review_json,
    export_review_xlsx,
)
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS

__all__ = ["dautu_register_exporters", "dautu_register_review_rulebooks"]


@hookimpl
def dautu_register_review_rulebooks(register: RegisterReviewRulebook) -> None:
    for book in BUILTIN_REVIEW_RULEBOOKS.books:
        register(book)


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "review-csv",
        export_review_csv,
        "Kết quả rà soát, CSV UTF-8 có BOM / review results, CSV (UTF-8 with BOM)",
        options=REVIEW_OPTIONS,
    )
    register(
        "review-xlsx",
        export_review_xlsx,
        "Kết quả rà soát, tệp Excel (.xlsx) / review results, Excel workbook (.xlsx)",
        options=REVIEW_OPTIONS,
    )
    register(
        "review-json",
        export_review_json,
        "Kết quả rà soát, JSON / review results, JSON",
        options=REVIEW_OPTIONS,
    )
