"""``dautu check-adapter``: passes a good store, fails a broken one, refuses a real record,
gives its first verdict after a bounded amount of work, stays within its time budget, and
leaves no scratch folder behind when stopped by a signal.

The broken stores are third-party plugins made on the spot: a module and a ``.dist-info``
folder on ``PYTHONPATH`` declare an entry point in the ``dautu`` group, exactly as an installed
package would, so the command reaches them through the plugin registry like any user would.
The work done is measured by counting the store's calls, never by the clock.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from dautu_jsonl import JsonlStore

from dautu_adapters.conformance import approval, chain
from dautu_core.ports import AppendBatch

DAUTU = str(Path(sys.executable).with_name("dautu"))
ROOT = Path(__file__).resolve().parents[2]

_BROKEN_PLUGIN = '''
"""A JSON-lines store that loses a record at every page boundary of the global log: the
off-by-one of a cursor that skips the row it should start from."""

from dautu_adapters.hookspecs import hookimpl
from dautu_jsonl import JsonlStore


class PageDroppingJsonlStore(JsonlStore):
    def read_log(self, *, after_position=0, limit=None):
        if limit is None:
            return super().read_log(after_position=after_position)
        return super().read_log(after_position=after_position + 1, limit=limit)


@hookimpl
def dautu_register_stores(register):
    register(
        "jsonl-broken",
        lambda url, options: PageDroppingJsonlStore(
            url.removeprefix("jsonl-broken:///"), fsync=False
        ),
        "deliberately broken JSON-lines store",
    )
'''


def _check_adapter(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DAUTU, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _plugin_site(site: Path, name: str, module: str) -> None:
    info = site / f"{name.replace('-', '_')}-0.0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[dautu]\nbroken = {module}\n", encoding="utf-8")


@pytest.fixture
def broken_plugin_env(tmp_path: Path) -> dict[str, str]:
    """``jsonl-broken://`` (below) and the catalogue's ``counting://`` and ``hanging://``
    (``broken_stores.py``) installed as plugins; scratch folders go under ``tmp_path``."""
    site = tmp_path / "site"
    (site / "catalogue").mkdir(parents=True)
    (site / "broken_jsonl_store.py").write_text(_BROKEN_PLUGIN, encoding="utf-8")
    _plugin_site(site, "dautu-broken-jsonl", "broken_jsonl_store")
    _plugin_site(site / "catalogue", "dautu-kit-catalogue", "tests.conformance.broken_stores")
    paths = [str(site), str(site / "catalogue"), str(ROOT)]
    paths += list(filter(None, [os.environ.get("PYTHONPATH")]))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    return {"PYTHONPATH": os.pathsep.join(paths), "TMPDIR": str(scratch)}


def test_a_conforming_store_passes() -> None:
    result = _check_adapter("--lang", "en", "check-adapter", "memory://", "--", "-q")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^\d+ passed, 4 skipped in ", result.stdout, re.MULTILINE), output
    assert "PASSED: the store memory:// conforms to dautu's storage contract" in result.stdout
    assert (
        "Quick run: stops at the first failing test, failing examples not shrunk; time budget "
        "600 s (--budget). Use --full for the list of every failure" in result.stdout
    )
    folder = re.search(r"^Scratch folder: (\S+) ", result.stdout, re.MULTILINE)
    assert folder is not None, result.stdout
    assert not Path(folder.group(1)).exists()


def test_a_broken_store_fails_at_the_first_failure_and_full_lists_them_all(
    tmp_path: Path, broken_plugin_env: dict[str, str]
) -> None:
    url = f"jsonl-broken:///{tmp_path / 'broken'}"
    common = ("--lang", "en", "check-adapter", url, "--max-examples", "3")
    quick = _check_adapter(*common, "--without", "processes", "--", "-q", env=broken_plugin_env)
    assert quick.returncode == 1, quick.stdout + quick.stderr
    failed = [line for line in quick.stdout.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == 1, quick.stdout
    assert "TestStoreAtUrl::test_read_log_is_gap_free_and_pages" in failed[0]
    assert "paging with limit=1 differs from one read" in quick.stdout
    assert (
        f"FAILED: the store {url} does not conform (pytest exit code 1); see the failed test "
        "above; this is the first failure, use --full to list them all" in quick.stdout
    )
    full = _check_adapter(
        *common[:3],
        f"jsonl-broken:///{tmp_path / 'broken-again'}",
        *common[4:],
        "--full",
        "--without",
        "processes",
        "--",
        "-q",
        env=broken_plugin_env,
    )
    assert full.returncode == 1, full.stdout + full.stderr
    assert "Full run: every test, failing examples shrunk; time budget 600 s" in full.stdout
    failed = [line for line in full.stdout.splitlines() if line.startswith("FAILED ")]
    assert len(failed) >= 2, full.stdout
    assert any("test_read_log_is_gap_free_and_pages" in line for line in failed)
    assert "use --full" not in full.stdout


def test_on_a_slow_store_the_first_verdict_costs_a_few_calls(
    tmp_path: Path, broken_plugin_env: dict[str, str]
) -> None:
    """The re-encoding store fails every test, round trips included. At ~25 ms a call the
    full run with shrinking took minutes; the default run stops at the first failure, so its
    work does not grow with the hypothesis budget: a handful of calls, whatever the budget."""
    counter = tmp_path / "calls"
    result = _check_adapter(
        "--lang",
        "en",
        "check-adapter",
        f"counting:///{counter}",
        "--max-examples",
        "1000",
        "--without",
        "reopen",
        "--without",
        "processes",
        "--",
        "-q",
        env=broken_plugin_env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == 1, result.stdout
    assert "test_append_returns_gap_free_positions_and_exact_bytes" in failed[0]
    assert "came back re-encoded: the same JSON written with other bytes" in result.stdout
    calls = len(counter.read_bytes())
    assert 0 < calls <= 25, f"{calls} store calls before the first verdict"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_run_removes_its_scratch_folder(
    tmp_path: Path, broken_plugin_env: dict[str, str], signum: int
) -> None:
    fifo = tmp_path / "never-answers"
    os.mkfifo(fifo)
    with subprocess.Popen(
        [DAUTU, "--lang", "en", "check-adapter", f"hanging:///{fifo}", "--", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **broken_plugin_env},
    ) as process:
        assert process.stdout is not None
        line = ""
        for line in process.stdout:  # the kit's process starts right after this line
            if line.startswith("Scratch folder: "):
                break
        folder = Path(line.removeprefix("Scratch folder: ").split(" ")[0])
        assert folder.is_dir() and folder.parent == Path(broken_plugin_env["TMPDIR"]), line
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, out + err
    assert f"INTERRUPTED: the kit was stopped by signal {signum}" in out
    assert not folder.exists()
    assert list(Path(broken_plugin_env["TMPDIR"]).iterdir()) == []


def test_a_store_that_never_answers_is_stopped_at_the_end_of_the_budget(
    tmp_path: Path, broken_plugin_env: dict[str, str]
) -> None:
    fifo = tmp_path / "never-answers"
    os.mkfifo(fifo)
    url = f"hanging:///{fifo}"
    result = _check_adapter(
        "--lang", "en", "check-adapter", url, "--budget", "2", "--", "-q", env=broken_plugin_env
    )
    assert result.returncode == 124, result.stdout + result.stderr
    assert "time budget 2 s (--budget)" in result.stdout
    assert f"FAILED: the kit was stopped after 2 s (its time budget): the store {url}" in (
        result.stdout
    )
    assert list(Path(broken_plugin_env["TMPDIR"]).iterdir()) == []


def test_a_store_holding_records_is_refused_unless_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "used"
    store = JsonlStore(folder)
    try:
        store.append([AppendBatch("2165432100", 0, chain([approval("2165432100")]))])
    finally:
        store.close()
    refused = _check_adapter("check-adapter", f"jsonl:///{folder}")
    assert refused.returncode == 1
    assert "đã có 1 bản ghi" in refused.stderr and "already holds 1 records" in refused.stderr
    allowed = _check_adapter(
        "check-adapter",
        f"jsonl:///{folder}",
        "--allow-non-empty",
        "--without",
        "processes",
        "--",
        "-q",
        "-k",
        "empty_reads or reopened",
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "2 passed" in allowed.stdout


def test_an_unknown_scheme_names_the_installed_ones() -> None:
    result = _check_adapter("check-adapter", "khong-co:///x")
    assert result.returncode == 1
    assert "jsonl://" in result.stderr and "sqlite://" in result.stderr


def test_pytest_arguments_go_after_a_double_dash(tmp_path: Path) -> None:
    result = _check_adapter("check-adapter", f"jsonl:///{tmp_path}", "-x")
    assert result.returncode == 2
    assert "-- PYTEST_ARGS" in result.stderr
