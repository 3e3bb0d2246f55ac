"""docs/exports.md runs as written: its command blocks, in order, in one folder, give the
results the text claims (each ``<!-- output: TEXT -->`` after a block is looked for in that
block's output)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "exports.md"
BLOCK = re.compile(r"```sh\n(.*?)```((?:\s*<!-- output: .*? -->)*)", re.S)


def blocks() -> list[tuple[str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    return [
        (script, re.findall(r"<!-- output: (.*?) -->", claims))
        for script, claims in BLOCK.findall(text)
    ]


def test_the_exports_guide_runs_as_written(tmp_path: Path) -> None:
    found = blocks()
    assert len(found) >= 5 and sum(len(claims) for _, claims in found) >= 8
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DAUTU_STORE", None)
    prelude = ""
    for script, claims in found:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", prelude + script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, (script, output)
        assert "Traceback" not in output, output
        for claim in claims:
            assert claim in output, (script, claim, output)
        if script.startswith("export "):
            prelude += script.split("\n", 1)[0] + "\n"
    assert (tmp_path / "oc4ids.json").is_file() and (tmp_path / "events.jsonl").is_file()
