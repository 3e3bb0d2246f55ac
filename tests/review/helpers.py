"""Shared setup of the review tests: a fictional project and short ways to say what happened."""

from __future__ import annotations

from datetime import date
from typing import Any

from dautu_core import (
    Authority,
    AuthorityLevel,
    Command,
    DocumentRef,
    ExtendSchedule,
    ProjectChanges,
    RecordDelay,
    RecordMilestoneMet,
    RecordReviewDecision,
    RecordViolation,
    RemedyViolation,
    RequestAdjustment,
    SanctionViolation,
    SuspendProject,
    SuspensionGround,
    ViolationCategory,
    run,
)
from dautu_core.review import (
    BUILTIN_REVIEW_RULEBOOKS,
    ProjectReview,
    Reason,
    ReviewRulebook,
    ReviewRulebooks,
    review_project,
)
from dautu_core.testing import sample_approval, sample_envelope
from dautu_core.values import Money, Schedule

CODE = "DA-0001"
APPROVED_ON = date(2021, 3, 15)
"""The sample project's schedule: capital 15/09/2021, construction 15/03/2022, operation
15/03/2023 (``sample_schedule``)."""
PROVINCE = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DISTRICT = Authority(name="UBND huyện Gia Lộc", level=AuthorityLevel.DISTRICT)


def approve(on: date = APPROVED_ON, code: str = CODE, **overrides: Any) -> Command:
    return sample_approval(code, on, **overrides)


def env(on: date, code: str = CODE) -> dict[str, Any]:
    return sample_envelope(code, on)


def met(on: date, milestone: str, code: str = CODE) -> Command:
    return RecordMilestoneMet(**env(on, code), milestone=milestone)


def delay(on: date, milestone: str, code: str = CODE) -> Command:
    return RecordDelay(**env(on, code), milestone=milestone, reason="Chậm giải phóng mặt bằng")


def extend(on: date, months: int, code: str = CODE, **kwargs: Any) -> Command:
    return ExtendSchedule(**env(on, code), months=months, **kwargs)


def found(
    on: date,
    vid: str,
    category: ViolationCategory,
    by: Authority = PROVINCE,
    code: str = CODE,
) -> Command:
    return RecordViolation(
        **env(on, code), violation_id=vid, category=category, description="Vi phạm", found_by=by
    )


def sanctioned(on: date, vid: str, code: str = CODE) -> Command:
    return SanctionViolation(
        **env(on, code),
        violation_id=vid,
        sanctioning_authority=PROVINCE,
        decision=DocumentRef(number="12/QĐ-XPHC", issued_on=on),
        fine=Money(70_000_000),
    )


def remedied(on: date, vid: str, code: str = CODE) -> Command:
    return RemedyViolation(**env(on, code), violation_id=vid, description="Đã khắc phục")


def request(on: date, code: str = CODE, **changes: Any) -> Command:
    return RequestAdjustment(
        **env(on, code), changes=ProjectChanges(**changes), description="Đề nghị điều chỉnh"
    )


def request_schedule(on: date, schedule: Schedule, code: str = CODE) -> Command:
    return request(on, code, schedule=schedule)


def suspend(
    on: date, ground: SuspensionGround, until: date | None = None, code: str = CODE
) -> Command:
    return SuspendProject(**env(on, code), ground=ground, authority=PROVINCE, until=until)


def decided(on: date, track: str, code: str = CODE) -> Command:
    return RecordReviewDecision(
        **env(on, code), track=track, review_round="2024-02", authority=PROVINCE
    )


def review_of(
    *commands: Command,
    as_of: date,
    rulebooks: ReviewRulebook | ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
) -> ProjectReview:
    """Given these commands (each judged by the decider), the review as of ``as_of``."""
    state, _ = run(commands)
    return review_project(state, as_of, rulebooks)


def reason(review: ProjectReview, rule_id: str) -> Reason:
    matching = [r for r in review.reasons if r.rule_id == rule_id]
    assert matching, f"rule {rule_id} did not hold; reasons: {[r.rule_id for r in review.reasons]}"
    return matching[0]


def rule_ids(review: ProjectReview) -> set[str]:
    return {r.rule_id for r in review.reasons}


def versions(found_reason: Reason) -> list[int]:
    assert all(e.project_code == CODE for e in found_reason.events)
    return [e.version for e in found_reason.events]
