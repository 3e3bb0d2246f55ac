"""The one private interface of openpyxl that dautu relies on (the inline-string fast path of
:mod:`dautu_adapters._fenced.openpyxl_inline_text`): still there, and giving ``Text``'s text."""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.text import Text
from openpyxl.worksheet import _reader

from dautu_adapters._fenced import openpyxl_inline_text as fence
from dautu_adapters.workbook.reading import open_sources

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
UPGRADE = (
    f"openpyxl {openpyxl.__version__} no longer reads inline strings through "
    "`Text.from_tree(child).content` in openpyxl.worksheet._reader (a module global `Text`): "
    "dautu_adapters._fenced.openpyxl_inline_text must follow, or be removed"
)


def test_openpyxl_still_reads_inline_strings_the_way_the_fence_replaces() -> None:
    assert getattr(_reader, "Text", None) is Text, UPGRADE
    source = inspect.getsource(_reader.WorkSheetParser.parse_cell)
    assert "Text.from_tree(child).content" in source, UPGRADE
    assert fence.fast_path_available()


xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=12,
)


def _is(plain: str | None, runs: list[str | None], phonetic: str | None) -> ET.Element:
    node = ET.Element(f"{{{NS}}}is")
    if plain is not None:
        ET.SubElement(node, f"{{{NS}}}t").text = plain or None
    for run in runs:
        r = ET.SubElement(node, f"{{{NS}}}r")
        if run is not None:
            ET.SubElement(r, f"{{{NS}}}t").text = run or None
    if phonetic is not None:
        rph = ET.SubElement(node, f"{{{NS}}}rPh", sb="0", eb="1")
        ET.SubElement(rph, f"{{{NS}}}t").text = phonetic
    return ET.fromstring(ET.tostring(node))  # as parsed from a file


@given(
    st.one_of(st.none(), xml_text),
    st.lists(st.one_of(st.none(), xml_text), max_size=3),
    st.one_of(st.none(), xml_text),
)
def test_the_fast_text_is_texts_content(
    plain: str | None, runs: list[str | None], phonetic: str | None
) -> None:
    node = _is(plain, runs, phonetic)
    assert fence.InlineText.from_tree(node).content == Text.from_tree(node).content


SAMPLE = (
    Path(__file__).resolve().parents[2] / "examples" / "workbook" / "nhap-lieu-mau-da-dien.xlsx"
)


def test_a_workbook_reads_the_same_through_the_fence_and_without_it() -> None:
    with zipfile.ZipFile(SAMPLE) as archive:
        assert b"inlineStr" in archive.read("xl/worksheets/sheet1.xml"), "written by openpyxl"
    fast = [s.rows for s in open_sources([SAMPLE])]
    original = _reader.Text
    try:
        _reader.Text = Text
        with fence.plain_inline_strings():
            assert _reader.Text is fence.InlineText
            with fence.plain_inline_strings():  # reentrant
                pass
            assert _reader.Text is fence.InlineText
        assert _reader.Text is Text, "restored on leaving"
        _reader.Text = type("Replaced", (), {"from_tree": Text.from_tree})  # someone else's
        with fence.plain_inline_strings():
            assert _reader.Text is not fence.InlineText, "left alone: openpyxl's own path"
            slow = [s.rows for s in open_sources([SAMPLE])]
    finally:
        _reader.Text = original
    assert fast == slow and fast and any(fast)
