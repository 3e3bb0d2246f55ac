"""Small, valid commands for storage tests: an approved project and facts about it.

The storage tests care about records, not about the law; these commands are accepted by the
builtin rulebooks so that they go through the real decider.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dautu_core import commands as cmd
from dautu_core.citations import DECREE_122_2021
from dautu_core.dates import VIETNAM_TIME
from dautu_core.values import (
    Actor,
    Authority,
    Investor,
    LegalBasis,
    Location,
    Milestone,
    Money,
    Schedule,
)
from dautu_core.vocab import AuthorityLevel, MilestoneKind, Regime, ViolationCategory

CLERK = Actor(user_id="u-001", name="Nguyễn Thị Hoa", unit="Phòng Đầu tư, Sở KH&ĐT Hải Dương")
PROVINCE = Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DEPARTMENT = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
LAW_61 = LegalBasis(instrument="61/2020/QH14", article="32")


def recorded(n: int = 0) -> datetime:
    return datetime(2024, 2, 21, 9, 0, tzinfo=VIETNAM_TIME) + timedelta(seconds=n)


def envelope(code: str, n: int, on: date = date(2024, 2, 21)) -> dict[str, Any]:
    """The envelope of a command about ``code`` effective ``on``, recorded ``n`` s after 9:00
    on 21 Feb 2024 by the department's clerk."""
    return {"project_code": code, "effective_date": on, "recorded_at": recorded(n), "actor": CLERK}


def approve(code: str, *, n: int = 0) -> cmd.ApproveProject:
    return cmd.ApproveProject(
        **envelope(code, n, date(2021, 3, 15)),
        legal_basis=(LAW_61,),
        project_name="Nhà máy may mặc xuất khẩu Gia Lộc",
        objectives="Sản xuất hàng may mặc xuất khẩu",
        investors=(Investor(name="Công ty TNHH May Đông Á", enterprise_code="0801234567"),),
        location=Location(province="tỉnh Hải Dương", district="huyện Gia Lộc"),
        capital=Money.from_billion("120.5"),
        sector="Công nghiệp chế biến",
        schedule=Schedule(
            (
                Milestone(kind=MilestoneKind.CONSTRUCTION_START, due=date(2021, 9, 30)),
                Milestone(kind=MilestoneKind.OPERATION_START, due=date(2023, 6, 30)),
            )
        ),
        authority=PROVINCE,
        regime=Regime.POLICY_APPROVAL_AND_IRC,
    )


def violation(code: str, violation_id: str, *, n: int = 1) -> cmd.RecordViolation:
    return cmd.RecordViolation(
        **envelope(code, n),
        legal_basis=(DECREE_122_2021,),
        violation_id=violation_id,
        category=ViolationCategory.INVESTMENT,
        description=f"Chậm tiến độ đưa dự án vào hoạt động ({violation_id})",
        found_by=DEPARTMENT,
    )


def delay(code: str, *, n: int = 1) -> cmd.RecordDelay:
    return cmd.RecordDelay(
        **envelope(code, n),
        legal_basis=(LegalBasis(instrument="61/2020/QH14", article="72"),),
        milestone="operation_start",
        reason="Chưa hoàn thành giải phóng mặt bằng",
        found_by=DEPARTMENT,
    )
