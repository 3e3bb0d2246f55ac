"""The builtin audit plugin (entry point ``audit = "dautu_adapters.audit.plugin"``).

It registers the ``audit-bundle`` exporter exactly as a third-party exporter would register
itself, so ``dautu export audit-bundle --project CODE --out DIR`` goes through the same registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dautu_adapters.audit.bundle import write_bundle
from dautu_adapters.audit.keys import load_public_key
from dautu_adapters.audit.trail import DEFAULT_ORIGIN, read_checkpoint
from dautu_adapters.exporters.options import required_project
from dautu_adapters.hookspecs import ExporterOption, RegisterExporter, hookimpl
from dautu_core.ports import EventStore

__all__ = ["AUDIT_BUNDLE_OPTIONS", "dautu_register_exporters", "export_audit_bundle"]

AUDIT_BUNDLE_OPTIONS: tuple[ExporterOption, ...] = (
    ExporterOption("project", str, "mã dự án / project code", required=True),
    ExporterOption(
        "checkpoint",
        Path,
        "điểm kiểm tra đã ký (mặc định một điểm mới chưa ký) / a signed checkpoint (default a "
        "fresh unsigned one)",
    ),
    ExporterOption(
        "public_key",
        Path,
        "khoá công khai (PEM) để kiểm tra chữ ký, chép vào bộ hồ sơ / public key (PEM) that "
        "checks the signature, copied into the bundle",
    ),
    ExporterOption("origin", str, "tên nhật ký / log name", default=DEFAULT_ORIGIN),
    ExporterOption(
        "allow_gaps",
        bool,
        "kho có thể để trống vị trí / the backend may leave holes in positions",
        default=False,
    ),
)


def export_audit_bundle(store: EventStore, out: Path, options: Mapping[str, Any]) -> list[Path]:
    """Exporter ``audit-bundle``: options ``project`` (required), ``checkpoint`` (a checkpoint
    file; default a fresh unsigned one), ``public_key`` (PEM file, copied into the bundle and
    used to check the checkpoint's signature), ``origin``, ``now`` (aware datetime), ``allow_gaps`` (``true``: positions may have holes)."""
    project = required_project(options)
    checkpoint_path = options.get("checkpoint")
    key_path = options.get("public_key")
    now = options.get("now") or datetime.now(UTC).astimezone()
    return write_bundle(
        store,
        str(project),
        out,
        issued_at=now,
        checkpoint=read_checkpoint(Path(checkpoint_path)) if checkpoint_path else None,
        public_key=load_public_key(Path(key_path)) if key_path else None,
        origin=str(options.get("origin") or DEFAULT_ORIGIN),
        allow_gaps=AUDIT_BUNDLE_OPTIONS[-1].convert(
            options.get("allow_gaps", False), "audit-bundle"
        ),
    )


@hookimpl
def dautu_register_exporters(register: RegisterExporter) -> None:
    register(
        "audit-bundle",
        export_audit_bundle,
        "Bộ hồ sơ kiểm toán một dự án (bản ghi, điểm kiểm tra, bằng chứng Merkle) / "
        "auditor bundle of one project (records, checkpoint, Merkle proofs)",
        options=AUDIT_BUNDLE_OPTIONS,
    )
