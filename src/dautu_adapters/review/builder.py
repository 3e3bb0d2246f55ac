"""Building a fictional project's commands for the demo scenario and the benchmark.

:class:`ProjectBuilder` gives every command of one project its envelope: the fictional actor,
a legal basis as the law stood on the effective date, a fictional document number, and a
recorded time derived from the effective date (one to three days later, in office hours, never
before the project's previous command), so that no wall clock enters the record. The functions
below record one kind of fact each.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from dautu_core import commands as cmd
from dautu_core.citations import investment_law, violation_basis
from dautu_core.dates import VIETNAM_TIME, add_months
from dautu_core.events import ProjectChanges
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
from dautu_core.vocab import (
    AuthorityLevel,
    ExtensionGround,
    MilestoneKind,
    Regime,
    ViolationCategory,
)

__all__ = [
    "ACTOR",
    "DISTRICTS_2024",
    "DONRE",
    "DPI",
    "INSPECTORATE",
    "PPC",
    "VIETNAM_TIME",
    "ProjectBuilder",
    "approve",
    "delay",
    "extend",
    "law",
    "met",
    "remedy",
    "request_schedule",
    "sanction",
    "violation",
]

DISTRICTS_2024 = (
    "TP Hải Dương",
    "TP Chí Linh",
    "TX Kinh Môn",
    "huyện Bình Giang",
    "huyện Cẩm Giàng",
    "huyện Gia Lộc",
    "huyện Kim Thành",
    "huyện Nam Sách",
    "huyện Ninh Giang",
    "huyện Thanh Hà",
    "huyện Thanh Miện",
    "huyện Tứ Kỳ",
)
"""The twelve district-level units of Hải Dương province in 2024 (real names)."""

PROVINCE = "Hải Dương"
ACTOR = Actor(
    user_id="demo.chuyenvien",
    name="Chuyên viên Minh Hoạ (hư cấu)",
    unit="Phòng Đầu tư, Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
)
PPC = Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DPI = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DONRE = Authority(
    name="Sở Tài nguyên và Môi trường tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL
)
INSPECTORATE = Authority(name="Thanh tra tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)

_SECTORS = (
    ("Công nghiệp chế biến, chế tạo", "Nhà máy sản xuất linh kiện Minh Hoạ"),
    ("Công nghiệp chế biến, chế tạo", "Nhà máy may mặc Minh Hoạ"),
    ("Thương mại, dịch vụ", "Trung tâm thương mại Minh Hoạ"),
    ("Nông nghiệp công nghệ cao", "Trang trại nông nghiệp công nghệ cao Minh Hoạ"),
    ("Kinh doanh bất động sản", "Khu dân cư Minh Hoạ"),
    ("Sản xuất vật liệu xây dựng", "Nhà máy gạch không nung Minh Hoạ"),
    ("Du lịch, khách sạn", "Khu du lịch sinh thái Minh Hoạ"),
    ("Kho bãi, logistics", "Trung tâm logistics Minh Hoạ"),
)
_FOREIGN = ("KR", "JP", "SG", "CN", "TW")


def law(instrument: str, article: str | None = None, clause: str | None = None) -> LegalBasis:
    return LegalBasis(instrument=instrument, article=article, clause=clause)


class ProjectBuilder:
    """Builds one project's commands: envelopes, document numbers, recorded times."""

    def __init__(self, code: str, number: int, rng: random.Random) -> None:
        self.code = code
        self.number = number
        self.rng = rng
        self.commands: list[cmd.Command] = []
        self.district = rng.choice(DISTRICTS_2024)
        self._recorded = datetime(2000, 1, 1, tzinfo=VIETNAM_TIME)
        self._documents = 0
        self.categories: dict[str, ViolationCategory] = {}
        """Each recorded violation's category: its sanction and remedy cite the same law."""

    def env(
        self, on: date, *basis: LegalBasis, issuer: str = "UBND tỉnh Hải Dương", kind: str = "QĐ"
    ) -> dict[str, Any]:
        """Envelope keywords: recorded one to three working days after ``on``, in office hours,
        and never before the previous command of the project."""
        lag = timedelta(days=self.rng.randint(1, 3))
        at = datetime.combine(on + lag, time(self.rng.randint(8, 16), 15 * self.rng.randint(0, 3)))
        recorded = max(at.replace(tzinfo=VIETNAM_TIME), self._recorded + timedelta(minutes=7))
        self._recorded = recorded
        return {
            "project_code": self.code,
            "effective_date": on,
            "recorded_at": recorded,
            "actor": ACTOR,
            "legal_basis": basis,
            "documents": (self.document(on, issuer, kind),),
        }

    def document(self, on: date, issuer: str, kind: str = "QĐ") -> DocumentRef:
        self._documents += 1
        suffix = "UBND" if issuer.startswith("UBND") else "SKHĐT"
        return DocumentRef(
            number=f"{self.number:03d}{self._documents:02d}/{kind}-{suffix}",
            issued_on=on,
            issuer=issuer,
            title="Văn bản minh hoạ (hư cấu)",
        )

    def add(self, command: cmd.Command) -> None:
        self.commands.append(command)

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))


def approve(
    p: ProjectBuilder,
    on: date,
    *,
    months: tuple[int, int, int] = (6, 12, 30),
    regime: Regime = Regime.POLICY_APPROVAL_AND_IRC,
    land_hectares: str | None = None,
    sector: tuple[str, str] | None = None,
    mineral: bool = False,
    foreign: bool = False,
    authority: Authority = PPC,
) -> None:
    sector_name, title = sector or p.rng.choice(_SECTORS)
    capital = p.rng.choice((45, 60, 80, 120, 150, 220, 350, 500))
    land = land_hectares or p.rng.choice(("1.2", "2", "3.5", "5", "8.4"))
    kind = "Công ty TNHH" if p.number % 3 else "Công ty Cổ phần"
    if foreign:
        investor = Investor(
            name=f"Minh Hoa Holdings No. {p.number} (hư cấu)", nationality=p.rng.choice(_FOREIGN)
        )
    else:
        investor = Investor(name=f"{kind} Minh Hoạ Số {p.number} (hư cấu)")
    cap_m, cons_m, op_m = months
    p.add(
        cmd.ApproveProject(
            **p.env(on, investment_law(on, "32")),
            project_name=f"{title} {p.number} (hư cấu)",
            objectives=f"{sector_name} (dự án minh hoạ)",
            investors=(investor,),
            location=Location(province=PROVINCE, district=p.district),
            capital=Money.from_billion(capital),
            land_area=LandArea.from_hectares(land),
            sector=sector_name,
            is_mineral_exploitation=mineral,
            schedule=Schedule(
                (
                    Milestone(MilestoneKind.CAPITAL_CONTRIBUTION, add_months(on, cap_m)),
                    Milestone(MilestoneKind.CONSTRUCTION_START, add_months(on, cons_m)),
                    Milestone(MilestoneKind.OPERATION_START, add_months(on, op_m)),
                )
            ),
            duration_years=50,
            authority=authority,
            regime=regime,
        )
    )


def met(p: ProjectBuilder, milestone: MilestoneKind, on: date) -> None:
    p.add(
        cmd.RecordMilestoneMet(
            **p.env(on, investment_law(on, "72"), issuer="Sở Kế hoạch và Đầu tư", kind="BC"),
            milestone=milestone.value,
        )
    )


def delay(p: ProjectBuilder, milestone: MilestoneKind, on: date, reason: str) -> None:
    p.add(
        cmd.RecordDelay(
            **p.env(on, investment_law(on, "72"), issuer="Sở Kế hoạch và Đầu tư", kind="BC"),
            milestone=milestone.value,
            reason=reason,
            found_by=DPI,
        )
    )


def extend(p: ProjectBuilder, on: date, months: int, ground: ExtensionGround | None = None) -> None:
    p.add(
        cmd.ExtendSchedule(
            **p.env(on, investment_law(on, "41", "4")),
            months=months,
            ground=ground,
        )
    )


def violation(
    p: ProjectBuilder,
    vid: str,
    on: date,
    category: ViolationCategory,
    description: str,
    found_by: Authority = DPI,
) -> None:
    p.categories[vid] = category
    p.add(
        cmd.RecordViolation(
            **p.env(on, *violation_basis(category, on), issuer=found_by.name, kind="BB"),
            violation_id=vid,
            category=category,
            description=description,
            found_by=found_by,
        )
    )


def sanction(
    p: ProjectBuilder, vid: str, on: date, fine_million: int | None, by: Authority = PPC
) -> None:
    p.add(
        cmd.SanctionViolation(
            **p.env(on, *violation_basis(p.categories[vid], on), issuer=by.name),
            violation_id=vid,
            sanctioning_authority=by,
            decision=p.document(on, by.name, "QĐ-XPHC"),
            fine=None if fine_million is None else Money(fine_million * 1_000_000),
        )
    )


def remedy(p: ProjectBuilder, vid: str, on: date, description: str) -> None:
    p.add(
        cmd.RemedyViolation(
            **p.env(
                on,
                *violation_basis(p.categories[vid], on),
                issuer="Sở Kế hoạch và Đầu tư",
                kind="BC",
            ),
            violation_id=vid,
            description=description,
        )
    )


def request_schedule(
    p: ProjectBuilder, on: date, approved_on: date, months: tuple[int, ...]
) -> None:
    """The investor asks for a new schedule (months after approval for each milestone)."""
    kinds = (
        MilestoneKind.CAPITAL_CONTRIBUTION,
        MilestoneKind.CONSTRUCTION_START,
        MilestoneKind.OPERATION_START,
    )
    schedule = Schedule(
        tuple(Milestone(k, add_months(approved_on, m)) for k, m in zip(kinds, months, strict=True))
    )
    p.add(
        cmd.RequestAdjustment(
            **p.env(on, investment_law(on, "41"), issuer="Sở Kế hoạch và Đầu tư", kind="ĐN"),
            changes=ProjectChanges(schedule=schedule),
            description="Nhà đầu tư đề nghị điều chỉnh tiến độ thực hiện dự án",
        )
    )
