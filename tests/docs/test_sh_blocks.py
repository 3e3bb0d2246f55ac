"""Every ```` ```sh ```` block of README.md and docs/*.md runs as written and prints what the
document claims (conventions in :mod:`docs.blocks`).

Each document's blocks run once, in order, in one fresh folder laid out like a checkout after
``python3 tasks.py demo`` (``.venv``, ``examples``, ``benchmarks``), as a reader would type them
in one terminal: each block after the document's earlier blocks, with the environment's
``dautu`` first on the PATH and no ``DAUTU_STORE`` inherited. Every run is bounded in time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docs.blocks import DOCUMENTS, ROOT, ShellBlock, missing_lines, shell_blocks

VENV = Path(sys.prefix)
_EXPORT = re.compile(r"export [A-Z_][A-Z0-9_]*=")
"""A block's line that sets an environment variable for the blocks after it."""
BLOCK_TIMEOUT = 300
"""Seconds one block (with the document's earlier blocks) may take."""

BLOCKS = [block for document in DOCUMENTS for block in shell_blocks(document)]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAUTU_") and k != "VIRTUAL_ENV"}
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["DAUTU_STRICT_PLUGINS"] = "1"
    for name in ("DAUTU_TEST_POSTGRES_URL",):  # the suite's own server, if any
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _checkout(folder: Path) -> None:
    (folder / ".venv").symlink_to(VENV, target_is_directory=True)
    for name in ("examples", "benchmarks"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)


def _bash(script: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        env=_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=BLOCK_TIMEOUT,
        check=False,
    )


_RUNS: dict[Path, dict[int, subprocess.CompletedProcess[str]]] = {}
"""Each document's blocks, run once in order in one folder: a block's result, by line."""


def _document_runs(
    document: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, subprocess.CompletedProcess[str]]:
    """Run ``document``'s blocks in order in one fresh folder (a skipped block's stand-in in
    its place), as a reader would in one terminal; stop at the first that fails."""
    if document in _RUNS:
        return _RUNS[document]
    folder = tmp_path_factory.mktemp(document.stem)
    _checkout(folder)
    runs: dict[int, subprocess.CompletedProcess[str]] = {}
    exported = ""  # what `export NAME=...` set in an earlier block stays set, as in a terminal
    for block in shell_blocks(document):
        script = block.script if block.not_run is None else block.in_place
        if script is None:
            continue
        done = _bash(exported + script + "\n", folder)
        runs[block.line] = done
        if done.returncode != 0:
            break
        exported += "".join(line + "\n" for line in script.splitlines() if _EXPORT.match(line))
    _RUNS[document] = runs
    return runs


def test_the_documents_have_shell_blocks_and_every_skip_says_why() -> None:
    readme = [b for b in BLOCKS if b.document.name == "README.md"]
    assert len(readme) >= 4
    assert any(b.not_run is None for b in readme)
    for block in BLOCKS:
        if block.not_run is not None:
            assert len(block.not_run) > 10, block.id


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_the_shell_block_runs_as_written(
    block: ShellBlock, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if block.not_run is not None:
        pytest.skip(f"{block.id}: {block.not_run}")
    runs = _document_runs(block.document, tmp_path_factory)
    for line, before in runs.items():
        if line < block.line:
            assert before.returncode == 0, f"an earlier block of {block.id}:\n{before.stderr}"
    done = runs[block.line]
    assert done.returncode == 0, f"{block.id} exited {done.returncode}:\n{done.stderr}"
    assert "Traceback" not in done.stderr
    shown = done.stdout + done.stderr  # what the terminal shows
    if block.claimed_output is not None:
        assert missing_lines(block.claimed_output, shown) == [], shown
    for text in block.claimed_texts:
        assert text in shown, (text, shown)


def test_a_claim_is_checked_line_by_line_in_order() -> None:
    output = "a\nb  \nc\nd\n"
    assert missing_lines(("a", "...", "c", "d"), output) == []
    assert missing_lines(("b", "a"), output) == ["a"]
    assert missing_lines(("x",), output) == ["x"]


def test_markers_are_read_from_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "<!-- not run: needs a network; the docs test runs `echo hi` in its place -->\n"
        "```sh\ncurl example.org\n```\n\n"
        "```sh\necho hi\n```\n\n<!-- output below -->\n```text\nhi\n```\n\n"
        "```sh\necho a b\n```\n\n<!-- output: a b -->\n<!-- output: b -->\n",
        encoding="utf-8",
    )
    first, second, third = shell_blocks(doc)
    assert first.not_run is not None and first.in_place == "echo hi"
    assert second.not_run is None and second.claimed_output == ("hi",)
    assert second.script == "echo hi\n"
    assert third.claimed_output is None and third.claimed_texts == ("a b", "b")
