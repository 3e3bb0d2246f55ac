"""The situations of the demo scenario: what happened to a fictional project, as commands.

Each situation is a function that records one project's life (approval, milestones, delays,
extensions, violations, sanctions, remedies, requests, suspensions) through a
:class:`ProjectBuilder`, which supplies envelopes, fictional document numbers and recorded times
derived from the effective dates. A situation says what *happened*; it never names a handling
track: proposing one is the review rulebook's job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from dautu_adapters.review.builder import (
    DONRE,
    DPI,
    INSPECTORATE,
    PPC,
    ProjectBuilder,
    approve,
    delay,
    extend,
    law,
    met,
    remedy,
    request_schedule,
    sanction,
    violation,
)
from dautu_core import commands as cmd
from dautu_core.dates import add_months
from dautu_core.events import ProjectChanges
from dautu_core.values import Authority, Money
from dautu_core.vocab import (
    AuthorityLevel,
    ExtensionGround,
    MilestoneKind,
    Regime,
    SuspensionGround,
    ViolationCategory,
)

__all__ = ["SITUATIONS", "Situation"]


# --- situations: what happened to a project (the rulebook decides the track) -----------------


def suspended_remedy_deadline_passed(p: ProjectBuilder) -> None:
    """Environmental breach, suspended with a remedy deadline that passed in 2023."""
    approved = p.day(date(2018, 3, 1), date(2018, 12, 31))
    approve(p, approved, months=(6, 14, 36))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 5))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 15))
    violation(
        p,
        "VP-MT-01",
        date(2023, 3, 14),
        ViolationCategory.ENVIRONMENT,
        "Xả nước thải vượt quy chuẩn kỹ thuật môi trường",
        DONRE,
    )
    sanction(p, "VP-MT-01", date(2023, 4, 10), None)
    p.add(
        cmd.SuspendProject(
            **p.env(date(2023, 5, 22), law("61/2020/QH14", "47")),
            ground=SuspensionGround.ENVIRONMENT_BREACH,
            authority=PPC,
            until=date(2023, 11, 30),
        )
    )


def suspended_investor_silent(p: ProjectBuilder) -> None:
    """Repeated violations, suspended in 2022; the investor has not been heard of since."""
    approved = p.day(date(2019, 1, 1), date(2019, 9, 30))
    approve(p, approved)
    violation(
        p,
        "VP-DT-01",
        date(2022, 2, 16),
        ViolationCategory.REPORTING,
        "Không thực hiện chế độ báo cáo giám sát, đánh giá đầu tư",
    )
    sanction(p, "VP-DT-01", date(2022, 3, 21), 30)
    violation(
        p,
        "VP-DT-02",
        date(2022, 4, 12),
        ViolationCategory.INVESTMENT,
        "Không góp đủ vốn đầu tư theo tiến độ đã đăng ký",
    )
    sanction(p, "VP-DT-02", date(2022, 5, 9), 150)
    p.add(
        cmd.SuspendProject(
            **p.env(date(2022, 8, 15), law("61/2020/QH14", "47")),
            ground=SuspensionGround.REPEATED_VIOLATIONS,
            authority=PPC,
        )
    )


def land_unused_since_approval(p: ProjectBuilder) -> None:
    """Land leased in 2017, construction never started."""
    approved = p.day(date(2017, 3, 1), date(2017, 10, 31))
    approve(p, approved, months=(6, 12, 30), land_hectares="6.5")
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 8))
    delay(p, MilestoneKind.CONSTRUCTION_START, date(2019, 6, 20), "Nhà đầu tư chưa khởi công")
    delay(p, MilestoneKind.CONSTRUCTION_START, date(2022, 9, 8), "Đất bỏ hoang, chưa xây dựng")


def deposit_unpaid(p: ProjectBuilder) -> None:
    """Land leased in 2022, the investment deposit never made."""
    approved = p.day(date(2022, 3, 1), date(2022, 8, 31))
    approve(p, approved)
    violation(
        p,
        "VP-KQ-01",
        add_months(approved, 9),
        ViolationCategory.DEPOSIT,
        "Chưa thực hiện ký quỹ bảo đảm thực hiện dự án đầu tư",
    )


def violation_then_policy_request(p: ProjectBuilder) -> None:
    """Sanctioned for delays in 2023, then asks for a schedule past the first one by a year+.

    Approved from March 2021: by the review the construction start, if still not met, is
    less than 24 months late, so the land is not yet to be recovered."""
    approved = p.day(date(2021, 3, 1), date(2021, 6, 30))
    approve(p, approved, months=(6, 12, 30))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, p.rng.randint(5, 9)))
    if p.rng.random() < 0.6:
        met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(12, 18)))
    found = p.day(date(2023, 2, 1), date(2023, 7, 31))
    violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Chậm tiến độ thực hiện dự án so với tiến độ đã được chấp thuận",
        p.rng.choice((DPI, INSPECTORATE)),
    )
    sanction(p, "VP-DT-01", found + timedelta(days=30), p.rng.choice((70, 100, 150)))
    request_schedule(p, found + timedelta(days=75), approved, (9, 48, 60))


def delayed_past_first_schedule_with_violation(p: ProjectBuilder) -> None:
    """Built but not operating, well past the first schedule, with an open violation."""
    approved = p.day(date(2018, 6, 1), date(2020, 3, 31))
    approve(p, approved, months=(6, 12, 30))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(13, 20)))
    delay(
        p,
        MilestoneKind.OPERATION_START,
        add_months(approved, 34),
        "Chưa hoàn thành xây dựng, chưa đi vào hoạt động",
    )
    found = p.day(date(2023, 4, 1), date(2023, 10, 31))
    violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Không thực hiện thủ tục điều chỉnh dự án khi thay đổi tiến độ",
    )
    sanction(p, "VP-DT-01", found + timedelta(days=25), p.rng.choice((70, 80, 100)))


def extension_cap_exhausted(p: ProjectBuilder) -> None:
    """Extended twice for 24 months in all, without an exception ground, still not operating."""
    approved = p.day(date(2017, 6, 1), date(2018, 6, 30))
    approve(p, approved, months=(6, 12, 30))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 14))
    extend(p, add_months(approved, 28), 12)
    extend(p, add_months(approved, 40), 12)
    delay(
        p,
        MilestoneKind.OPERATION_START,
        date(2023, 9, 12),
        "Đã hết thời gian giãn tiến độ, chưa đi vào hoạt động",
    )


def delayed_within_cap(p: ProjectBuilder) -> None:
    """Running late, reported, no violation; an extension within the cap would cover it."""
    if p.rng.random() < 0.5:
        approved = p.day(date(2020, 7, 1), date(2021, 12, 31))
        approve(p, approved, months=(6, 12, 30))
        met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, p.rng.randint(5, 8)))
        met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, p.rng.randint(12, 16)))
        delay(p, MilestoneKind.OPERATION_START, date(2023, 11, 20), "Chậm lắp đặt thiết bị")
    else:
        approved = p.day(date(2022, 3, 1), date(2022, 9, 30))
        approve(p, approved, months=(6, 12, 30))
        met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
        delay(
            p,
            MilestoneKind.CONSTRUCTION_START,
            add_months(approved, 15),
            "Chậm giải phóng mặt bằng",
        )
    if p.rng.random() < 0.3:
        violation(
            p,
            "VP-BC-01",
            date(2022, 11, 3),
            ViolationCategory.REPORTING,
            "Chậm nộp báo cáo tình hình thực hiện dự án",
        )
        sanction(p, "VP-BC-01", date(2022, 12, 5), 25)
        remedy(p, "VP-BC-01", date(2023, 1, 16), "Đã nộp đủ báo cáo")


def extended_on_ground_then_delayed(p: ProjectBuilder) -> None:
    """The State handed the land over late (an exempt extension), then a short delay."""
    approved = p.day(date(2018, 3, 1), date(2019, 6, 30))
    approve(p, approved, months=(6, 12, 30))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    extend(p, add_months(approved, 10), 24, ExtensionGround.LAND_HANDOVER_DELAY)
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 37))
    if p.rng.random() < 0.5:
        extend(p, add_months(approved, 52), 6)
    delay(p, MilestoneKind.OPERATION_START, date(2023, 10, 5), "Chậm nghiệm thu công trình")


def adjustment_pending(p: ProjectBuilder) -> None:
    """On schedule, asks to raise its capital (the procedure is under way)."""
    approved = p.day(date(2021, 6, 1), date(2022, 12, 31))
    approve(p, approved, months=(6, 14, 36))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 5))
    on = p.day(date(2023, 6, 1), date(2024, 1, 31))
    p.add(
        cmd.RequestAdjustment(
            **p.env(on, law("61/2020/QH14", "41"), issuer="Sở Kế hoạch và Đầu tư", kind="ĐN"),
            changes=ProjectChanges(capital=Money.from_billion(p.rng.choice((500, 600, 750)))),
            description="Nhà đầu tư đề nghị tăng vốn đầu tư để mở rộng quy mô",
        )
    )


def reporting_violation_only(p: ProjectBuilder) -> None:
    """On schedule but has not filed its investment reports."""
    approved = p.day(date(2021, 3, 1), date(2022, 6, 30))
    approve(p, approved, months=(6, 14, 36))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    found = p.day(date(2023, 5, 1), date(2023, 11, 30))
    violation(
        p,
        "VP-BC-01",
        found,
        ViolationCategory.REPORTING,
        "Không thực hiện chế độ báo cáo định kỳ về tình hình thực hiện dự án",
    )
    sanction(p, "VP-BC-01", found + timedelta(days=20), p.rng.choice((20, 30, 40)))


def foreign_policy_approval_without_certificate(p: ProjectBuilder) -> None:
    """A foreign investor's project approved in policy, its registration certificate pending."""
    approved = p.day(date(2022, 1, 1), date(2022, 12, 31))
    approve(p, approved, months=(9, 18, 36), regime=Regime.POLICY_APPROVAL, foreign=True)


def land_misuse(p: ProjectBuilder) -> None:
    """Part of the leased land used for another purpose."""
    approved = p.day(date(2019, 6, 1), date(2021, 6, 30))
    approve(p, approved, months=(6, 12, 36))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 12))
    found = p.day(date(2023, 3, 1), date(2023, 9, 30))
    violation(
        p,
        "VP-DD-01",
        found,
        ViolationCategory.LAND,
        "Sử dụng một phần diện tích đất thuê không đúng mục đích",
        DONRE,
    )
    sanction(p, "VP-DD-01", found + timedelta(days=40), None)


def environment_permit_missing(p: ProjectBuilder) -> None:
    """Operating parts of the plant without an environmental permit."""
    approved = p.day(date(2019, 1, 1), date(2021, 3, 31))
    approve(p, approved, months=(6, 12, 40))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 6))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 13))
    violation(
        p,
        "VP-MT-01",
        p.day(date(2023, 6, 1), date(2023, 12, 15)),
        ViolationCategory.ENVIRONMENT,
        "Chưa có giấy phép môi trường theo quy định",
        DONRE,
    )
    if p.rng.random() < 0.5:
        found = date(2023, 8, 7)
        violation(
            p,
            "VP-DT-01",
            found,
            ViolationCategory.INVESTMENT,
            "Chậm tiến độ đưa dự án vào hoạt động",
        )
        request_schedule(p, found + timedelta(days=60), approved, (6, 13, 70))


def sand_mining_without_auction(p: ProjectBuilder) -> None:
    """A clay or sand pit whose exploitation right was granted without an auction."""
    approved = p.day(date(2018, 1, 1), date(2020, 12, 31))
    title = p.rng.choice(("Mỏ đất sét làm gạch Minh Hoạ", "Mỏ cát lòng sông Minh Hoạ"))
    approve(
        p,
        approved,
        months=(3, 8, 14),
        sector=("Khai thác khoáng sản", title),
        mineral=True,
        land_hectares="12",
    )
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 3))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 8))
    met(p, MilestoneKind.OPERATION_START, add_months(approved, 15))
    violation(
        p,
        "VP-KS-01",
        p.day(date(2023, 4, 1), date(2023, 10, 31)),
        ViolationCategory.MINERALS,
        "Quyền khai thác khoáng sản được cấp không thông qua đấu giá",
        DONRE,
    )


def district_inspection_violation(p: ProjectBuilder) -> None:
    """The district's inspection established an investment violation; the investor then asks
    for a new schedule that needs a policy adjustment."""
    approved = p.day(date(2019, 6, 1), date(2020, 12, 31))
    approve(p, approved, months=(6, 12, 30))
    met(p, MilestoneKind.CAPITAL_CONTRIBUTION, add_months(approved, 7))
    met(p, MilestoneKind.CONSTRUCTION_START, add_months(approved, 16))
    district = Authority(name=f"UBND {p.district}", level=AuthorityLevel.DISTRICT)
    found = p.day(date(2023, 3, 1), date(2023, 8, 31))
    violation(
        p,
        "VP-DT-01",
        found,
        ViolationCategory.INVESTMENT,
        "Triển khai dự án không đúng nội dung đã được chấp thuận",
        district,
    )
    if p.rng.random() < 0.7:
        sanction(p, "VP-DT-01", found + timedelta(days=30), 50, district)
    else:
        delay(p, MilestoneKind.OPERATION_START, found, "Chưa đi vào hoạt động")
    # The schedule asked for runs years past the first one: a policy adjustment, which the
    # district's handling of the violation must precede.
    request_schedule(p, found + timedelta(days=70), approved, (7, 16, 66))


Situation = Callable[[ProjectBuilder], None]
"""Records one project's life through the builder."""

SITUATIONS: tuple[tuple[Situation, int], ...] = (
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
