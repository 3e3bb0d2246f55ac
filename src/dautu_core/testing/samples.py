"""A ready-made fictional project, so a rule test says only what matters to the rule.

Why: an approval carries a dozen facts (investors, location, capital, schedule...) that most
rule tests do not care about. ``sample_approval()`` fills them with a plausible fictional
project under the provincial committee of Hải Dương; tests override only what they examine::

    approve = sample_approval("DA-0001", date(2022, 3, 15), regime=Regime.IRC)
    violation = RecordViolation(**sample_envelope("DA-0001", date(2023, 1, 5)), ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from dautu_core.commands import ApproveProject
from dautu_core.dates import VIETNAM_TIME, add_months
from dautu_core.values import (
    Actor,
    Authority,
    DocumentRef,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Milestone,
    Money,
    Schedule,
)
from dautu_core.vocab import AuthorityLevel, MilestoneKind, Regime

__all__ = [
    "SAMPLE_ACTOR",
    "SAMPLE_APPROVED_ON",
    "SAMPLE_LEGAL_BASIS",
    "SAMPLE_PROJECT_CODE",
    "VIETNAM_TIME",
    "sample_approval",
    "sample_envelope",
    "sample_schedule",
]

SAMPLE_PROJECT_CODE = "DA-0001"
SAMPLE_LEGAL_BASIS = LegalBasis(
    instrument="61/2020/QH14",
    note="căn cứ minh hoạ của hồ sơ hư cấu / sample basis of a fictional record",
)
"""The basis a sample envelope cites unless told otherwise: the Law on Investment, no article
(a test that cares about the article says it)."""
SAMPLE_APPROVED_ON = date(2022, 3, 15)
SAMPLE_ACTOR = Actor(
    user_id="chuyenvien01",
    name="Nguyễn Văn Bình",
    unit="Phòng Đầu tư, Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
)


def sample_envelope(
    project_code: str = SAMPLE_PROJECT_CODE,
    on: date = SAMPLE_APPROVED_ON,
    *,
    actor: Actor = SAMPLE_ACTOR,
    recorded_at: datetime | None = None,
    legal_basis: Sequence[LegalBasis] | None = None,
    documents: Sequence[DocumentRef] = (),
) -> dict[str, Any]:
    """The envelope keywords of a command or event effective ``on`` (recorded 09:00 +07:00).

    Without ``legal_basis`` the envelope cites :data:`SAMPLE_LEGAL_BASIS`, because every
    decision or finding must name one (rule ``legal_basis_required``); pass ``legal_basis=()``
    to test that refusal, or the citation a test is about.
    """
    if legal_basis is None:
        legal_basis = (SAMPLE_LEGAL_BASIS,)
    return {
        "project_code": project_code,
        "effective_date": on,
        "recorded_at": recorded_at or datetime.combine(on, time(9, 0), tzinfo=VIETNAM_TIME),
        "actor": actor,
        "legal_basis": tuple(legal_basis),
        "documents": tuple(documents),
    }


def sample_schedule(approved_on: date = SAMPLE_APPROVED_ON) -> Schedule:
    """Capital in 6 months, construction start in 12, operation start in 24."""
    return Schedule(
        (
            Milestone(MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved_on, 6)),
            Milestone(MilestoneKind.CONSTRUCTION_START, add_months(approved_on, 12)),
            Milestone(MilestoneKind.OPERATION_START, add_months(approved_on, 24)),
        )
    )


def sample_approval(
    project_code: str = SAMPLE_PROJECT_CODE, on: date = SAMPLE_APPROVED_ON, **overrides: Any
) -> ApproveProject:
    """The approval of a fictional project; ``overrides`` replace any payload field."""
    payload: dict[str, Any] = {
        "project_name": "Nhà máy chế biến nông sản Ví Dụ (dự án hư cấu)",
        "objectives": "Chế biến và bảo quản rau quả xuất khẩu",
        "investors": (
            Investor(name="Công ty TNHH Ví Dụ Xanh (hư cấu)", enterprise_code="0800000001"),
        ),
        "location": Location(province="Hải Dương", district="huyện Gia Lộc"),
        "capital": Money.from_billion(100),
        "land_area": LandArea.from_hectares(5),
        "sector": "Công nghiệp chế biến",
        "schedule": sample_schedule(on),
        "duration_years": 50,
        "authority": Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL),
        "regime": Regime.POLICY_APPROVAL_AND_IRC,
    }
    payload.update(overrides)
    envelope = sample_envelope(
        project_code,
        on,
        legal_basis=(LegalBasis(instrument="61/2020/QH14", article="32"),),
        documents=(DocumentRef(number="1234/QĐ-UBND", issued_on=on),),
    )
    return ApproveProject(**envelope, **payload)
