"""Read commands read: a store opened read-only is never created, changed or given side files.

Why these tests compare directory listings, sizes, modification times and hashes rather than
rely on ``chmod``: CI runs as root, for whom a ``chmod -R a-w`` copy is still writable. What
keeps a copy untouched is the read-only open itself (SQLite ``mode=ro``, ``immutable=1`` when
no ``-wal`` file is beside it, ``default_transaction_read_only`` on PostgreSQL), so that is what
is checked, on a ``chmod -R a-w`` copy as auditors receive it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest
from eventsourcing.persistence import PersistenceError

from adapters.samples import approve, delay
from dautu_adapters.cli.main import main
from dautu_adapters.review.projection import catch_up
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import StorageError, open_store
from dautu_core.errors import DautuError
from dautu_core.projections import PortfolioProjection


def _fill(url: str, codes: tuple[str, ...] = ("DA-RO-1", "DA-RO-2")) -> None:
    with ProjectService.open(url) as service:
        for code in codes:
            service.execute(approve(code))
            service.execute(delay(code))


def _snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file of ``folder``: size, modification time (ns) and SHA-256."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            out[str(path.relative_to(folder))] = (
                len(data),
                path.stat().st_mtime_ns,
                hashlib.sha256(data).hexdigest(),
            )
    return out


def _read_only_copy(source: Path, folder: Path) -> Path:
    """A copy of the store file in ``folder``, every write bit removed (``chmod -R a-w``)."""
    folder.mkdir()
    copy = folder / source.name
    shutil.copy2(source, copy)
    for path in (copy, folder):
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return copy


@pytest.fixture
def audited(tmp_path: Path) -> Path:
    """A SQLite store with two projects, copied into a read-only folder."""
    original = tmp_path / "dautu.db"
    _fill(f"sqlite:///{original}")
    copy = _read_only_copy(original, tmp_path / "handed-over")
    yield copy
    copy.parent.chmod(0o755)


def test_read_commands_leave_a_read_only_copy_exactly_as_it_was(
    audited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{audited}"
    before = _snapshot(audited.parent)
    assert list(before) == ["dautu.db"]
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["review"],
        ["review", "--summary"],
        ["review", "--format", "json"],
        ["verify"],
        ["history", "DA-RO-1"],
        ["explain", "DA-RO-1"],
        ["checkpoint", "--unsigned", "--out", str(out / "cp.json")],
        ["export", "review-json", "--out", str(out / "review.json")],
        ["export", "audit-bundle", "--project", "DA-RO-1", "--out", str(out / "bundle")],
    ]
    for argv in commands:
        assert main(["--store", url, *argv]) == 0, argv
        capsys.readouterr()
        assert _snapshot(audited.parent) == before, argv


def test_a_read_only_store_refuses_writes_before_touching_the_file(audited: Path) -> None:
    before = _snapshot(audited.parent)
    with open_store(f"sqlite:///{audited}", read_only=True) as store:
        assert store.read_only  # type: ignore[attr-defined]
        assert store.project_codes() == ["DA-RO-1", "DA-RO-2"]
        service = ProjectService(store)
        assert service.load("DA-RO-1").version == 2
        with pytest.raises(StorageError) as refused:
            service.execute(approve("DA-RO-3"))
        assert refused.value.rule_id == "store_read_only"
        assert refused.value.project_code == "DA-RO-3"
        assert "reading only" in str(refused.value) and "chỉ để đọc" in str(refused.value)
        with pytest.raises(StorageError, match="reading only"):
            store.save_checkpoint("x", 1, b"{}")
    assert _snapshot(audited.parent) == before


def test_the_stored_projection_is_used_and_not_written_when_read_only(tmp_path: Path) -> None:
    path = tmp_path / "dautu.db"
    url = f"sqlite:///{path}"
    _fill(url)
    with open_store(url) as store:
        saved = catch_up(store)
        assert saved.rebuilt and store.load_projection(PortfolioProjection().name)[1]
    _fill(url, ("DA-RO-3",))  # the log has moved on since the projection was saved
    before = _snapshot(tmp_path)
    with open_store(url, read_only=True) as store:
        first = catch_up(store)
        # used: the fold starts at the stored position, not at 0
        assert not first.rebuilt and first.start_position == saved.portfolio.position
        assert first.portfolio.position == store.max_position()
        # not written: the next read starts from the same stored position again
        assert catch_up(store).start_position == saved.portfolio.position
    assert _snapshot(tmp_path) == before


def test_a_read_only_open_reads_what_a_live_writer_has_not_checkpointed(tmp_path: Path) -> None:
    """With a writer holding the store open (a ``-wal`` file beside it), the read-only open
    reads the write-ahead log too: nothing committed is missed."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    with ProjectService.open(url) as writer:
        writer.execute(approve("DA-LIVE"))
        assert (tmp_path / "live.db-wal").exists()
        with ProjectService.open(url, read_only=True) as reader:
            assert reader.load("DA-LIVE").version == 1
            writer.execute(delay("DA-LIVE"))
            assert reader.load("DA-LIVE").version == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["review"],
        ["review", "--summary"],
        ["verify"],
        ["history", "DA-1"],
        ["diff", "DA-1", "--from", "2024-01-01", "--to", "2024-02-01"],
        ["explain", "DA-1"],
        ["export", "review-json", "--out", "r.json"],
    ],
)
def test_a_read_command_on_a_missing_store_names_the_url_and_creates_nothing(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'nowhere.db'}"
    assert main(["--store", url, *argv]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert url in err and "does not exist" in err and "không tồn tại" in err
    assert list(tmp_path.iterdir()) == []


def test_the_default_store_is_not_created_by_a_read_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAUTU_STORE", raising=False)
    assert main(["--store", "", "review"]) == 1
    assert "sqlite:///dautu.db" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_file_without_dautu_tables_is_not_a_store_for_reading(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(StorageError) as missing:
        open_store(f"sqlite:///{empty}", read_only=True)
    assert missing.value.rule_id == "store_missing" and "stored_events" in str(missing.value)
    with pytest.raises(StorageError, match="not a file"):
        open_store(f"sqlite:///{tmp_path}", read_only=True)
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"] and empty.stat().st_size == 0


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path, read_only: bool) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are meeting notes, not a database\n" * 200)
    with pytest.raises(StorageError) as refused:
        open_store(f"sqlite:///{junk}", read_only=read_only)
    message = str(refused.value)
    assert refused.value.rule_id == "store_not_database"
    assert "not an SQLite database" in message and "không phải là cơ sở dữ liệu" in message
    assert "\n" not in message and str(junk) in message


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="as root (CI) a file without write bits is still writable: the refusal cannot occur",
)
def test_writing_to_a_read_only_file_is_one_clear_line(audited: Path) -> None:
    with pytest.raises(DautuError) as refused, ProjectService.open(f"sqlite:///{audited}") as s:
        s.execute(approve("DA-RO-3"))
    message = str(refused.value)
    assert "\n" not in message and "read-only" in message and "chỉ cho phép đọc" in message


def test_postgres_read_only_creates_nothing_and_refuses_writes(postgres_url: str) -> None:
    import psycopg

    server, _, query = postgres_url.partition("?")
    schema = query.removeprefix("schema=")

    def tables() -> set[str]:
        with psycopg.connect(server) as conn:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchall()
        return {row[0] for row in rows}

    with pytest.raises(StorageError) as missing:
        open_store(postgres_url, read_only=True)
    assert missing.value.rule_id == "store_missing" and schema in str(missing.value)
    assert tables() == set()
    _fill(postgres_url)
    made = tables()
    with open_store(postgres_url, read_only=True) as store:
        assert store.project_codes() == ["DA-RO-1", "DA-RO-2"]
        assert catch_up(store).rebuilt
        with pytest.raises(StorageError, match="reading only"):
            ProjectService(store).execute(approve("DA-RO-3"))
        # the server refuses writes on these sessions too, whatever dautu would do
        datastore = store.recorder.datastore  # type: ignore[attr-defined]
        with (
            pytest.raises(PersistenceError, match="read-only transaction"),
            datastore.transaction(commit=True) as cursor,
        ):
            cursor.execute(f'CREATE TABLE "{schema}".intruder (x int)')
    assert tables() == made
    with open_store(postgres_url) as store:
        assert store.load_projection(PortfolioProjection().name) == (0, None)
