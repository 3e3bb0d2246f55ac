"""Cell values as officials type them: read exactly, refused when they could mean two things."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_adapters.workbook import parsing as p
from dautu_adapters.workbook.rows import parse_event_kind
from dautu_adapters.workbook.schema import COLUMNS
from dautu_core.errors import InvalidValue
from dautu_core.testing import (
    document_refs,
    investors,
    land_areas,
    legal_bases,
    money,
    schedules,
    vietnamese_text,
)
from dautu_core.values import LandArea, Money
from dautu_core.vocab import Labelled


@given(money())
def test_money_round_trips_through_its_vietnamese_form(amount: Money) -> None:
    assert p.parse_money(p.format_money(amount)) == amount


@pytest.mark.parametrize(
    ("typed", "dong"),
    [
        ("1.234.567.890", 1_234_567_890),
        ("1.234,5 tỷ đồng", 1_234_500_000_000),
        ("850 triệu đồng", 850_000_000),
        ("12,5 tỷ", 12_500_000_000),
        ("12,5 tỷ VNĐ", 12_500_000_000),
        ("3 nghìn tỷ", 3_000_000_000_000),
        ("1.200.000 ₫", 1_200_000),
        (1_234_567_890, 1_234_567_890),
        (2.0e9, 2_000_000_000),
    ],
)
def test_money_as_officials_type_it(typed: object, dong: int) -> None:
    assert p.parse_money(typed) == Money(dong)


@given(st.integers(1, 999), st.integers(0, 999))
def test_a_comma_before_three_digits_is_ambiguous_and_refused(whole: int, part: int) -> None:
    for text in (f"{whole},{part:03d}", f"{whole},{part:03d} tỷ"):
        with pytest.raises(InvalidValue) as err:
            p.parse_money(text)
        assert err.value.rule_id == "number_ambiguous"


@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from(["tỷ", "triệu", "ha"]))
def test_one_dot_group_before_a_unit_is_ambiguous_and_refused(
    whole: int, part: int, unit: str
) -> None:
    parse = p.parse_area if unit == "ha" else p.parse_money
    with pytest.raises(InvalidValue) as err:
        parse(f"{whole}.{part:03d} {unit}")
    assert err.value.rule_id == "number_ambiguous"


@pytest.mark.parametrize("typed", ["1,234,567", "1.5 tỷ", "12.5", "1.234.56", "abc", "-5", "1e9"])
def test_foreign_or_broken_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as err:
        p.parse_money(typed)
    assert err.value.message_vi and err.value.message_en


def test_money_that_is_not_whole_dong_is_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        p.parse_money("1,5")
    assert err.value.rule_id == "money_whole_dong"


@given(land_areas())
def test_land_area_round_trips_through_its_vietnamese_form(area: LandArea) -> None:
    assert p.parse_area(p.format_area(area)) == area


@pytest.mark.parametrize(
    ("typed", "square_metres"),
    [("12,5 ha", 125_000), ("1.200 m²", 1200), ("850 m2", 850), (1500, 1500), ("0,25 ha", 2500)],
)
def test_land_area_as_officials_type_it(typed: object, square_metres: int) -> None:
    assert p.parse_area(typed) == LandArea(Decimal(square_metres))


@given(st.dates(date(1990, 1, 1), date(2099, 12, 31)))
def test_dates_from_cells_and_text(day: date) -> None:
    assert p.parse_date_cell(day) == day
    assert p.parse_date_cell(datetime(day.year, day.month, day.day)) == day
    assert p.parse_date_cell(f"{day.day}/{day.month}/{day.year}") == day
    assert p.parse_date_cell(day.isoformat()) == day


def test_an_impossible_date_is_called_impossible() -> None:
    with pytest.raises(InvalidValue) as err:
        p.parse_date_cell("31/02/2024")
    assert "không tồn tại" in err.value.message_vi


def test_a_number_in_a_date_column_is_refused_not_read_as_a_serial() -> None:
    with pytest.raises(InvalidValue):
        p.parse_date_cell(45343)


@given(st.lists(legal_bases(), min_size=1, max_size=3))
def test_citations_round_trip(bases: list) -> None:  # type: ignore[type-arg]
    assert p.parse_citations(p.format_citations(bases)) == tuple(bases)


@given(st.lists(document_refs(), min_size=1, max_size=3))
def test_documents_round_trip(docs: list) -> None:  # type: ignore[type-arg]
    assert p.parse_documents(p.format_documents(docs)) == tuple(docs)


@given(st.lists(investors(), min_size=1, max_size=3))
def test_investors_round_trip(people: list) -> None:  # type: ignore[type-arg]
    assert p.parse_investors(p.format_investors(people)) == tuple(people)


@given(schedules())
def test_schedules_round_trip(schedule: object) -> None:
    assert p.parse_schedule(p.format_schedule(schedule)) == schedule  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [k for k, c in COLUMNS.items() if c.kind == "vocab"])
def test_every_vocabulary_member_is_read_by_label_or_identifier(key: str) -> None:
    vocabulary = COLUMNS[key].vocabulary
    assert vocabulary is not None
    for member in vocabulary:
        assert p.parse_vocab(member.value, vocabulary) is member
        assert isinstance(member, Labelled)
        assert p.parse_vocab(member.label_vi.upper(), vocabulary) is member
        assert p.parse_vocab(member.label_en, vocabulary) is member
    with pytest.raises(InvalidValue) as err:
        p.parse_vocab("không có trong danh mục này", vocabulary)
    assert err.value.rule_id == "vocabulary"


def test_event_kinds_by_label() -> None:
    assert parse_event_kind("Phát hiện vi phạm") == "dautu.ViolationFound"
    assert parse_event_kind("violation found") == "dautu.ViolationFound"
    with pytest.raises(InvalidValue):
        parse_event_kind("Khen thưởng")


@given(vietnamese_text())
def test_text_is_normalised_to_nfc(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert p.parse_text(f"  {decomposed}  ") == unicodedata.normalize("NFC", text).strip()


def test_legacy_font_text_is_refused_with_the_encoding_named() -> None:
    with pytest.raises(InvalidValue) as err:
        p.parse_text("Dù ¸n khu c«ng nghiÖp")
    assert "TCVN3" in err.value.message_vi


@pytest.mark.parametrize(("typed", "value"), [("Có", True), ("không", False), (True, True)])
def test_yes_and_no(typed: object, value: bool) -> None:
    assert p.parse_bool(typed) is value


def test_a_huge_cell_is_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        p.parse_text("a" * (p.MAX_TEXT + 1))
    assert err.value.rule_id == "cell_too_long"


def test_forbidden_characters_are_exactly_control_surrogate_and_private_use() -> None:
    """Given every code point, when the pattern of parse_text is asked, then it refuses exactly
    those unicodedata calls control (except tab and newline), surrogate or private use."""
    disagree = [
        hex(cp)
        for cp in range(0x110000)
        if bool(p._FORBIDDEN_CHARACTERS.match(chr(cp)))
        != (unicodedata.category(chr(cp)) in ("Cc", "Cs", "Co") and chr(cp) not in "\n\t")
    ]
    assert disagree == []
