"""Output piped into a reader that stops early (``| head``) ends quietly."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from dautu_adapters.cli.main import main


class _ClosedPipe(io.BytesIO):
    def write(self, data: bytes) -> int:  # type: ignore[override]
        raise BrokenPipeError(32, "Broken pipe")


class _Stdout(io.TextIOWrapper):
    """A text stdout whose reader has gone away; its descriptor is a real (temporary) file."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")  # noqa: SIM115
        super().__init__(_ClosedPipe(), encoding="utf-8")

    def fileno(self) -> int:
        return self._file.fileno()


@pytest.mark.parametrize("command", [["demo"], ["review", "--as-of", "2024-02-21"]])
def test_a_closed_pipe_is_not_a_traceback(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    if command[0] == "review":
        assert main(["--store", url, "demo"]) == 0
    stdout = _Stdout(tmp_path / "out")
    monkeypatch.setattr(sys, "stdout", stdout)

    assert main(["--store", url, *command]) == 0


def test_dautu_review_into_head_prints_no_traceback(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dautu.db'}"
    dautu = str(Path(sys.executable).with_name("dautu"))
    subprocess.run([dautu, "--store", url, "demo"], check=True, capture_output=True)
    piped = subprocess.run(
        f"'{dautu}' --store '{url}' review --as-of 2024-02-21 --format json | head -c 10",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert piped.stdout.startswith(b'{"as_of"')
    assert b"Traceback" not in piped.stderr and b"BrokenPipe" not in piped.stderr
