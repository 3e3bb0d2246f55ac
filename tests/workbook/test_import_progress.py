"""``dautu import`` shows a progress bar on a terminal only, from PROGRESS_THRESHOLD rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from adapters.samples import approve
from terminal import on_terminal

from dautu_adapters.cli.import_commands import PROGRESS_THRESHOLD
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_adapters.workbook.export import export_workbook

DAUTU = str(Path(sys.executable).with_name("dautu"))
ACTOR = "lan.nt|Nguyễn Thị Lan|Sở Tài chính"


def test_a_large_import_shows_a_bar_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    workbook = tmp_path / "lon.xlsx"
    with ProjectService(open_store("memory://")) as source:
        source.execute_batch([approve(f"DA-T-{i:05d}") for i in range(PROGRESS_THRESHOLD)])
        export_workbook(source.store, workbook, {})
    argv = [DAUTU, "import", str(workbook), "--actor", ACTOR, "--dry-run"]
    piped = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == "" and "dự án" in piped.stdout
    code, shown = on_terminal(argv)
    assert code == 0
    assert "dự án".encode() in shown and f"/{PROGRESS_THRESHOLD}".encode() in shown


def test_a_small_import_shows_no_bar_even_on_a_terminal(tmp_path: Path) -> None:
    workbook = tmp_path / "nho.xlsx"
    with ProjectService(open_store("memory://")) as source:
        source.execute_batch([approve(f"DA-T-{i:05d}") for i in range(3)])
        export_workbook(source.store, workbook, {})
    code, shown = on_terminal([DAUTU, "import", str(workbook), "--actor", ACTOR, "--dry-run"])
    assert code == 0 and shown == b""
