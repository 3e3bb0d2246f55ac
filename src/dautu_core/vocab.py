"""Closed vocabularies of the domain, each value with a Vietnamese and an English label.

Why closed here and open elsewhere: these lists come from the text of the law (violation
categories, grounds for suspension or termination...), which changes rarely and is versioned
through the rulebooks. Who decided something, by contrast, is free text recorded as named at the
time (see :class:`dautu_core.values.Authority`), because the bodies themselves were merged and
renamed in 2025.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

__all__ = [
    "AdjustmentKind",
    "AuthorityLevel",
    "CorrectionAction",
    "ExtensionGround",
    "Labelled",
    "MilestoneKind",
    "ProjectStatus",
    "Regime",
    "SuspensionGround",
    "TerminationGround",
    "ViolationCategory",
    "register_labels",
]


class Labelled(StrEnum):
    """A ``StrEnum`` whose members carry ``label_vi`` and ``label_en``.

    The string value is the stable identifier stored in events and exports; labels are for
    people and may be reworded without touching the record.
    """

    @property
    def label_vi(self) -> str:
        return _LABELS[_key(self)][0]

    @property
    def label_en(self) -> str:
        return _LABELS[_key(self)][1]

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


class ProjectStatus(Labelled):
    APPROVED = "approved"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class Regime(Labelled):
    """Which approvals a project holds (Law 61/2020 Art. 30–32 policy approval, Art. 37–40 IRC)."""

    POLICY_APPROVAL = "policy_approval"
    IRC = "irc"
    POLICY_APPROVAL_AND_IRC = "policy_approval_and_irc"

    @property
    def has_policy_approval(self) -> bool:
        return self in (Regime.POLICY_APPROVAL, Regime.POLICY_APPROVAL_AND_IRC)


class AuthorityLevel(Labelled):
    CENTRAL = "central"
    PROVINCIAL = "provincial"
    DISTRICT = "district"
    COMMUNE = "commune"


class MilestoneKind(Labelled):
    CAPITAL_CONTRIBUTION = "capital_contribution"
    CONSTRUCTION_START = "construction_start"
    OPERATION_START = "operation_start"
    PHASE = "phase"


class ViolationCategory(Labelled):
    INVESTMENT = "investment"
    LAND = "land"
    ENVIRONMENT = "environment"
    CONSTRUCTION = "construction"
    MINERALS = "minerals"
    REPORTING = "reporting"
    DEPOSIT = "deposit"


class ExtensionGround(Labelled):
    """Exceptions to the 24-month extension cap, Law 61/2020 Art. 41(4)."""

    FORCE_MAJEURE = "force_majeure"
    LAND_HANDOVER_DELAY = "land_handover_delay"
    STATE_AGENCY_REQUEST_OR_DELAY = "state_agency_request_or_delay"
    PLANNING_CHANGE = "planning_change"
    OBJECTIVES_CHANGE = "objectives_change"
    CAPITAL_INCREASE = "capital_increase"


class AdjustmentKind(Labelled):
    CAPITAL = "capital"
    SCHEDULE = "schedule"
    LAND = "land"
    LOCATION = "location"
    OBJECTIVES = "objectives"
    INVESTOR = "investor"
    DURATION = "duration"


class SuspensionGround(Labelled):
    """Grounds of Law 61/2020 Art. 47."""

    INVESTOR_NOTICE = "investor_notice"
    HERITAGE_PROTECTION = "heritage_protection"
    ENVIRONMENT_BREACH = "environment_breach"
    LABOUR_SAFETY_BREACH = "labour_safety_breach"
    COURT_OR_ARBITRAL_DECISION = "court_or_arbitral_decision"
    REPEATED_VIOLATIONS = "repeated_violations"
    DEFENCE_SECURITY = "defence_security"


class TerminationGround(Labelled):
    """Grounds of termination, Law 61/2020 Art. 48.

    The authority's grounds are Art. 48(2) (verified); the investor's own decision and the
    expiry of the term are in Art. 48 too (the clause number was not verified).
    """

    INVESTOR_DECISION = "investor_decision"
    TERM_EXPIRED = "term_expired"
    SUSPENSION_NOT_REMEDIED = "suspension_not_remedied"
    SITE_LOST_NOT_RELOCATED = "site_lost_not_relocated"
    INVESTOR_UNREACHABLE = "investor_unreachable"
    LAND_RECOVERED = "land_recovered"
    DEPOSIT_NOT_PAID = "deposit_not_paid"
    SHAM_TRANSACTION = "sham_transaction"
    COURT_OR_ARBITRAL_DECISION = "court_or_arbitral_decision"


class CorrectionAction(Labelled):
    RETRACT = "retract"
    AMEND = "amend"


def register_labels(labels: Mapping[Labelled, tuple[str, str]]) -> None:
    """Give members of a :class:`Labelled` vocabulary their ``(Vietnamese, English)`` labels.

    Vocabularies defined elsewhere (review tracks, audit findings) register theirs here, so
    every closed list of the domain is labelled by one mechanism.
    """
    for member, pair in labels.items():
        _LABELS[_key(member)] = pair


def _key(member: StrEnum) -> tuple[type, str]:
    """Labels are looked up by vocabulary *and* value: ``ViolationCategory.LAND`` and
    ``AdjustmentKind.LAND`` are both ``"land"`` and equal as strings, but not the same word."""
    return (type(member), member.value)


_LABELS: dict[tuple[type, str], tuple[str, str]] = {
    _key(ProjectStatus.APPROVED): ("Đang thực hiện", "In progress"),
    _key(ProjectStatus.SUSPENDED): ("Ngừng hoạt động", "Suspended"),
    _key(ProjectStatus.TERMINATED): ("Chấm dứt hoạt động", "Terminated"),
    _key(Regime.POLICY_APPROVAL): ("Chấp thuận chủ trương đầu tư", "Investment policy approval"),
    _key(Regime.IRC): ("Giấy chứng nhận đăng ký đầu tư", "Investment registration certificate"),
    _key(Regime.POLICY_APPROVAL_AND_IRC): (
        "Chấp thuận chủ trương và cấp Giấy chứng nhận đăng ký đầu tư",
        "Policy approval and investment registration certificate",
    ),
    _key(AuthorityLevel.CENTRAL): ("Trung ương", "Central"),
    _key(AuthorityLevel.PROVINCIAL): ("Cấp tỉnh", "Provincial"),
    _key(AuthorityLevel.DISTRICT): ("Cấp huyện", "District"),
    _key(AuthorityLevel.COMMUNE): ("Cấp xã", "Commune"),
    _key(MilestoneKind.CAPITAL_CONTRIBUTION): ("Góp vốn", "Capital contribution"),
    _key(MilestoneKind.CONSTRUCTION_START): ("Khởi công xây dựng", "Construction start"),
    _key(MilestoneKind.OPERATION_START): ("Đi vào hoạt động", "Start of operation"),
    _key(MilestoneKind.PHASE): ("Giai đoạn", "Phase"),
    _key(ViolationCategory.INVESTMENT): ("Đầu tư", "Investment"),
    _key(ViolationCategory.LAND): ("Đất đai", "Land"),
    _key(ViolationCategory.ENVIRONMENT): ("Môi trường", "Environment"),
    _key(ViolationCategory.CONSTRUCTION): ("Xây dựng", "Construction"),
    _key(ViolationCategory.MINERALS): ("Khoáng sản", "Minerals"),
    _key(ViolationCategory.REPORTING): ("Chế độ báo cáo", "Reporting"),
    _key(ViolationCategory.DEPOSIT): ("Ký quỹ", "Deposit"),
    _key(ExtensionGround.FORCE_MAJEURE): ("Sự kiện bất khả kháng", "Force majeure"),
    _key(ExtensionGround.LAND_HANDOVER_DELAY): (
        "Nhà nước chậm bàn giao đất hoặc chậm chuyển mục đích sử dụng đất",
        "State late handing over land or changing its use",
    ),
    _key(ExtensionGround.STATE_AGENCY_REQUEST_OR_DELAY): (
        "Theo yêu cầu hoặc do cơ quan nhà nước chậm thực hiện thủ tục",
        "State agency request or delay",
    ),
    _key(ExtensionGround.PLANNING_CHANGE): ("Điều chỉnh quy hoạch", "Planning change"),
    _key(ExtensionGround.OBJECTIVES_CHANGE): ("Thay đổi mục tiêu dự án", "Change of objectives"),
    _key(ExtensionGround.CAPITAL_INCREASE): (
        "Tăng tổng vốn đầu tư từ 20% trở lên",
        "Capital increase of 20% or more",
    ),
    _key(AdjustmentKind.CAPITAL): ("Vốn đầu tư", "Investment capital"),
    _key(AdjustmentKind.SCHEDULE): ("Tiến độ", "Schedule"),
    _key(AdjustmentKind.LAND): ("Diện tích đất", "Land area"),
    _key(AdjustmentKind.LOCATION): ("Địa điểm", "Location"),
    _key(AdjustmentKind.OBJECTIVES): ("Mục tiêu", "Objectives"),
    _key(AdjustmentKind.INVESTOR): ("Nhà đầu tư", "Investor"),
    _key(AdjustmentKind.DURATION): ("Thời hạn hoạt động", "Duration"),
    _key(SuspensionGround.INVESTOR_NOTICE): ("Nhà đầu tư tự ngừng", "Investor's own notice"),
    _key(SuspensionGround.HERITAGE_PROTECTION): ("Bảo vệ di tích, di sản", "Heritage protection"),
    _key(SuspensionGround.ENVIRONMENT_BREACH): ("Vi phạm về môi trường", "Environmental breach"),
    _key(SuspensionGround.LABOUR_SAFETY_BREACH): (
        "Vi phạm an toàn lao động",
        "Labour-safety breach",
    ),
    _key(SuspensionGround.COURT_OR_ARBITRAL_DECISION): (
        "Theo bản án, quyết định của Tòa án, Trọng tài",
        "Court or arbitral decision",
    ),
    _key(SuspensionGround.REPEATED_VIOLATIONS): (
        "Vi phạm nhiều lần đã bị xử phạt",
        "Repeated sanctioned violations",
    ),
    _key(SuspensionGround.DEFENCE_SECURITY): ("Quốc phòng, an ninh", "Defence or security"),
    _key(TerminationGround.INVESTOR_DECISION): (
        "Nhà đầu tư quyết định chấm dứt",
        "Investor's decision",
    ),
    _key(TerminationGround.TERM_EXPIRED): ("Hết thời hạn hoạt động", "Term expired"),
    _key(TerminationGround.SUSPENSION_NOT_REMEDIED): (
        "Không khắc phục được điều kiện ngừng hoạt động",
        "Causes of suspension not remedied",
    ),
    _key(TerminationGround.SITE_LOST_NOT_RELOCATED): (
        "Không được tiếp tục sử dụng địa điểm và không điều chỉnh địa điểm trong 6 tháng",
        "Site lost and not relocated within 6 months",
    ),
    _key(TerminationGround.INVESTOR_UNREACHABLE): (
        "Ngừng hoạt động, không liên lạc được với nhà đầu tư sau 12 tháng",
        "Investor unreachable 12 months after suspension",
    ),
    _key(TerminationGround.LAND_RECOVERED): (
        "Bị thu hồi đất do không đưa đất vào sử dụng hoặc chậm đưa đất vào sử dụng",
        "Land recovered for non-use or late use",
    ),
    _key(TerminationGround.DEPOSIT_NOT_PAID): ("Không ký quỹ", "Deposit not paid"),
    _key(TerminationGround.SHAM_TRANSACTION): ("Giao dịch dân sự giả tạo", "Sham transaction"),
    _key(TerminationGround.COURT_OR_ARBITRAL_DECISION): (
        "Theo bản án, quyết định của Tòa án, Trọng tài",
        "Court or arbitral decision",
    ),
    _key(CorrectionAction.RETRACT): ("Huỷ bỏ", "Retract"),
    _key(CorrectionAction.AMEND): ("Sửa đổi", "Amend"),
}
