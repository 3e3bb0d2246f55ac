"""Builders shared by the rule tests: one fictional project and its usual commands."""

from __future__ import annotations

from datetime import date
from typing import Any

from dautu_core import (
    AdjustProject,
    Authority,
    DocumentRef,
    ExtendSchedule,
    ExtensionGround,
    Money,
    ProjectChanges,
    RecordMilestoneMet,
    RecordViolation,
    RemedyViolation,
    RequestAdjustment,
    SanctionViolation,
    SuspendProject,
    SuspensionGround,
    TerminateProject,
    TerminationGround,
    ViolationCategory,
)
from dautu_core.testing import DeciderSpec, sample_approval, sample_envelope

CODE = "DA-0001"
APPROVED_ON = date(2022, 3, 15)
SPEC = DeciderSpec()
APPROVE = sample_approval(CODE, APPROVED_ON)
INSPECTORATE = Authority(name="Thanh tra Sở Kế hoạch và Đầu tư tỉnh Hải Dương")


LAW_61_CITATIONS = {
    "approval_first": "61/2020/QH14, Art. 30-32, 37-38 [chấp thuận chủ trương và GCN đăng ký đầu tư / policy approval and IRC]",
    "not_before_approval": "61/2020/QH14, Art. 30-32, 37-38 [chấp thuận chủ trương và GCN đăng ký đầu tư / policy approval and IRC]",
    "terminal_after_termination": "61/2020/QH14, Art. 48",
    "extension_cap": "61/2020/QH14, Art. 41(4)",
    "violation_must_be_found": "15/2012/QH13 [Luật Xử lý vi phạm hành chính; chưa xác minh số hiệu và điều / Law on Handling Administrative Violations; number and article not verified]",
    "violation_id_unique": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "suspended_no_progress": "61/2020/QH14, Art. 47",
    "resume_only_when_suspended": "61/2020/QH14, Art. 47",
    "milestone_known": "61/2020/QH14, Art. 40 [nội dung GCN đăng ký đầu tư gồm tiến độ / contents of the IRC include the schedule]",
    "policy_adjustment_triggers": "61/2020/QH14, Art. 41(3) [số khoản theo trí nhớ / clause number is a recollection]",
    "correction_target_exists": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "recorded_in_order": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "legal_basis_required": "dautu [mỗi quyết định, mỗi kết luận ghi rõ căn cứ pháp lý (phương án xử lý phải căn cứ, đối chiếu theo quy định của pháp luật: buổi làm việc ngày 21/02/2024); không phải quy định pháp luật / every decision and finding names its legal basis (handling must rest on the law: the review of 21 Feb 2024); not a law]",
    "authority_exists": "văn bản bãi bỏ chính quyền cấp huyện từ 01/07/2025 / instrument abolishing district-level government from 1 Jul 2025 [chưa xác minh số hiệu và điều / number and article not verified]",
}
"""What each invariant cites under Law 61/2020/QH14, pinned as literals: a refusal's citation is
compared with these, never with the rulebook's own value, so a wrong citation fails a test."""

LAW_143_CITATIONS = {
    "approval_first": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "not_before_approval": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "terminal_after_termination": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "extension_cap": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "violation_must_be_found": "15/2012/QH13 [Luật Xử lý vi phạm hành chính; chưa xác minh số hiệu và điều / Law on Handling Administrative Violations; number and article not verified]",
    "violation_id_unique": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "suspended_no_progress": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "resume_only_when_suspended": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "milestone_known": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "policy_adjustment_triggers": "143/2025/QH15 [chưa xác minh điều: tham số của bộ quy tắc / article not verified: parameter of this rulebook]",
    "correction_target_exists": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "recorded_in_order": "dautu [quy tắc cấu trúc của hồ sơ; không phải quy định pháp luật / structural rule of the record; not a law]",
    "legal_basis_required": "dautu [mỗi quyết định, mỗi kết luận ghi rõ căn cứ pháp lý (phương án xử lý phải căn cứ, đối chiếu theo quy định của pháp luật: buổi làm việc ngày 21/02/2024); không phải quy định pháp luật / every decision and finding names its legal basis (handling must rest on the law: the review of 21 Feb 2024); not a law]",
    "authority_exists": "văn bản bãi bỏ chính quyền cấp huyện từ 01/07/2025 / instrument abolishing district-level government from 1 Jul 2025 [chưa xác minh số hiệu và điều / number and article not verified]",
}
"""The same under Law 143/2025/QH15 (from 1 Mar 2026)."""


def cite61(rule_id: str) -> str:
    return LAW_61_CITATIONS[rule_id]


def env(day: date) -> dict[str, Any]:
    return sample_envelope(CODE, day)


def violation(day: date, violation_id: str = "12/BB-VPHC") -> RecordViolation:
    return RecordViolation(
        **env(day),
        violation_id=violation_id,
        category=ViolationCategory.INVESTMENT,
        description="Chậm góp vốn so với tiến độ đã đăng ký",
        found_by=INSPECTORATE,
    )


def sanction(day: date, violation_id: str = "12/BB-VPHC") -> SanctionViolation:
    return SanctionViolation(
        **env(day),
        violation_id=violation_id,
        sanctioning_authority=Authority(name="Chủ tịch UBND tỉnh Hải Dương"),
        decision=DocumentRef(number="45/QĐ-XPHC", issued_on=day),
        fine=Money(80_000_000),
    )


def remedy(day: date, violation_id: str = "12/BB-VPHC") -> RemedyViolation:
    return RemedyViolation(**env(day), violation_id=violation_id, description="Đã góp đủ vốn")


def met(day: date, milestone: str = "capital_contribution") -> RecordMilestoneMet:
    return RecordMilestoneMet(**env(day), milestone=milestone)


def extend(day: date, months: int, ground: ExtensionGround | None = None) -> ExtendSchedule:
    return ExtendSchedule(**env(day), months=months, ground=ground)


def suspend(day: date) -> SuspendProject:
    return SuspendProject(**env(day), ground=SuspensionGround.INVESTOR_NOTICE)


def terminate(day: date) -> TerminateProject:
    return TerminateProject(**env(day), ground=TerminationGround.INVESTOR_DECISION)


def request(day: date, changes: ProjectChanges) -> RequestAdjustment:
    return RequestAdjustment(**env(day), changes=changes, description="Đề nghị điều chỉnh")


def adjust(day: date, changes: ProjectChanges, *, policy_adjusted: bool) -> AdjustProject:
    return AdjustProject(
        **env(day),
        changes=changes,
        authority=Authority(name="UBND tỉnh Hải Dương"),
        policy_adjusted=policy_adjusted,
    )
