"""``dautu plugins`` and the ``--store`` helper, through the real command line entry point."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from adapters.conftest import project_records
from dautu_adapters.cli.main import main
from dautu_adapters.cli.store_commands import open_store_from_args
from dautu_core.ports import AppendBatch


def test_plugins_json_lists_builtin_stores_with_their_distribution(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plugins", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    by_name = {entry["name"]: entry for entry in report}

    stores = by_name["stores"]
    assert (stores["distribution"], stores["status"]) == ("dautu", "loaded")
    assert stores["version"]
    assert {s["name"] for s in stores["stores"]} >= {"memory", "sqlite", "postgresql"}
    core = by_name["dautu_core"]
    assert [r["name"] for r in core["rulebooks"]] == [
        "vn.law-67-2014",
        "vn.law-61-2020",
        "vn.law-143-2025",
    ]
    assert report[0]["name"] == "dautu_core"


def test_plugins_speaks_vietnamese_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["plugins"])
    vietnamese = capsys.readouterr().out
    main(["--lang", "en", "plugins"])
    english = capsys.readouterr().out

    assert "Plugin của dautu" in vietnamese and "Kho lưu trữ:" in vietnamese
    assert "dautu plugins" in english and "Stores:" in english
    assert "sqlite://" in vietnamese and "sqlite://" in english


def test_a_broken_plugin_is_listed_as_failed_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dautu_sick_plugin.py").write_text("import no_such_dependency\n")
    info = tmp_path / "dautu_sick-0.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dautu-sick\nVersion: 0.9\n")
    (info / "entry_points.txt").write_text("[dautu]\nsick = dautu_sick_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    assert main(["plugins", "--json"]) == 0
    captured = capsys.readouterr()
    (sick,) = [e for e in json.loads(captured.out) if e["distribution"] == "dautu-sick"]
    assert sick["status"] == "failed"
    assert "no_such_dependency" in sick["problems"][0]
    assert captured.err == ""


def test_open_store_from_args_uses_store_then_dautu_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = tmp_path / "explicit.db"
    store = open_store_from_args(argparse.Namespace(store=f"sqlite:///{explicit}"))
    store.append([AppendBatch("A", 0, project_records("A"))])
    store.close()
    assert explicit.exists()

    monkeypatch.setenv("DAUTU_STORE", "memory://")
    store = open_store_from_args(argparse.Namespace(store=None))
    assert store.max_position() == 0
    store.close()
