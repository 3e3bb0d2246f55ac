"""The workbook template: one definition of its sheets, columns and vocabularies.

Why one definition: the template (``dautu template``), the importer (``dautu import``), the
exporter (``dautu export workbook``) and the error workbook all read this module, so a column
cannot be renamed in one and forgotten in another. Headers are Vietnamese, with the English on
the line below; the importer finds the header row by these names, so a department may put a
title, a logo or merged cells above it. Closed vocabularies come from the core's enums
(:mod:`dautu_core.vocab`, the review's :class:`~dautu_core.review.tracks.Track`), never from a
copied list, and event kinds from the labels the audit trail shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import attrs

from dautu_adapters.audit.render import EVENT_LABELS
from dautu_core import commands as cmd
from dautu_core.events import EVENT_TYPES
from dautu_core.review.tracks import Track
from dautu_core.rules import BASIS_NOT_REQUIRED
from dautu_core.text import bilingual, nfc
from dautu_core.vocab import (
    AuthorityLevel,
    CorrectionAction,
    ExtensionGround,
    Regime,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

__all__ = [
    "COLUMNS",
    "COMMANDS_BY_TYPE",
    "DECISION_KINDS",
    "ERROR_HEADER",
    "EVENT_COLUMNS",
    "EVENT_SHEET",
    "EXPORT_ONLY",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "PROJECT_COLUMNS",
    "PROJECT_SHEET",
    "SHEETS",
    "Column",
    "header_key",
]

PROJECT_SHEET = "Dự án"
EVENT_SHEET = "Sự kiện"
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
ERROR_HEADER = ("Lỗi cần sửa", "Errors to fix")


@attrs.frozen
class Column:
    """One column: its id, Vietnamese and English headers, the kind of value it holds (the
    parser that reads it), its closed vocabulary if any, and a hint shown in the template."""

    key: str
    vi: str
    en: str
    kind: str
    vocabulary: type[StrEnum] | None = None
    hint_vi: str = ""
    hint_en: str = ""
    width: int = 18

    @property
    def header(self) -> str:
        return bilingual(self.vi, self.en)


_C = Column
COLUMNS: Mapping[str, Column] = {
    c.key: c
    for c in (
        _C("code", "Mã dự án", "Project code", "text", hint_vi="bắt buộc", hint_en="required"),
        _C(
            "version",
            "Số thứ tự trong hồ sơ",
            "Version in the record",
            "int",
            width=10,
            hint_vi="để trống khi nhập mới",
            hint_en="leave blank for new facts",
        ),
        _C(
            "kind",
            "Loại sự kiện",
            "Event kind",
            "event_kind",
            width=26,
            hint_vi="bắt buộc, chọn trong danh sách",
            hint_en="required, pick from the list",
        ),
        _C(
            "effective_date",
            "Ngày hiệu lực",
            "Effective date",
            "date",
            width=14,
            hint_vi="ngày của quyết định hoặc sự việc, dd/mm/yyyy",
            hint_en="date of the decision or fact, dd/mm/yyyy",
        ),
        _C("project_name", "Tên dự án", "Project name", "text", width=30),
        _C("objectives", "Mục tiêu", "Objectives", "text", width=30),
        _C(
            "investors",
            "Nhà đầu tư",
            "Investors",
            "investors",
            width=40,
            hint_vi="tên | quốc tịch | mã số doanh nghiệp; nhà đầu tư khác",
            hint_en="name | nationality | enterprise code; next investor",
        ),
        _C(
            "province",
            "Tỉnh/thành phố",
            "Province",
            "text",
            hint_vi="tên tại thời điểm quyết định",
            hint_en="as named at the time",
        ),
        _C(
            "district",
            "Quận/huyện",
            "District",
            "text",
            hint_vi="tên tại thời điểm quyết định",
            hint_en="as named at the time",
        ),
        _C(
            "commune",
            "Xã/phường",
            "Commune",
            "text",
            hint_vi="tên tại thời điểm quyết định",
            hint_en="as named at the time",
        ),
        _C(
            "industrial_zone",
            "Trong KCN/KKT",
            "Inside an industrial zone",
            "bool",
            width=10,
            hint_vi="Có/Không",
            hint_en="Có (yes) / Không (no)",
        ),
        _C(
            "capital",
            "Vốn đầu tư (đồng)",
            "Capital (đồng)",
            "money",
            width=22,
            hint_vi="1.234.567.890 hoặc 12,5 tỷ",
            hint_en="1.234.567.890 or 12,5 tỷ",
        ),
        _C(
            "land_area",
            "Diện tích đất",
            "Land area",
            "area",
            hint_vi="12,5 ha hoặc 1.200 m²",
            hint_en="12,5 ha or 1.200 m²",
        ),
        _C("sector", "Lĩnh vực", "Sector", "text"),
        _C(
            "mineral",
            "Khai thác khoáng sản",
            "Mineral exploitation",
            "bool",
            width=10,
            hint_vi="Có/Không",
            hint_en="Có (yes) / Không (no)",
        ),
        _C(
            "schedule",
            "Tiến độ",
            "Schedule",
            "schedule",
            width=40,
            hint_vi="tên mốc: ngày; ... (Góp vốn: 30/06/2025; Giai đoạn 1: 01/06/2027)",
            hint_en="milestone: date; ... (Góp vốn: 30/06/2025; Giai đoạn 1: 01/06/2027)",
        ),
        _C("duration", "Thời hạn hoạt động (năm)", "Duration (years)", "int", width=10),
        _C(
            "authority",
            "Cơ quan",
            "Authority",
            "text",
            width=30,
            hint_vi="cơ quan quyết định hoặc phát hiện, tên tại thời điểm đó",
            hint_en="the deciding or finding body, as named then",
        ),
        _C("authority_level", "Cấp cơ quan", "Authority level", "vocab", AuthorityLevel),
        _C("regime", "Hình thức chấp thuận", "Approval regime", "vocab", Regime, width=30),
        _C(
            "documents",
            "Văn bản",
            "Documents",
            "documents",
            width=40,
            hint_vi="số | ngày | cơ quan ban hành | trích yếu; văn bản khác",
            hint_en="number | date | issuer | title; next document",
        ),
        _C(
            "legal_basis",
            "Căn cứ pháp lý",
            "Legal basis",
            "citations",
            width=36,
            hint_vi="khoản 4 Điều 41 Luật 61/2020/QH14; ... (bắt buộc với quyết định, kết luận)",
            hint_en="khoản 4 Điều 41 Luật 61/2020/QH14; ... (required for decisions, findings)",
        ),
        _C(
            "milestone",
            "Mốc tiến độ",
            "Milestone",
            "milestones",
            width=22,
            hint_vi="Góp vốn, Khởi công xây dựng, ... hoặc tên giai đoạn",
            hint_en="a milestone label or a phase's name",
        ),
        _C("text", "Nội dung / lý do", "Description / reason", "text", width=36),
        _C(
            "violation_id",
            "Mã vi phạm",
            "Violation id",
            "text",
            hint_vi="ví dụ số biên bản",
            hint_en="e.g. the minutes' number",
        ),
        _C(
            "violation_category",
            "Lĩnh vực vi phạm",
            "Violation category",
            "vocab",
            ViolationCategory,
        ),
        _C("months", "Số tháng giãn", "Months extended", "int", width=10),
        _C(
            "extension_ground",
            "Trường hợp giãn tiến độ",
            "Extension ground",
            "vocab",
            ExtensionGround,
            width=30,
        ),
        _C(
            "sanction_decision",
            "Quyết định xử phạt",
            "Sanction decision",
            "document",
            width=30,
            hint_vi="số | ngày | cơ quan ban hành",
            hint_en="number | date | issuer",
        ),
        _C("fine", "Tiền phạt (đồng)", "Fine (đồng)", "money"),
        _C("policy_adjusted", "Điều chỉnh chủ trương", "Policy adjusted", "bool", width=10),
        _C(
            "suspension_ground",
            "Căn cứ ngừng hoạt động",
            "Suspension ground",
            "vocab",
            SuspensionGround,
            width=30,
        ),
        _C("until", "Ngừng đến ngày", "Suspended until", "date", width=14),
        _C(
            "termination_ground",
            "Căn cứ chấm dứt",
            "Termination ground",
            "vocab",
            TerminationGround,
            width=30,
        ),
        _C("partial", "Chấm dứt một phần", "Partial termination", "bool", width=10),
        _C("scope", "Phạm vi chấm dứt", "Scope of termination", "text"),
        _C("track", "Phương án xử lý", "Handling track", "vocab", Track, width=30),
        _C("review_round", "Đợt rà soát", "Review round", "text"),
        _C("corrects_version", "Đính chính sự kiện số", "Corrects version", "int", width=10),
        _C("correction_action", "Cách đính chính", "Correction action", "vocab", CorrectionAction),
        _C("correction_reason", "Lý do đính chính", "Reason for the correction", "text"),
        _C("replacement_kind", "Loại sự kiện thay thế", "Replacement kind", "event_kind", width=26),
        _C(
            "replacement_date",
            "Ngày hiệu lực thay thế",
            "Replacement effective date",
            "date",
            width=14,
        ),
        _C(
            "location_now",
            "Địa danh hiện nay",
            "Location as named now",
            "text",
            width=36,
            hint_vi="do dautu điền khi xuất, không cần nhập",
            hint_en="filled in by dautu on export, not read",
        ),
    )
}

EXPORT_ONLY = frozenset({"location_now"})
"""Columns the exporter fills for people and the importer does not read."""

PROJECT_COLUMNS: tuple[str, ...] = (
    "code", "project_name", "objectives", "investors", "province", "district", "commune",
    "industrial_zone", "capital", "land_area", "sector", "mineral", "schedule", "duration",
    "authority", "authority_level", "regime", "effective_date", "documents", "legal_basis",
    "location_now",
)  # fmt: skip

EVENT_COLUMNS: tuple[str, ...] = (
    "code", "version", "kind", "effective_date", "documents", "legal_basis", "milestone",
    "text", "authority", "authority_level", "violation_id", "violation_category", "months",
    "extension_ground", "sanction_decision", "fine", "capital", "schedule", "land_area",
    "province", "district", "commune", "industrial_zone", "objectives", "investors",
    "duration", "policy_adjusted", "suspension_ground", "until", "termination_ground",
    "partial", "scope", "track", "review_round", "corrects_version", "correction_action",
    "correction_reason", "replacement_kind", "replacement_date", "project_name", "sector",
    "mineral", "regime", "location_now",
)  # fmt: skip

SHEETS: Mapping[str, tuple[str, ...]] = {
    PROJECT_SHEET: PROJECT_COLUMNS,
    EVENT_SHEET: EVENT_COLUMNS,
}

COMMANDS_BY_TYPE: Mapping[str, type[cmd.Command]] = {
    c.EVENT.TYPE_NAME: c
    for c in (
        cmd.ApproveProject,
        cmd.RecordMilestoneMet,
        cmd.RecordDelay,
        cmd.ExtendSchedule,
        cmd.RecordViolation,
        cmd.SanctionViolation,
        cmd.RemedyViolation,
        cmd.RequestAdjustment,
        cmd.AdjustProject,
        cmd.SuspendProject,
        cmd.ResumeProject,
        cmd.TerminateProject,
        cmd.RecordReviewDecision,
        cmd.CorrectEvent,
    )
}
"""The command that records each event kind, by the event's stable type name."""

assert set(COMMANDS_BY_TYPE) == set(EVENT_LABELS), "every event kind needs a label"

DECISION_KINDS = frozenset(
    type_name for type_name, cls in EVENT_TYPES.items() if cls not in BASIS_NOT_REQUIRED
)
"""Decisions and findings: the rule ``legal_basis_required`` (:mod:`dautu_core.rules`) refuses
them without a legal basis, so the template marks that column required for them and the
importer reports a blank one against its row."""


def header_key(text: object) -> str:
    """How a header cell is compared: NFC, case-folded, blanks collapsed, ``*`` marks dropped."""
    return " ".join(nfc(str(text)).replace("*", " ").casefold().split())
