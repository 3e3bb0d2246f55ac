"""On a tampered SQLite or PostgreSQL store, verification through the store's plain rows
(``read_log_rows`` and ``LogScanner.feed_rows``, what ``audit_store`` uses) finds exactly what
verification through its records (``read_log`` and ``LogScanner.feed``) finds, at the same
places."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest

from audit.test_store_tamper import CODES, Scene
from audit.test_verify import forged_delay
from dautu_adapters.audit import audit_store
from dautu_adapters.stores import open_store
from dautu_core.audit import LogScanner
from dautu_core.record import StoredRecord


class RecordsOnly:
    """A store without ``read_log_rows``: ``audit_store`` then reads ``read_log``'s records."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name == "read_log_rows":
            raise AttributeError(name)
        return getattr(self._store, name)


def modify(scene: Scene) -> None:
    target = scene.record("DA-0002", 2)
    state = scene.rows.state(target.position)
    scene.rows.set_state(target.position, state.replace(b"construction_start", b"construction_x"))


def unreadable(scene: Scene) -> None:
    target = scene.record("DA-0001", 3)
    scene.rows.set_state(target.position, b"X" + scene.rows.state(target.position)[1:])


def swap_states(scene: Scene) -> None:
    a, b = scene.record("DA-0001", 2), scene.record("DA-0002", 3)
    state_a, state_b = scene.rows.state(a.position), scene.rows.state(b.position)
    scene.rows.set_state(a.position, state_b)
    scene.rows.set_state(b.position, state_a)


def forge(scene: Scene) -> None:
    last = scene.record("DA-0003", 5)
    forged = forged_delay("DA-0003", last.hash)
    scene.rows.insert("DA-0003", 6, forged.type_name, forged.data)


TAMPERINGS: dict[str, Callable[[Scene], None]] = {
    "none": lambda scene: None,
    "modify": modify,
    "unreadable": unreadable,
    "delete": lambda scene: scene.rows.delete(scene.record("DA-0001", 2).position),
    "delete last": lambda scene: scene.rows.delete(scene.record("DA-0003", 5).position),
    "swap states": swap_states,
    "swap positions": lambda scene: scene.rows.swap_positions(
        scene.record("DA-0001", 2).position, scene.record("DA-0002", 3).position
    ),
    "relabel": lambda scene: scene.rows.relabel("DA-0002", uuid4()),
    "move last row": lambda scene: scene.rows.move_row(
        scene.record("DA-0001", 5).position, uuid4()
    ),
    "forge": forge,
}


@pytest.mark.parametrize("how", list(TAMPERINGS))
def test_rows_and_records_verify_a_store_alike(scene: Scene, how: str) -> None:
    TAMPERINGS[how](scene)
    store = open_store(scene.url)
    try:
        if how != "unreadable":
            records: list[StoredRecord] = store.read_log()
            rows = store.read_log_rows()  # type: ignore[attr-defined]
            assert [StoredRecord(*row) for row in rows] == records
            by_records, by_rows = (
                LogScanner(scene.checkpoint.log_size),
                LogScanner(scene.checkpoint.log_size),
            )
            by_records.feed(records)
            by_rows.feed_rows(rows)
            assert by_rows.result() == by_records.result()
        for checkpoint in (None, scene.checkpoint):
            for strict in (False, True):
                fast = audit_store(store, checkpoint, scene.key.public_key(), strict=strict)
                slow = audit_store(
                    RecordsOnly(store), checkpoint, scene.key.public_key(), strict=strict
                )
                assert fast.report == slow.report
                assert fast.scan == slow.scan
                if how == "none" or (checkpoint is not None and strict):
                    assert fast.report.ok is (how == "none"), fast.report.findings
    finally:
        store.close()
    assert set(CODES) == {"DA-0001", "DA-0002", "DA-0003"}
