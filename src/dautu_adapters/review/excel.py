"""The review as a real Excel workbook (``dautu export review-xlsx``).

Why a workbook and not only CSV: officials open results in Excel, sort and filter them, and
send them on. A CSV with a BOM opens, but loses the counts sheet, column widths and dates typed
as dates. The workbook has two sheets: the counts per handling track (the table of the
article) and one row per project with its reasons and citations. ``openpyxl`` comes with the
``excel`` extra (``pip install "dautu[excel]"``).
"""

from __future__ import annotations

import io

from dautu_adapters.exporters.cells import protect_xlsx_cell
from dautu_adapters.review.render import CSV_COLUMNS, REVIEW_DATE_INDEX, review_rows
from dautu_core.errors import DautuError
from dautu_core.review import PortfolioReview

__all__ = ["review_xlsx"]

_SHEETS = {
    "vi": ("Tổng hợp", "Dự án", "Phương án xử lý", "Mã", "Số dự án", "Tổng cộng", "Ngày rà soát"),
    "en": ("Summary", "Projects", "Handling track", "Id", "Projects", "Total", "Review date"),
}
_WIDTHS = (14, 42, 18, 18, 28, 48, 40, 40, 60, 30, 80, 28, 12, 12)


def review_xlsx(review: PortfolioReview, lang: str = "vi") -> bytes:
    """The review as ``.xlsx`` bytes: a counts sheet and a sheet of projects."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:  # pragma: no cover - the excel extra is installed in tests
        raise DautuError(
            'Xuất Excel cần gói openpyxl: pip install "dautu[excel]"',
            'Excel export needs openpyxl: pip install "dautu[excel]"',
            rule_id="dependency_missing",
        ) from exc
    summary_title, projects_title, track_h, id_h, count_h, total_h, date_h = _SHEETS[lang]
    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = summary_title
    summary.append([date_h, review.as_of])
    summary["B1"].number_format = "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"
    summary.append([])
    summary.append([track_h, id_h, count_h])
    counts = review.counts
    for track, count in counts.items():
        summary.append([track.label(lang), track.value, count])
    summary.append([total_h, "", sum(counts.values())])
    for cell in (*summary[3], *summary[summary.max_row], summary["A1"]):
        cell.font = bold
    summary.column_dimensions["A"].width = 70
    summary.column_dimensions["B"].width = 32

    projects = book.create_sheet(projects_title)
    projects.append(list(CSV_COLUMNS[lang]))
    for cell in projects[1]:
        cell.font = bold
    for number, row in enumerate(review_rows(review, lang), start=2):
        cells: list[object] = list(row)
        cells[REVIEW_DATE_INDEX] = review.as_of
        projects.append(cells)
        for cell in projects[number]:
            protect_xlsx_cell(cell)
        projects.cell(row=number, column=REVIEW_DATE_INDEX + 1).number_format = (
            "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"
        )
    projects.freeze_panes = "B2"
    projects.auto_filter.ref = projects.dimensions
    for index, width in enumerate(_WIDTHS, start=1):
        projects.column_dimensions[projects.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
