"""The examples of docs/testing.md run as written (they are copied into the README)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "testing.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_documented_tests_pass(tmp_path: Path) -> None:
    """Blocks are written as the reader would paste them: two files, run by pytest."""
    blocks = _blocks()
    assert len(blocks) == 4
    (tmp_path / "test_doc_rules.py").write_text(blocks[0] + "\n" + blocks[1], encoding="utf-8")
    (tmp_path / "test_doc_store.py").write_text(blocks[2] + "\n" + blocks[3], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


def test_hypothesis_is_imported_only_by_the_testing_package() -> None:
    core = ROOT / "src" / "dautu_core"
    offenders = [
        path.relative_to(core).as_posix()
        for path in core.rglob("*.py")
        if "testing" not in path.relative_to(core).parts
        and re.search(r"^\s*(from|import) hypothesis", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
    probe = "import sys, dautu_core; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["gwt", "samples", "strategies"])
def test_every_public_name_of_the_testing_package_is_exported(name: str) -> None:
    import importlib

    import dautu_core.testing as package

    module = importlib.import_module(f"dautu_core.testing.{name}")
    assert set(module.__all__) <= set(package.__all__)
