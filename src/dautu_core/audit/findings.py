"""What verification found: one precise, bilingual finding per problem.

Why a finding and not an exception: an auditor wants every problem at once, the first one
named precisely (which project, which version, which global position, or which checkpoint), and
a machine-readable kind to act on. Verification itself never raises on bad data: unreadable
bytes are a finding too.
"""

from __future__ import annotations

import math

import attrs

from dautu_core.vocab import Labelled, register_labels

__all__ = ["Finding", "FindingKind"]


class FindingKind(Labelled):
    """What happened to the record, as far as the hashes can tell."""

    MODIFIED = "modified"
    DELETED = "deleted"
    REORDERED = "reordered"
    INSERTED = "inserted"
    MALFORMED = "malformed"
    MISFILED = "misfiled"
    BROKEN_LINK = "broken_link"
    TRUNCATED = "truncated"
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"
    SIGNATURE_INVALID = "signature_invalid"
    PROOF_INVALID = "proof_invalid"
    NOT_IN_CHECKPOINT = "not_in_checkpoint"
    GAP = "gap"
    PROJECTION_MISMATCH = "projection_mismatch"
    UNTRUSTED_KEY = "untrusted_key"


register_labels(
    {
        FindingKind.MODIFIED: ("bị sửa đổi", "modified"),
        FindingKind.DELETED: ("bị xoá", "deleted"),
        FindingKind.REORDERED: ("bị đảo thứ tự", "reordered"),
        FindingKind.INSERTED: ("bị chèn thêm", "inserted"),
        FindingKind.MALFORMED: ("không đọc được (sai cấu trúc)", "malformed (cannot be read)"),
        FindingKind.MISFILED: ("bị xếp sai dự án", "filed under the wrong project"),
        FindingKind.BROKEN_LINK: ("chuỗi băm bị đứt", "hash chain broken"),
        FindingKind.TRUNCATED: (
            "nhật ký ít bản ghi hơn điểm kiểm tra đã ký",
            "the log holds fewer records than the checkpoint signed",
        ),
        FindingKind.CHECKPOINT_MISMATCH: (
            "không còn khớp với nhật ký",
            "no longer matches the log",
        ),
        FindingKind.SIGNATURE_INVALID: ("chữ ký không hợp lệ", "signature invalid"),
        FindingKind.PROOF_INVALID: ("bằng chứng Merkle không hợp lệ", "Merkle proof invalid"),
        FindingKind.GAP: ("vị trí bị bỏ trống", "missing position"),
        FindingKind.UNTRUSTED_KEY: (
            "khoá kèm bộ hồ sơ, không dùng để xác thực",
            "key shipped with the bundle, not used for authenticity",
        ),
        FindingKind.PROJECTION_MISMATCH: (
            "bảng tổng hợp đã lưu không khớp nhật ký",
            "the stored projection does not match the log",
        ),
        FindingKind.NOT_IN_CHECKPOINT: (
            "chưa nằm trong điểm kiểm tra đã ký",
            "not covered by the signed checkpoint",
        ),
    }
)


@attrs.frozen(kw_only=True)
class Finding:
    """One problem: its kind, where it is (project, version, global position or checkpoint)
    and what exactly was seen, in Vietnamese and English."""

    kind: FindingKind = attrs.field(converter=FindingKind)
    detail_vi: str
    detail_en: str
    project_code: str | None = None
    version: int | None = None
    position: int | None = None
    checkpoint: str | None = None

    @property
    def sort_key(self) -> tuple[float, int, str, int]:
        """Findings are reported in log order; those without a position come last."""
        position = math.inf if self.position is None else float(self.position)
        located = 0 if self.project_code is not None else 1
        return (position, located, self.project_code or "", self.version or 0)

    def where(self, lang: str = "vi") -> str:
        parts = []
        if self.project_code is not None:
            parts.append(f"{'dự án' if lang == 'vi' else 'project'} {self.project_code}")
        if self.version is not None:
            parts.append(f"{'phiên bản' if lang == 'vi' else 'version'} {self.version}")
        if self.position is not None:
            parts.append(f"{'vị trí' if lang == 'vi' else 'position'} {self.position}")
        if self.checkpoint is not None:
            parts.append(f"{'điểm kiểm tra' if lang == 'vi' else 'checkpoint'} {self.checkpoint}")
        return ", ".join(parts)

    def message(self, lang: str = "vi") -> str:
        """``"dự án X, phiên bản 3, vị trí 17: bị sửa đổi — detail"``."""
        detail = self.detail_vi if lang == "vi" else self.detail_en
        where = self.where(lang)
        head = f"{where}: {self.kind.label(lang)}" if where else self.kind.label(lang)
        return f"{head} — {detail}"

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "project_code": self.project_code,
            "version": self.version,
            "position": self.position,
            "checkpoint": self.checkpoint,
            "detail_vi": self.detail_vi,
            "detail_en": self.detail_en,
        }
