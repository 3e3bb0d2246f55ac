"""Spreadsheet formula injection: text cells that a spreadsheet would run as a formula.

Why: a project name, a reason or a document reference is typed by someone outside the
department (an investor's letter, an imported file, a caller of the library). A cell that
begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read by Excel and
LibreOffice as a formula when the exported file is opened: ``=HYPERLINK("http://…","Bấm vào
đây")`` or a ``DDE`` call would run in the auditor's spreadsheet. Following OWASP
(https://owasp.org/www-community/attacks/CSV_Injection), such a cell gets an apostrophe in
front (``'=1+1``), in CSV and in ``.xlsx`` alike; in ``.xlsx`` it is moreover a typed string
cell with Excel's quote prefix, never a formula element (openpyxl would otherwise write
``=…`` as a formula). A text that already begins with apostrophes before a trigger gets one
more, so the mapping is one-to-one. Numbers and dates stay typed cells: a negative amount is
still a number.

The workbook import removes exactly that one apostrophe again (:func:`restore`) and takes
what follows as text, not as a formula (:class:`QuotedText`): an export imported back gives
the same record.

The full-width forms (``＝ ＋ － ＠``), which some input methods produce and some spreadsheets
accept as formula signs, are treated the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FORMULA_TRIGGERS",
    "QuotedText",
    "is_formula_like",
    "neutralise",
    "protect_xlsx_cell",
    "restore",
]

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""The first characters that make a spreadsheet read a cell as a formula."""


class QuotedText(str):
    """Text that was marked as text by a leading apostrophe (now removed): ``=…`` in it is
    what was typed, not a formula."""

    __slots__ = ()


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: an apostrophe in front of a formula-like
    text (and of one that already begins with apostrophes before a trigger)."""
    if is_formula_like(text.lstrip("'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`, for the import: a :class:`QuotedText` when an
    apostrophe was removed, else ``text`` itself."""
    if text.startswith("'") and is_formula_like(text.lstrip("'")):
        return QuotedText(text[1:])
    return text


def protect_xlsx_cell(cell: Any) -> None:
    """Neutralise an openpyxl cell holding formula-like text: apostrophe in front, a string
    cell, Excel's quote prefix."""
    value = cell.value
    if isinstance(value, str) and is_formula_like(value.lstrip("'")):
        cell.value = neutralise(value)
        cell.data_type = "s"
        cell.quotePrefix = True
