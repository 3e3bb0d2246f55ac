"""A demo store shared by the export tests (written once per module, read only by them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from adapters.conftest import install

from dautu_adapters.cli.main import main

__all__ = ["demo_url", "install", "run"]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The 78 projects of ``dautu demo`` in a SQLite file."""
    path: Path = tmp_path_factory.mktemp("demo") / "dautu.db"
    url = f"sqlite:///{path}"
    assert main(["--store", url, "demo"]) == 0
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """``dautu ARGV``: exit code and what it printed (stdout then stderr)."""
    capsys.readouterr()  # what earlier code printed (the demo store's creation) is not ours
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err
