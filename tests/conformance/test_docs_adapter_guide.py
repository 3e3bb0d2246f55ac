"""The store and the test of docs/writing-an-adapter.md run as written and pass the kit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "writing-an-adapter.md"


def _files() -> dict[str, str]:
    """Python blocks whose first line names a file (``# my_store.py``), by file name."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    named = (re.match(r"# (\w+\.py)\n", block) for block in blocks)
    return {m.group(1): block for m, block in zip(named, blocks, strict=True) if m}


def test_the_guide_store_passes_the_kit_and_a_broken_copy_fails_as_shown(tmp_path: Path) -> None:
    files = _files()
    assert sorted(files) == ["my_store.py", "test_my_store.py"]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_my_store.py"]
    good = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^39 passed, 4 skipped in ", good.stdout, re.M), good.stdout

    store = tmp_path / "my_store.py"
    bug = "start + max(limit, 0)\n"
    assert store.read_text(encoding="utf-8").count(bug) == 1
    store.write_text(
        store.read_text(encoding="utf-8").replace(bug, "start + max(limit, 0) - 1\n"),
        encoding="utf-8",
    )
    broken = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert broken.returncode == 1
    assert "AssertionError: paging with limit=1 differs from one read" in broken.stdout
    assert re.search(
        r"^FAILED test_my_store.py::TestListStore::test_read_log_is_gap_free_and_pages",
        broken.stdout,
        re.M,
    ), broken.stdout
    assert re.search(r"^2 failed, 37 passed, 4 skipped in ", broken.stdout, re.M), broken.stdout
