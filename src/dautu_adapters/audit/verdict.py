"""One verdict per verification, with an exit code, saying what was checked and what was not.

Why a verdict of its own: an auditor reads the last line and a script reads the exit code, so
both must say the same thing, and neither may claim more than was checked. Four outcomes:

======  ==============================  =========================================================
exit    outcome                         meaning
======  ==============================  =========================================================
``0``   ``intact_authenticated``        everything checked holds, and a checkpoint covering the
                                        log is signed by the public key the auditor gave
``1``   ``tampered``                    at least one finding: a record modified, deleted,
                                        reordered, inserted or misfiled, a checkpoint that no
                                        longer matches, a signature that does not hold for the
                                        given key, a stored projection that disagrees
``3``   ``intact_not_authenticated``    nothing found, but nobody's signature was checked (no
                                        checkpoint, no public key, or an unsigned checkpoint):
                                        integrity only, not authenticity
``4``   ``empty``                       the store holds no record: there is nothing to verify
======  ==============================  =========================================================

``2`` is left to the command line for a command that could not run (a wrong option, a
checkpoint or key file that cannot be read). ``--allow-unsigned`` turns ``3`` into ``0``: the
caller accepts integrity only; the verdict still says "not authenticated".

A missing key is not an invalid signature: :func:`authenticate` tells "could not authenticate"
(a reason) from "the signature does not hold" (a finding).
"""

from __future__ import annotations

import enum

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dautu_adapters.audit.keys import key_id, signature_finding
from dautu_core.audit import Checkpoint, Finding

__all__ = [
    "EXIT_CODES",
    "Authentication",
    "Outcome",
    "Said",
    "Verdict",
    "authenticate",
    "exit_codes_help",
    "store_checks",
]


class Outcome(enum.Enum):
    """What a verification concluded (the stable id in JSON output)."""

    INTACT_AUTHENTICATED = "intact_authenticated"
    TAMPERED = "tampered"
    INTACT_NOT_AUTHENTICATED = "intact_not_authenticated"
    EMPTY = "empty"


EXIT_CODES: dict[Outcome, int] = {
    Outcome.INTACT_AUTHENTICATED: 0,
    Outcome.TAMPERED: 1,
    Outcome.INTACT_NOT_AUTHENTICATED: 3,
    Outcome.EMPTY: 4,
}


def exit_codes_help(subject_vi: str, subject_en: str, *, empty: bool = True) -> str:
    """The exit codes as lines, for a command's ``--help`` (argparse epilog)."""
    lines = [
        "Mã thoát / exit codes:",
        f"  0  {subject_vi} toàn vẹn và đã xác thực (chữ ký của khoá đã cho hợp lệ) / "
        f"{subject_en} intact and authenticated (signature of the given key valid)",
        "  1  phát hiện sai lệch / tampered or altered",
        "  2  lệnh không chạy được (tuỳ chọn, tệp khoá hoặc điểm kiểm tra) / the command could "
        "not run (option, key or checkpoint file)",
        "  3  toàn vẹn nhưng chưa xác thực: không có điểm kiểm tra, khoá công khai hoặc chữ ký "
        "(--allow-unsigned: 0) / intact but not authenticated: no checkpoint, public key or "
        "signature (--allow-unsigned: 0)",
    ]
    if empty:
        lines.append("  4  kho trống / empty store")
    return "\n".join(lines)


@attrs.frozen
class Said:
    """One thing said in both languages."""

    vi: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"vi": self.vi, "en": self.en}


NO_CHECKPOINT = Said(
    "không có điểm kiểm tra đã ký (--checkpoint)", "no signed checkpoint given (--checkpoint)"
)
NO_PUBLIC_KEY = Said("không có khoá công khai (--public-key)", "no public key given (--public-key)")
UNSIGNED = Said("điểm kiểm tra chưa được ký", "the checkpoint is not signed")


@attrs.frozen
class Authentication:
    """Whether the checkpoint is vouched for by the given key.

    ``finding`` is a signature that does not hold (tampering, or a checkpoint of another
    key); ``reason`` says why nothing could be authenticated (no checkpoint, no key, unsigned).
    """

    authenticated: bool
    key_id: str | None = None
    reason: Said | None = None
    finding: Finding | None = None


def authenticate(
    checkpoint: Checkpoint | None, public_key: Ed25519PublicKey | None
) -> Authentication:
    if checkpoint is None:
        return Authentication(False, reason=NO_CHECKPOINT)
    if checkpoint.signature is None or checkpoint.key_id is None:
        return Authentication(False, reason=UNSIGNED)
    if public_key is None:
        return Authentication(False, reason=NO_PUBLIC_KEY)
    problem = signature_finding(checkpoint, public_key)
    if problem is not None:
        return Authentication(False, key_id=key_id(public_key), finding=problem)
    return Authentication(True, key_id=key_id(public_key))


@attrs.frozen(kw_only=True)
class Verdict:
    """The single conclusion of a verification (see the module docstring)."""

    outcome: Outcome
    checked: tuple[Said, ...] = ()
    not_checked: tuple[Said, ...] = ()
    reason: Said | None = None
    """Why the result is not authenticated (``intact_not_authenticated`` only)."""
    accept_unsigned: bool = False
    findings: int = 0

    @classmethod
    def of(
        cls,
        *,
        findings: int,
        empty: bool,
        authentication: Authentication,
        checked: tuple[Said, ...],
        not_checked: tuple[Said, ...],
        accept_unsigned: bool,
    ) -> Verdict:
        if findings:
            outcome = Outcome.TAMPERED
        elif empty:
            outcome = Outcome.EMPTY
        elif authentication.authenticated:
            outcome = Outcome.INTACT_AUTHENTICATED
        else:
            outcome = Outcome.INTACT_NOT_AUTHENTICATED
        reason = authentication.reason if outcome is Outcome.INTACT_NOT_AUTHENTICATED else None
        if reason is not None:
            not_checked = (
                *not_checked,
                Said(
                    f"tính xác thực (chữ ký của cơ quan): {reason.vi}",
                    f"authenticity (the authority's signature): {reason.en}",
                ),
            )
        return cls(
            outcome=outcome,
            checked=checked,
            not_checked=not_checked,
            reason=reason,
            accept_unsigned=accept_unsigned,
            findings=findings,
        )

    @property
    def exit_code(self) -> int:
        if self.outcome is Outcome.INTACT_NOT_AUTHENTICATED and self.accept_unsigned:
            return 0
        return EXIT_CODES[self.outcome]

    def headline(
        self,
        lang: str,
        *,
        valid_vi: str = "TOÀN VẸN VÀ ĐÃ XÁC THỰC",
        valid_en: str = "INTACT AND AUTHENTICATED",
        bad_vi: str = "PHÁT HIỆN SAI LỆCH",
        bad_en: str = "TAMPERING DETECTED",
    ) -> str:
        """The last line: ``KẾT QUẢ: …`` / ``RESULT: …``."""
        vi = lang == "vi"
        match self.outcome:
            case Outcome.INTACT_AUTHENTICATED:
                text = valid_vi if vi else valid_en
            case Outcome.TAMPERED:
                text = f"{bad_vi if vi else bad_en} ({self.findings})"
            case Outcome.EMPTY:
                text = (
                    "KHO TRỐNG — không có bản ghi nào để kiểm tra"
                    if vi
                    else "EMPTY STORE — there is no record to verify"
                )
            case _:
                assert self.reason is not None
                text = (
                    f"TOÀN VẸN, CHƯA XÁC THỰC — {self.reason.vi}"
                    if vi
                    else f"INTACT, NOT AUTHENTICATED — {self.reason.en}"
                )
        return f"{'KẾT QUẢ' if vi else 'RESULT'}: {text}"

    def lines(self, lang: str) -> list[str]:
        """``Đã kiểm tra``/``Chưa kiểm tra`` lines (when nothing was found), then notes."""
        vi = lang == "vi"
        out: list[str] = []
        if self.outcome in (Outcome.INTACT_AUTHENTICATED, Outcome.INTACT_NOT_AUTHENTICATED):
            what = (
                ("Đã kiểm tra (tính toàn vẹn)" if vi else "Checked (integrity)")
                if self.outcome is Outcome.INTACT_NOT_AUTHENTICATED
                else ("Đã kiểm tra" if vi else "Checked")
            )
            out.append(f"{what}: {'; '.join(s(lang) for s in self.checked)}")
            for item in self.not_checked:
                out.append(f"{'Chưa kiểm tra' if vi else 'Not checked'}: {item(lang)}")
        if self.outcome is Outcome.INTACT_NOT_AUTHENTICATED and self.accept_unsigned:
            out.append(
                "--allow-unsigned: chấp nhận chỉ kiểm tra tính toàn vẹn, KHÔNG xác thực nguồn "
                "gốc (mã thoát 0)"
                if vi
                else "--allow-unsigned: integrity only is accepted, NOT authenticity (exit 0)"
            )
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.outcome.value,
            "exit_code": self.exit_code,
            "authenticated": self.outcome is Outcome.INTACT_AUTHENTICATED,
            "not_authenticated_reason": self.reason.as_dict() if self.reason else None,
            "checked": [s.as_dict() for s in self.checked],
            "not_checked": [s.as_dict() for s in self.not_checked],
        }


def store_checks(
    *,
    projects: int,
    checkpoint: bool,
    strict: bool,
    allow_gaps: bool,
    streams: str,
    authentication: Authentication,
    projection: bool,
) -> tuple[tuple[Said, ...], tuple[Said, ...]]:
    """What ``dautu verify`` really checked, and what it did not, for the summary.

    ``streams`` is :attr:`~dautu_adapters.audit.trail.Audited.streams_checked`;
    ``projection`` says a stored projection was compared with the log.
    """
    checked = [
        Said(f"chuỗi băm của {projects} dự án", f"the hash chains of {projects} projects"),
        Said("vị trí tăng dần", "positions in increasing order")
        if allow_gaps
        else Said("vị trí tăng dần và liên tục", "positions increasing and gap-free"),
    ]
    not_checked: list[Said] = []
    if streams == "full":
        checked.append(
            Said(
                "hồ sơ từng dự án theo chỉ mục của kho khớp nhật ký, từng bản ghi",
                "every project's stream as the store indexes it matches the log, record by record",
            )
        )
    elif streams == "heads":
        checked.append(
            Said(
                "hồ sơ từng dự án theo chỉ mục của kho kết thúc ở bản ghi cuối của dự án trong "
                "nhật ký",
                "every project's stream as the store indexes it ends at the project's last "
                "record in the log",
            )
        )
        not_checked.append(
            Said(
                "từng bản ghi giữa của hồ sơ dự án theo chỉ mục của kho (thêm --cross-check)",
                "the earlier records of each stream as the store indexes it (add --cross-check)",
            )
        )
    if checkpoint:
        checked.append(
            Said(
                "gốc Merkle và đầu chuỗi khớp điểm kiểm tra",
                "Merkle root and heads match the checkpoint",
            )
        )
        if strict:
            checked.append(
                Said("mọi bản ghi nằm trong điểm kiểm tra", "every record is inside the checkpoint")
            )
    if authentication.authenticated:
        checked.append(
            Said(
                f"chữ ký của khoá {authentication.key_id} hợp lệ",
                f"signature of key {authentication.key_id} valid",
            )
        )
    if projection:
        checked.append(
            Said("bảng tổng hợp đã lưu khớp nhật ký", "the stored projection matches the log")
        )
    return tuple(checked), tuple(not_checked)
