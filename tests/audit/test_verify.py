"""Verification of a log (pure, over lists of StoredRecord): every single mutation of a random
history is detected, and located at the project and version that was changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.samples import build_log, events_of, portfolio, project_commands
from dautu_core import commands as cmd
from dautu_core.audit import (
    AuditReport,
    Checkpoint,
    FindingKind,
    LogScanner,
    audit_log,
    checkpoint_from_scan,
    parse_record,
    parse_record_strict,
    stream_head,
)
from dautu_core.decider import event_from_command
from dautu_core.record import StoredRecord, make_record
from dautu_core.testing.samples import sample_envelope

K = FindingKind
CODES = ("DA-0001", "DA-0002", "2165432100", "Dự-án-04")
STREAMS = {code: events_of(project_commands(code)) for code in CODES}


def checkpoint_of(log: list[StoredRecord], size: int | None = None) -> Checkpoint:
    """What `dautu checkpoint` would sign over the first ``size`` records of ``log``."""
    scanner = LogScanner()
    scanner.feed(log[: len(log) if size is None else size])
    return checkpoint_from_scan(
        scanner.result(), origin="test", issued_at=datetime(2024, 2, 21, 9, tzinfo=UTC)
    )


def located(report: AuditReport) -> tuple[str | None, int | None]:
    first = report.first
    assert first is not None
    return first.project_code, first.version


def renumber(log: list[StoredRecord]) -> list[StoredRecord]:
    """Positions 1..n again, and each project's versions 1..k again (a careful forger)."""
    versions: dict[str, int] = {}
    out = []
    for position, rec in enumerate(log, start=1):
        versions[rec.project_code] = versions.get(rec.project_code, 0) + 1
        out.append(attrs.evolve(rec, position=position, version=versions[rec.project_code]))
    return out


def forged_delay(code: str, prev: str, text: str = "Bổ sung sau") -> StoredRecord:
    event = event_from_command(
        cmd.RecordDelay(
            **sample_envelope(code, date(2023, 4, 2)), milestone="construction_start", reason=text
        )
    )
    return StoredRecord(code, 0, 0, event.TYPE_NAME, make_record(event, prev))


# --- an intact log -------------------------------------------------------------------------


def test_an_intact_log_verifies_with_and_without_its_checkpoint() -> None:
    log = portfolio()
    assert audit_log(log).ok
    report = audit_log(log, checkpoint_of(log), strict=True)
    assert report.ok and report.size == len(log) and report.projects == 3
    assert report.root_hash == checkpoint_of(log).root_hash


def test_records_after_the_checkpoint_are_counted_and_fail_only_when_strict() -> None:
    log = portfolio()
    checkpoint = checkpoint_of(log, size=10)
    relaxed = audit_log(log, checkpoint)
    assert relaxed.ok and relaxed.uncovered == len(log) - 10
    strict = audit_log(log, checkpoint, strict=True)
    assert strict.first is not None and strict.first.kind is K.NOT_IN_CHECKPOINT
    assert (strict.first.project_code, strict.first.position) == (log[10].project_code, 11)


def test_fast_and_strict_parsers_agree_on_canonical_records() -> None:
    for rec in portfolio():
        fast, strict = parse_record(rec.data), parse_record_strict(rec.data)
        assert fast is not None and fast == strict
        assert fast.project_code == rec.project_code and fast.type_name == rec.type_name
    assert parse_record(b"not json") is None and parse_record_strict(b"{}") is None


# --- each kind of tampering, located ----------------------------------------------------------


def test_a_changed_byte_is_located_at_its_record() -> None:
    log = portfolio()
    target = 4  # DA-0002 version 2, in the middle of its stream
    data = log[target].data.replace("giải phóng".encode(), "giai phóng".encode())
    assert data != log[target].data
    tampered = [*log[:target], attrs.evolve(log[target], data=data), *log[target + 1 :]]
    for checkpoint in (None, checkpoint_of(log)):
        report = audit_log(tampered, checkpoint)
        assert report.first is not None and report.first.kind is K.MODIFIED
        assert located(report) == (log[target].project_code, log[target].version)
        assert report.first.position == log[target].position


def test_the_last_record_of_a_stream_changed_is_located_by_the_signed_head() -> None:
    log = portfolio()
    target = len(log) - 1
    tampered = [*log[:-1], attrs.evolve(log[-1], data=log[-1].data.replace(b"VP-01", b"VP-02"))]
    assert audit_log(tampered).ok  # nothing after it to disagree: this is what heads are for
    report = audit_log(tampered, checkpoint_of(log))
    assert located(report) == (log[target].project_code, log[target].version)
    kinds = {f.kind for f in report.findings}
    assert kinds == {K.MODIFIED, K.CHECKPOINT_MISMATCH}


def test_a_deleted_record_is_named_by_project_version_and_position() -> None:
    log = portfolio()
    gone = log[7]
    report = audit_log([*log[:7], *log[8:]], checkpoint_of(log))
    first = report.first
    assert first is not None and first.kind is K.DELETED
    assert (first.project_code, first.version, first.position) == (
        gone.project_code,
        gone.version,
        gone.position,
    )


def test_a_deleted_record_with_everything_renumbered_needs_the_checkpoint_to_be_named() -> None:
    """Without positions or versions missing, a deletion and a change of the record before it
    break the same link; the signed head (found at a lower version) tells them apart."""
    log = portfolio()
    gone = log[3]  # DA-0001 version 2
    tampered = renumber([*log[:3], *log[4:]])
    report = audit_log(tampered, checkpoint_of(log))
    assert report.first is not None and report.first.kind is K.DELETED
    assert located(report) == (gone.project_code, gone.version)
    unsigned = audit_log(tampered)
    assert unsigned.first is not None and unsigned.first.project_code == gone.project_code
    assert unsigned.first.version in (gone.version - 1, gone.version)


def test_two_records_of_a_project_swapped_are_reported_as_reordered() -> None:
    log = portfolio()
    a, b = 3, 6  # DA-0001 versions 2 and 3
    assert log[a].project_code == log[b].project_code
    swapped = list(log)
    swapped[a] = attrs.evolve(log[a], data=log[b].data, type_name=log[b].type_name)
    swapped[b] = attrs.evolve(log[b], data=log[a].data, type_name=log[a].type_name)
    report = audit_log(swapped)
    assert report.first is not None and report.first.kind is K.REORDERED
    assert located(report) == (log[a].project_code, log[a].version)


def swap_positions(log: list[StoredRecord], i: int, j: int) -> list[StoredRecord]:
    """Rows ``i`` and ``j`` exchange their global positions (as ``UPDATE ... SET rowid``
    would): the bytes are intact, only the order of the log changes."""
    moved = list(log)
    moved[i] = attrs.evolve(log[i], position=log[j].position)
    moved[j] = attrs.evolve(log[j], position=log[i].position)
    return sorted(moved, key=lambda r: r.position)


def test_rows_of_two_projects_swapped_by_position_are_reordered_not_deleted() -> None:
    log = portfolio()
    i = next(n for n, r in enumerate(log) if (r.project_code, r.version) == ("DA-0001", 2))
    j = next(
        n
        for n, r in enumerate(log)
        if n > i + 2
        and r.project_code != "DA-0001"
        and any(x.project_code == "DA-0001" for x in log[i + 1 : n])
        and any(x.project_code == r.project_code for x in log[i + 1 : n])
    )
    for checkpoint in (None, checkpoint_of(log)):
        report = audit_log(swap_positions(log, i, j), checkpoint)
        kinds = [(f.kind, f.project_code) for f in report.findings if f.project_code]
        assert (K.REORDERED, "DA-0001") in kinds and (K.REORDERED, log[j].project_code) in kinds
        assert K.DELETED not in {f.kind for f in report.findings}, report.findings
        positions = [f.position for f in report.findings if f.position is not None]
        assert positions == sorted(positions) and len(positions) == 2


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_two_rows_swapped_by_position_are_never_called_deleted(data: st.DataObject) -> None:
    log = data.draw(histories())
    if len({r.project_code for r in log}) < 2:
        return
    i = data.draw(st.integers(min_value=0, max_value=len(log) - 1), label="first")
    j = data.draw(
        st.integers(min_value=0, max_value=len(log) - 1).filter(
            lambda n: log[n].project_code != log[i].project_code
        ),
        label="second",
    )
    tampered = swap_positions(log, i, j)
    report = audit_log(tampered, checkpoint_of(log))
    assert not report.ok  # the signed root moved, at least
    assert {f.kind for f in report.findings} <= {K.REORDERED, K.CHECKPOINT_MISMATCH}
    keys = [f.sort_key for f in report.findings]
    assert keys == sorted(keys)
    moved = {
        code
        for code in {log[i].project_code, log[j].project_code}
        if [r.version for r in tampered if r.project_code == code]
        != sorted(r.version for r in tampered if r.project_code == code)
    }
    assert moved == {f.project_code for f in report.findings if f.kind is K.REORDERED}


def test_payloads_swapped_between_projects_are_misfiled() -> None:
    log = portfolio()
    swapped = list(log)
    swapped[1] = attrs.evolve(log[1], data=log[2].data)
    swapped[2] = attrs.evolve(log[2], data=log[1].data)
    report = audit_log(swapped)
    assert report.first is not None and report.first.kind is K.MISFILED
    assert located(report) == (log[1].project_code, log[1].version)


def test_a_forged_record_inserted_with_a_correct_looking_prev_is_found() -> None:
    log = portfolio()
    victim = log[0]  # DA-0001 version 1; its version 2 is log[3]
    forged = forged_delay(victim.project_code, victim.hash)
    tampered = renumber([log[0], forged, *log[1:]])
    for checkpoint in (None, checkpoint_of(log)):
        report = audit_log(tampered, checkpoint)
        assert report.first is not None and report.first.kind is K.INSERTED
        assert located(report) == (victim.project_code, 2)
        assert report.first.position == 2


def test_a_forged_append_that_breaks_the_chain_is_told_apart_by_the_checkpoint() -> None:
    log = portfolio()
    last = log[-1]
    forged = attrs.evolve(
        forged_delay(last.project_code, "ab" * 32),
        version=last.version + 1,
        position=len(log) + 1,
    )
    without = audit_log([*log, forged])
    assert without.first is not None and without.first.kind is K.BROKEN_LINK
    assert located(without) == (last.project_code, last.version + 1)
    report = audit_log([*log, forged], checkpoint_of(log))
    assert report.first is not None and report.first.kind is K.INSERTED
    assert located(report) == (last.project_code, last.version + 1)


def test_a_forged_append_with_a_correct_prev_is_only_unsigned() -> None:
    log = portfolio()
    last = log[-1]
    forged = attrs.evolve(
        forged_delay(last.project_code, last.hash), version=last.version + 1, position=len(log) + 1
    )
    # Indistinguishable from a new fact recorded after the checkpoint, except that nobody
    # signed it: --strict makes that a failure, naming the record.
    assert audit_log([*log, forged], checkpoint_of(log)).ok
    report = audit_log([*log, forged], checkpoint_of(log), strict=True)
    assert report.first is not None and report.first.kind is K.NOT_IN_CHECKPOINT
    assert located(report) == (last.project_code, last.version + 1)


def test_a_truncated_log_names_the_checkpoint_and_every_project_cut_short() -> None:
    log = portfolio()
    report = audit_log(log[:-4], checkpoint_of(log))
    kinds = {f.kind for f in report.findings}
    assert K.TRUNCATED in kinds
    cut = {(f.project_code, f.version) for f in report.findings if f.kind is K.DELETED}
    expected: dict[str, int] = {}
    for rec in log[-4:]:
        expected.setdefault(rec.project_code, rec.version)
    assert cut == set(expected.items())


def test_unreadable_bytes_are_a_finding_not_a_crash() -> None:
    log = portfolio()
    for junk in (b"", b"\xff\xfe", b"null", b'{"data":{}}', log[5].data[:-1]):
        tampered = [*log[:5], attrs.evolve(log[5], data=junk), *log[6:]]
        report = audit_log(tampered, checkpoint_of(log))
        assert report.first is not None and report.first.kind is K.MALFORMED
        assert located(report) == (log[5].project_code, log[5].version)


def test_a_changed_type_column_is_found() -> None:
    log = portfolio()
    tampered = [*log[:4], attrs.evolve(log[4], type_name="dautu.MilestoneMet"), *log[5:]]
    report = audit_log(tampered)
    assert report.first is not None and report.first.kind is K.MODIFIED
    assert located(report) == (log[4].project_code, log[4].version)


def test_a_checkpoint_of_another_log_does_not_match() -> None:
    log = portfolio()
    other = build_log({"Dự-án-04": STREAMS["Dự-án-04"][:2]}, ["Dự-án-04"] * 2)
    report = audit_log(log, checkpoint_of(other))
    assert report.first is not None
    assert K.CHECKPOINT_MISMATCH in {f.kind for f in report.findings}


# --- property: any single mutation of any history is detected and located ---------------------


@st.composite
def histories(draw: st.DrawFn) -> list[StoredRecord]:
    count = draw(st.integers(min_value=1, max_value=len(CODES)))
    codes = CODES[:count]
    lengths = {c: draw(st.integers(min_value=1, max_value=len(STREAMS[c]))) for c in codes}
    order = draw(st.permutations([c for c in codes for _ in range(lengths[c])]))
    return build_log({c: STREAMS[c][: lengths[c]] for c in codes}, order)


MUTATIONS = ("modify", "delete", "swap", "insert", "truncate")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(histories(), st.sampled_from(MUTATIONS), st.data())
def test_every_single_mutation_is_detected_and_located(
    log: list[StoredRecord], mutation: str, data: st.DataObject
) -> None:
    checkpoint = checkpoint_of(log)
    assert audit_log(log, checkpoint, strict=True).ok
    n = len(log)
    index = data.draw(st.integers(min_value=0, max_value=n - 1), label="record")
    target = log[index]
    expected: tuple[str | None, int | None] | None = (target.project_code, target.version)
    if mutation == "modify":
        offset = data.draw(st.integers(min_value=0, max_value=len(target.data) - 1))
        byte = data.draw(
            st.integers(min_value=0, max_value=255).filter(lambda b: b != target.data[offset])
        )
        changed = target.data[:offset] + bytes([byte]) + target.data[offset + 1 :]
        tampered = [*log[:index], attrs.evolve(target, data=changed), *log[index + 1 :]]
    elif mutation == "delete":
        tampered = [*log[:index], *log[index + 1 :]]
    elif mutation == "swap":
        other = data.draw(st.integers(min_value=0, max_value=n - 1).filter(lambda j: j != index))
        if n == 1:
            return
        first, second = sorted((index, other))
        tampered = list(log)
        tampered[first] = attrs.evolve(log[first], data=log[second].data)
        tampered[second] = attrs.evolve(log[second], data=log[first].data)
        expected = (log[first].project_code, log[first].version)
    elif mutation == "insert":
        code = target.project_code
        before = [r for r in log[:index] if r.project_code == code]
        prev = before[-1].hash if before else "0" * 64
        forged = forged_delay(code, prev, text=f"Giả mạo {index}")
        tampered = renumber([*log[:index], forged, *log[index:]])
        expected = (code, len(before) + 1)
    else:
        cut = data.draw(st.integers(min_value=1, max_value=n), label="records cut")
        tampered = log[: n - cut]
        expected = None
    report = audit_log(tampered, checkpoint, strict=True)
    assert not report.ok, f"{mutation} at {index} went unnoticed"
    if expected is not None:
        assert located(report) == expected, report.findings
    else:
        assert K.TRUNCATED in {f.kind for f in report.findings}


def test_the_head_of_a_stream_read_by_project() -> None:
    log = portfolio()
    stream = [r for r in log if r.project_code == "DA-0002"]
    scanner = LogScanner()
    scanner.feed(log)
    assert stream_head("DA-0002", stream) == scanner.result().heads["DA-0002"]
    assert stream_head("DA-0002", stream[1:]) is None
    assert stream_head("DA-0001", stream) is None
    assert stream_head("DA-0002", [attrs.evolve(stream[0], type_name="x"), *stream[1:]]) is None
    assert stream_head("DA-0002", [stream[0], stream[2]]) is None
    assert stream_head("DA-0002", []) is None


def test_records_from_several_pages_verify_like_one() -> None:
    log = portfolio()
    whole = LogScanner()
    whole.feed(log)
    paged = LogScanner()
    for start in range(0, len(log), 4):
        paged.feed(log[start : start + 4])
    assert whole.result() == paged.result()


def test_a_missing_position_is_a_deletion_unless_holes_are_allowed() -> None:
    """The builtin stores keep positions gap-free: a hole is a deletion, located by the record
    after it; ``allow_gaps`` (a backend whose sequence may keep the number of a rolled-back
    insert) makes it a note."""
    log = [attrs.evolve(r, position=r.position + (r.position > 6)) for r in portfolio()]
    after = next(r for r in log if r.position == 8)
    default = audit_log(log)
    assert not default.ok and default.first is not None
    assert (default.first.kind, default.first.position) == (K.DELETED, 7)
    assert f"project {after.project_code}, version {after.version}" in default.first.detail_en
    checkpoint = checkpoint_of(log, size=10)
    assert checkpoint.last_position == 11
    report = audit_log(log, checkpoint, allow_gaps=True)
    assert report.ok and [(n.kind, n.position) for n in report.notes] == [(K.GAP, 7)]
    strict = audit_log(log, checkpoint, strict=True, allow_gaps=True)
    assert strict.first is not None and strict.first.kind is K.NOT_IN_CHECKPOINT
    later = [attrs.evolve(r, position=r.position + (r.position > 13)) for r in log]
    strict = audit_log(later, checkpoint, strict=True, allow_gaps=True)
    assert K.GAP in {f.kind for f in strict.findings}  # a hole after the signed records
    assert audit_log(later, checkpoint, allow_gaps=True).ok


def test_deleting_a_projects_last_record_without_a_checkpoint_is_found() -> None:
    """Without a checkpoint the chain cannot miss a project's last record; the hole in the
    positions it leaves can."""
    log = portfolio()
    last = max((r for r in log if r.position < len(log)), key=lambda r: (r.version, r.position))
    assert not any(r.project_code == last.project_code and r.version > last.version for r in log)
    report = audit_log([r for r in log if r is not last])
    assert not report.ok and report.first is not None
    assert (report.first.kind, report.first.position) == (K.DELETED, last.position)


def test_records_renumbered_under_a_checkpoint_do_not_match_it() -> None:
    log = portfolio()
    shifted = [attrs.evolve(r, position=r.position + 1) for r in log]
    report = audit_log(shifted, checkpoint_of(log))
    assert K.CHECKPOINT_MISMATCH in {f.kind for f in report.findings}


@pytest.mark.parametrize("size", [0, 1, 7])
def test_checkpoint_of_a_prefix_matches_the_prefix(size: int) -> None:
    log = portfolio()
    report = audit_log(log, checkpoint_of(log, size=size))
    assert report.ok and report.uncovered == len(log) - size
