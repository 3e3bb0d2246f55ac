"""``dautu copy`` end to end on real SQLite files and a real PostgreSQL server: the target
verifies against a checkpoint signed on the source, a copy killed in the middle resumes, a
target that is not a prefix is refused with nothing written."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from copy_samples import append_in_order, large_log, log_of
from terminal import on_terminal

from dautu_adapters.audit import generate_key, make_checkpoint, write_checkpoint
from dautu_adapters.audit.keys import load_private_key
from dautu_adapters.cli.main import main
from dautu_adapters.copying import check_prefix
from dautu_adapters.review.projection import catch_up
from dautu_adapters.stores import Store, open_store
from dautu_core.projections import PortfolioProjection

PORTFOLIO = PortfolioProjection().name

DAUTU = str(Path(sys.executable).with_name("dautu"))
Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def go(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return go


@pytest.fixture(params=["sqlite", "postgresql"])
def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'target.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def demo(run: Run, url: str, seed: int | None = None) -> None:
    code, out = run("--store", url, "demo", *(["--seed", str(seed)] if seed is not None else []))
    assert code == 0, out


def signed_checkpoint(run: Run, url: str, folder: Path) -> tuple[str, str]:
    key, cp = folder / "so-tai-chinh.pem", folder / "checkpoint.json"
    if not key.exists():
        assert run("keygen", "--out", str(key))[0] == 0
    code, out = run("--store", url, "checkpoint", "--key", str(key), "--out", str(cp))
    assert code == 0, out
    return str(cp), str(key) + ".pub"


def verified(run: Run, url: str, cp: str, public: str) -> str:
    code, out = run("--store", url, "verify", "--checkpoint", cp, "--public-key", public)
    assert code == 0, out
    assert "KẾT QUẢ: TOÀN VẸN" in out
    return out


def log(url: str) -> list[tuple[int, str, int, str, bytes]]:
    store = open_store(url)
    try:
        return log_of(store)
    finally:
        store.close()


def test_sqlite_to_postgresql_to_sqlite_verifies_against_the_source_checkpoint(
    run: Run, tmp_path: Path, postgres_url: str
) -> None:
    source, back = f"sqlite:///{tmp_path / 'dautu.db'}", f"sqlite:///{tmp_path / 'back.db'}"
    demo(run, source)
    cp, public = signed_checkpoint(run, source, tmp_path)
    code, out = run("copy", "--from", source, "--to", postgres_url)
    assert code == 0, out
    assert out.startswith("Đã chép 424 bản ghi, bỏ qua 0 bản ghi đã có ở kho đích (kho đích trống)")
    code, out = run(
        "--lang", "en", "copy", "--from", postgres_url, "--to", back, "--batch-size", "50"
    )
    assert code == 0, out
    assert out.startswith("Copied 424 records, skipped 0 already in the target")
    assert log(source) == log(postgres_url) == log(back)
    for url in (postgres_url, back):
        verified(run, url, cp, public)


def test_sqlite_to_sqlite_verifies_and_a_second_run_copies_nothing(
    run: Run, tmp_path: Path
) -> None:
    source, target = f"sqlite:///{tmp_path / 'dautu.db'}", f"sqlite:///{tmp_path / 'copy.db'}"
    demo(run, source)
    cp, public = signed_checkpoint(run, source, tmp_path)
    assert run("copy", "--from", source, "--to", target)[0] == 0
    verified(run, target, cp, public)
    code, out = run("copy", "--from", source, "--to", target)
    assert code == 0
    assert "Đã chép 0 bản ghi, bỏ qua 424 bản ghi" in out
    assert "đã so khớp toàn bộ 424 bản ghi đã có" in out
    code, out = run("copy", "--from", source, "--to", target, "--check", "sample", "--json")
    assert code == 0
    assert '"copied": 0' in out and '"skipped": 424' in out and '"prefix_check": "sample"' in out


def interrupt_copy(
    source: str, target_url: str, target: Store, batch: int, signum: int
) -> subprocess.CompletedProcess[str]:
    """Run ``dautu copy`` in a process and send it ``signum`` once ten batches are in.

    The copy is stopped before the signal is sent and continued after, so the signal always
    arrives in the middle of the copy, however loaded the machine.
    """
    copying = subprocess.Popen(
        [DAUTU, "copy", "--from", source, "--to", target_url, "--batch-size", str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while target.max_position() < 10 * batch:
            assert copying.poll() is None, "the copy ended before it could be interrupted"
            assert time.monotonic() < deadline, "the copy did not start within 60 s"
            time.sleep(0.005)
        # Stopped first, so that a loaded machine cannot let the copy finish before the
        # signal is handled: the signal is pending when the copy resumes.
        copying.send_signal(signal.SIGSTOP)
        copying.send_signal(signum)
        copying.send_signal(signal.SIGCONT)
        out, err = copying.communicate(timeout=60)
    finally:
        copying.kill()
        copying.wait(timeout=30)
    return subprocess.CompletedProcess(copying.args, copying.returncode, out, err)


def test_a_copy_killed_in_the_middle_resumes_and_verifies(
    run: Run, tmp_path: Path, target_url: str
) -> None:
    source = f"sqlite:///{tmp_path / 'large.db'}"
    store = open_store(source)
    append_in_order(store, large_log(20_000))
    key = tmp_path / "k.pem"
    generate_key(key)
    write_checkpoint(
        tmp_path / "cp.json",
        make_checkpoint(store, issued_at=datetime(2026, 1, 5, tzinfo=UTC),
                        key=load_private_key(key)),
    )  # fmt: skip
    store.close()
    target = open_store(target_url)  # tables exist before the copy begins: we poll them
    batch = 20
    copying = interrupt_copy(source, target_url, target, batch, signal.SIGKILL)
    assert copying.returncode == -signal.SIGKILL
    held = target.max_position()
    source_store = open_store(source)
    try:
        assert 0 < held < 20_000, "killed in the middle"
        assert held % batch == 0, "each batch is one transaction: all of it or none"
        assert check_prefix(source_store, target) == held
    finally:
        source_store.close()
        target.close()
    code, out = run("copy", "--from", source, "--to", target_url, "--batch-size", "5000")
    assert code == 0, out
    assert f"Đã chép {20_000 - held} bản ghi, bỏ qua {held} bản ghi" in out
    assert log(target_url) == log(source)
    verified(run, target_url, str(tmp_path / "cp.json"), str(key) + ".pub")


def test_ctrl_c_leaves_a_prefix_and_says_how_to_go_on(run: Run, tmp_path: Path) -> None:
    source, target_url = f"sqlite:///{tmp_path / 'large.db'}", f"sqlite:///{tmp_path / 't.db'}"
    store = open_store(source)
    append_in_order(store, large_log(20_000))
    store.close()
    target = open_store(target_url)
    try:
        stopped = interrupt_copy(source, target_url, target, 20, signal.SIGINT)
        held = target.max_position()
    finally:
        target.close()
    assert stopped.returncode == 130
    assert "Traceback" not in stopped.stderr
    assert f"kho đích giữ đúng {held} bản ghi đầu tiên" in stopped.stderr
    assert "chạy lại cùng lệnh" in stopped.stderr
    code, out = run("copy", "--from", source, "--to", target_url)
    assert code == 0 and f"bỏ qua {held} bản ghi" in out
    assert log(target_url) == log(source)


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def test_a_target_holding_another_record_is_refused_and_nothing_is_written(
    run: Run, tmp_path: Path
) -> None:
    source, other = tmp_path / "dautu.db", tmp_path / "other.db"
    demo(run, f"sqlite:///{source}")
    demo(run, f"sqlite:///{other}", seed=2)
    before = _dump(other)
    code, out = run("copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{other}")
    assert code == 1
    assert "quy tắc/rule copy_target_not_prefix" in out
    assert "không phải đúng" in out and "are not exactly the source's first" in out
    assert "Nothing was written" in out and "Traceback" not in out
    assert _dump(other) == before


def test_the_review_projection_is_rebuilt_on_the_target_not_copied(
    run: Run, tmp_path: Path
) -> None:
    source, target = f"sqlite:///{tmp_path / 'dautu.db'}", f"sqlite:///{tmp_path / 'copy.db'}"
    demo(run, source)
    stored = open_store(source)
    try:
        catch_up(stored)  # the review's read model and its checkpoint, stored beside the log
        saved = stored.load_projection(PORTFOLIO)
    finally:
        stored.close()
    assert saved[0] == 424 and saved[1] is not None
    assert run("copy", "--from", source, "--to", target)[0] == 0
    copied = open_store(target)
    assert copied.load_projection(PORTFOLIO) == (0, None), "not copied"
    copied.close()
    as_of = ("review", "--as-of", "2026-06-30", "--format", "json")
    code, theirs = run("--store", source, *as_of)
    assert code == 0
    code, mine = run("--store", target, *as_of)
    assert code == 0 and mine == theirs, "rebuilt from the copied log: the same review"
    assert run("--store", target, "review", "--rebuild", "--as-of", "2026-06-30")[0] == 0
    rebuilt = open_store(target)
    assert rebuilt.load_projection(PORTFOLIO)[0] == 424
    rebuilt.close()
    cp, public = signed_checkpoint(run, source, tmp_path)
    out = verified(run, target, cp, public)  # also compares the rebuilt projection
    assert "projection" not in out


def test_a_source_with_a_hole_is_copied_up_to_the_hole_and_refused_there(
    run: Run, tmp_path: Path
) -> None:
    source, target = tmp_path / "dautu.db", tmp_path / "copy.db"
    demo(run, f"sqlite:///{source}")
    with sqlite3.connect(source) as conn:
        conn.execute("DELETE FROM stored_events WHERE rowid = 200")
    code, out = run("copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{target}",
                    "--batch-size", "64")  # fmt: skip
    assert code == 1
    assert "quy tắc/rule copy_source_gap" in out and "no record at position 200" in out
    held = log(f"sqlite:///{target}")
    assert [r[0] for r in held] == list(range(1, 200))
    assert held == log(f"sqlite:///{source}")[:199]


def test_a_missing_or_empty_source_is_refused_and_not_created(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    code, out = run("copy", "--from", f"sqlite:///{missing}", "--to", "memory://")
    assert code == 1 and "store_missing" in out and "does not exist" in out
    assert not missing.exists()
    code, out = run("copy", "--from", "memory://", "--to", "memory://")
    assert code == 1 and "copy_source_empty" in out and "holds no record" in out
    code, out = run("copy", "--from", "memory://", "--to", "memory://", "--batch-size", "0")
    assert code == 2 and "--batch-size" in out  # argparse's usage error


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path, run: Run) -> None:
    source = f"sqlite:///{tmp_path / 'dautu.db'}"
    demo(run, source)
    plain = subprocess.run(
        [DAUTU, "copy", "--from", source, "--to", f"sqlite:///{tmp_path / 'a.db'}"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert plain.returncode == 0 and plain.stderr == ""
    assert plain.stdout.count("\n") == 1, "one summary line"
    code, shown = on_terminal(
        [DAUTU, "copy", "--from", source, "--to", f"sqlite:///{tmp_path / 'b.db'}",
         "--batch-size", "10"],
        timeout=120,
    )  # fmt: skip
    assert code == 0
    assert "bản ghi".encode() in shown and b"/424" in shown


def test_a_target_in_a_missing_folder_names_the_to_option(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "dautu.db"
    demo(run, f"sqlite:///{source}")
    target = tmp_path / "no-such-folder" / "t.db"
    code, out = run("copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{target}")
    assert code == 1 and "Traceback" not in out
    assert "trường/field to;" in out and "missing folder" in out
    assert not target.parent.exists()
