"""openpyxl's read-only reader, with text cells of inline strings read without building
``Text`` objects.

Why: openpyxl writes every text cell as an inline string (``<c t="inlineStr"><is><t>…``), so a
workbook exported by dautu (and any other openpyxl-written file) reads back through
``Text.from_tree(child).content`` for each text cell: a full descriptor-checked ``Text`` object,
with its rich-text runs and phonetic parts, only to join its plain text again. On the import
benchmark that is about a fifth of an import's time. Files saved by Excel or LibreOffice use the
shared-string table instead and do not go through it.

Private interface: ``openpyxl.worksheet._reader`` imports ``Text`` as a module global and
calls ``Text.from_tree(child).content`` in ``WorkSheetParser.parse_cell`` (openpyxl 3.1).
:func:`plain_inline_strings` puts in its place, while a workbook is read, a class whose
``from_tree`` gives the same ``content`` (the ``<t>`` text, then each run's ``<t>`` text, in
order; phonetic parts left out, as ``Text.content`` does). When the module global is not
openpyxl's ``Text`` (an upgrade moved it, or someone else replaced it), nothing is changed and
openpyxl's own path is taken: the same values, slower. ``tests/workbook/test_fenced_openpyxl.py``
fails loudly when the call it relies on is gone, and checks the content against ``Text``'s.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["InlineText", "fast_path_available", "plain_inline_strings"]

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_T = f"{{{_NS}}}t"
_R = f"{{{_NS}}}r"

_lock = threading.Lock()
_depth = 0


class InlineText:
    """What ``parse_cell`` needs of a ``Text``: its ``content``, from the element."""

    __slots__ = ("content",)

    def __init__(self, content: str) -> None:
        self.content = content

    @classmethod
    def from_tree(cls, node: Any) -> InlineText:
        plain = node.find(_T)
        snippets = [] if plain is None or plain.text is None else [plain.text]
        for run in node.iterfind(_R):
            text = run.find(_T)
            if text is not None and text.text is not None:
                snippets.append(text.text)
        return cls("".join(snippets))


def _reader_module() -> Any:
    from openpyxl.worksheet import _reader

    return _reader


def fast_path_available() -> bool:
    """Whether openpyxl still reads inline strings the way this module replaces."""
    from openpyxl.cell.text import Text

    reader = _reader_module()
    return getattr(reader, "Text", None) is Text or getattr(reader, "Text", None) is InlineText


@contextlib.contextmanager
def plain_inline_strings() -> Iterator[None]:
    """While the block runs (reentrant, and across threads: the first to enter replaces, the
    last to leave restores), openpyxl reads inline strings through :class:`InlineText`."""
    global _depth
    from openpyxl.cell.text import Text

    reader = _reader_module()
    with _lock:
        if _depth == 0 and getattr(reader, "Text", None) is not Text:
            patched = False
        else:
            patched = True
            if _depth == 0:
                reader.Text = InlineText
            _depth += 1
    try:
        yield
    finally:
        if patched:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    reader.Text = Text
