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
from dautu_core.rulebook import LAW_61_2020
from dautu_core.testing import DeciderSpec, sample_approval, sample_envelope

CODE = "DA-0001"
APPROVED_ON = date(2022, 3, 15)
SPEC = DeciderSpec()
APPROVE = sample_approval(CODE, APPROVED_ON)
INSPECTORATE = Authority(name="Thanh tra Sở Kế hoạch và Đầu tư tỉnh Hải Dương")


def cite61(rule_id: str) -> str:
    return LAW_61_2020.cite(rule_id).cite()


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
