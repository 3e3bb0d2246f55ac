"""``LogScanner.feed_rows`` (plain rows, what ``audit_store`` feeds) computes exactly what
``LogScanner.feed`` computes from records: on intact and on tampered logs, in any paging, with
or without a checkpoint, the same scan and therefore the same findings at the same places.

Why: the stores hand verification plain rows; a difference between the two entry points would
make ``dautu verify`` on a store judge differently from ``audit_log`` on the same records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.test_verify import CODES, STREAMS, checkpoint_of, forged_delay, histories
from dautu_core.audit import AuditReport, Checkpoint, LogScan, LogScanner, finish_audit
from dautu_core.record import GENESIS, RecordRow, StoredRecord

TAMPERINGS = (
    "none",
    "modify",
    "delete",
    "swap_data",
    "swap_positions",
    "insert",
    "truncate",
    "retype",
    "reversion",
    "reposition",
    "misfile",
)


def tamper(log: list[StoredRecord], how: str, data: st.DataObject) -> list[StoredRecord]:
    """``log`` changed once, the way a database administrator could change its rows."""
    n = len(log)
    i = data.draw(st.integers(min_value=0, max_value=n - 1), label="record")
    j = data.draw(st.integers(min_value=0, max_value=n - 1), label="other record")
    target = log[i]
    out = list(log)
    if how == "modify":
        offset = data.draw(st.integers(min_value=0, max_value=len(target.data) - 1))
        byte = data.draw(st.integers(min_value=0, max_value=255))
        changed = target.data[:offset] + bytes([byte]) + target.data[offset + 1 :]
        out[i] = attrs.evolve(target, data=changed)
    elif how == "delete":
        del out[i]
    elif how == "swap_data":
        out[i] = attrs.evolve(target, data=log[j].data, type_name=log[j].type_name)
        out[j] = attrs.evolve(log[j], data=target.data, type_name=target.type_name)
    elif how == "swap_positions":
        out[i], out[j] = out[j], out[i]
    elif how == "insert":
        before = [r for r in log[:i] if r.project_code == target.project_code]
        prev = before[-1].hash if before else GENESIS
        forged = forged_delay(target.project_code, prev)
        out.insert(i, attrs.evolve(forged, version=len(before) + 1, position=target.position))
    elif how == "truncate":
        out = out[:i]
    elif how == "retype":
        out[i] = attrs.evolve(target, type_name=data.draw(st.sampled_from(["dautu.X", "", "é"])))
    elif how == "reversion":
        out[i] = attrs.evolve(target, version=data.draw(st.integers(min_value=0, max_value=9)))
    elif how == "reposition":
        out[i] = attrs.evolve(target, position=data.draw(st.integers(min_value=0, max_value=40)))
    elif how == "misfile":
        code = data.draw(st.sampled_from([*CODES, "KHÁC-9"]))
        out[i] = attrs.evolve(target, project_code=code)
    return out


def pages(
    items: Sequence[StoredRecord], data: st.DataObject, label: str
) -> list[list[StoredRecord]]:
    """``items`` cut into pages of drawn sizes, between empty pages (as a store may give)."""
    out: list[list[StoredRecord]] = [[]]
    start = 0
    while start < len(items):
        size = data.draw(st.integers(min_value=1, max_value=6), label=label)
        out.append(list(items[start : start + size]))
        start += size
    return [*out, []]


def rows_of(page: Sequence[StoredRecord]) -> Iterator[RecordRow]:
    """The page as a store's plain rows, given as a one-pass iterator."""
    return iter([(r.project_code, r.version, r.position, r.type_name, r.data) for r in page])


def scan_both(
    log: list[StoredRecord], size: int | None, data: st.DataObject
) -> tuple[tuple[LogScan, list[bytes] | None], tuple[LogScan, list[bytes] | None]]:
    by_records = LogScanner(size, keep_leaves=True)
    for page in pages(log, data, "record page"):
        by_records.feed(page)
    by_rows = LogScanner(size, keep_leaves=True)
    for page in pages(log, data, "row page"):
        by_rows.feed_rows(rows_of(page))
    return (by_records.result(), by_records.leaves), (by_rows.result(), by_rows.leaves)


def report_of(
    scan: LogScan, log: list[StoredRecord], checkpoint: Checkpoint | None, strict: bool
) -> AuditReport:
    wanted = scan.codes_to_diagnose(checkpoint)
    streams = {code: [r for r in log if r.project_code == code] for code in wanted}
    return finish_audit(scan, streams, checkpoint, strict=strict)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(histories(), st.sampled_from(TAMPERINGS), st.booleans(), st.booleans(), st.data())
def test_rows_and_records_scan_alike(
    log: list[StoredRecord], how: str, signed: bool, strict: bool, data: st.DataObject
) -> None:
    checkpoint, size = None, None
    if signed:
        size = data.draw(st.integers(min_value=0, max_value=len(log)), label="checkpoint size")
        checkpoint = checkpoint_of(log, size)
    tampered = tamper(log, how, data)
    (scan, leaves), (row_scan, row_leaves) = scan_both(tampered, size, data)
    assert row_scan == scan
    assert row_leaves == leaves
    report = report_of(scan, tampered, checkpoint, strict)
    assert report_of(row_scan, tampered, checkpoint, strict) == report
    if how == "none" and not (strict and checkpoint is not None and report.uncovered):
        assert report.ok, report.findings


def test_the_property_sees_tampering_found_and_located() -> None:
    """The comparison above is not between two blind scans: a changed byte is found through
    rows at its record, as through records."""
    log = histories_example()
    target = log[4]
    changed = attrs.evolve(target, data=target.data.replace(b'"data":{', b'"data":{ ', 1))
    tampered = [*log[:4], changed, *log[5:]]
    scanner = LogScanner()
    scanner.feed_rows(rows_of(tampered))
    scan = scanner.result()
    assert target.project_code in scan.suspects
    report = report_of(scan, tampered, checkpoint_of(log), strict=True)
    assert report.first is not None
    assert (report.first.project_code, report.first.version, report.first.position) == (
        target.project_code,
        target.version,
        target.position,
    )


def histories_example() -> list[StoredRecord]:
    from audit.samples import build_log, round_robin

    return build_log(STREAMS, round_robin(STREAMS))
