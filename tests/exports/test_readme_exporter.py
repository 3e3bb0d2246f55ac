"""The README's "Writing an exporter" runs as written: its plugin, installed under the
``dautu`` entry-point group, is listed, explains its options and exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dautu_adapters.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section() -> str:
    start = README.index("## Writing an exporter")
    assert README.index("## Writing a storage adapter") < start, "it follows the adapter section"
    return README[start : README.index("\n## ", start + 1)]


def test_the_readme_exporter_runs_through_dautu_export(
    install,  # type: ignore[no-untyped-def]
    demo_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    section = _section()
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    assert "examples/dautu-geojson" in section
    install("dautu-counts", code, entry="counts")

    capsys.readouterr()
    assert main(["--lang", "en", "plugins"]) == 0
    listed = capsys.readouterr().out
    assert "dautu-counts 1.2.3" in listed and "--as-of DATE (date dd/mm/yyyy" in listed
    assert main(["export", "track-counts", "--help"]) == 0
    assert "--as-of DATE (ngày dd/mm/yyyy; bắt buộc)" in capsys.readouterr().out

    out = tmp_path / "so-du-an.tsv"
    argv = ["--store", demo_url, "export", "track-counts", "--out", str(out)]
    assert main(argv) == 1
    assert "needs option --as-of DATE" in capsys.readouterr().err
    assert main([*argv, "--as-of", "21/02/2024"]) == 0
    counts = dict(line.split("\t") for line in out.read_text("utf-8").splitlines())
    assert counts["terminate"] == "4" and sum(map(int, counts.values())) == 78
