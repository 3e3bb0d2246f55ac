"""A stored projection is a cache: editing it in the database never changes the review."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dautu_adapters.cli.main import main
from dautu_adapters.review.projection import catch_up, check_projection
from dautu_adapters.stores import open_store
from dautu_core.projections import PortfolioProjection

NAME = PortfolioProjection().name
EXPECTED = {
    "terminate": 4,
    "resolve_violation_then_adjust": 18,
    "complete_procedures": 42,
    "land_environment_violation": 6,
    "mineral_rights_auction": 3,
    "district_authority": 5,
}


def _counts(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, int]:
    argv = ["--store", url, "review", "--as-of", "2024-02-21", "--format", "json", *extra]
    assert main(argv) == 0
    counts: dict[str, int] = json.loads(capsys.readouterr().out)["counts"]
    return {k: n for k, n in counts.items() if n}


def _tamper(db: Path, old: bytes, new: bytes, times: int) -> None:
    with sqlite3.connect(db) as connection:
        (blob,) = connection.execute(
            "SELECT state FROM dautu_projections WHERE name = ?", (NAME,)
        ).fetchone()
        assert blob.count(old) >= times
        connection.execute(
            "UPDATE dautu_projections SET state = ? WHERE name = ?",
            (bytes(blob).replace(old, new, times), NAME),
        )


def test_an_edited_stored_projection_is_not_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dautu.db"
    url = f"sqlite:///{db}"
    assert main(["--store", url, "demo"]) == 0
    capsys.readouterr()
    assert _counts(url, capsys) == EXPECTED
    store = open_store(url)
    try:
        assert check_projection(store) == []
    finally:
        store.close()

    # three minerals violations turned into construction ones, the log untouched
    _tamper(db, b'"category":"minerals"', b'"category":"construction"', 3)
    store = open_store(url)
    try:
        findings = check_projection(store)
    finally:
        store.close()
    assert findings and any("digest" in f for f in findings)
    assert any("differs from its rebuild" in f for f in findings)
    assert _counts(url, capsys, "--rebuild") == EXPECTED
    _tamper(db, b'"category":"minerals"', b'"category":"construction"', 3)
    assert _counts(url, capsys) == EXPECTED


def test_a_checkpoint_over_another_log_is_rebuilt(tmp_path: Path) -> None:
    one = open_store("memory://")
    other = open_store("memory://")
    from dautu_adapters.service import ProjectService
    from review.helpers import approve

    ProjectService(one).execute_batch([approve(code="DA-1"), approve(code="DA-2")])
    ProjectService(other).execute_batch([approve(code="DA-1"), approve(code="DA-3")])
    catch_up(one)
    position, blob = one.load_projection(NAME)
    assert blob is not None
    other.save_checkpoint(NAME, position, blob)  # same position, a different record there

    assert any("not the one the checkpoint was folded over" in f for f in check_projection(other))
    again = catch_up(other)
    assert again.rebuilt and set(again.portfolio.timelines) == {"DA-1", "DA-3"}
    assert check_projection(other) == []


def test_a_projection_folded_by_another_extraction_is_rebuilt() -> None:
    from dautu_adapters.review.projection import _seal
    from dautu_adapters.service import ProjectService
    from dautu_core.projections import portfolio
    from dautu_core.review.timeline import EXTRACTION_VERSION
    from review.helpers import approve

    assert f"{portfolio.LAYOUT}.{EXTRACTION_VERSION}" == portfolio.FORMAT
    assert f"dautu.portfolio.v{portfolio.FORMAT}" == NAME
    store = open_store("memory://")
    ProjectService(store).execute_batch([approve(code="DA-1")])
    fresh = catch_up(store)
    old = fresh.portfolio.to_bytes().replace(
        f'"format":"{portfolio.FORMAT}"'.encode(), b'"format":"1.1"'
    )
    record = store.read_log(after_position=0, limit=1)[0]
    store.save_checkpoint(NAME, 1, _seal(old, 1, record.hash, 1))

    assert catch_up(store).rebuilt


def test_dautu_verify_fails_on_an_edited_stored_projection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dautu verify` recomputes everything, the stored read models included."""
    db = tmp_path / "dautu.db"
    url = f"sqlite:///{db}"
    assert main(["--store", url, "demo"]) == 0
    assert main(["--store", url, "review"]) == 0
    assert main(["--store", url, "verify"]) == 3  # intact, not authenticated (no checkpoint)
    capsys.readouterr()
    _tamper(db, b'"category":"minerals"', b'"category":"construction"', 3)
    assert main(["--store", url, "--lang", "en", "verify"]) == 1
    assert "does not match the log" in capsys.readouterr().out
