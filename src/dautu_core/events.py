"""The events: what the record of an investment project is made of.

Every event carries the same envelope of facts an auditor asks for first (which project, the
*effective date* of the legal fact or decision, the *recorded time* when the system learned it,
the *actor* who recorded it, its *legal basis* and *documents*) plus a payload of its own.

Why payload mixins: a command (``RecordViolation``) asks for exactly what its event
(``ViolationFound``) will say, so both inherit the same payload class and the two cannot drift.
Each event class has a stable ``TYPE_NAME`` ("dautu.ViolationFound") and ``SCHEMA_VERSION`` that
the codec stores; the Python class may move or be renamed without touching the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import attrs

from dautu_core.errors import InvalidValue
from dautu_core.fields import checked_fields
from dautu_core.values import (
    Actor,
    Authority,
    DocumentRef,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Money,
    Schedule,
)
from dautu_core.vocab import (
    AdjustmentKind,
    CorrectionAction,
    ExtensionGround,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

__all__ = [
    "EVENT_TYPES",
    "AdjustmentRequested",
    "AdjustmentRequestedFields",
    "DelayRecorded",
    "DelayRecordedFields",
    "Envelope",
    "EventCorrected",
    "EventCorrectedFields",
    "MilestoneMet",
    "MilestoneMetFields",
    "ProjectAdjusted",
    "ProjectAdjustedFields",
    "ProjectApproved",
    "ProjectApprovedFields",
    "ProjectChanges",
    "ProjectEvent",
    "ProjectResumed",
    "ProjectResumedFields",
    "ProjectSuspended",
    "ProjectSuspendedFields",
    "ProjectTerminated",
    "ProjectTerminatedFields",
    "ReviewDecided",
    "ReviewDecidedFields",
    "ScheduleExtended",
    "ScheduleExtendedFields",
    "ViolationFound",
    "ViolationFoundFields",
    "ViolationRemedied",
    "ViolationRemediedFields",
    "ViolationSanctioned",
    "ViolationSanctionedFields",
]


def _aware(_inst: object, _attr: attrs.Attribute[Any], value: datetime) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(
            "Thời điểm ghi nhận phải có múi giờ (ví dụ +07:00)",
            "recorded time must carry a time zone (e.g. +07:00)",
            field="recorded_at",
            rule_id="recorded_at_timezone",
        )


def _utc(value: object) -> object:
    """Recorded times are kept in UTC so that one instant has one stored form (and one hash),
    whatever offset the recording machine used; displays convert to local time."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


def _is_date(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(
            f"Phải là một ngày (không kèm giờ), nhận được {value!r}",
            f"must be a calendar date (without time), got {value!r}",
            field=attr.name,
            rule_id="date_required",
        )


def _positive(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise InvalidValue(
            f"Phải là số nguyên dương, nhận được {value!r}",
            f"must be a positive whole number, got {value!r}",
            field=attr.name,
            rule_id="positive_integer",
        )


def _optional_positive(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _positive(inst, attr, value)


def _non_empty(_inst: object, attr: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise InvalidValue(
            "Phải có ít nhất một mục",
            "must have at least one item",
            field=attr.name,
            rule_id="non_empty",
        )


# Typed ``tuple`` converters: with ``converter=tuple`` mypy's attrs plugin types the parameter
# as ``Iterable[_T_co]`` and refuses every argument, so embedders' type-checked code would fail.
def _legal_bases(value: Iterable[LegalBasis]) -> tuple[LegalBasis, ...]:
    return tuple(value)


def _documents(value: Iterable[DocumentRef]) -> tuple[DocumentRef, ...]:
    return tuple(value)


def _investors(value: Iterable[Investor]) -> tuple[Investor, ...]:
    return tuple(value)


def _optional_investors(value: Iterable[Investor] | None) -> tuple[Investor, ...] | None:
    return None if value is None else tuple(value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class Envelope:
    """The facts every event and command carries, whatever it says.

    ``effective_date`` is the legal date (the date of the decision or the fact);
    ``recorded_at`` is when the system learned it. Both are passed in: the core has no clock.
    """

    project_code: str
    effective_date: date = attrs.field(validator=_is_date)
    recorded_at: datetime = attrs.field(converter=_utc, validator=_aware)
    actor: Actor
    legal_basis: tuple[LegalBasis, ...] = attrs.field(default=(), converter=_legal_bases)
    documents: tuple[DocumentRef, ...] = attrs.field(default=(), converter=_documents)


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectEvent(Envelope):
    """Base class of every event; see the module docstring."""

    TYPE_NAME: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = 1


_E = TypeVar("_E", bound=type[ProjectEvent])

EVENT_TYPES: dict[str, type[ProjectEvent]] = {}
"""Every event class by its stable type name."""


def _register(cls: _E) -> _E:
    cls.TYPE_NAME = f"dautu.{cls.__name__}"
    EVENT_TYPES[cls.TYPE_NAME] = cls
    return cls


# --- payloads ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ProjectApprovedFields:
    """Contents of the investment policy approval and/or the IRC (Law 61/2020 Art. 30–40)."""

    project_name: str
    objectives: str
    investors: tuple[Investor, ...] = attrs.field(converter=_investors, validator=_non_empty)
    location: Location
    capital: Money
    land_area: LandArea | None = None
    sector: str
    is_mineral_exploitation: bool = False
    schedule: Schedule
    duration_years: int | None = attrs.field(default=None, validator=_optional_positive)
    authority: Authority
    regime: Regime = attrs.field(converter=Regime)


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class MilestoneMetFields:
    """A schedule milestone was reached on the effective date."""

    milestone: str


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class DelayRecordedFields:
    """An inspection or report found a milestone behind schedule."""

    milestone: str
    reason: str
    found_by: Authority | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ScheduleExtendedFields:
    """The schedule was extended (giãn tiến độ, Law 61/2020 Art. 41(4)).

    ``milestones`` names the milestones shifted; empty means every milestone not yet met.
    ``ground`` is the Art. 41(4) exception, if any; months with a ground do not count towards
    the cap.
    """

    months: int = attrs.field(validator=_positive)
    ground: ExtensionGround | None = attrs.field(
        default=None, converter=attrs.converters.optional(ExtensionGround)
    )
    milestones: tuple[str, ...] = attrs.field(default=(), converter=_texts)


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ViolationFoundFields:
    """A violation was established. ``violation_id`` is chosen by the caller (e.g. the minutes'
    number) and is unique within the project."""

    violation_id: str
    category: ViolationCategory = attrs.field(converter=ViolationCategory)
    description: str
    found_by: Authority


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ViolationSanctionedFields:
    """A sanctioning decision was issued for a found violation (Decree 122/2021/ND-CP)."""

    violation_id: str
    sanctioning_authority: Authority
    decision: DocumentRef
    fine: Money | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ViolationRemediedFields:
    """The investor remedied a found violation."""

    violation_id: str
    description: str


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectChanges:
    """What an adjustment changes; ``None`` means unchanged."""

    capital: Money | None = None
    schedule: Schedule | None = None
    land_area: LandArea | None = None
    location: Location | None = None
    objectives: str | None = None
    investors: tuple[Investor, ...] | None = attrs.field(
        default=None, converter=_optional_investors
    )
    duration_years: int | None = attrs.field(default=None, validator=_optional_positive)

    @property
    def kinds(self) -> tuple[AdjustmentKind, ...]:
        kinds = []
        for kind, value in (
            (AdjustmentKind.CAPITAL, self.capital),
            (AdjustmentKind.SCHEDULE, self.schedule),
            (AdjustmentKind.LAND, self.land_area),
            (AdjustmentKind.LOCATION, self.location),
            (AdjustmentKind.OBJECTIVES, self.objectives),
            (AdjustmentKind.INVESTOR, self.investors),
            (AdjustmentKind.DURATION, self.duration_years),
        ):
            if value is not None:
                kinds.append(kind)
        return tuple(kinds)

    def __attrs_post_init__(self) -> None:
        if not self.kinds:
            raise InvalidValue(
                "Nội dung điều chỉnh trống: phải thay đổi ít nhất một nội dung",
                "an adjustment must change at least one thing",
                field="changes",
                rule_id="adjustment_non_empty",
            )


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class AdjustmentRequestedFields:
    """The investor asked to adjust the project (Law 61/2020 Art. 41)."""

    changes: ProjectChanges
    description: str


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ProjectAdjustedFields:
    """The project was adjusted; ``policy_adjusted`` says whether by a policy-adjustment decision."""

    changes: ProjectChanges
    authority: Authority
    policy_adjusted: bool = False


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ProjectSuspendedFields:
    """Investment activities were suspended (Law 61/2020 Art. 47)."""

    ground: SuspensionGround = attrs.field(converter=SuspensionGround)
    authority: Authority | None = None
    until: date | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ProjectResumedFields:
    """Investment activities resumed after a suspension."""

    reason: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ProjectTerminatedFields:
    """Investment activities were terminated (Law 61/2020 Art. 48), in full or in part."""

    ground: TerminationGround = attrs.field(converter=TerminationGround)
    authority: Authority | None = None
    partial: bool = False
    scope: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class ReviewDecidedFields:
    """The department's actual handling decision in a review round (it may differ from what
    the rulebook proposes; the review shows where they disagree)."""

    track: str
    review_round: str
    authority: Authority
    notes: str | None = None


@attrs.frozen(kw_only=True, slots=False, field_transformer=checked_fields)
class EventCorrectedFields:
    """Retracts or amends the event at ``corrects_version`` of the same project.

    History is never edited: the original stays in the record, this event says what replaced
    it, who decided that (the envelope's actor) and why.
    """

    corrects_version: int = attrs.field(validator=_positive)
    action: CorrectionAction = attrs.field(converter=CorrectionAction)
    reason: str
    replacement: ProjectEvent | None = None

    def __attrs_post_init__(self) -> None:
        if (self.action is CorrectionAction.AMEND) != (self.replacement is not None):
            raise InvalidValue(
                "Sửa đổi phải kèm sự kiện thay thế; huỷ bỏ thì không",
                "an amendment needs a replacement event; a retraction must not have one",
                field="replacement",
                rule_id="correction_shape",
            )


# --- events -----------------------------------------------------------------------------------


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectApproved(ProjectEvent, ProjectApprovedFields):
    """Chấp thuận chủ trương đầu tư and/or cấp GCN đăng ký đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class MilestoneMet(ProjectEvent, MilestoneMetFields):
    """Hoàn thành mốc tiến độ."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class DelayRecorded(ProjectEvent, DelayRecordedFields):
    """Ghi nhận chậm tiến độ."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ScheduleExtended(ProjectEvent, ScheduleExtendedFields):
    """Giãn tiến độ đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ViolationFound(ProjectEvent, ViolationFoundFields):
    """Phát hiện vi phạm."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ViolationSanctioned(ProjectEvent, ViolationSanctionedFields):
    """Xử phạt vi phạm hành chính."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ViolationRemedied(ProjectEvent, ViolationRemediedFields):
    """Khắc phục vi phạm."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class AdjustmentRequested(ProjectEvent, AdjustmentRequestedFields):
    """Đề nghị điều chỉnh dự án.

    ``policy_adjustment_required`` and ``triggers`` are decided by the rulebook in force at the
    effective date and stored, so an auditor sees what the rules said then.
    """

    policy_adjustment_required: bool = False
    triggers: tuple[str, ...] = attrs.field(default=(), converter=_texts)


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectAdjusted(ProjectEvent, ProjectAdjustedFields):
    """Điều chỉnh dự án đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectSuspended(ProjectEvent, ProjectSuspendedFields):
    """Ngừng hoạt động của dự án đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectResumed(ProjectEvent, ProjectResumedFields):
    """Tiếp tục hoạt động của dự án đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ProjectTerminated(ProjectEvent, ProjectTerminatedFields):
    """Chấm dứt hoạt động của dự án đầu tư."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class ReviewDecided(ProjectEvent, ReviewDecidedFields):
    """Quyết định phương án xử lý sau rà soát."""


@_register
@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class EventCorrected(ProjectEvent, EventCorrectedFields):
    """Đính chính một sự kiện đã ghi."""
