"""The commands that prove the log: keygen, checkpoint, verify, export and verify-bundle.

``export`` is generic: it runs any exporter a plugin registered (``dautu plugins`` lists them),
``audit-bundle`` being the builtin one of the audit plugin; it lives in
:mod:`dautu_adapters.cli.export_commands`. The clock is read here, at the edge (a checkpoint's
time), never in the core.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import attrs

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
from dautu_adapters.audit.verdict import Outcome, exit_codes_help
from dautu_adapters.cli import export_commands
from dautu_adapters.cli.common import (
    bilingual,
    open_store_for_reading,
    output_path,
    print_json,
    quiet_pipe,
    vietnam_now,
)
from dautu_adapters.review.projection import check_projection
from dautu_core.audit import Finding, FindingKind
from dautu_core.errors import DautuError, InvalidValue
from dautu_core.ports import CheckpointStore, EventStore
from dautu_core.projections import PortfolioProjection
from dautu_core.text import format_count

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
        help=bilingual(
            "kiểm tra toàn vẹn và xác thực nhật ký",
            "verify the integrity and authenticity of the log",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=exit_codes_help("nhật ký", "the log")
        + "\n\nVí dụ / example:\n  dautu verify --checkpoint cp.json --public-key khoa.pem.pub",
    )
    p.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help=bilingual("điểm kiểm tra đã ký để đối chiếu", "a signed checkpoint to check against"),
    )
    p.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help=bilingual(
            "khoá công khai do cơ quan công bố; thiếu nó: toàn vẹn nhưng chưa xác thực (mã 3)",
            "the authority's published public key; without it: intact but not authenticated "
            "(exit 3)",
        ),
    )
    p.add_argument(
        "--allow-unsigned",
        action="store_true",
        help=bilingual(
            "chấp nhận chỉ kiểm tra toàn vẹn, không xác thực nguồn gốc (mã 0 thay vì 3)",
            "accept integrity only, not authenticity (exit 0 instead of 3)",
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
    p.set_defaults(func=quiet_pipe(_could_not_run(verify_command)))

    # `export` has a module of its own (the declared exporter options); registered here to
    # keep its place among the commands that prove the log.
    export_commands.register(subparsers)

    p = subparsers.add_parser(
        "verify-bundle",
        help=bilingual(
            "kiểm tra bộ hồ sơ kiểm toán, không cần cơ sở dữ liệu",
            "check an audit bundle, no database needed",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=exit_codes_help("bộ hồ sơ", "the bundle", empty=False)
        + "\n\nVí dụ / example:\n  dautu verify-bundle ho-so-DA-0001 --public-key khoa.pem.pub",
    )
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help=bilingual(
            "khoá công khai do cơ quan công bố (khoá trong bộ hồ sơ không được tin); thiếu nó: "
            "toàn vẹn nhưng chưa xác thực (mã 3)",
            "the authority's published public key (a key inside the bundle is never trusted); "
            "without it: intact but not authenticated (exit 3)",
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
            "chấp nhận chỉ kiểm tra toàn vẹn, không xác thực nguồn gốc (mã 0 thay vì 3)",
            "accept integrity only, not authenticity (exit 0 instead of 3)",
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
    p.set_defaults(func=quiet_pipe(_could_not_run(verify_bundle_command)))


def keygen_command(args: argparse.Namespace) -> int:
    output_path(args.out)
    pair = generate_key(args.out, passphrase=_passphrase())
    vi = args.lang == "vi"
    print(
        f"{'Khoá bí mật' if vi else 'Private key'}: {pair.private_path}\n"
        f"{'Khoá công khai' if vi else 'Public key'}: {pair.public_path}\n"
        f"{'Mã khoá' if vi else 'Key id'}: {pair.key_id}"
    )
    return 0


def checkpoint_command(args: argparse.Namespace) -> int:
    output_path(args.out)
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
    store = open_store_for_reading(args)
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
        f"{'Điểm kiểm tra' if vi else 'Checkpoint'} {args.out}: "
        f"{format_count(checkpoint.log_size, args.lang)} "
        f"{'bản ghi' if vi else 'records'}, {format_count(checkpoint.heads_size, args.lang)} "
        f"{'dự án' if vi else 'projects'}, {'gốc' if vi else 'root'} {checkpoint.root_hash}, "
        f"{'khoá' if vi else 'key'} {signer}"
    )
    if key is not None and args.key is not None:
        print(
            f"{'Khoá công khai để kiểm tra' if vi else 'Public key to verify with'}: "
            f"{public_key_path(args.key)}"
        )
    return 0


def _could_not_run(command: Any) -> Any:
    """A verification that could not run (an unreadable key or checkpoint file, a store that
    cannot be opened or read) exits 2, never 1: 1 means the evidence was found altered."""

    def run(args: argparse.Namespace) -> int:
        try:
            result: int = command(args)
        except DautuError as err:
            print(f"dautu: {err}", file=sys.stderr)
            return 2
        return result

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def _projection_findings(store: EventStore) -> tuple[bool, list[Finding]]:
    """Whether a stored projection exists, and how it disagrees with the log.

    Read models are derived data kept beside the log: a stored projection that no longer
    matches the log it claims to summarise would make ``dautu review`` lie, so it is rebuilt
    in memory and compared, and a difference is part of the verdict.
    """
    if not isinstance(store, CheckpointStore):
        return False, []
    if store.load_projection(PortfolioProjection().name)[1] is None:
        return False, []
    return True, [
        Finding(
            kind=FindingKind.PROJECTION_MISMATCH,
            detail_vi=f"dựng lại từ nhật ký thì khác (chạy `dautu review --rebuild`): {text}",
            detail_en=f"rebuilt from the log it differs (run `dautu review --rebuild`): {text}",
        )
        for text in check_projection(store)
    ]


def verify_command(args: argparse.Namespace) -> int:
    checkpoint = read_checkpoint(args.checkpoint) if args.checkpoint else None
    public_key = load_public_key(args.public_key) if args.public_key else None
    store = open_store_for_reading(args)
    try:
        audited = audit_store(
            store,
            checkpoint,
            public_key,
            strict=args.strict,
            allow_gaps=args.allow_gaps,
            check_streams=args.cross_check,
        )
        projection, mismatches = _projection_findings(store) if audited.report.ok else (False, [])
    finally:
        store.close()
    report = audited.report
    if mismatches:
        report = attrs.evolve(report, findings=(*report.findings, *mismatches))
    verdict = audited.verdict(
        report,
        checkpoint=checkpoint is not None,
        strict=args.strict,
        allow_gaps=args.allow_gaps,
        projection=projection,
        accept_unsigned=args.allow_unsigned,
    )
    if args.format == "json":
        print_json(
            report.as_dict()
            | verdict.as_dict()
            | {
                "signature_checked": audited.authentication.key_id is not None,
                "integrity_only": not audited.authentication.authenticated,
                "projection_findings": [f.detail_en for f in mismatches],
            }
        )
    else:
        print(audit_text(report, verdict, args.lang))
    return verdict.exit_code


def verify_bundle_command(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        raise InvalidValue(
            f"Không có thư mục bộ hồ sơ {args.folder}",
            f"there is no bundle folder {args.folder}",
            field="folder",
            rule_id="bundle_folder",
        )
    public_key = load_public_key(args.public_key) if args.public_key else None
    report = verify_bundle(
        args.folder,
        public_key,
        allow_uncovered=args.allow_uncovered,
        allow_unsigned=args.allow_unsigned,
    )
    verdict = report.verdict(accept_unsigned=args.allow_unsigned)
    if args.format == "json":
        print_json(report.as_dict() | verdict.as_dict())
        return verdict.exit_code
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
    if verdict.outcome is Outcome.TAMPERED:
        print(verdict.headline(lang, bad_vi="KHÔNG HỢP LỆ", bad_en="INVALID"))
        assert report.first is not None
        print(f"{'Đầu tiên' if vi else 'First'}: {report.first.message(lang)}")
        print("\n".join(finding_lines(report.findings, lang)))
        return verdict.exit_code
    for line in verdict.lines(lang):
        print(line)
    print(
        verdict.headline(
            lang,
            valid_vi="HỢP LỆ (chuỗi băm, đầu chuỗi, bằng chứng Merkle, chữ ký của khoá đã cho)",
            valid_en="VALID (hash chain, head, Merkle proofs, signature of the given key)",
        )
    )
    return verdict.exit_code
