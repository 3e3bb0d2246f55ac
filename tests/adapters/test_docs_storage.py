"""The complete service example of docs/storage.md runs as written and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "storage.md"


def test_the_service_example_runs_and_prints_the_documented_output(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(
        r"```python\n(?P<code>[^`]*ProjectService\.open\([^`]*)```\s*prints\s*```text\n"
        r"(?P<output>[^`]*)```",
        text,
    )
    assert found is not None, "the service example and its output are not in docs/storage.md"
    code = found.group("code")
    assert "dautu_core.testing" not in code  # a real command, not a test helper
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "example.py"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == found.group("output")
    assert (tmp_path / "dautu.db").exists()
