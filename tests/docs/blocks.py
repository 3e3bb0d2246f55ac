"""The shell blocks of the documentation and what they claim, read from the Markdown.

Conventions, written in the documents themselves:

- ```` ```sh ```` blocks are run, in order, by ``tests/docs/test_sh_blocks.py``; each block
  runs after the document's earlier blocks, in one fresh folder per document that looks like a checkout
  (``.venv``, ``examples``, ``benchmarks``), with the environment's ``dautu`` on the PATH; an
  ``export NAME=VALUE`` line of an earlier block stays in force, as in one terminal session.
- ``<!-- not run: REASON -->`` on the line just before a block skips it with that reason;
  "... runs `COMMAND` in its place" makes later blocks find what the block would have left
  (``python3 tasks.py demo`` leaves the demo store).
- ``<!-- output below -->`` after a block, then a ```` ```text ```` block: each line of the text
  block appears in what the terminal shows, in this order (``...`` stands for lines left out).
- ``<!-- output: TEXT -->`` after a block (one or more such lines): what the terminal shows
  contains each TEXT.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS: tuple[Path, ...] = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))

_NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>.+?)\s*-->")
_IN_PLACE = re.compile(r"runs `(?P<command>[^`]+)` in its place")
_OUTPUT_BELOW = re.compile(r"<!--\s*output below\s*-->")
_OUTPUT_TEXT = re.compile(r"<!--\s*output:\s*(?P<text>.+?)\s*-->")


@attrs.frozen
class ShellBlock:
    """One ```` ```sh ```` block: where it is, its script, and what the document says of it."""

    document: Path
    line: int
    script: str
    not_run: str | None = None
    in_place: str | None = None
    claimed_output: tuple[str, ...] | None = None
    claimed_texts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def _fence_end(lines: list[str], start: int) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == "```":
            return index
    raise AssertionError(f"unclosed code block at line {start + 1}")


def _next(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _claims(lines: list[str], after: int) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """``(lines claimed in order, texts claimed anywhere)`` after the block ending at ``after``."""
    index = _next(lines, after + 1)
    texts = []
    while index < len(lines) and (found := _OUTPUT_TEXT.fullmatch(lines[index].strip())):
        texts.append(found.group("text"))
        index += 1
    if texts:
        return None, tuple(texts)
    if index >= len(lines) or not _OUTPUT_BELOW.fullmatch(lines[index].strip()):
        return None, ()
    index = _next(lines, index + 1)
    assert lines[index].strip() == "```text", f"an output marker needs a text block: {index + 1}"
    end = _fence_end(lines, index)
    return tuple(line.rstrip() for line in lines[index + 1 : end]), ()


def shell_blocks(document: Path) -> list[ShellBlock]:
    """Every top-level ```` ```sh ```` block of ``document``, in order."""
    lines = document.read_text(encoding="utf-8").splitlines()
    blocks = []
    for index, text in enumerate(lines):
        if text != "```sh":
            continue
        end = _fence_end(lines, index)
        before = lines[index - 1].strip() if index else ""
        marker = _NOT_RUN.fullmatch(before)
        reason = marker.group("reason") if marker else None
        in_place = _IN_PLACE.search(reason) if reason else None
        claimed_output, claimed_texts = _claims(lines, end)
        blocks.append(
            ShellBlock(
                document=document,
                line=index + 1,
                script="\n".join(lines[index + 1 : end]) + "\n",
                not_run=reason,
                in_place=in_place.group("command") if in_place else None,
                claimed_output=claimed_output,
                claimed_texts=claimed_texts,
            )
        )
    return blocks


def missing_lines(claimed: tuple[str, ...], output: str) -> list[str]:
    """The claimed lines not found in ``output`` in their order (``...`` skips ahead)."""
    shown = [line.rstrip() for line in output.splitlines()]
    position = 0
    missing = []
    for line in claimed:
        if line.strip() in ("...", "…"):
            continue
        try:
            position = shown.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing
