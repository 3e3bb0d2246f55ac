"""The commands that prove the log: keygen, checkpoint, verify, export and verify-bundle.

``export`` is generic: it runs any exporter a plugin registered (``dautu plugins`` lists them),
``audit-bundle`` being the builtin one of the audit plugin; it lives in
:mod:`dautu_adapters.cli.export_commands`. The clock is read here, at the edge (a checkpoint's
time), never in the core.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from dautu_adapters.audit.bundle_check import verify_bundle
from dautu_adapters.audit.keys import (
    generate_key,
    load_private_key,
    load_public_key,
    public_key_path,
)
from dautu_adapters.audit.render import audit_text, finding_lines
from dautu_adapters.audit.trail import (
    DEFAULT_ORIGIN,
    audit_store,
    make_checkpoint,
    read_checkpoint,
    write_checkpoint,
)
from dautu_adapters.cli import export_commands
from dautu_adapters.cli.common import bilingual, print_json, quiet_pipe, vietnam_now
from dautu_adapters.cli.store_commands import open_store_from_args
from dautu_adapters.review.projection import check_projection
from dautu_core.errors import InvalidValue

__all__ = ["PASSPHRASE_ENV", "register"]

PASSPHRASE_ENV = "DAUTU_KEY_PASSPHRASE"
"""Environment variable holding the passphrase of the signing key, if it has one."""


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


def register(subparsers: Any) -> None:
    """Add the commands that prove the log: keys, checkpoints, verification, exports."""
    p = subparsers.add_parser(
        "keygen",
        help=bilingual("tạo khoá ký Ed25519", "make an Ed25519 signing key"),
        description=bilingual(
            f"Ghi khoá bí mật (PEM) vào FILE và khoá công khai vào FILE.pub; mật khẩu (nếu có) "
            f"lấy từ ${PASSPHRASE_ENV}",
            f"writes the private key (PEM) to FILE and the public key to FILE.pub; passphrase "
            f"(optional) from ${PASSPHRASE_ENV}",
        ),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.set_defaults(func=keygen_command)

    p = subparsers.add_parser(
        "checkpoint",
        help=bilingual(
            "ghi điểm kiểm tra đã ký của nhật ký", "write a signed checkpoint of the log"
        ),
    )
    p.add_argument("--key", type=Path, metavar="FILE", help=bilingual("khoá bí mật", "private key"))
    p.add_argument(
        "--new-key",
        action="store_true",
        help=bilingual("tạo khoá mới tại --key trước", "first make a new key at --key"),
    )
    p.add_argument(
        "--unsigned",
        action="store_true",
        help=bilingual("không ký (chỉ để thử)", "do not sign (for trials only)"),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--origin", default=DEFAULT_ORIGIN, help=bilingual("tên nhật ký", "log name"))
    p.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help=bilingual("điểm kiểm tra trước phải còn khớp", "an earlier checkpoint that must hold"),
    )
    p.add_argument(
        "--allow-gaps",
        action="store_true",
        help=bilingual(
            "kho có thể để trống vị trí: vị trí thiếu chỉ là lưu ý, không phải bản ghi bị xoá",
            "the backend may leave holes: a missing position is a note, not a deletion",
        ),
    )
    p.set_defaults(func=checkpoint_command)

    p = subparsers.add_parser(
        "verify",
        help=bilingual("kiểm tra toàn vẹn nhật ký", "verify the integrity of the log"),
    )
    p.add_argument("--checkpoint", type=Path, metavar="FILE")
    p.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help=bilingual(
            "khoá công khai do cơ quan công bố (bắt buộc với --checkpoint)",
            "the authority's published public key (required with --checkpoint)",
        ),
    )
    p.add_argument(
        "--allow-unsigned",
        action="store_true",
        help=bilingual(
            "chấp nhận không kiểm tra chữ ký (chỉ toàn vẹn, không xác thực nguồn gốc)",
            "accept an unchecked signature (integrity only, not authenticity)",
        ),
    )
    p.add_argument(
        "--allow-gaps",
        action="store_true",
        help=bilingual(
            "kho có thể để trống vị trí: vị trí thiếu chỉ là lưu ý, không phải bản ghi bị xoá",
            "the backend may leave holes: a missing position is a note, not a deletion",
        ),
    )
    p.add_argument(
        "--cross-check",
        action="store_true",
        help=bilingual(
            "đọc lại hồ sơ từng dự án theo chỉ mục của kho và đối chiếu với nhật ký (chậm hơn)",
            "re-read every project's stream as the store indexes it and compare it with the "
            "log (slower)",
        ),
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help=bilingual(
            "bản ghi sau điểm kiểm tra cũng là sai lệch", "records after the checkpoint fail too"
        ),
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=quiet_pipe(verify_command))

    # `export` has a module of its own (the declared exporter options); registered here to
    # keep its place among the commands that prove the log.
    export_commands.register(subparsers)

    p = subparsers.add_parser(
        "verify-bundle",
        help=bilingual(
            "kiểm tra bộ hồ sơ kiểm toán, không cần cơ sở dữ liệu",
            "check an audit bundle, no database needed",
        ),
    )
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help=bilingual(
            "khoá công khai do cơ quan công bố (bắt buộc; khoá trong bộ hồ sơ không được tin)",
            "the authority's published public key (required; a key inside the bundle is "
            "never trusted)",
        ),
    )
    p.add_argument(
        "--require-signature",
        action="store_true",
        help=bilingual("mặc định đã bắt buộc chữ ký", "the signature is required by default"),
    )
    p.add_argument(
        "--allow-unsigned",
        action="store_true",
        help=bilingual(
            "chấp nhận không kiểm tra chữ ký (chỉ toàn vẹn, không xác thực nguồn gốc)",
            "accept an unchecked signature (integrity only, not authenticity)",
        ),
    )

    p.add_argument(
        "--allow-uncovered",
        action="store_true",
        help=bilingual(
            "chấp nhận bản ghi sau điểm kiểm tra (chỉ chuỗi băm kiểm tra chúng)",
            "accept records after the checkpoint (only the hash chain checks them)",
        ),
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=quiet_pipe(verify_bundle_command))


def keygen_command(args: argparse.Namespace) -> int:
    pair = generate_key(args.out, passphrase=_passphrase())
    vi = args.lang == "vi"
    print(
        f"{'Khoá bí mật' if vi else 'Private key'}: {pair.private_path}\n"
        f"{'Khoá công khai' if vi else 'Public key'}: {pair.public_path}\n"
        f"{'Mã khoá' if vi else 'Key id'}: {pair.key_id}"
    )
    return 0


def checkpoint_command(args: argparse.Namespace) -> int:
    key = None
    if not args.unsigned:
        if args.key is None:
            raise InvalidValue(
                "Cần --key FILE (hoặc --unsigned)",
                "--key FILE is required (or --unsigned)",
                field="key",
                rule_id="checkpoint_key",
            )
        if args.new_key:
            generate_key(args.key, passphrase=_passphrase())
        key = load_private_key(args.key, _passphrase())
    previous = read_checkpoint(args.previous) if args.previous else None
    store = open_store_from_args(args)
    try:
        checkpoint = make_checkpoint(
            store,
            issued_at=vietnam_now(),
            origin=args.origin,
            key=key,
            previous=previous,
            allow_gaps=args.allow_gaps,
        )
    finally:
        store.close()
    write_checkpoint(args.out, checkpoint)
    vi = args.lang == "vi"
    signer = checkpoint.key_id or ("chưa ký" if vi else "unsigned")
    print(
        f"{'Điểm kiểm tra' if vi else 'Checkpoint'} {args.out}: {checkpoint.log_size} "
        f"{'bản ghi' if vi else 'records'}, {checkpoint.heads_size} "
        f"{'dự án' if vi else 'projects'}, {'gốc' if vi else 'root'} {checkpoint.root_hash}, "
        f"{'khoá' if vi else 'key'} {signer}"
    )
    if key is not None and args.key is not None:
        print(
            f"{'Khoá công khai để kiểm tra' if vi else 'Public key to verify with'}: "
            f"{public_key_path(args.key)}"
        )
    return 0


def verify_command(args: argparse.Namespace) -> int:
    checkpoint = read_checkpoint(args.checkpoint) if args.checkpoint else None
    public_key = load_public_key(args.public_key) if args.public_key else None
    unsigned = bool(args.allow_unsigned) and public_key is None
    store = open_store_from_args(args)
    try:
        audited = audit_store(
            store,
            checkpoint,
            public_key,
            strict=args.strict,
            allow_gaps=args.allow_gaps,
            check_streams=args.cross_check,
            require_signature=checkpoint is not None and not unsigned,
        )
        # Read models are derived data kept beside the log: a stored projection that no longer
        # matches the log it claims to summarise would make `dautu review` lie, so it is
        # rebuilt in memory and compared.
        projection_findings = check_projection(store) if audited.report.ok else []
    finally:
        store.close()
    report = audited.report
    checked = public_key is not None and checkpoint is not None
    if args.format == "json":
        print_json(
            report.as_dict()
            | {
                "signature_checked": checked,
                "integrity_only": checkpoint is not None and unsigned,
                "projection_findings": projection_findings,
            }
        )
    else:
        print(audit_text(report, args.lang, signature_checked=checked))
        if projection_findings:
            print(
                "Bảng tổng hợp (projection) đã lưu không khớp với nhật ký; chạy "
                "`dautu review --rebuild`:"
                if args.lang == "vi"
                else "The stored projection does not match the log; run `dautu review --rebuild`:"
            )
            for finding in projection_findings:
                print(f"  - {finding}")
        if checkpoint is not None and unsigned:
            print(
                "Lưu ý: --allow-unsigned: chỉ kiểm tra tính toàn vẹn, KHÔNG xác thực nguồn gốc "
                "(chữ ký của điểm kiểm tra không được kiểm tra)"
                if args.lang == "vi"
                else "Note: --allow-unsigned: integrity only, NOT authenticity (the checkpoint's "
                "signature was not checked)"
            )
    return 0 if report.ok and not projection_findings else 1


def verify_bundle_command(args: argparse.Namespace) -> int:
    public_key = load_public_key(args.public_key) if args.public_key else None
    report = verify_bundle(
        args.folder,
        public_key,
        allow_uncovered=args.allow_uncovered,
        allow_unsigned=args.allow_unsigned,
    )
    if args.format == "json":
        print_json(report.as_dict())
        return 0 if report.ok else 1
    vi = args.lang == "vi"
    lang = args.lang
    print(
        f"{'Bộ hồ sơ' if vi else 'Bundle'} {args.folder}: "
        f"{'dự án' if vi else 'project'} {report.project_code}, {report.records} "
        f"{'bản ghi' if vi else 'records'} ({report.covered} "
        f"{'trong điểm kiểm tra' if vi else 'covered by the checkpoint'})"
    )
    if report.key_id:
        print(f"{'Khoá' if vi else 'Key'} {report.key_id} (--public-key)")
    for warning in report.warnings:
        print(f"{'Lưu ý' if vi else 'Note'}: {warning.message(lang)}")
    if report.ok and report.authenticated:
        print(
            "KẾT QUẢ: HỢP LỆ (chuỗi băm, đầu chuỗi, bằng chứng Merkle, chữ ký của khoá đã cho)"
            if vi
            else "RESULT: VALID (hash chain, head, Merkle proofs, signature of the given key)"
        )
        return 0
    if report.ok:
        print(
            "KẾT QUẢ: TOÀN VẸN, CHƯA XÁC THỰC (chỉ toàn vẹn, không xác thực nguồn gốc)"
            if vi
            else "RESULT: INTACT, NOT AUTHENTICATED (integrity only, not authenticity)"
        )
        return 0
    print(
        f"KẾT QUẢ: KHÔNG HỢP LỆ ({len(report.findings)})"
        if vi
        else f"RESULT: INVALID ({len(report.findings)})"
    )
    assert report.first is not None
    print(f"{'Đầu tiên' if vi else 'First'}: {report.first.message(lang)}")
    print("\n".join(finding_lines(report.findings, lang)))
    return 1
