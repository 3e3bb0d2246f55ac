"""The demo scenario: a fictional province re-enacting the Hải Dương review of 21 Feb 2024.

Seventy-eight fictional projects (investors and names are marked "hư cấu", fictional; the
district names are the real ones of the time) with full histories from 2017 to early 2024:
approvals, milestones, delays, extensions, violations, sanctions, remedies, adjustment requests,
suspensions. Each project follows a *situation* (what happened to it, e.g. "suspended for an
environmental breach and the remedy deadline passed"); nothing in the record names a track.
The review rulebook, applied to these records as of 21 Feb 2024, proposes 4 / 18 / 42 / 6 / 3 /
5 projects in the article's six tracks; the tests prove it on a real SQLite store.

The department's decisions (``ReviewDecided``) are recorded afterwards the way a department
works: it adopts the proposal, except for two projects where it decided otherwise (so the review
has disagreements to show).

Deterministic: a seeded random generator picks dates, districts and amounts; recorded times are
derived from the effective dates (never the wall clock), so two runs give identical records.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import attrs

from dautu_adapters.service import ProjectService
from dautu_core import commands as cmd
from dautu_core.dates import add_months
from dautu_core.decider import run
from dautu_core.events import ProjectChanges
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, ReviewRulebooks, Track, review_project
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
    SuspensionGround,
    ViolationCategory,
)

__all__ = [
    "DEMO_CODE_PREFIX",
    "DEMO_REVIEW_DATE",
    "DEMO_REVIEW_ROUND",
    "DEMO_SEED",
    "DISTRICTS_2024",
    "SITUATIONS",
    "DemoOutcome",
    "demo_decisions",
    "demo_histories",
    "record_demo",
]

DEMO_REVIEW_DATE = date(2024, 2, 21)
DEMO_REVIEW_ROUND = "2024-02"
DEMO_SEED = 2024
DEMO_CODE_PREFIX = "DA-HD-"
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

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


def _law(instrument: str, article: str | None = None, clause: str | None = None) -> LegalBasis:
    return LegalBasis(instrument=instrument, article=article, clause=clause)


def _investment_law(on: date, article: str, clause: str | None = None) -> LegalBasis:
    if on < date(2021, 1, 1):
        return LegalBasis(instrument="67/2014/QH13", note="article not verified")
    return _law("61/2020/QH14", article, clause)


DECREE_122 = LegalBasis(instrument="122/2021/NĐ-CP", note="article not verified")


class _Project:
    """Builds one project's commands: envelopes, document numbers, recorded times."""

    def __init__(self, number: int, rng: random.Random) -> None:
        self.code = f"{DEMO_CODE_PREFIX}{number:03d}"
        self.number = number
        self.rng = rng
        self.commands: list[cmd.Command] = []
        self.district = rng.choice(DISTRICTS_2024)
        self._recorded = datetime(2000, 1, 1, tzinfo=VIETNAM_TIME)
        self._documents = 0

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


def _approve(
    p: _Project,
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
            **p.env(on, _investment_law(on, "32")),
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


def _met(p: _Project, milestone: MilestoneKind, on: date) -> None:
    p.add(
        cmd.RecordMilestoneMet(
            **p.env(on, _investment_law(on, "72"), issuer="Sở Kế hoạch và Đầu tư", kind="BC"),
            milestone=milestone.value,
        )
    )


def _delay(p: _Project, milestone: MilestoneKind, on: date, reason: str) -> None:
    p.add(
        cmd.RecordDelay(
            **p.env(on, _investment_law(on, "72"), issuer="Sở Kế hoạch và Đầu tư", kind="BC"),
            milestone=milestone.value,
            reason=reason,
            found_by=DPI,
        )
    )


def _extend(p: _Project, on: date, months: int, ground: ExtensionGround | None = None) -> None:
    p.add(
        cmd.ExtendSchedule(
            **p.env(on, _investment_law(on, "41", "4")),
            months=months,
            ground=ground,
        )
    )


def _violation(
    p: _Project,
    vid: str,
    on: date,
    category: ViolationCategory,
    description: str,
    found_by: Authority = DPI,
) -> None:
    p.add(
        cmd.RecordViolation(
            **p.env(on, DECREE_122, issuer=found_by.name, kind="BB"),
            violation_id=vid,
            category=category,
            description=description,
            found_by=found_by,
        )
    )


def _sanction(
    p: _Project, vid: str, on: date, fine_million: int | None, by: Authority = PPC
) -> None:
    p.add(
        cmd.SanctionViolation(
            **p.env(on, DECREE_122, issuer=by.name),
            violation_id=vid,
            sanctioning_authority=by,
            decision=p.document(on, by.name, "QĐ-XPHC"),
            fine=None if fine_million is None else Money(fine_million * 1_000_000),
        )
    )


def _remedy(p: _Project, vid: str, on: date, description: str) -> None:
    p.add(
        cmd.RemedyViolation(
            **p.env(on, DECREE_122, issuer="Sở Kế hoạch và Đầu tư", kind="BC"),
            violation_id=vid,
            description=description,
        )
    )


def _request_schedule(p: _Project, on: date, approved_on: date, months: tuple[int, ...]) -> None:
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
            **p.env(on, _investment_law(on, "41"), issuer="Sở Kế hoạch và Đầu tư", kind="ĐN"),
            changes=ProjectChanges(schedule=schedule),
            description="Nhà đầu tư đề nghị điều chỉnh tiến độ thực hiện dự án",
        )
    )


# --- situations: what happened to a project (the rulebook decides the track) -----------------


def suspended_remedy_deadline_passed(p: _Project) -> None:
    """Environmental breach, suspended with a remedy deadline that passed in 2023."""
    approved = p.day(date(2018, 3, 1), date(2018, 12, 31))
    _approve(p, approved, months=(6, 14, 36))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 5))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 15))
    _violation(
        p,
        "VP-MT-01",
        date(2023, 3, 14),
        ViolationCategory.ENVIRONMENT,
        "Xả nước thải vượt quy chuẩn kỹ thuật môi trường",
        DONRE,
    )
    _sanction(p, "VP-MT-01", date(2023, 4, 10), None)
    p.add(
        cmd.SuspendProject(
            **p.env(date(2023, 5, 22), _law("61/2020/QH14", "47")),
            ground=SuspensionGround.ENVIRONMENT_BREACH,
            authority=PPC,
            until=date(2023, 11, 30),
        )
    )


def suspended_investor_silent(p: _Project) -> None:
    """Repeated violations, suspended in 2022; the investor has not been heard of since."""
    approved = p.day(date(2019, 1, 1), date(2019, 9, 30))
    _approve(p, approved)
    _violation(
        p,
        "VP-DT-01",
        date(2022, 2, 16),
        ViolationCategory.REPORTING,
        "Không thực hiện chế độ báo cáo giám sát, đánh giá đầu tư",
    )
    _sanction(p, "VP-DT-01", date(2022, 3, 21), 30)
    _violation(
        p,
        "VP-DT-02",
        date(2022, 4, 12),
        ViolationCategory.INVESTMENT,
        "Không góp đủ vốn đầu tư theo tiến độ đã đăng ký",
    )
    _sanction(p, "VP-DT-02", date(2022, 5, 9), 150)
    p.add(
        cmd.SuspendProject(
            **p.env(date(2022, 8, 15), _law("61/2020/QH14", "47")),
            ground=SuspensionGround.REPEATED_VIOLATIONS,
            authority=PPC,
        )
    )


def land_unused_since_approval(p: _Project) -> None:
    """Land leased in 2017, construction never started."""
    approved = p.day(date(2017, 3, 1), date(2017, 10, 31))
    _approve(p, approved, months=(6, 12, 30), land_hectares="6.5")
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 8))
    _delay(p, MilestoneKind.CONSTRUCTION_START, date(2019, 6, 20), "Nhà đầu tư chưa khởi công")
    _delay(p, MilestoneKind.CONSTRUCTION_START, date(2022, 9, 8), "Đất bỏ hoang, chưa xây dựng")


def deposit_unpaid(p: _Project) -> None:
    """Land leased in 2022, the investment deposit never made."""
    approved = p.day(date(2022, 3, 1), date(2022, 8, 31))
    _approve(p, approved)
    _violation(
        p,
        "VP-KQ-01",
        add_months(approved, 9),
        ViolationCategory.DEPOSIT,
        "Chưa thực hiện ký quỹ bảo đảm thực hiện dự án đầu tư",
    )


def violation_then_policy_request(p: _Project) -> None:
    """Sanctioned for delays in 2023, then asks for a schedule past the first one by a year+."""
    approved = p.day(date(2020, 3, 1), date(2021, 6, 30))
    _approve(p, approved, months=(6, 12, 30))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, p.rng.randint(5, 9)))
    if p.rng.random() < 0.6:
        _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(12, 18)))
    found = p.day(date(2023, 2, 1), date(2023, 7, 31))
    _violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Chậm tiến độ thực hiện dự án so với tiến độ đã được chấp thuận",
        p.rng.choice((DPI, INSPECTORATE)),
    )
    _sanction(p, "VP-DT-01", found + timedelta(days=30), p.rng.choice((70, 100, 150)))
    _request_schedule(p, found + timedelta(days=75), approved, (9, 48, 60))


def delayed_past_first_schedule_with_violation(p: _Project) -> None:
    """Built but not operating, well past the first schedule, with an open violation."""
    approved = p.day(date(2018, 6, 1), date(2020, 3, 31))
    _approve(p, approved, months=(6, 12, 30))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(13, 20)))
    _delay(
        p,
        MilestoneKind.OPERATION_START,
        add_months(approved, 34),
        "Chưa hoàn thành xây dựng, chưa đi vào hoạt động",
    )
    found = p.day(date(2023, 4, 1), date(2023, 10, 31))
    _violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Không thực hiện thủ tục điều chỉnh dự án khi thay đổi tiến độ",
    )
    _sanction(p, "VP-DT-01", found + timedelta(days=25), p.rng.choice((70, 80, 100)))


def extension_cap_exhausted(p: _Project) -> None:
    """Extended twice for 24 months in all, without an exception ground, still not operating."""
    approved = p.day(date(2017, 6, 1), date(2018, 6, 30))
    _approve(p, approved, months=(6, 12, 30))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 14))
    _extend(p, add_months(approved, 28), 12)
    _extend(p, add_months(approved, 40), 12)
    _delay(
        p,
        MilestoneKind.OPERATION_START,
        date(2023, 9, 12),
        "Đã hết thời gian giãn tiến độ, chưa đi vào hoạt động",
    )


def delayed_within_cap(p: _Project) -> None:
    """Running late, reported, no violation; an extension within the cap would cover it."""
    if p.rng.random() < 0.5:
        approved = p.day(date(2020, 7, 1), date(2021, 12, 31))
        _approve(p, approved, months=(6, 12, 30))
        _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, p.rng.randint(5, 8)))
        _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(12, 16)))
        _delay(p, MilestoneKind.OPERATION_START, date(2023, 11, 20), "Chậm lắp đặt thiết bị")
    else:
        approved = p.day(date(2022, 3, 1), date(2022, 9, 30))
        _approve(p, approved, months=(6, 12, 30))
        _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
        _delay(
            p,
            MilestoneKind.CONSTRUCTION_START,
            add_months(approved, 15),
            "Chậm giải phóng mặt bằng",
        )
    if p.rng.random() < 0.3:
        _violation(
            p,
            "VP-BC-01",
            date(2022, 11, 3),
            ViolationCategory.REPORTING,
            "Chậm nộp báo cáo tình hình thực hiện dự án",
        )
        _sanction(p, "VP-BC-01", date(2022, 12, 5), 25)
        _remedy(p, "VP-BC-01", date(2023, 1, 16), "Đã nộp đủ báo cáo")


def extended_on_ground_then_delayed(p: _Project) -> None:
    """The State handed the land over late (an exempt extension), then a short delay."""
    approved = p.day(date(2018, 3, 1), date(2019, 6, 30))
    _approve(p, approved, months=(6, 12, 30))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    _extend(p, add_months(approved, 10), 24, ExtensionGround.LAND_HANDOVER_DELAY)
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 37))
    if p.rng.random() < 0.5:
        _extend(p, add_months(approved, 52), 6)
    _delay(p, MilestoneKind.OPERATION_START, date(2023, 10, 5), "Chậm nghiệm thu công trình")


def adjustment_pending(p: _Project) -> None:
    """On schedule, asks to raise its capital (the procedure is under way)."""
    approved = p.day(date(2021, 6, 1), date(2022, 12, 31))
    _approve(p, approved, months=(6, 14, 36))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 5))
    on = p.day(date(2023, 6, 1), date(2024, 1, 31))
    p.add(
        cmd.RequestAdjustment(
            **p.env(on, _law("61/2020/QH14", "41"), issuer="Sở Kế hoạch và Đầu tư", kind="ĐN"),
            changes=ProjectChanges(capital=Money.from_billion(p.rng.choice((500, 600, 750)))),
            description="Nhà đầu tư đề nghị tăng vốn đầu tư để mở rộng quy mô",
        )
    )


def reporting_violation_only(p: _Project) -> None:
    """On schedule but has not filed its investment reports."""
    approved = p.day(date(2021, 3, 1), date(2022, 6, 30))
    _approve(p, approved, months=(6, 14, 36))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    found = p.day(date(2023, 5, 1), date(2023, 11, 30))
    _violation(
        p,
        "VP-BC-01",
        found,
        ViolationCategory.REPORTING,
        "Không thực hiện chế độ báo cáo định kỳ về tình hình thực hiện dự án",
    )
    _sanction(p, "VP-BC-01", found + timedelta(days=20), p.rng.choice((20, 30, 40)))


def foreign_policy_approval_without_certificate(p: _Project) -> None:
    """A foreign investor's project approved in policy, its registration certificate pending."""
    approved = p.day(date(2022, 6, 1), date(2023, 6, 30))
    _approve(p, approved, months=(9, 18, 36), regime=Regime.POLICY_APPROVAL, foreign=True)


def land_misuse(p: _Project) -> None:
    """Part of the leased land used for another purpose."""
    approved = p.day(date(2019, 6, 1), date(2021, 6, 30))
    _approve(p, approved, months=(6, 12, 36))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 12))
    found = p.day(date(2023, 3, 1), date(2023, 9, 30))
    _violation(
        p,
        "VP-DD-01",
        found,
        ViolationCategory.LAND,
        "Sử dụng một phần diện tích đất thuê không đúng mục đích",
        DONRE,
    )
    _sanction(p, "VP-DD-01", found + timedelta(days=40), None)


def environment_permit_missing(p: _Project) -> None:
    """Operating parts of the plant without an environmental permit."""
    approved = p.day(date(2019, 1, 1), date(2021, 3, 31))
    _approve(p, approved, months=(6, 12, 40))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 13))
    _violation(
        p,
        "VP-MT-01",
        p.day(date(2023, 6, 1), date(2023, 12, 15)),
        ViolationCategory.ENVIRONMENT,
        "Chưa có giấy phép môi trường theo quy định",
        DONRE,
    )
    if p.rng.random() < 0.5:
        found = date(2023, 8, 7)
        _violation(
            p,
            "VP-DT-01",
            found,
            ViolationCategory.INVESTMENT,
            "Chậm tiến độ đưa dự án vào hoạt động",
        )
        _request_schedule(p, found + timedelta(days=60), approved, (6, 13, 70))


def sand_mining_without_auction(p: _Project) -> None:
    """A clay or sand pit whose exploitation right was granted without an auction."""
    approved = p.day(date(2018, 1, 1), date(2020, 12, 31))
    title = p.rng.choice(("Mỏ đất sét làm gạch Minh Hoạ", "Mỏ cát lòng sông Minh Hoạ"))
    _approve(
        p,
        approved,
        months=(3, 8, 14),
        sector=("Khai thác khoáng sản", title),
        mineral=True,
        land_hectares="12",
    )
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 3))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 8))
    _met(p, MilestoneKind.OPERATION_START, add_months(approved, 15))
    _violation(
        p,
        "VP-KS-01",
        p.day(date(2023, 4, 1), date(2023, 10, 31)),
        ViolationCategory.MINERALS,
        "Quyền khai thác khoáng sản được cấp không thông qua đấu giá",
        DONRE,
    )


def district_inspection_violation(p: _Project) -> None:
    """The district's inspection established an investment violation; the investor then asks
    for a new schedule."""
    approved = p.day(date(2019, 6, 1), date(2020, 12, 31))
    _approve(p, approved, months=(6, 12, 30))
    _met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 7))
    _met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 16))
    district = Authority(name=f"UBND {p.district}", level=AuthorityLevel.DISTRICT)
    found = p.day(date(2023, 3, 1), date(2023, 8, 31))
    _violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Triển khai dự án không đúng nội dung đã được chấp thuận",
        district,
    )
    if p.rng.random() < 0.7:
        _sanction(p, "VP-DT-01", found + timedelta(days=30), 50, district)
        _request_schedule(p, found + timedelta(days=70), approved, (7, 16, 66))
    else:
        _delay(p, MilestoneKind.OPERATION_START, found, "Chưa đi vào hoạt động")


SITUATIONS: tuple[tuple[Callable[[_Project], None], int], ...] = (
    (suspended_remedy_deadline_passed, 1),
    (suspended_investor_silent, 1),
    (land_unused_since_approval, 1),
    (deposit_unpaid, 1),
    (violation_then_policy_request, 8),
    (delayed_past_first_schedule_with_violation, 6),
    (extension_cap_exhausted, 4),
    (delayed_within_cap, 14),
    (extended_on_ground_then_delayed, 8),
    (adjustment_pending, 8),
    (reporting_violation_only, 6),
    (foreign_policy_approval_without_certificate, 6),
    (land_misuse, 3),
    (environment_permit_missing, 3),
    (sand_mining_without_auction, 3),
    (district_inspection_violation, 5),
)
"""Each situation and how many projects live it (78 in all)."""


def _projects(seed: int) -> list[tuple[str, str, list[cmd.Command]]]:
    """``(situation, project code, commands)`` for every demo project, in a seeded order."""
    rng = random.Random(seed)
    plan = [situation for situation, count in SITUATIONS for _ in range(count)]
    rng.shuffle(plan)
    out = []
    for number, situation in enumerate(plan, start=1):
        project = _Project(number, random.Random(rng.getrandbits(64)))
        situation(project)
        out.append((situation.__name__, project.code, project.commands))
    return out


def demo_histories(seed: int = DEMO_SEED) -> dict[str, list[cmd.Command]]:
    """Every demo project's commands, by project code."""
    return {code: commands for _, code, commands in _projects(seed)}


_OVERRULED = {
    extension_cap_exhausted.__name__: (
        Track.COMPLETE_PROCEDURES,
        "Sở cho phép hoàn thiện thủ tục: nhà đầu tư chứng minh chậm do bàn giao đất (hư cấu)",
    ),
    reporting_violation_only.__name__: (
        Track.RESOLVE_VIOLATION_THEN_ADJUST,
        "Sở đề nghị xử lý vi phạm trước khi xem xét điều chỉnh (hư cấu)",
    ),
}


def demo_decisions(
    seed: int = DEMO_SEED, rulebooks: ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS
) -> dict[str, cmd.RecordReviewDecision]:
    """The department's decisions of the 2024-02 round, by project code: it adopts the
    rulebook's proposal for every project, except one project of two situations where it
    decided otherwise."""
    overruled: set[str] = set()
    decisions: dict[str, cmd.RecordReviewDecision] = {}
    for situation, code, commands in _projects(seed):
        state, _ = run(commands)
        proposal = review_project(state, DEMO_REVIEW_DATE, rulebooks).primary_track
        track, notes = proposal, None
        if situation in _OVERRULED and situation not in overruled:
            overruled.add(situation)
            track, notes = _OVERRULED[situation]
        decisions[code] = cmd.RecordReviewDecision(
            project_code=code,
            effective_date=DEMO_REVIEW_DATE,
            recorded_at=datetime.combine(DEMO_REVIEW_DATE, time(16, 30), VIETNAM_TIME),
            actor=ACTOR,
            documents=(
                DocumentRef(
                    number="35/BC-SKHĐT",
                    issued_on=DEMO_REVIEW_DATE,
                    issuer="Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
                    title="Báo cáo rà soát dự án ngoài khu công nghiệp (hư cấu)",
                ),
            ),
            track=track.value,
            review_round=DEMO_REVIEW_ROUND,
            authority=DPI,
            notes=notes,
        )
    return decisions


@attrs.frozen
class DemoOutcome:
    """What ``record_demo`` did: projects and records written, projects already there."""

    project_codes: tuple[str, ...]
    recorded_projects: int
    recorded_events: int
    skipped_projects: int


def record_demo(
    service: ProjectService,
    *,
    seed: int = DEMO_SEED,
    rulebooks: ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
) -> DemoOutcome:
    """Record the demo projects that are not in the store yet, in one transaction.

    Projects already in the store (an earlier run) are left untouched, so running the demo
    twice writes nothing the second time.
    """
    histories = demo_histories(seed)
    decisions = demo_decisions(seed, rulebooks)
    existing = set(service.project_codes())
    commands: list[cmd.Command] = []
    missing = [code for code in histories if code not in existing]
    for code in missing:
        commands.extend(histories[code])
        commands.append(decisions[code])
    records: Sequence[object] = service.execute_batch(commands) if commands else []
    return DemoOutcome(
        project_codes=tuple(histories),
        recorded_projects=len(missing),
        recorded_events=len(records),
        skipped_projects=len(histories) - len(missing),
    )
