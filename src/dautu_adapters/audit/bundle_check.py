"""Checking an auditor bundle with no database: chain, head, inclusion proofs, signature.

The bundle's layout is described in :mod:`dautu_adapters.audit.bundle`; the algorithm, as an
auditor would re-implement it, in its ``ALGORITHM.md``. A bundle that cannot be read at all is
a finding too, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dautu_adapters.audit import bundle_fields as fields
from dautu_adapters.audit.bundle import BUNDLE_FORMAT
from dautu_adapters.audit.bundle_fields import FieldError
from dautu_adapters.audit.keys import key_id, load_public_key, signature_finding
from dautu_adapters.audit.trail import read_checkpoint
from dautu_adapters.audit.verdict import Authentication, Said, Verdict, authenticate
from dautu_core.audit import (
    Checkpoint,
    Finding,
    FindingKind,
    Head,
    diagnose_stream,
    head_leaf,
    record_leaf,
    verify_inclusion,
)
from dautu_core.errors import InvalidValue
from dautu_core.record import StoredRecord, record_hash

__all__ = ["BundleReport", "verify_bundle"]


@attrs.frozen(kw_only=True)
class BundleReport:
    """The outcome of checking a bundle; ``ok`` when there is no finding."""

    project_code: str | None
    records: int
    covered: int
    checkpoint: Checkpoint | None
    key_id: str | None
    key_source: str | None
    findings: tuple[Finding, ...]
    warnings: tuple[Finding, ...] = ()
    """What limits the proof without being wrong: the key shipped in the bundle
    (informational), records not covered (``allow_uncovered``)."""
    authenticated: bool = False
    """The checkpoint's signature holds for the public key the user gave."""
    not_authenticated: Said | None = None
    """Why nothing was authenticated (no public key given, an unsigned checkpoint)."""

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def verdict(self, *, accept_unsigned: bool = False) -> Verdict:
        """The one verdict on the bundle and its exit code (:mod:`dautu_adapters.audit.verdict`),
        saying what was checked."""
        checked = [
            Said("chuỗi băm", "hash chain"),
            Said("đầu chuỗi trong điểm kiểm tra", "the head in the checkpoint"),
            Said("bằng chứng Merkle", "Merkle proofs"),
        ]
        if self.authenticated:
            checked.append(
                Said(f"chữ ký của khoá {self.key_id}", f"signature of key {self.key_id}")
            )
        reason = self.not_authenticated or Said("không rõ", "unknown")
        return Verdict.of(
            findings=len(self.findings),
            empty=False,
            authentication=Authentication(self.authenticated, self.key_id, reason),
            checked=tuple(checked),
            not_checked=(),
            accept_unsigned=accept_unsigned,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "project_code": self.project_code,
            "records": self.records,
            "covered": self.covered,
            "checkpoint": self.checkpoint.label if self.checkpoint else None,
            "key_id": self.key_id,
            "key_source": self.key_source,
            "authenticated": self.authenticated,
            "not_authenticated_reason": (
                self.not_authenticated.as_dict() if self.not_authenticated else None
            ),
            "findings": [f.as_dict() for f in self.findings],
            "warnings": [f.as_dict() for f in self.warnings],
        }


class _Broken(Exception):
    """A bundle file that cannot be read at all."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail_en)
        self.finding = finding


def _unreadable(name: str, why: str) -> _Broken:
    return _Broken(
        Finding(
            kind=FindingKind.MALFORMED,
            detail_vi=f"không đọc được tệp {name} của bộ hồ sơ: {why}",
            detail_en=f"cannot read the bundle's {name}: {why}",
        )
    )


def _bad_field(error: FieldError, code: str | None = None) -> _Broken:
    """A field of the wrong type: the bundle is not in its format, said precisely."""
    return _Broken(
        Finding(
            kind=FindingKind.MALFORMED,
            project_code=code,
            detail_vi=f"bộ hồ sơ sai định dạng: {error.vi}",
            detail_en=f"the bundle is not in its format: {error.en}",
        )
    )


def _lines(path: Path) -> list[tuple[str, Mapping[str, Any]]]:
    """The JSON objects of a ``.jsonl`` file, each with where it is (``"records.jsonl line 3"``)."""
    if not path.exists():
        return []
    out: list[tuple[str, Mapping[str, Any]]] = []
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise ValueError(f"line {number} is not an object")
                out.append((f"{path.name} line {number}", value))
    except (OSError, ValueError) as exc:
        raise _unreadable(path.name, str(exc)) from exc
    return out


def verify_bundle(
    folder: Path,
    public_key: Ed25519PublicKey | None = None,
    *,
    require_signature: bool = False,
    allow_uncovered: bool = False,
    allow_unsigned: bool = False,
) -> BundleReport:
    """Check a bundle with no database: chain, head, inclusion proofs, checkpoint signature.

    ``public_key`` is the authority's key as the authority publishes it, given by the user: a
    VALID verdict needs it and a checkpoint signed by it. A key shipped inside the bundle
    (``public_key.pem``) is never trusted for authenticity (a forger ships their own); it is
    only reported, with its key id, as a warning. A signature that does not hold for
    ``public_key`` is a finding; without ``public_key``, or with an unsigned checkpoint,
    nothing is authenticated: ``authenticated`` is false and ``not_authenticated`` says why,
    which is not a finding (a missing key is not an invalid signature) unless
    ``require_signature``. ``allow_unsigned`` is accepted for callers that pass it; the command
    line turns it into exit code 0 for an intact, unauthenticated bundle.

    Coverage is decided by the signed head, never by the positions the records state: the
    head proof (``head_proof.json``) is mandatory, versions 1..head.version must all be
    present, chained and proven included in the signed root. Records after the head are "not
    covered by the checkpoint", a finding unless ``allow_uncovered`` (then a warning).
    """
    try:
        return _verify_bundle(folder, public_key, require_signature, allow_uncovered)
    except _Broken as broken:
        return BundleReport(
            project_code=None,
            records=0,
            covered=0,
            checkpoint=None,
            key_id=None,
            key_source=None,
            findings=(broken.finding,),
        )


def _verify_bundle(
    folder: Path,
    public_key: Ed25519PublicKey | None,
    require_signature: bool,
    allow_uncovered: bool,
) -> BundleReport:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _unreadable("manifest.json", str(exc)) from exc
    try:
        if fields.text(manifest, "format", "manifest.json") != BUNDLE_FORMAT:
            raise _unreadable("manifest.json", f"not a {BUNDLE_FORMAT} manifest")
        code = fields.text(manifest, "project_code", "manifest.json")
        fields.integer(manifest, "records", "manifest.json", minimum=1)
        fields.integer(manifest, "covered", "manifest.json")
    except FieldError as exc:
        raise _bad_field(exc) from exc
    try:
        checkpoint = read_checkpoint(folder / "checkpoint.json")
    except InvalidValue as exc:
        raise _unreadable("checkpoint.json", exc.message_en) from exc
    findings: list[Finding] = []
    warnings: list[Finding] = []
    source = "argument" if public_key is not None else None
    shipped = folder / "public_key.pem"
    if shipped.exists():
        try:
            shipped_id = key_id(load_public_key(shipped))
        except InvalidValue as exc:
            raise _unreadable("public_key.pem", exc.message_en) from exc
        differs = public_key is not None and shipped_id != key_id(public_key)
        if public_key is None or differs:
            warnings.append(
                Finding(
                    kind=FindingKind.UNTRUSTED_KEY,
                    checkpoint=checkpoint.label,
                    detail_vi=f"bộ hồ sơ kèm khoá công khai mã {shipped_id}; khoá này không được "
                    "dùng để xác thực (chỉ để tham khảo)"
                    + ("; nó KHÁC khoá --public-key" if differs else ""),
                    detail_en=f"the bundle ships a public key with key id {shipped_id}; it is not "
                    "used for authenticity (informational only)"
                    + ("; it DIFFERS from the --public-key key" if differs else ""),
                )
            )
    authentication = authenticate(checkpoint, public_key)
    if authentication.finding is not None:
        findings.append(authentication.finding)
    elif require_signature and not authentication.authenticated:
        problem = signature_finding(checkpoint, public_key)
        if problem is not None:
            findings.append(problem)
    records = _bundle_records(folder / "records.jsonl", code, findings)
    head = _check_head(folder / "head_proof.json", code, checkpoint, findings)
    signed_version = head.version if head is not None else 0
    findings += _check_proofs(folder / "proofs.jsonl", code, records, checkpoint, signed_version)
    findings += _check_coverage(code, records, checkpoint, signed_version)
    beyond = [r for r in records if r.version > signed_version]
    if beyond:
        first = beyond[0]
        (warnings if allow_uncovered else findings).append(
            Finding(
                kind=FindingKind.NOT_IN_CHECKPOINT,
                project_code=code,
                version=first.version,
                position=first.position,
                checkpoint=checkpoint.label,
                detail_vi=f"{len(beyond)} bản ghi từ phiên bản {first.version} không thuộc "
                f"điểm kiểm tra (đầu chuỗi đã ký: phiên bản {signed_version}); chỉ chuỗi băm "
                "kiểm tra được chúng",
                detail_en=f"{len(beyond)} records from version {first.version} are not covered "
                f"by the checkpoint (signed head: version {signed_version}); only the hash "
                "chain checks them",
            )
        )
    chain = diagnose_stream(
        code,
        records,
        head=head,
        covered=checkpoint.last_position,
        heads_known=True,
    )
    if chain is not None:
        findings.append(chain)
    findings.sort(key=lambda f: f.sort_key)
    return BundleReport(
        project_code=code,
        records=len(records),
        covered=sum(1 for r in records if r.version <= signed_version),
        checkpoint=checkpoint,
        key_id=key_id(public_key) if public_key is not None else None,
        key_source=source,
        authenticated=authentication.authenticated,
        not_authenticated=authentication.reason,
        findings=tuple(findings),
        warnings=tuple(warnings),
    )


def _bundle_records(path: Path, code: str, findings: list[Finding]) -> list[StoredRecord]:
    out = []
    for where, line in _lines(path):
        try:
            version = fields.integer(line, "version", where, minimum=1)
            position = fields.integer(line, "position", where, minimum=1)
            data = fields.text(line, "record", where).encode("utf-8")
            type_name, stated = fields.text(line, "type", where), fields.hex64(line, "hash", where)
        except FieldError as exc:
            raise _bad_field(exc, code) from exc
        except UnicodeEncodeError as exc:
            raise _unreadable(path.name, f"{where}: {exc}") from exc
        if record_hash(data) != stated:
            findings.append(
                Finding(
                    kind=FindingKind.MODIFIED,
                    project_code=code,
                    version=version,
                    position=position,
                    detail_vi="mã băm ghi kèm không khớp nội dung bản ghi",
                    detail_en="the stated hash does not match the record's bytes",
                )
            )
        out.append(StoredRecord(code, version, position, type_name, data))
    if not out:
        raise _unreadable(path.name, "no records")
    return out


def _check_head(
    path: Path, code: str, checkpoint: Checkpoint, findings: list[Finding]
) -> Head | None:
    """The project's head, if its proof holds; a missing or wrong proof is a finding."""
    if not path.exists():
        findings.append(
            Finding(
                kind=FindingKind.PROOF_INVALID,
                project_code=code,
                checkpoint=checkpoint.label,
                detail_vi="thiếu head_proof.json: không chứng minh được bộ hồ sơ có đủ lịch sử "
                "dự án đến điểm kiểm tra, nên không bản ghi nào được điểm kiểm tra bảo đảm",
                detail_en="head_proof.json is missing: nothing proves the bundle holds the "
                "project's whole history up to the checkpoint, so no record is covered by it",
            )
        )
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _unreadable(path.name, str(exc)) from exc
    try:
        raw = data.get("head") if isinstance(data, dict) else None
        where = f"{path.name} head"
        head = Head(
            project_code=fields.text(raw, "project_code", where),
            version=fields.integer(raw, "version", where, minimum=1),
            hash=fields.hex64(raw, "hash", where),
        )
        index = fields.integer(data, "leaf_index", path.name)
        size = fields.integer(data, "tree_size", path.name, minimum=1)
        proof = fields.hex64_list(data, "path", path.name)
    except FieldError as exc:
        raise _bad_field(exc, code) from exc
    valid = (
        head.project_code == code
        and size == checkpoint.heads_size
        and verify_inclusion(
            head_leaf(head), index, size, proof, bytes.fromhex(checkpoint.heads_root)
        )
    )
    if valid:
        return head
    findings.append(
        Finding(
            kind=FindingKind.PROOF_INVALID,
            project_code=code,
            version=head.version,
            checkpoint=checkpoint.label,
            detail_vi="đầu chuỗi của dự án không được chứng minh thuộc gốc heads_root đã ký",
            detail_en="the project's head is not proven to be in the signed heads_root",
        )
    )
    return None


def _check_coverage(
    code: str, records: list[StoredRecord], checkpoint: Checkpoint, signed_version: int
) -> list[Finding]:
    """Versions 1..``signed_version`` must all be in the bundle, at positions inside the
    checkpoint: the signed head covers them whatever position a record states."""
    present = {r.version for r in records}
    out: list[Finding] = []
    for version in range(1, signed_version + 1):
        if version not in present:
            out.append(
                Finding(
                    kind=FindingKind.DELETED,
                    project_code=code,
                    version=version,
                    checkpoint=checkpoint.label,
                    detail_vi=f"đầu chuỗi đã ký ở phiên bản {signed_version}, bộ hồ sơ thiếu "
                    f"phiên bản {version}",
                    detail_en=f"the signed head is at version {signed_version}, the bundle "
                    f"lacks version {version}",
                )
            )
    for rec in records:
        if rec.version <= signed_version and rec.position > checkpoint.last_position:
            out.append(
                Finding(
                    kind=FindingKind.PROOF_INVALID,
                    project_code=code,
                    version=rec.version,
                    position=rec.position,
                    checkpoint=checkpoint.label,
                    detail_vi=f"bản ghi nêu vị trí {rec.position} sau điểm kiểm tra (vị trí "
                    f"{checkpoint.last_position}) nhưng đầu chuỗi đã ký bao gồm nó",
                    detail_en=f"the record states position {rec.position}, after the "
                    f"checkpoint (position {checkpoint.last_position}), yet the signed head "
                    "covers it",
                )
            )
    return out


def _check_proofs(
    path: Path,
    code: str,
    records: list[StoredRecord],
    checkpoint: Checkpoint,
    signed_version: int,
) -> list[Finding]:
    """Every record the signed head covers (versions 1..``signed_version``) needs a proof
    that holds, at a leaf index that grows with the versions; no other record may have one.
    The positions the records state play no part: they are not signed."""
    proofs = {}
    for where, line in _lines(path):
        try:
            fields.integer(line, "position", where, minimum=1)
            proofs[fields.integer(line, "version", where, minimum=1)] = (
                fields.integer(line, "leaf_index", where),
                fields.integer(line, "tree_size", where, minimum=1),
                fields.hex64_list(line, "path", where),
            )
        except FieldError as exc:
            raise _bad_field(exc, code) from exc
    root = bytes.fromhex(checkpoint.root_hash)
    problems: list[Finding] = []
    last_index = -1

    def bad(rec: StoredRecord | None, version: int, vi: str, en: str) -> Finding:
        return Finding(
            kind=FindingKind.PROOF_INVALID,
            project_code=code,
            version=version,
            position=rec.position if rec is not None else None,
            checkpoint=checkpoint.label,
            detail_vi=vi,
            detail_en=en,
        )

    for rec in records:
        proof = proofs.pop(rec.version, None)
        inside = rec.version <= signed_version
        if proof is None:
            if inside:
                problems.append(
                    bad(
                        rec,
                        rec.version,
                        "bản ghi nằm trong điểm kiểm tra nhưng thiếu bằng chứng Merkle",
                        "the record is inside the checkpoint but has no Merkle proof",
                    )
                )
            continue
        index, size, path_hashes = proof
        valid = (
            inside
            and size == checkpoint.log_size
            and last_index < index < size
            and verify_inclusion(record_leaf(rec.data), index, size, path_hashes, root)
        )
        if valid:
            last_index = index
            continue
        problems.append(
            bad(
                rec,
                rec.version,
                "bản ghi không được chứng minh thuộc gốc Merkle đã ký",
                "the record is not proven to be in the signed Merkle root",
            )
        )
    for version in sorted(proofs):
        problems.append(
            bad(
                None,
                version,
                "có bằng chứng cho một phiên bản không có trong bộ hồ sơ",
                "a proof is given for a version the bundle does not hold",
            )
        )
    return problems
