"""``dautu check-adapter``: passes a good store, fails a broken one, refuses a real record.

The broken store is a third-party plugin made on the spot: a module and a ``.dist-info`` folder
on ``PYTHONPATH`` declare an entry point in the ``dautu`` group, exactly as an installed
package would, so the command reaches it through the plugin registry like any user would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dautu_jsonl import JsonlStore

from dautu_adapters.conformance import approval, chain
from dautu_core.ports import AppendBatch

DAUTU = str(Path(sys.executable).with_name("dautu"))

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


@pytest.fixture
def broken_plugin_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    info = site / "dautu_broken_jsonl-0.0.1.dist-info"
    info.mkdir(parents=True)
    (site / "broken_jsonl_store.py").write_text(_BROKEN_PLUGIN, encoding="utf-8")
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: dautu-broken-jsonl\nVersion: 0.0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[dautu]\nbroken = broken_jsonl_store\n", encoding="utf-8"
    )
    paths = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(paths)}


def test_a_conforming_store_passes() -> None:
    result = _check_adapter("check-adapter", "memory://", "--", "-q")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^\d+ passed, 4 skipped in ", result.stdout, re.MULTILINE), output
    assert "ĐẠT: kho memory:// đáp ứng bộ kiểm tra tương thích của dautu" in result.stdout


def test_a_broken_store_fails_and_the_summary_says_so(
    tmp_path: Path, broken_plugin_env: dict[str, str]
) -> None:
    url = f"jsonl-broken:///{tmp_path / 'broken'}"
    result = _check_adapter(
        "--lang",
        "en",
        "check-adapter",
        url,
        "--max-examples",
        "3",
        "--without",
        "processes",
        "--",
        "-q",
        env=broken_plugin_env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED ")]
    assert len(failed) == 1, result.stdout
    assert "TestStoreAtUrl::test_read_log_is_gap_free_and_pages" in failed[0]
    assert "paging with limit=1 differs from one read" in result.stdout
    assert f"FAILED: the store {url} does not conform (pytest exit code 1)" in result.stdout


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
