#!/usr/bin/env python3
"""One fictional project's whole life, recorded with the dautu core alone (no database).

    python examples/walkthrough.py

The project, its investor and every document number are invented; the places (huyện Gia Lộc,
tỉnh Hải Dương) and the bodies are named as they were in 2021-2024. Each command is judged by
the rulebook in force on its effective date, then folded into the state; after each event the
script prints what an inspector asks first. Output is Vietnamese with English in parentheses.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

from dautu_core import (
    BUILTIN_RULEBOOKS,
    GENESIS,
    Actor,
    AdjustmentRequested,
    AdjustProject,
    ApproveProject,
    Authority,
    AuthorityLevel,
    Command,
    CorrectEvent,
    CorrectionAction,
    DautuError,
    DelayRecorded,
    DocumentRef,
    ExtendSchedule,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Milestone,
    MilestoneKind,
    Money,
    ProjectChanges,
    ProjectEvent,
    ProjectState,
    RecordDelay,
    RecordMilestoneMet,
    RecordViolation,
    Regime,
    RemedyViolation,
    RequestAdjustment,
    ResumeProject,
    SanctionViolation,
    Schedule,
    SuspendProject,
    SuspensionGround,
    TerminateProject,
    TerminationGround,
    ViolationCategory,
    decide,
    evolve,
    make_record,
    record_hash,
)
from dautu_core.dates import VIETNAM_TIME, format_vi_date
from dautu_core.rulebook import LAW_143_2025
from dautu_core.rules import policy_adjustment_triggers

CODE = "DA-VIDU-0001"
"""A fictional project code (real ones are assigned by the National Investment Information
System; dautu stores them as opaque text)."""

PROVINCE = Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DEPARTMENT = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
CLERK = Actor(
    user_id="chuyenvien07",
    name="Trần Thị Mai (hư cấu)",
    unit="Phòng Đầu tư, Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
)
LAW_61 = "61/2020/QH14"

EVENT_LABELS = {
    "ProjectApproved": ("Chấp thuận chủ trương đầu tư và cấp GCN đăng ký đầu tư", "approved"),
    "MilestoneMet": ("Hoàn thành mốc tiến độ", "milestone met"),
    "DelayRecorded": ("Ghi nhận chậm tiến độ", "delay recorded"),
    "ScheduleExtended": ("Giãn tiến độ đầu tư", "schedule extended"),
    "ViolationFound": ("Phát hiện vi phạm", "violation found"),
    "ViolationSanctioned": ("Xử phạt vi phạm hành chính", "violation sanctioned"),
    "ViolationRemedied": ("Khắc phục vi phạm", "violation remedied"),
    "AdjustmentRequested": ("Đề nghị điều chỉnh dự án", "adjustment requested"),
    "ProjectAdjusted": ("Điều chỉnh dự án", "project adjusted"),
    "ProjectSuspended": ("Ngừng hoạt động", "suspended"),
    "ProjectResumed": ("Tiếp tục hoạt động", "resumed"),
    "ProjectTerminated": ("Chấm dứt hoạt động", "terminated"),
    "EventCorrected": ("Đính chính hồ sơ", "correction"),
}


def envelope(
    day: date, *bases: LegalBasis, document: tuple[str, date] | None = None
) -> dict[str, Any]:
    """Envelope of a command: recorded two days after its effective date, at 09:30 +07:00."""
    documents = (
        () if document is None else (DocumentRef(number=document[0], issued_on=document[1]),)
    )
    return {
        "project_code": CODE,
        "effective_date": day,
        "recorded_at": datetime.combine(day + timedelta(days=2), time(9, 30), tzinfo=VIETNAM_TIME),
        "actor": CLERK,
        "legal_basis": bases,
        "documents": documents,
    }


def law61(article: str, clause: str | None = None) -> LegalBasis:
    return LegalBasis(instrument=LAW_61, article=article, clause=clause)


def milestone_label(key: str) -> str:
    kind, _, label = key.partition(":")
    name = MilestoneKind(kind)
    return f"{label or name.label_vi} ({label or name.label_en})"


def describe(state: ProjectState, as_of: date) -> list[str]:
    """What an inspector asks first, as of ``as_of``."""
    assert state.status is not None
    book = BUILTIN_RULEBOOKS.in_force(as_of)
    lines = [f"Trạng thái (status): {state.status.label_vi} ({state.status.label_en})"]
    behind = state.months_behind(as_of)
    late = ", ".join(f"{milestone_label(k)}: {m}" for k, m in behind.items())
    lines.append(f"Số tháng chậm đến {format_vi_date(as_of)} (months behind as of): {late}")
    left = state.extension_months_left(book.extension_cap_months)
    lines.append(
        f"Giãn tiến độ đã dùng / còn lại (extension months used / left): "
        f"{state.extension_months_used} / {left} (trần / cap {book.extension_cap_months}, "
        f"{book.title_vi})"
    )
    open_by_category = state.open_violations_by_category()
    violations = (
        ", ".join(f"{c.label_vi} ({c.label_en}): {n}" for c, n in open_by_category.items())
        or "không có (none)"
    )
    lines.append(f"Vi phạm chưa khắc phục (open violations): {violations}")
    pending = state.pending_adjustment
    if pending is None:
        waiting = "không (no)"
    elif pending.policy_adjustment_required:
        waiting = f"có, phải điều chỉnh chủ trương (yes, policy adjustment): {', '.join(pending.triggers)}"
    else:
        waiting = "có, chỉ điều chỉnh GCN (yes, certificate only)"
    lines.append(f"Đề nghị điều chỉnh đang chờ (pending adjustment): {waiting}")
    return lines


class Record:
    """The project's record in memory: events, stored bytes chained by hash, and the state."""

    def __init__(self) -> None:
        self.state = ProjectState()
        self.head = GENESIS

    def submit(self, command: Command) -> list[ProjectEvent]:
        produced = decide(command, self.state)
        for event in produced:
            self.state = evolve(self.state, event)
            self.head = record_hash(make_record(event, self.head))
            self.show(event)
        return produced

    def show(self, event: ProjectEvent) -> None:
        name = type(event).__name__
        vi, en = EVENT_LABELS[name]
        book = BUILTIN_RULEBOOKS.in_force(event.effective_date)
        print(f"\n#{self.state.version} {format_vi_date(event.effective_date)} — {vi} ({en})")
        for basis in event.legal_basis:
            print(f"   Căn cứ (legal basis): {basis.cite_vi()} ({basis.cite()})")
        for doc in event.documents:
            print(f"   Văn bản (document): {doc.number} ngày {format_vi_date(doc.issued_on)}")
        print(f"   Bộ quy tắc áp dụng (rulebook): {book.title_vi} ({book.title_en})")
        for line in describe(self.state, event.effective_date):
            print(f"   {line}")


def main() -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    print("Dự án hư cấu (fictional project) " + CODE)
    record = Record()
    approved_on = date(2021, 3, 10)
    schedule = Schedule(
        (
            Milestone(MilestoneKind.CAPITAL_CONTRIBUTION, date(2021, 9, 10)),
            Milestone(MilestoneKind.CONSTRUCTION_START, date(2022, 3, 10)),
            Milestone(MilestoneKind.OPERATION_START, date(2023, 3, 10)),
        )
    )
    record.submit(
        ApproveProject(
            **envelope(
                approved_on, law61("32"), law61("38"), document=("520/QĐ-UBND", approved_on)
            ),
            project_name="Nhà máy chế biến nông sản Ví Dụ",
            objectives="Sơ chế, chế biến và bảo quản rau quả xuất khẩu",
            investors=(
                Investor(
                    name="Công ty TNHH Nông sản Ví Dụ (hư cấu / fictional)",
                    enterprise_code="0899999999",
                ),
            ),
            location=Location(province="Hải Dương", district="huyện Gia Lộc"),
            capital=Money.from_billion(120),
            land_area=LandArea.from_hectares("4.5"),
            sector="Công nghiệp chế biến nông sản",
            schedule=schedule,
            duration_years=50,
            authority=PROVINCE,
            regime=Regime.POLICY_APPROVAL_AND_IRC,
        )
    )
    record.submit(
        RecordMilestoneMet(
            **envelope(date(2021, 9, 1), law61("72")), milestone="capital_contribution"
        )
    )
    delay = record.submit(
        RecordDelay(
            **envelope(date(2022, 6, 15), law61("72")),
            milestone="construction_start",
            reason="Chậm giải phóng mặt bằng",
            found_by=DEPARTMENT,
        )
    )[0]
    record.submit(
        ExtendSchedule(
            **envelope(
                date(2022, 8, 1), law61("41", "4"), document=("1890/QĐ-UBND", date(2022, 8, 1))
            ),
            months=12,
        )
    )
    report = LegalBasis(instrument=LAW_61, article="72")
    record.submit(
        RecordViolation(
            **envelope(date(2023, 5, 20), report, document=("05/BB-VPHC", date(2023, 5, 20))),
            violation_id="05/BB-VPHC",
            category=ViolationCategory.REPORTING,
            description="Không báo cáo tình hình thực hiện dự án quý I/2023",
            found_by=Authority(name="Thanh tra Sở Kế hoạch và Đầu tư tỉnh Hải Dương"),
        )
    )
    record.submit(
        SanctionViolation(
            **envelope(
                date(2023, 6, 5),
                LegalBasis(instrument="122/2021/NĐ-CP"),
                document=("1520/QĐ-XPHC", date(2023, 6, 5)),
            ),
            violation_id="05/BB-VPHC",
            sanctioning_authority=Authority(name="Chánh Thanh tra Sở Kế hoạch và Đầu tư"),
            decision=DocumentRef(number="1520/QĐ-XPHC", issued_on=date(2023, 6, 5)),
            fine=Money(25_000_000),
        )
    )
    record.submit(
        RemedyViolation(
            **envelope(date(2023, 6, 20), report),
            violation_id="05/BB-VPHC",
            description="Đã nộp báo cáo quý I/2023",
        )
    )
    more_capital = ProjectChanges(capital=Money.from_billion(150))
    requested = record.submit(
        RequestAdjustment(
            **envelope(date(2023, 8, 1), law61("41")),
            changes=more_capital,
            description="Tăng tổng vốn đầu tư từ 120 tỷ lên 150 tỷ đồng",
        )
    )[0]
    assert isinstance(requested, AdjustmentRequested)
    book = BUILTIN_RULEBOOKS.in_force(requested.effective_date)
    print(
        f"   Vì sao (why): {', '.join(requested.triggers)} — tổng vốn thay đổi từ "
        f"{book.thresholds.capital_change_percent}% trở lên (total capital changes by "
        f"{book.thresholds.capital_change_percent}% or more), "
        f"{book.cite('policy_adjustment_triggers').cite()}"
    )
    under_143 = policy_adjustment_triggers(record.state, more_capital, LAW_143_2025)
    print(
        "   Cùng đề nghị theo Luật 143/2025/QH15 (từ 01/03/2026) (the same request under Law "
        f"143/2025, from 1 Mar 2026): {', '.join(under_143) or 'không phải điều chỉnh chủ trương (no policy adjustment)'}"
    )
    record.submit(
        AdjustProject(
            **envelope(
                date(2023, 11, 15), law61("41"), document=("2870/QĐ-UBND", date(2023, 11, 15))
            ),
            changes=more_capital,
            authority=PROVINCE,
            policy_adjusted=True,
        )
    )
    record.submit(
        SuspendProject(
            **envelope(date(2024, 1, 10), law61("47")),
            ground=SuspensionGround.INVESTOR_NOTICE,
            until=date(2024, 4, 10),
        )
    )
    record.submit(
        ResumeProject(
            **envelope(date(2024, 4, 12), law61("47")), reason="Nhà đầu tư thông báo tiếp tục"
        )
    )
    assert isinstance(delay, DelayRecorded)
    record.submit(
        CorrectEvent(
            **envelope(date(2024, 5, 2)),
            corrects_version=3,
            action=CorrectionAction.AMEND,
            reason="Ghi nhầm nguyên nhân chậm tiến độ",
            replacement=attrs.evolve(delay, reason="Chậm bàn giao đất (lỗi của cơ quan nhà nước)"),
        )
    )
    record.submit(
        TerminateProject(
            **envelope(
                date(2024, 11, 20), law61("48"), document=("150/TB-SKHĐT", date(2024, 11, 20))
            ),
            ground=TerminationGround.INVESTOR_DECISION,
            authority=DEPARTMENT,
        )
    )

    print("\nLệnh bị từ chối (a refused command):")
    try:
        record.submit(
            RecordMilestoneMet(
                **envelope(date(2024, 12, 1), law61("72")), milestone="operation_start"
            )
        )
    except DautuError as refusal:
        print(f"   {refusal}")

    final = record.state
    assert final.status is not None
    print(
        f"\nTrạng thái cuối cùng (final status): {final.status.label_vi} ({final.status.label_en}); "
        f"số sự kiện (events): {final.version}; mã băm cuối chuỗi (head hash): {record.head}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
