"""The commands of "Moving a record to another store" (docs/storage.md) run as written and print
what the text says (key ids, times and rates aside), and its refusal is the one printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "storage.md"
BIN = Path(sys.executable).parent

_VARYING = [
    (re.compile(r"\b[0-9a-f]{16}\b"), "KEYID"),
    (re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d"), "DD/MM/YYYY HH:MM"),
    (re.compile(r"trong \d+,\d+ giây \(\d+ bản ghi/giây\)"), "trong … giây (… bản ghi/giây)"),
]


def _normal(text: str) -> str:
    for pattern, placeholder in _VARYING:
        text = pattern.sub(placeholder, text)
    return text


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("### Moving a record to another store")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAUTU_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_the_copy_section_runs_and_prints_what_it_says(tmp_path: Path) -> None:
    section = _section()
    found = re.search(r"```sh\n(?P<commands>.*?)```\s*prints[^\n]*\n\s*```text\n(?P<out>.*?)```",
                      section, re.S)  # fmt: skip
    assert found is not None, "the commands and their output are not in the section"
    commands = found.group("commands").strip().splitlines()
    assert commands[0] == "dautu demo"
    assert all("sqlite:///" in c for c in commands if c.startswith("dautu copy"))
    assert _shell(commands[0], tmp_path).returncode == 0
    result = _shell("\n".join(commands[1:]), tmp_path)
    assert result.returncode == 0, result.stderr
    assert _normal(result.stdout) == _normal(found.group("out"))


def test_the_refusal_shown_is_the_one_printed(tmp_path: Path) -> None:
    shown = re.search(r"```text\n\s*(dautu: \[trường/field to[^\n]*)\n", _section())
    assert shown is not None
    made = _shell(
        "dautu demo >/dev/null && dautu --store sqlite:///khac.db demo --seed 2 >/dev/null && "
        "dautu copy --from sqlite:///dautu.db --to sqlite:///khac.db",
        tmp_path,
    )
    assert made.returncode == 1
    assert made.stderr.strip() == shown.group(1)
