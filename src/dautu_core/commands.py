"""Commands: what a user asks the record to say, before the rules have judged it.

Each command shares its payload class with the event it produces (see :mod:`dautu_core.events`),
so ``RecordViolation`` asks for exactly what ``ViolationFound`` will say. The decider fills in
what only the rules can decide (for example whether an adjustment needs a policy adjustment).
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from dautu_core import events as ev
from dautu_core.fields import checked_fields

__all__ = [
    "AdjustProject",
    "ApproveProject",
    "Command",
    "CorrectEvent",
    "ExtendSchedule",
    "RecordDelay",
    "RecordMilestoneMet",
    "RecordReviewDecision",
    "RecordViolation",
    "RemedyViolation",
    "RequestAdjustment",
    "ResumeProject",
    "SanctionViolation",
    "SuspendProject",
    "TerminateProject",
]


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class Command(ev.Envelope):
    """Base class of every command. ``EVENT`` is the event class it produces when accepted.

    The envelope every command carries (keyword arguments, as in every subclass):

    - ``project_code`` (text, opaque, never parsed): ``"DA-HD-005"``.
    - ``effective_date`` (``date``, the day the fact takes effect; the law in force that day
      judges it): ``date(2024, 3, 1)``.
    - ``recorded_at`` (time-zone aware ``datetime``, stored in UTC; when the record learns it):
      ``datetime(2024, 3, 1, 9, 30, tzinfo=VIETNAM_TIME)``.
    - ``actor`` (:class:`~dautu_core.values.Actor`: user id, name, unit):
      ``Actor(user_id="cv01", name="Nguyễn Văn A", unit="Phòng Đầu tư")``.
    - ``legal_basis`` (tuple of :class:`~dautu_core.values.LegalBasis`; required for decisions
      and findings, rule ``legal_basis_required``):
      ``(LegalBasis(instrument="61/2020/QH14", article="41", clause="4"),)``.
    - ``documents`` (tuple of :class:`~dautu_core.values.DocumentRef`, default none):
      ``(DocumentRef(number="1234/QĐ-UBND", issued_on=date(2024, 3, 1), issuer="UBND tỉnh"),)``.

    Amounts are :class:`~dautu_core.values.Money` in whole đồng (``Money(80_000_000)``),
    areas :class:`~dautu_core.values.LandArea` in square metres (``LandArea(20000)``).
    """

    EVENT: ClassVar[type[ev.ProjectEvent]]


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ApproveProject(Command, ev.ProjectApprovedFields):
    """Chấp thuận chủ trương đầu tư and/or the investment registration certificate: the first
    event of every project (rule ``approval_first``).

    - ``project_name`` (text): ``"Nhà máy may mặc Minh Hoạ 5"``.
    - ``objectives`` (text): ``"Sản xuất hàng may mặc xuất khẩu"``.
    - ``investors`` (tuple of :class:`~dautu_core.values.Investor`, at least one):
      ``(Investor(name="Công ty TNHH Minh Hoạ", enterprise_code="0801234567"),)``.
    - ``location`` (:class:`~dautu_core.values.Location`, as named at the time):
      ``Location(province="Hải Dương", district="huyện Thanh Miện")``.
    - ``capital`` (:class:`~dautu_core.values.Money`, whole đồng): ``Money(220_000_000_000)``.
    - ``land_area`` (:class:`~dautu_core.values.LandArea` in m², optional): ``LandArea(20000)``.
    - ``sector`` (text): ``"Công nghiệp chế biến, chế tạo"``.
    - ``is_mineral_exploitation`` (bool, default ``False``): ``True`` for a mine.
    - ``schedule`` (:class:`~dautu_core.values.Schedule` of dated milestones):
      ``Schedule((Milestone(kind="construction_start", due=date(2020, 4, 26)),))``.
    - ``duration_years`` (whole years, optional): ``50``.
    - ``authority`` (:class:`~dautu_core.values.Authority`, who approved):
      ``Authority(name="UBND tỉnh Hải Dương", level="provincial")``.
    - ``regime`` (:class:`~dautu_core.vocab.Regime`): ``"policy_approval_and_irc"``.
    """

    EVENT = ev.ProjectApproved


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordMilestoneMet(Command, ev.MilestoneMetFields):
    """A schedule milestone was reached.

    - ``milestone`` (milestone key, :class:`~dautu_core.vocab.MilestoneKind` value, with
      ``:label`` for phases): ``"construction_start"``, ``"phase:2"``.
    """

    EVENT = ev.MilestoneMet


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordDelay(Command, ev.DelayRecordedFields):
    """A milestone was found behind schedule.

    - ``milestone`` (milestone key): ``"operation_start"``.
    - ``reason`` (text): ``"Chưa hoàn thành xây dựng"``.
    - ``found_by`` (:class:`~dautu_core.values.Authority`, optional):
      ``Authority(name="Sở Kế hoạch và Đầu tư")``.
    """

    EVENT = ev.DelayRecorded


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ExtendSchedule(Command, ev.ScheduleExtendedFields):
    """Giãn tiến độ (Law 61/2020 Art. 41(4)); at most 24 months in total against the first
    approval without an exception ground (rule ``extension_cap``).

    - ``months`` (whole months, positive): ``12``.
    - ``ground`` (:class:`~dautu_core.vocab.ExtensionGround`, optional; months with a ground do
      not count towards the cap): ``"land_handover_delay"``.
    - ``milestones`` (tuple of milestone keys; empty: every milestone not met yet):
      ``("operation_start",)``.
    """

    EVENT = ev.ScheduleExtended


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordViolation(Command, ev.ViolationFoundFields):
    """A violation was found (its legal basis names the category's law).

    - ``violation_id`` (text, unique in the project, rule ``violation_id_unique``): ``"VP-MT-01"``.
    - ``category`` (:class:`~dautu_core.vocab.ViolationCategory`): ``"environment"``.
    - ``description`` (text): ``"Xả thải chưa qua xử lý"``.
    - ``found_by`` (:class:`~dautu_core.values.Authority`):
      ``Authority(name="Sở Tài nguyên và Môi trường tỉnh Hải Dương", level="provincial")``.
    """

    EVENT = ev.ViolationFound


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class SanctionViolation(Command, ev.ViolationSanctionedFields):
    """A violation found earlier was sanctioned (rule ``violation_must_be_found``).

    - ``violation_id`` (text, a violation already found): ``"VP-MT-01"``.
    - ``sanctioning_authority`` (:class:`~dautu_core.values.Authority`):
      ``Authority(name="UBND tỉnh Hải Dương", level="provincial")``.
    - ``decision`` (:class:`~dautu_core.values.DocumentRef`, the sanction decision):
      ``DocumentRef(number="507/QĐ-XPHC", issued_on=date(2024, 3, 20), issuer="UBND tỉnh")``.
    - ``fine`` (:class:`~dautu_core.values.Money` in whole đồng, optional):
      ``Money(80_000_000)``.
    """

    EVENT = ev.ViolationSanctioned


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RemedyViolation(Command, ev.ViolationRemediedFields):
    """The investor remedied a violation found earlier (this closes it; a sanction does not).

    - ``violation_id`` (text, a violation already found): ``"VP-MT-01"``.
    - ``description`` (text, what was done): ``"Đã lắp đặt hệ thống xử lý nước thải"``.
    """

    EVENT = ev.ViolationRemedied


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RequestAdjustment(Command, ev.AdjustmentRequestedFields):
    """The investor asked to adjust the project (Law 61/2020 Art. 41); the rulebook records
    whether a policy adjustment is required and why.

    - ``changes`` (:class:`~dautu_core.events.ProjectChanges`, at least one field set: capital,
      schedule, land_area, location, objectives, investors, duration_years):
      ``ProjectChanges(capital=Money(260_000_000_000))``.
    - ``description`` (text): ``"Tăng vốn đầu tư để mở rộng nhà xưởng"``.
    """

    EVENT = ev.AdjustmentRequested


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class AdjustProject(Command, ev.ProjectAdjustedFields):
    """The project was adjusted (rule ``policy_adjustment_triggers`` refuses one that needs a
    policy adjustment recorded without it).

    - ``changes`` (:class:`~dautu_core.events.ProjectChanges`):
      ``ProjectChanges(schedule=Schedule(...))``.
    - ``authority`` (:class:`~dautu_core.values.Authority`, who decided):
      ``Authority(name="UBND tỉnh Hải Dương", level="provincial")``.
    - ``policy_adjusted`` (bool, default ``False``: by a policy-adjustment decision): ``True``.
    """

    EVENT = ev.ProjectAdjusted


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class SuspendProject(Command, ev.ProjectSuspendedFields):
    """Ngừng hoạt động (Law 61/2020 Art. 47).

    - ``ground`` (:class:`~dautu_core.vocab.SuspensionGround`): ``"environment_breach"``.
    - ``authority`` (:class:`~dautu_core.values.Authority`, optional):
      ``Authority(name="UBND tỉnh Hải Dương")``.
    - ``until`` (``date``, optional: the end of the suspension or the remedy deadline):
      ``date(2023, 11, 30)``.
    """

    EVENT = ev.ProjectSuspended


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ResumeProject(Command, ev.ProjectResumedFields):
    """Tiếp tục hoạt động after a suspension (rule ``resume_only_when_suspended``).

    - ``reason`` (text, optional): ``"Đã khắc phục vi phạm môi trường"``.
    """

    EVENT = ev.ProjectResumed


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class TerminateProject(Command, ev.ProjectTerminatedFields):
    """Chấm dứt hoạt động (Law 61/2020 Art. 48), in full or in part.

    - ``ground`` (:class:`~dautu_core.vocab.TerminationGround`): ``"suspension_not_remedied"``.
    - ``authority`` (:class:`~dautu_core.values.Authority`, optional):
      ``Authority(name="UBND tỉnh Hải Dương")``.
    - ``partial`` (bool, default ``False``): ``True`` for a part of the project.
    - ``scope`` (text, optional: which part): ``"Giai đoạn 2"``.
    """

    EVENT = ev.ProjectTerminated


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class RecordReviewDecision(Command, ev.ReviewDecidedFields):
    """The department's actual handling decision in a review round (the review compares it
    with the rulebook's proposal).

    - ``track`` (a :class:`dautu_core.review.Track` value): ``"complete_procedures"``.
    - ``review_round`` (text): ``"2024-02"``.
    - ``authority`` (:class:`~dautu_core.values.Authority`):
      ``Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level="provincial")``.
    - ``notes`` (text, optional): ``"Nhà đầu tư chứng minh chậm do bàn giao đất"``.
    """

    EVENT = ev.ReviewDecided


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class CorrectEvent(Command, ev.EventCorrectedFields):
    """Retracts or amends an earlier event of the same project; the original stays in the
    record (rule ``correction_target_exists``).

    - ``corrects_version`` (the event's version in the project, from 1): ``2``.
    - ``action`` (:class:`~dautu_core.vocab.CorrectionAction`): ``"retract"`` or ``"amend"``.
    - ``reason`` (text): ``"Ghi sai lý do chậm"``.
    - ``replacement`` (the corrected event, required exactly when amending):
      ``attrs.evolve(original_event, reason="Chậm bàn giao đất")``.
    """

    EVENT = ev.EventCorrected
