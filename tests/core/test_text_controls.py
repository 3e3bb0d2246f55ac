"""Control characters are refused at the boundary, project codes have a stated maximum
length, error messages never carry a raw control character, and money is typed in đồng."""

from __future__ import annotations

import sys
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_core import commands as cmd
from dautu_core.errors import InvalidValue, UnknownProject, visible
from dautu_core.events import ProjectChanges
from dautu_core.fields import MAX_PROJECT_CODE_LENGTH, code_text, plain_text
from dautu_core.testing.samples import sample_approval, sample_envelope
from dautu_core.values import Authority, Investor, Money, project_code
from dautu_core.vocab import AuthorityLevel

FREE_TEXT_ALLOWED = {"\t", "\n"}


def _refused_in_text(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") and char not in FREE_TEXT_ALLOWED


def test_the_patterns_agree_with_unicode_categories_over_every_code_point() -> None:
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        text = f"1{char}2"  # between digits: no mojibake heuristic is tripped
        category = unicodedata.category(char)
        try:
            plain_text(text, "reason")
            text_ok = True
        except InvalidValue:
            text_ok = False
        try:
            code_text(text)
            code_ok = True
        except InvalidValue:
            code_ok = False
        assert text_ok == (not _refused_in_text(char)), hex(point)
        assert code_ok == (category not in ("Cc", "Cs")), hex(point)


controls = st.sampled_from(
    [chr(p) for p in [*range(0x20), *range(0x7F, 0xA0)] if chr(p) not in FREE_TEXT_ALLOWED]
    + ["\ud800", "\udfff"]
)
words = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=10)


@given(before=words, control=controls, after=words)
def test_free_text_with_a_control_character_is_refused(
    before: str, control: str, after: str
) -> None:
    text = f"{before}{control}{after}"
    with pytest.raises(InvalidValue) as refused:
        Investor(name=text)
    assert refused.value.field == "name" and refused.value.rule_id == "text_no_control"
    assert f"U+{ord(control):04X}" in str(refused.value)
    assert not any(_refused_in_text(c) or c in "\t\n" for c in str(refused.value))
    with pytest.raises(InvalidValue, match="text_no_control"):
        sample_approval(objectives=text)


def test_tab_and_newline_are_kept_inside_free_text() -> None:
    approval = sample_approval(objectives="Chế biến rau quả\n\tvà bảo quản lạnh")
    assert approval.objectives == "Chế biến rau quả\n\tvà bảo quản lạnh"


@pytest.mark.parametrize("control", ["\x00", "\n", "\t", "\x1b", "\x7f", "\x85", "\ud800"])
def test_a_project_code_with_any_control_character_is_refused(control: str) -> None:
    code = f"DA{control}0001"
    for make in (
        lambda: project_code(code),
        lambda: sample_approval(code),
        lambda: cmd.RecordDelay(
            **sample_envelope(code),
            milestone="operation_start",
            reason="Chưa giải phóng mặt bằng",
            found_by=Authority(name="Sở KH&ĐT", level=AuthorityLevel.PROVINCIAL),
        ),
    ):
        with pytest.raises(InvalidValue) as refused:
            make()
        assert refused.value.field == "project_code"
        assert refused.value.rule_id == "text_no_control"


def test_a_project_code_has_at_most_64_characters() -> None:
    assert MAX_PROJECT_CODE_LENGTH == 64
    longest = "D" * 64
    assert project_code(f"  {longest} ") == longest
    assert sample_approval(longest).project_code == longest
    with pytest.raises(InvalidValue) as refused:
        sample_approval("D" * 65)
    assert refused.value.rule_id == "project_code_length" and "65" in str(refused.value)


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=10))
def test_an_error_message_never_carries_a_raw_control_character(
    vi: str, en: str, code: str
) -> None:
    message = str(UnknownProject(f"không có {vi}", f"no {en}", project_code=code))
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in message)
    assert visible(message) == message


def test_visible_writes_escapes_as_python_would() -> None:
    assert visible("a\x1b[2Jb\nc") == "a\\x1b[2Jb\\nc"
    assert visible("Hải Dương") == "Hải Dương"


@given(dong=st.integers(min_value=0, max_value=10**30))
def test_money_is_accepted_as_whole_dong_where_a_command_asks_for_it(dong: int) -> None:
    approval = sample_approval(capital=dong)
    assert approval.capital == Money(dong)
    assert ProjectChanges(capital=dong).capital == Money(dong)
    assert ProjectChanges(capital=None, duration_years=30).capital is None
    assert attrs.evolve(approval, capital=Money(dong)) == approval


@pytest.mark.parametrize("amount", [-1, True, 1.5, "1000", None])
def test_money_that_is_not_whole_dong_is_refused_naming_the_field(amount: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        sample_approval(capital=amount)
    assert refused.value.field is not None and refused.value.field.startswith("capital")
