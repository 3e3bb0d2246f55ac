"""The auditor's trail, adapter part: stores, keys, checkpoint files, bundles.

- :mod:`~dautu_adapters.audit.trail`: verify a store, make and read checkpoints;
- :mod:`~dautu_adapters.audit.keys`: Ed25519 keys and checkpoint signatures;
- :mod:`~dautu_adapters.audit.bundle`, :mod:`~dautu_adapters.audit.bundle_check`: write
  auditor bundles, and check them with no database;
- :mod:`~dautu_adapters.audit.plugin`: the builtin plugin registering ``audit-bundle``.
"""

from dautu_adapters.audit.bundle import BUNDLE_FORMAT, write_bundle
from dautu_adapters.audit.bundle_check import BundleReport, verify_bundle
from dautu_adapters.audit.keys import (
    KeyPair,
    generate_key,
    key_id,
    load_private_key,
    load_public_key,
    public_key_path,
    sign_checkpoint,
    signature_finding,
)
from dautu_adapters.audit.trail import (
    DEFAULT_ORIGIN,
    Audited,
    AuditFailed,
    audit_store,
    make_checkpoint,
    read_checkpoint,
    write_checkpoint,
)

__all__ = [
    "BUNDLE_FORMAT",
    "DEFAULT_ORIGIN",
    "AuditFailed",
    "Audited",
    "BundleReport",
    "KeyPair",
    "audit_store",
    "generate_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "make_checkpoint",
    "public_key_path",
    "read_checkpoint",
    "sign_checkpoint",
    "signature_finding",
    "verify_bundle",
    "write_bundle",
    "write_checkpoint",
]
