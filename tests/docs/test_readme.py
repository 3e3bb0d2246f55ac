"""The README's promises: its first commands, its embedding example, its adapter section."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_the_demo_and_test_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["python3 tasks.py demo", "python3 tasks.py test"]
    assert README.index("```sh") < README.index("```python")
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert 'task == "demo"' in tasks and 'task == "test"' in tasks


def test_the_readme_has_a_storage_adapter_section_pointing_at_real_files() -> None:
    assert "## Writing a storage adapter" in README
    for path in re.findall(r"\]\(((?:docs|examples)/[^)#]+)\)", README):
        assert (ROOT / path).exists(), path


def test_the_embedding_example_runs_against_the_demo_store(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", README, re.S)[0]
    env = {**os.environ, "DAUTU_STORE": "sqlite:///dautu.db"}
    dautu = Path(sys.executable).with_name("dautu")
    demo = subprocess.run(
        [str(dautu), "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert demo.returncode == 0, demo.stderr
    run = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Đang thực hiện" in run.stdout
    again = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # The same violation id cannot be recorded twice: the rules refuse, nothing is written.
    assert again.returncode != 0
    assert "violation_id_unique" in again.stderr


@pytest.mark.parametrize("doc", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_docs_link_only_to_existing_files(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?:|#)([^)#]+)", text):
        assert (doc.parent / target).exists() or (ROOT / target).exists(), (doc.name, target)


def _fields_table() -> dict[str, tuple[list[str], list[str]]]:
    marker = "<!-- command fields:"
    assert marker in README
    table = README.split(marker, 1)[1].split("\n\n", 1)[0]
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for line in table.splitlines()[3:]:
        name, required, optional = (cell.strip() for cell in line.strip("|").split("|"))
        rows[name.strip("`")] = (
            re.findall(r"`([a-z_]+)`", required),
            re.findall(r"`([a-z_]+)`", optional),
        )
    return rows


def test_the_readme_lists_every_commands_required_and_optional_fields() -> None:
    import attrs

    from dautu_core import commands

    envelope = {f.name for f in attrs.fields(commands.Command)}
    table = _fields_table()
    assert set(table) == set(commands.__all__) - {"Command"}
    for name, (required, optional) in table.items():
        fields = [f for f in attrs.fields(getattr(commands, name)) if f.name not in envelope]
        assert required == [f.name for f in fields if f.default is attrs.NOTHING], name
        assert optional == [f.name for f in fields if f.default is not attrs.NOTHING], name


def test_every_command_class_documents_each_field_with_an_example() -> None:
    import attrs

    from dautu_core import commands

    envelope = {f.name for f in attrs.fields(commands.Command)}
    for name in commands.__all__:
        cls = getattr(commands, name)
        doc = cls.__doc__ or ""
        fields = attrs.fields(cls)
        own = fields if name == "Command" else [f for f in fields if f.name not in envelope]
        for field in own:
            entry = re.search(rf"^\s*- ``{field.name}`` \((?P<unit>[^)]+)\)[^`]*``", doc, re.M)
            assert entry is not None, (name, field.name)


def test_the_review_from_python_takes_the_service(tmp_path: Path) -> None:
    example = next(
        b for b in re.findall(r"```python\n(.*?)```", README, re.S) if "review_store(service" in b
    )
    assert "service.store" not in example
    env = {k: v for k, v in os.environ.items() if k != "DAUTU_STORE"}
    dautu = Path(sys.executable).with_name("dautu")
    subprocess.run(
        [str(dautu), "demo"], cwd=tmp_path, env=env, check=True, capture_output=True, timeout=300
    )
    run = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    counts, delayed = run.stdout.splitlines()
    assert counts.startswith("{'terminate': 4, 'resolve_violation_then_adjust': 18,")
    assert delayed == "74 delayed; {'approved': 76, 'suspended': 2}"
