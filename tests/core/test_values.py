"""Values at the boundary: NFC, legacy encodings, money and codes, bilingual errors."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dautu_core import (
    GENESIS,
    Actor,
    Authority,
    DocumentRef,
    EventCorrected,
    InvalidValue,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Milestone,
    MilestoneKind,
    Money,
    ProjectChanges,
    RecordViolation,
    Schedule,
    make_record,
)
from dautu_core.decider import event_from_command
from dautu_core.testing import sample_approval, sample_envelope, strategies
from dautu_core.text import looks_like_legacy_encoding

TCVN3_SAMPLE = "céng hoµ x· héi chđ nghÜa viƯt nam"
"""'cộng hoà xã hội chủ nghĩa việt nam' typed in TCVN3 (ABC), read as Windows-1252."""
VNI_SAMPLE = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
"""'Cộng hòa xã hội chủ nghĩa Việt Nam' typed in VNI, read as Windows-1252."""


def assert_bilingual(error: InvalidValue, field: str, rule_id: str) -> None:
    assert error.field == field
    assert error.rule_id == rule_id
    assert error.message_vi and error.message_en and error.message_vi != error.message_en
    assert error.message_vi in str(error) and error.message_en in str(error)
    assert f"trường/field {field}" in str(error)


# --- NFC ----------------------------------------------------------------------------------------


def test_nfd_input_equals_nfc_input() -> None:
    nfc = "Công ty TNHH Nông sản Hải Dương"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert Investor(name=nfd) == Investor(name=nfc)
    assert Investor(name=nfd).name == nfc
    assert Location(province=unicodedata.normalize("NFD", "Hải Dương")).province == "Hải Dương"


@settings(max_examples=100)
@given(strategies.vietnamese_text())
def test_any_text_is_stored_in_nfc(text: str) -> None:
    authority = Authority(name=text)
    assert unicodedata.is_normalized("NFC", authority.name)
    assert authority == Authority(name=unicodedata.normalize("NFD", text))


def test_surrounding_blanks_are_dropped_and_blank_text_refused() -> None:
    assert Investor(name="  Công ty A \n").name == "Công ty A"
    with pytest.raises(InvalidValue) as caught:
        Investor(name="   ")
    assert_bilingual(caught.value, "name", "text_required")


def test_blank_optional_text_becomes_absent() -> None:
    assert Location(province="Hải Dương", district="  ").district is None


# --- legacy encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sample", "encoding"), [(TCVN3_SAMPLE, "TCVN3"), (VNI_SAMPLE, "VNI")])
def test_legacy_mojibake_is_refused_with_a_clear_message(sample: str, encoding: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Investor(name=sample)
    assert_bilingual(caught.value, "name", "text_unicode")
    assert encoding in caught.value.message_vi and encoding in caught.value.message_en
    assert "TCVN 6909:2001" in caught.value.message_en
    assert caught.value.citation == "TCVN 6909:2001"


@pytest.mark.parametrize(
    "name",
    [
        "Müller & Söhne GmbH",
        "Søren Ørsted Vind A/S",
        "Bjørn Løkke ApS",
        "Großhandel Weiß KG",
        "Ærø Energi A/S",
        "Acme® Vietnam",
        "Société Générale",
    ],
)
def test_foreign_names_are_not_mistaken_for_mojibake(name: str) -> None:
    assert looks_like_legacy_encoding(name) is None
    assert Investor(name=name, nationality="DK").name == name


@settings(max_examples=200)
@given(strategies.vietnamese_text())
def test_real_vietnamese_is_never_mistaken_for_mojibake(text: str) -> None:
    assert looks_like_legacy_encoding(unicodedata.normalize("NFC", text)) is None


def test_a_command_field_with_mojibake_names_the_field() -> None:
    with pytest.raises(InvalidValue) as caught:
        RecordViolation(
            **sample_envelope(),
            violation_id="1",
            category="land",
            description=TCVN3_SAMPLE,
            found_by=Authority(name="Thanh tra tỉnh"),
        )
    assert_bilingual(caught.value, "description", "text_unicode")
    named = caught.value.with_context(project_code="DA-0001")
    assert named.project_code == "DA-0001" and "dự án/project DA-0001" in str(named)


# --- money and areas ------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [1.5, 10.0, -1, True, "100", Decimal("5")])
def test_money_is_a_whole_non_negative_int_never_a_float(amount: Any) -> None:
    with pytest.raises(InvalidValue) as caught:
        Money(amount)
    assert_bilingual(caught.value, "dong", "non_negative_integer")


def test_money_from_billions_is_exact() -> None:
    assert Money.from_billion("1.5") == Money(1_500_000_000)
    assert Money.from_billion(12).dong == 12_000_000_000
    assert Money(10**21).dong == 10**21
    assert Money.from_billion("2.75").billions == Decimal("2.75")
    with pytest.raises(InvalidValue) as caught:
        Money.from_billion("0.0000000001")
    assert_bilingual(caught.value, "dong", "money_whole_dong")


def test_money_is_written_the_vietnamese_way() -> None:
    assert Money(1_234_567_890).format_vi() == "1.234.567.890 ₫"


def test_land_area_is_an_exact_decimal() -> None:
    assert LandArea("12.5").square_metres == Decimal("12.5")
    assert LandArea.from_hectares("2.5") == LandArea(25_000)
    assert LandArea(25_000).hectares == Decimal("2.5")
    for bad in (1.5, "abc", -1, "NaN", "Infinity"):
        with pytest.raises(InvalidValue) as caught:
            LandArea(bad)
        assert_bilingual(caught.value, "square_metres", "area_decimal")


@settings(max_examples=150)
@given(
    st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    st.integers(0, 6),
)
def test_an_area_has_one_form_whatever_the_precision_typed(area: Decimal, zeros: int) -> None:
    padded = area.quantize(Decimal(1).scaleb(-(3 + zeros)))
    assert padded == area
    assert LandArea(padded) == LandArea(area)
    assert str(LandArea(padded).square_metres) == str(LandArea(area).square_metres)
    assert LandArea(area).square_metres == area


def test_equal_areas_give_equal_record_bytes() -> None:
    typed_short = sample_approval(land_area=LandArea.from_hectares("5.5"))
    typed_long = sample_approval(land_area=LandArea(Decimal("55000.00")))
    assert make_record(event_from_command(typed_short), GENESIS) == make_record(
        event_from_command(typed_long), GENESIS
    )
    assert str(LandArea("1E+2").square_metres) == "100"
    with pytest.raises(InvalidValue) as caught:
        LandArea("1E+999999")
    assert_bilingual(caught.value, "square_metres", "area_decimal")


# --- codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["0101234567", "0101234567-001", "0101234567001"])
def test_enterprise_codes_of_10_or_13_digits_are_accepted(code: str) -> None:
    assert Investor(name="Công ty A", enterprise_code=code).enterprise_code == code


@pytest.mark.parametrize(
    "code", ["12345", "01012345678", "010123456A", "0101234567-01", "0101 234 567"]
)
def test_other_enterprise_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Investor(name="Công ty A", enterprise_code=code)
    assert_bilingual(caught.value, "enterprise_code", "enterprise_code_format")


@settings(max_examples=100)
@given(strategies.enterprise_codes())
def test_generated_enterprise_codes_are_valid(code: str) -> None:
    assert Investor(name="Công ty A", enterprise_code=code).enterprise_code == code


@pytest.mark.parametrize("nationality", ["vn", "VNM", "V1", ""])
def test_nationality_is_an_iso_alpha2_code(nationality: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Investor(name="Công ty A", nationality=nationality)
    assert caught.value.field == "nationality"


def test_project_codes_are_opaque() -> None:
    envelope = sample_envelope("DA/2019 cũ-0001 (GCN số 123)")
    assert envelope["project_code"] == "DA/2019 cũ-0001 (GCN số 123)"


# --- schedules, times, shapes ------------------------------------------------------------------


def test_a_phase_needs_a_label_and_keys_are_unique() -> None:
    with pytest.raises(InvalidValue) as caught:
        Milestone(MilestoneKind.PHASE, date(2023, 1, 1))
    assert_bilingual(caught.value, "label", "phase_label_required")
    twice = Milestone(MilestoneKind.OPERATION_START, date(2023, 1, 1))
    with pytest.raises(InvalidValue) as caught:
        Schedule((twice, twice))
    assert_bilingual(caught.value, "schedule.milestones", "milestone_unique")


def test_recorded_time_must_carry_a_time_zone() -> None:
    envelope = sample_envelope()
    envelope["recorded_at"] = datetime(2023, 1, 1, 9, 0)
    with pytest.raises(InvalidValue) as caught:
        RecordViolation(
            **envelope,
            violation_id="1",
            category="land",
            description="x",
            found_by=Authority(name="Thanh tra"),
        )
    assert_bilingual(caught.value, "recorded_at", "recorded_at_timezone")


def test_an_effective_date_is_a_date_not_a_datetime() -> None:
    envelope = sample_envelope()
    envelope["effective_date"] = datetime(2023, 1, 1, 9, 0)
    with pytest.raises(InvalidValue) as caught:
        RecordViolation(
            **envelope,
            violation_id="1",
            category="land",
            description="x",
            found_by=Authority(name="Thanh tra"),
        )
    assert_bilingual(caught.value, "effective_date", "date_required")


def test_an_adjustment_changes_something() -> None:
    with pytest.raises(InvalidValue) as caught:
        ProjectChanges()
    assert_bilingual(caught.value, "changes", "adjustment_non_empty")


def test_an_amendment_carries_a_replacement_and_a_retraction_does_not() -> None:
    with pytest.raises(InvalidValue) as caught:
        EventCorrected(**sample_envelope(), corrects_version=2, action="amend", reason="x")
    assert_bilingual(caught.value, "replacement", "correction_shape")


def test_citations_render_in_english_and_vietnamese() -> None:
    basis = LegalBasis(instrument="61/2020/QH14", article="41", clause="4")
    assert basis.cite() == "61/2020/QH14, Art. 41(4)"
    assert basis.cite_vi() == "khoản 4 Điều 41 61/2020/QH14"
    assert LegalBasis(instrument="143/2025/QH15", note="article not verified").cite() == (
        "143/2025/QH15 [article not verified]"
    )


def test_a_document_reference_keeps_its_number() -> None:
    ref = DocumentRef(number="1234/QĐ-UBND", issued_on=date(2021, 2, 5))
    assert ref.number == "1234/QĐ-UBND"
    assert Actor(user_id="u1", name="Lê Thị Hoa", unit="Sở Tài chính").unit == "Sở Tài chính"
