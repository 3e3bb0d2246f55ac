"""Auditor bundles: written through the exporter registry, checked with no database, and
checked again by an independent verifier written only from the bundle's ALGORITHM.md."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from audit.samples import project_commands
from audit.test_verify import forged_delay
from dautu_adapters.audit import (
    AuditFailed,
    make_checkpoint,
    verify_bundle,
    write_checkpoint,
)
from dautu_adapters.audit.keys import public_pem
from dautu_adapters.plugins import exporter_registry, get_plugin_manager
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core import commands as cmd
from dautu_core.audit import FindingKind
from dautu_core.testing.samples import sample_envelope

K = FindingKind
NOW = datetime(2024, 3, 1, 9, tzinfo=UTC)


class Office:
    """A department's SQLite store with three projects and a signed checkpoint file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = f"sqlite:///{root / 'dautu.db'}"
        self.key = Ed25519PrivateKey.generate()
        (root / "signer.pem.pub").write_bytes(public_pem(self.key.public_key()))
        store = open_store(self.url)
        service = ProjectService(store)
        streams = {code: project_commands(code) for code in ("DA-0001", "DA-0002", "DA-0003")}
        for index in range(5):
            for commands in streams.values():
                service.execute(commands[index])
        self.checkpoint = make_checkpoint(store, issued_at=NOW, key=self.key)
        write_checkpoint(root / "cp.json", self.checkpoint)
        store.close()

    def export(self, project: str, out: Path, **options: Any) -> list[Path]:
        exporter = exporter_registry(get_plugin_manager()).get("audit-bundle")
        assert exporter is not None, "the audit plugin registers the audit-bundle exporter"
        store = open_store(self.url)
        try:
            return exporter.value(store, out, {"project": project, "now": NOW, **options})
        finally:
            store.close()

    def signed_bundle(self, project: str = "DA-0002") -> Path:
        out = self.root / f"bundle-{project}"
        self.export(
            project,
            out,
            checkpoint=str(self.root / "cp.json"),
            public_key=str(self.root / "signer.pem.pub"),
        )
        return out


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return Office(tmp_path)


def test_the_bundle_holds_the_records_proofs_checkpoint_and_algorithm(office: Office) -> None:
    folder = office.signed_bundle()
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "manifest.json",
        "records.jsonl",
        "proofs.jsonl",
        "checkpoint.json",
        "head_proof.json",
        "public_key.pem",
        "README.md",
        "ALGORITHM.md",
    }
    lines = [json.loads(x) for x in (folder / "records.jsonl").read_text("utf-8").splitlines()]
    assert [(x["version"], x["position"]) for x in lines] == [(v, 3 * v - 1) for v in range(1, 6)]
    assert all(hashlib.sha256(x["record"].encode()).hexdigest() == x["hash"] for x in lines)
    checkpoint = json.loads((folder / "checkpoint.json").read_text("utf-8"))
    assert checkpoint["signature"] == office.checkpoint.signature
    assert "heads" not in checkpoint  # other projects' heads stay at the department


def test_a_signed_bundle_verifies_without_any_database(office: Office) -> None:
    folder = office.signed_bundle()
    moved = office.root / "elsewhere"
    shutil.copytree(folder, moved)
    (office.root / "dautu.db").unlink()
    report = verify_bundle(moved, office.key.public_key())
    assert report.ok and not report.warnings, report.findings
    assert (report.project_code, report.records, report.covered) == ("DA-0002", 5, 5)
    assert report.key_source == "argument"
    assert report.authenticated
    # Without the authority's key: intact, not authenticated, and why (not "invalid").
    shipped = verify_bundle(moved)
    assert shipped.ok and not shipped.authenticated
    assert shipped.not_authenticated is not None
    assert shipped.not_authenticated.en == "no public key given (--public-key)"
    assert [w.kind for w in shipped.warnings] == [K.UNTRUSTED_KEY]  # the shipped key's id
    strict = verify_bundle(moved, require_signature=True)
    assert strict.first is not None and strict.first.kind is K.SIGNATURE_INVALID


def test_a_forger_shipping_their_own_key_is_not_authenticated(office: Office) -> None:
    folder = office.signed_bundle()
    forger = Ed25519PrivateKey.generate()
    data = json.loads((folder / "checkpoint.json").read_text("utf-8"))
    from dautu_adapters.audit.keys import sign_checkpoint
    from dautu_core.audit import Checkpoint

    resigned = sign_checkpoint(Checkpoint.from_data(data), forger)
    write_checkpoint(folder / "checkpoint.json", resigned, with_heads=False)
    (folder / "public_key.pem").write_bytes(public_pem(forger.public_key()))
    unkeyed = verify_bundle(folder)
    assert not unkeyed.authenticated and unkeyed.not_authenticated is not None
    assert not verify_bundle(folder, require_signature=True).ok
    genuine = verify_bundle(folder, office.key.public_key())
    assert genuine.first is not None and genuine.first.kind is K.SIGNATURE_INVALID


def test_without_a_checkpoint_the_bundle_is_unsigned_and_says_so(office: Office) -> None:
    out = office.root / "unsigned"
    office.export("DA-0001", out)
    for key in (None, office.key.public_key()):
        report = verify_bundle(out, key)
        assert report.ok and report.checkpoint is not None and not report.checkpoint.is_signed
        assert not report.authenticated and report.not_authenticated is not None
        assert report.not_authenticated.en == "the checkpoint is not signed"
    strict = verify_bundle(out, require_signature=True)
    assert strict.first is not None and strict.first.kind is K.SIGNATURE_INVALID


def test_records_after_the_checkpoint_are_included_but_not_covered(office: Office) -> None:
    store = open_store(office.url)
    ProjectService(store).execute(
        cmd.RecordMilestoneMet(
            **sample_envelope("DA-0002", datetime(2024, 2, 1).date()),
            milestone="capital_contribution",
        )
    )
    store.close()
    folder = office.signed_bundle()
    report = verify_bundle(folder, office.key.public_key())
    assert not report.ok and (report.records, report.covered) == (6, 5)
    assert [(f.kind, f.version) for f in report.findings] == [(K.NOT_IN_CHECKPOINT, 6)]
    allowed = verify_bundle(folder, office.key.public_key(), allow_uncovered=True)
    assert allowed.ok and K.NOT_IN_CHECKPOINT in {w.kind for w in allowed.warnings}


def test_export_refuses_a_store_that_does_not_verify(office: Office) -> None:
    import sqlite3

    with sqlite3.connect(office.root / "dautu.db") as con:
        con.execute("DELETE FROM stored_events WHERE rowid=4")
    con.close()
    with pytest.raises(AuditFailed) as refused:
        office.signed_bundle("DA-0002")
    assert refused.value.project_code == "DA-0001"


Edit = Callable[[Path], None]


def _edit_line(name: str, index: int, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        lines = path.read_text("utf-8").splitlines()
        value = json.loads(lines[index])
        change(value)
        lines[index] = json.dumps(value, ensure_ascii=False)
        path.write_text("\n".join(lines) + "\n", "utf-8")

    return edit


def _rewrite_record(value: dict[str, Any]) -> None:
    value["record"] = value["record"].replace("Chậm", "Chạm")
    value["hash"] = hashlib.sha256(value["record"].encode()).hexdigest()


def _drop_line(name: str, index: int) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        lines = path.read_text("utf-8").splitlines()
        del lines[index]
        path.write_text("\n".join(lines) + "\n", "utf-8")

    return edit


def _edit_json(name: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        value = json.loads(path.read_text("utf-8"))
        change(value)
        path.write_text(json.dumps(value), "utf-8")

    return edit


def _flip_first_hash(value: dict[str, Any]) -> None:
    value["path"][0] = "0" * 64


def _append_forged(folder: Path) -> None:
    lines = (folder / "records.jsonl").read_text("utf-8").splitlines()
    last = json.loads(lines[-1])
    forged = forged_delay("DA-0002", last["hash"])
    line = {
        "version": last["version"] + 1,
        "position": 15,
        "type": forged.type_name,
        "hash": forged.hash,
        "record": forged.data.decode(),
    }
    (folder / "records.jsonl").write_text("\n".join([*lines, json.dumps(line)]) + "\n", "utf-8")


def _forge_beyond_checkpoint(folder: Path) -> None:
    """Rewrite an event, recompute the chain, claim positions after the checkpoint and drop
    the proofs: nothing is signed any more, and that must not pass."""
    lines = [json.loads(x) for x in (folder / "records.jsonl").read_text("utf-8").splitlines()]
    prev = "0" * 64
    for number, line in enumerate(lines):
        record = json.loads(line["record"])
        record["prev"] = prev
        text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if number == 1:
            assert "Chậm" in text
            text = text.replace("Chậm", "Chạm")
        line["record"] = text
        line["hash"] = prev = hashlib.sha256(text.encode()).hexdigest()
        line["position"] = 10_000 + number
    (folder / "records.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8"
    )
    (folder / "head_proof.json").unlink()
    (folder / "proofs.jsonl").unlink()


TAMPERING: dict[str, tuple[Edit, FindingKind, int | None]] = {
    "history rewritten, positions beyond the checkpoint, proofs deleted": (
        _forge_beyond_checkpoint,
        K.NOT_IN_CHECKPOINT,
        1,
    ),
    "record rewritten, hash recomputed": (
        _edit_line("records.jsonl", 1, _rewrite_record),
        K.MODIFIED,
        2,
    ),
    "stated hash changed": (
        _edit_line("records.jsonl", 2, lambda v: v.update(hash="0" * 64)),
        K.MODIFIED,
        3,
    ),
    "middle record left out": (_drop_line("records.jsonl", 2), K.DELETED, 3),
    "latest record left out": (_drop_line("records.jsonl", 4), K.DELETED, 5),
    "forged record added inside the checkpoint": (_append_forged, K.INSERTED, 6),
    "proof damaged": (_edit_line("proofs.jsonl", 0, _flip_first_hash), K.PROOF_INVALID, 1),
    "head proof damaged": (
        _edit_json("head_proof.json", _flip_first_hash),
        K.PROOF_INVALID,
        5,
    ),
    "checkpoint root replaced": (
        _edit_json("checkpoint.json", lambda v: v.update(root_hash="1" * 64)),
        K.SIGNATURE_INVALID,
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_a_tampered_bundle_fails_naming_what(office: Office, case: str) -> None:
    folder = office.signed_bundle()
    assert verify_bundle(folder, office.key.public_key()).ok
    edit, kind, version = TAMPERING[case]
    edit(folder)
    report = verify_bundle(folder, office.key.public_key())
    assert not report.ok
    assert (kind, version) in {(f.kind, f.version) for f in report.findings}, report.findings
    assert not independent_check(folder, office.key.public_key())


def _as_text(key: str) -> Callable[[dict[str, Any]], None]:
    """The same value, written as a JSON string (``4`` becomes ``"4"``)."""
    return lambda value: value.update({key: str(value[key])})


def _set(key: str, new: object) -> Callable[[dict[str, Any]], None]:
    return lambda value: value.update({key: new})


WRONG_TYPES: dict[str, tuple[Edit, str]] = {
    "records version as a string": (_edit_line("records.jsonl", 3, _as_text("version")), "version"),
    "records version as a boolean": (
        _edit_line("records.jsonl", 0, _set("version", True)),
        "version",
    ),
    "records position as a fraction": (
        _edit_line("records.jsonl", 1, lambda v: v.update(position=v["position"] + 0.0)),
        "position",
    ),
    "records hash as a number": (_edit_line("records.jsonl", 2, _set("hash", 123)), "hash"),
    "records record as an object": (_edit_line("records.jsonl", 2, _set("record", {})), "record"),
    "records type missing": (_edit_line("records.jsonl", 2, lambda v: v.pop("type")), "type"),
    "proofs leaf_index as a string": (
        _edit_line("proofs.jsonl", 1, _as_text("leaf_index")),
        "leaf_index",
    ),
    "proofs version as a string": (_edit_line("proofs.jsonl", 0, _as_text("version")), "version"),
    "proofs path as a string": (_edit_line("proofs.jsonl", 0, _set("path", "ab")), "path"),
    "head version as a string": (
        _edit_json(
            "head_proof.json", lambda v: v["head"].update(version=str(v["head"]["version"]))
        ),
        "version",
    ),
    "head code as a number": (
        _edit_json("head_proof.json", lambda v: v["head"].update(project_code=2)),
        "project_code",
    ),
    "head tree_size as a string": (
        _edit_json("head_proof.json", _as_text("tree_size")),
        "tree_size",
    ),
    "manifest records as a string": (_edit_json("manifest.json", _as_text("records")), "records"),
    "checkpoint log_size as a string": (
        _edit_json("checkpoint.json", _as_text("log_size")),
        "log_size",
    ),
    "checkpoint issued_at as a number": (
        _edit_json("checkpoint.json", _set("issued_at", 20240221)),
        "issued_at",
    ),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_the_bundle_checker_is_strict_about_types(office: Office, case: str) -> None:
    """``"version": "4"`` is not the integer 4: a bundle with a field of another JSON type
    than its format states is refused, with a finding naming the file, field and type."""
    folder = office.signed_bundle()
    edit, field = WRONG_TYPES[case]
    edit(folder)
    report = verify_bundle(folder, office.key.public_key())
    assert not report.ok and report.first is not None
    assert report.first.kind is K.MALFORMED, report.findings
    assert field in report.first.detail_en and field in report.first.detail_vi
    if "string" in case:
        assert "found the string" in report.first.detail_en or "= '" in report.first.detail_en
    assert report.verdict().exit_code == 1


def test_a_bundle_signed_by_another_key_fails(office: Office) -> None:
    folder = office.signed_bundle()
    report = verify_bundle(folder, Ed25519PrivateKey.generate().public_key())
    assert report.first is not None and report.first.kind is K.SIGNATURE_INVALID


def test_an_unreadable_bundle_is_a_finding(tmp_path: Path) -> None:
    report = verify_bundle(tmp_path)
    assert report.first is not None and report.first.kind is K.MALFORMED


# --- an auditor's own verifier, from ALGORITHM.md alone (hashlib + an Ed25519 library) ------


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _h(b"\x01" + p + r)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _h(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def independent_check(folder: Path, public_key: Ed25519PublicKey) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    cp = json.loads((folder / "checkpoint.json").read_text("utf-8"))
    fields = ("format", "origin", "log_size", "last_position", "root_hash", "heads_size")
    signed = {k: cp[k] for k in (*fields, "heads_root", "issued_at", "key_id")}
    message = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        public_key.verify(bytes.fromhex(cp["signature"]), message.encode())
    except Exception:
        return False
    if not (folder / "head_proof.json").exists() or not (folder / "proofs.jsonl").exists():
        return False
    head_proof = json.loads((folder / "head_proof.json").read_text("utf-8"))
    head = head_proof["head"]
    lines = [json.loads(x) for x in (folder / "records.jsonl").read_text("utf-8").splitlines()]
    proofs = {
        p["position"]: p
        for p in map(json.loads, (folder / "proofs.jsonl").read_text("utf-8").splitlines())
    }
    prev = "0" * 64
    last_index = -1
    for expected_version, line in enumerate(lines, start=1):
        data = line["record"].encode("utf-8")
        record = json.loads(data)
        digest = _h(data)
        if (
            line["version"] != expected_version
            or digest.hex() != line["hash"]
            or record["prev"] != prev
            or record["data"]["project_code"] != manifest["project_code"]
        ):
            return False
        prev = digest.hex()
        if line["version"] <= head["version"]:
            if line["position"] > cp["last_position"]:
                return False
            proof = proofs.get(line["position"])
            if proof is None or proof["leaf_index"] <= last_index:
                return False
            last_index = proof["leaf_index"]
            if not _inclusion(
                _h(b"\x00" + digest),
                proof["leaf_index"],
                cp["log_size"],
                [bytes.fromhex(x) for x in proof["path"]],
                bytes.fromhex(cp["root_hash"]),
            ):
                return False
    leaf = _h(
        b"\x00"
        + json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    if not _inclusion(
        leaf,
        head_proof["leaf_index"],
        cp["heads_size"],
        [bytes.fromhex(x) for x in head_proof["path"]],
        bytes.fromhex(cp["heads_root"]),
    ):
        return False
    covered = [x for x in lines if x["version"] <= head["version"]]
    return bool(
        head["project_code"] == manifest["project_code"]
        and len(covered) == head["version"]
        and covered[-1]["hash"] == head["hash"]
        and len(lines) == len(covered)  # records after the checkpoint are not covered
    )


def test_an_independent_verifier_accepts_a_genuine_bundle(office: Office) -> None:
    for project in ("DA-0001", "DA-0002", "DA-0003"):
        assert independent_check(office.signed_bundle(project), office.key.public_key())
