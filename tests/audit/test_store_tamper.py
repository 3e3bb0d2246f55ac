"""Tampering with the stored rows directly, in SQLite and PostgreSQL, the way a database
administrator could: every change is detected and located (project code and version)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.samples import project_commands
from audit.test_bundle import independent_check
from audit.test_verify import forged_delay
from dautu_adapters.audit import audit_store, make_checkpoint
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store, stream_id
from dautu_core.audit import Checkpoint, FindingKind
from dautu_core.record import StoredRecord

K = FindingKind
CODES = ("DA-0001", "DA-0002", "DA-0003")


class Rows(Protocol):
    """Raw access to the store's eventsourcing table, by global position."""

    def state(self, position: int) -> bytes: ...
    def set_state(self, position: int, state: bytes) -> None: ...
    def delete(self, position: int) -> None: ...
    def insert(self, code: str, version: int, topic: str, state: bytes) -> None: ...
    def swap_positions(self, a: int, b: int) -> None: ...
    def relabel(self, code: str, stream: UUID) -> None: ...
    def move_row(self, position: int, stream: UUID) -> None: ...


class SQLiteRows:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _run(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        with sqlite3.connect(self.path) as con:
            rows = con.execute(sql, params).fetchall()
        con.close()
        return rows

    def state(self, position: int) -> bytes:
        return bytes(self._run("SELECT state FROM stored_events WHERE rowid=?", (position,))[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self._run("UPDATE stored_events SET state=? WHERE rowid=?", (state, position))

    def delete(self, position: int) -> None:
        self._run("DELETE FROM stored_events WHERE rowid=?", (position,))

    def insert(self, code: str, version: int, topic: str, state: bytes) -> None:
        self._run(
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?)",
            (stream_id(code).hex, version, topic, state),
        )

    def swap_positions(self, a: int, b: int) -> None:
        with sqlite3.connect(self.path) as con:
            con.execute("UPDATE stored_events SET rowid=-1 WHERE rowid=?", (a,))
            con.execute("UPDATE stored_events SET rowid=? WHERE rowid=?", (a, b))
            con.execute("UPDATE stored_events SET rowid=? WHERE rowid=-1", (b,))
        con.close()

    def relabel(self, code: str, stream: UUID) -> None:
        self._run(
            "UPDATE stored_events SET originator_id=? WHERE originator_id=?",
            (stream.hex, stream_id(code).hex),
        )

    def move_row(self, position: int, stream: UUID) -> None:
        self._run("UPDATE stored_events SET originator_id=? WHERE rowid=?", (stream.hex, position))


class PostgresRows:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.server = url.partition("?")[0]
        self.table = f'"{parse_qs(parts.query)["schema"][0]}".stored_events'

    def _run(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as con:
            cursor = con.execute(sql.format(table=self.table), params)
            return cursor.fetchall() if cursor.description else []

    def state(self, position: int) -> bytes:
        rows = self._run("SELECT state FROM {table} WHERE notification_id=%s", (position,))
        return bytes(rows[0][0])

    def set_state(self, position: int, state: bytes) -> None:
        self._run("UPDATE {table} SET state=%s WHERE notification_id=%s", (state, position))

    def delete(self, position: int) -> None:
        self._run("DELETE FROM {table} WHERE notification_id=%s", (position,))

    def insert(self, code: str, version: int, topic: str, state: bytes) -> None:
        self._run(
            "INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)",
            (stream_id(code), version, topic, state),
        )

    def swap_positions(self, a: int, b: int) -> None:
        for sql, params in (
            ("UPDATE {table} SET notification_id=-1 WHERE notification_id=%s", (a,)),
            ("UPDATE {table} SET notification_id=%s WHERE notification_id=%s", (a, b)),
            ("UPDATE {table} SET notification_id=%s WHERE notification_id=-1", (b,)),
        ):
            self._run(sql, params)

    def relabel(self, code: str, stream: UUID) -> None:
        self._run(
            "UPDATE {table} SET originator_id=%s WHERE originator_id=%s", (stream, stream_id(code))
        )

    def move_row(self, position: int, stream: UUID) -> None:
        self._run(
            "UPDATE {table} SET originator_id=%s WHERE notification_id=%s", (stream, position)
        )


class Scene:
    """A store with three interleaved projects, a signed checkpoint of it, and raw rows."""

    def __init__(self, url: str, rows: Rows) -> None:
        self.url, self.rows = url, rows
        self.key = Ed25519PrivateKey.generate()
        store = open_store(url)
        service = ProjectService(store)
        streams = {code: project_commands(code) for code in CODES}
        for index in range(5):
            for code in CODES:
                service.execute(streams[code][index])
        self.log: list[StoredRecord] = store.read_log()
        self.checkpoint: Checkpoint = make_checkpoint(
            store, issued_at=datetime(2024, 2, 21, tzinfo=UTC), key=self.key
        )
        store.close()

    def record(self, code: str, version: int) -> StoredRecord:
        return next(r for r in self.log if (r.project_code, r.version) == (code, version))

    def audit(self, *, strict: bool = False) -> Any:
        store = open_store(self.url)
        try:
            return audit_store(store, self.checkpoint, self.key.public_key(), strict=strict)
        finally:
            store.close()

    def first(self, *, strict: bool = False) -> tuple[FindingKind, str | None, int | None]:
        report = self.audit(strict=strict).report
        assert not report.ok
        first = report.first
        return first.kind, first.project_code, first.version


def test_an_untouched_store_verifies(scene: Scene) -> None:
    audited = scene.audit(strict=True)
    assert audited.report.ok, audited.report.findings
    assert audited.report.size == 15 and audited.report.root_hash == scene.checkpoint.root_hash


def test_a_changed_byte_is_located(scene: Scene) -> None:
    target = scene.record("DA-0002", 2)
    state = scene.rows.state(target.position)
    scene.rows.set_state(
        target.position, state.replace(b"construction_start", b"construction_stars")
    )
    assert scene.first() == (K.MODIFIED, "DA-0002", 2)


def test_a_changed_byte_in_a_last_record_is_located(scene: Scene) -> None:
    target = scene.record("DA-0003", 5)
    state = scene.rows.state(target.position)
    scene.rows.set_state(target.position, state.replace("Đã".encode(), b"Da"))
    assert scene.first() == (K.MODIFIED, "DA-0003", 5)


def test_a_row_made_unreadable_is_located(scene: Scene) -> None:
    target = scene.record("DA-0001", 3)
    state = scene.rows.state(target.position)
    scene.rows.set_state(target.position, b"X" + state[1:])
    assert scene.first() == (K.MALFORMED, "DA-0001", 3)


def test_a_deleted_row_is_located(scene: Scene) -> None:
    target = scene.record("DA-0001", 2)
    scene.rows.delete(target.position)
    report = scene.audit().report
    first = report.first
    assert (first.kind, first.project_code, first.version, first.position) == (
        K.DELETED,
        "DA-0001",
        2,
        target.position,
    )


def test_a_deleted_last_row_is_located(scene: Scene) -> None:
    scene.rows.delete(scene.record("DA-0003", 5).position)
    assert scene.first() == (K.DELETED, "DA-0003", 5)


def test_rows_swapped_between_projects_are_located(scene: Scene) -> None:
    a, b = scene.record("DA-0001", 2), scene.record("DA-0002", 3)
    state_a, state_b = scene.rows.state(a.position), scene.rows.state(b.position)
    scene.rows.set_state(a.position, state_b)
    scene.rows.set_state(b.position, state_a)
    assert scene.first() == (K.MISFILED, "DA-0001", 2)


def test_rows_swapped_within_a_project_are_located(scene: Scene) -> None:
    a, b = scene.record("DA-0002", 2), scene.record("DA-0002", 4)
    state_a, state_b = scene.rows.state(a.position), scene.rows.state(b.position)
    scene.rows.set_state(a.position, state_b)
    scene.rows.set_state(b.position, state_a)
    assert scene.first() == (K.REORDERED, "DA-0002", 2)


def test_rows_of_two_projects_swapped_by_position_are_reordered(scene: Scene) -> None:
    """Only the global positions change (``rowid`` / ``notification_id`` exchanged): each
    project still has all its records, in the wrong order; nothing was deleted."""
    a, b = scene.record("DA-0001", 2), scene.record("DA-0002", 3)
    scene.rows.swap_positions(a.position, b.position)
    for checkpoint in (None, scene.checkpoint):
        store = open_store(scene.url)
        try:
            report = audit_store(store, checkpoint, scene.key.public_key()).report
        finally:
            store.close()
        located = [(f.kind, f.project_code, f.position) for f in report.findings if f.project_code]
        # DA-0001 v3 now comes before v2; DA-0002 v3 now comes before v2: in position order.
        assert located == [
            (K.REORDERED, "DA-0002", a.position),
            (K.REORDERED, "DA-0001", scene.record("DA-0001", 3).position),
        ], report.findings
        assert K.DELETED not in {f.kind for f in report.findings}, report.findings


@pytest.mark.parametrize("to", ["a fresh id", "another project's id"])
def test_a_whole_project_moved_to_another_stream_id_is_caught_by_default(
    scene: Scene, to: str
) -> None:
    """Every row of DA-0002 re-filed under another ``originator_id``: the bytes and the log
    are untouched, but the project's stream (what ``history`` reads) is gone. The default
    verification reads each stream's last record, so it sees it without ``--cross-check``."""
    scene.rows.relabel("DA-0002", uuid4() if to == "a fresh id" else stream_id("DA-0009"))
    for checkpoint in (None, scene.checkpoint):
        store = open_store(scene.url)
        try:
            assert store.read_stream("DA-0002") == []
            audited = audit_store(
                store, checkpoint, scene.key.public_key(), strict=True, check_streams=False
            )
        finally:
            store.close()
        report = audited.report
        assert audited.streams_checked == "heads"
        first = report.first
        assert first is not None, "a relabelled stream passed the default verification"
        assert (first.kind, first.project_code, first.version) == (K.MISFILED, "DA-0002", 1)
        assert first.position == scene.record("DA-0002", 1).position


def test_a_last_record_moved_to_another_stream_id_is_caught_by_default(scene: Scene) -> None:
    last = scene.record("DA-0001", 5)
    scene.rows.move_row(last.position, uuid4())  # same bytes and position, another stream id
    store = open_store(scene.url)
    try:
        report = audit_store(store, None, check_streams=False).report
    finally:
        store.close()
    assert report.first is not None
    assert (report.first.kind, report.first.project_code, report.first.version) == (
        K.MISFILED,
        "DA-0001",
        5,
    )


def test_a_middle_record_moved_to_another_stream_id_needs_the_cross_check(scene: Scene) -> None:
    """The documented limit of the default: only each stream's last record is compared."""
    scene.rows.move_row(scene.record("DA-0001", 3).position, uuid4())
    store = open_store(scene.url)
    try:
        assert audit_store(store, None, check_streams=False).report.ok
        full = audit_store(store, None).report
    finally:
        store.close()
    assert full.first is not None  # the stream as the store returns it lacks version 3
    assert (full.first.project_code, full.first.version) == ("DA-0001", 3)
    assert full.first.kind in {K.DELETED, K.MISFILED}


def test_a_forged_row_with_a_correct_prev_is_not_in_the_checkpoint(scene: Scene) -> None:
    last = scene.record("DA-0002", 5)
    forged = forged_delay("DA-0002", last.hash)
    scene.rows.insert("DA-0002", 6, forged.type_name, forged.data)
    assert scene.audit().report.ok  # a later fact, as far as the chain can tell...
    assert scene.first(strict=True) == (K.NOT_IN_CHECKPOINT, "DA-0002", 6)  # ...but unsigned


def test_a_forged_row_breaking_the_chain_is_located(scene: Scene) -> None:
    forged = forged_delay("DA-0001", "0" * 64)
    scene.rows.insert("DA-0001", 6, forged.type_name, forged.data)
    assert scene.first() == (K.INSERTED, "DA-0001", 6)


def test_a_row_moved_to_another_project_is_located(scene: Scene) -> None:
    """Only the index changes (the row is re-filed under another project's stream id): the
    bytes are intact, so the log alone looks fine; the per-project streams do not."""
    target = scene.record("DA-0003", 4)
    state = scene.rows.state(target.position)
    scene.rows.delete(target.position)
    scene.rows.insert("DA-0002", 6, target.type_name, state)
    kinds = {(f.kind, f.project_code) for f in scene.audit().report.findings}
    assert (K.DELETED, "DA-0003") in kinds or (K.MISFILED, "DA-0003") in kinds


def test_a_skipped_position_is_not_tampering(tmp_path: Path) -> None:
    """Some backends leave holes in the positions (a database sequence may keep the number of
    a rolled-back insert). With ``allow_gaps`` a hole no chain misses is noted, not reported
    as tampering, and checkpoints and bundles still prove (leaf index = rank, not position).
    By default the hole is a deletion."""
    from dautu_adapters.audit import verify_bundle, write_bundle
    from dautu_core.decider import event_from_command
    from dautu_core.record import GENESIS, make_record

    path = tmp_path / "dautu.db"
    scene = Scene(f"sqlite:///{path}", SQLiteRows(path))
    approval = event_from_command(project_commands("DA-0004")[0])
    with sqlite3.connect(path) as con:
        con.execute(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "VALUES (17, ?, 1, ?, ?)",
            (stream_id("DA-0004").hex, approval.TYPE_NAME, make_record(approval, GENESIS)),
        )
    con.close()
    store = open_store(scene.url)
    try:
        ProjectService(store).execute_batch(project_commands("DA-0004")[1:])
        assert [r.position for r in store.read_log()][14:16] == [15, 17]
        strict = audit_store(store, scene.checkpoint, scene.key.public_key()).report
        assert strict.first is not None and (strict.first.kind, strict.first.position) == (
            K.DELETED,
            16,
        )
        assert "project DA-0004, version 1" in strict.first.detail_en
        report = audit_store(
            store, scene.checkpoint, scene.key.public_key(), allow_gaps=True
        ).report
        assert report.ok and [(n.kind, n.position) for n in report.notes] == [(K.GAP, 16)]
        fresh = make_checkpoint(
            store, issued_at=datetime(2024, 3, 1, tzinfo=UTC), key=scene.key, allow_gaps=True
        )
        assert (fresh.log_size, fresh.last_position) == (20, 21)
        assert audit_store(
            store, fresh, scene.key.public_key(), strict=True, allow_gaps=True
        ).report.ok
        folder = tmp_path / "bundle"
        write_bundle(
            store,
            "DA-0004",
            folder,
            issued_at=fresh.issued_at,
            checkpoint=fresh,
            public_key=scene.key.public_key(),
            allow_gaps=True,
        )
    finally:
        store.close()
    bundle = verify_bundle(folder, scene.key.public_key())
    assert bundle.ok and bundle.covered == 5, bundle.findings
    assert independent_check(folder, scene.key.public_key())
