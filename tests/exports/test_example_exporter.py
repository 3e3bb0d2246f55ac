"""The example third-party exporter (``examples/dautu-geojson``) installs on its own and runs
through ``dautu export``: pip builds and installs it (no dependencies: dautu is already here)
into a folder of its own, and ``dautu`` finds it by its entry point, as it would after
``pip install dautu-geojson``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dautu-geojson"
DAUTU = Path(sys.executable).with_name("dautu")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a ``dautu`` that has dautu-geojson installed (strict plugins)."""
    work = tmp_path_factory.mktemp("geojson")
    source = work / "source"
    # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "dautu_geojson" / "plugin.py").is_file()
    env = {**os.environ, "PYTHONPATH": str(target), "DAUTU_STRICT_PLUGINS": "1"}
    env.pop("DAUTU_STORE", None)
    env["DAUTU_EXAMPLE_SOURCE"] = str(source)
    return env


def dautu(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DAUTU), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def test_the_installed_exporter_runs_through_dautu_export(
    installed: dict[str, str], tmp_path: Path
) -> None:
    store = ["--store", f"sqlite:///{tmp_path / 'demo.db'}"]
    assert dautu(installed, tmp_path, *store, "demo").returncode == 0

    listed = dautu(installed, tmp_path, "--lang", "en", "plugins")
    assert listed.returncode == 0, listed.stderr
    assert "dautu-geojson 0.1.0" in listed.stdout and "geojson — " in listed.stdout
    assert "--option places=VALUE (path)" in listed.stdout

    helped = dautu(installed, tmp_path, "export", "geojson", "--help")
    assert helped.returncode == 0 and "--as-of DATE" in helped.stdout

    refused = dautu(installed, tmp_path, *store, "export", "geojson", "--option",
                    "asof=2024-02-21", "--out", "x.geojson")  # fmt: skip
    assert refused.returncode == 1 and "--project, --as-of, places" in refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "x.geojson").exists()

    places = tmp_path / "toa-do.csv"
    places.write_text(
        "province,district,commune,longitude,latitude\nHải Dương,huyện Thanh Miện,,106.2,20.8\n",
        encoding="utf-8",
    )
    done = dautu(installed, tmp_path, *store, "export", "geojson", "--as-of", "21/02/2024",
                 "--option", f"places={places}", "--out", "du-an.geojson")  # fmt: skip
    assert done.returncode == 0, done.stderr
    layer = json.loads((tmp_path / "du-an.geojson").read_text("utf-8"))
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 78
    placed = [f for f in layer["features"] if f["geometry"] is not None]
    assert placed and all(f["properties"]["district"] == "huyện Thanh Miện" for f in placed)
    assert placed[0]["geometry"] == {"type": "Point", "coordinates": [106.2, 20.8]}


def test_the_example_passes_its_own_tests(installed: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=installed["DAUTU_EXAMPLE_SOURCE"], env=installed, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
