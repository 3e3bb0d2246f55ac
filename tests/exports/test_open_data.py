"""Open data: the OC4IDS package validates against the 0.9.5 schemas (offline) and says what
the record says; the events export is every stored record, exactly as stored."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from audit.samples import project_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_adapters.exporters.oc4ids import oc4ids_package
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core import commands as cmd
from dautu_core.record import GENESIS
from dautu_core.replay import from_records, state_at
from dautu_core.testing import command_sequences
from dautu_core.vocab import ProjectStatus
from exports.conftest import run
from exports.oc4ids_schema import codelist, schema_errors

AS_OF = "2024-02-21"


def _review(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, dict[str, object]]:
    code, out = run(capsys, "--store", url, "review", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    return {p["code"]: p for p in json.loads(out)["projects"]}


def test_the_oc4ids_package_of_the_demo_is_valid_and_says_what_the_record_says(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "oc4ids.json"
    code, text = run(capsys, "--store", demo_url, "export", "oc4ids", "--as-of", AS_OF,
                     "--out", str(out))  # fmt: skip
    assert code == 0, text
    package = json.loads(out.read_text("utf-8"))
    assert schema_errors(package) == []
    assert package["version"] == "0.9" and package["publisher"]["name"]
    review = _review(capsys, demo_url)
    projects = {p["identifiers"][0]["id"]: p for p in package["projects"]}
    assert set(projects) == set(review)
    for code_, reviewed in review.items():
        project = projects[code_]
        assert project["id"] == f"oc4ids-xxxxxx-{code_}"
        assert project["title"] == reviewed["name"]
        assert (project["status"] == "cancelled") == (reviewed["status"] == "terminated")
        if project["status"] == "cancelled":
            assert project["completion"]["endDate"]
        assert project["budget"]["amount"]["currency"] == "VND"
        assert project["milestones"][0]["code"] == "projectApproval"
    statuses = {p["status"] for p in package["projects"]}
    assert statuses <= codelist("projectStatus.csv") and len(statuses) > 1
    roles = {r for p in package["projects"] for party in p["parties"] for r in party["roles"]}
    assert roles <= codelist("partyRole.csv")
    milestone_codes = {
        m["code"] for p in package["projects"] for m in p["milestones"] if "code" in m
    }
    assert milestone_codes <= codelist("milestoneCode.csv")
    # a milestone past due and not met on the review date is notMet; met ones carry dateMet
    for project in package["projects"]:
        for milestone in project["milestones"]:
            assert (milestone["status"] == "met") == ("dateMet" in milestone)
    # the same store gives the same file
    again = tmp_path / "again.json"
    run(capsys, "--store", demo_url, "export", "oc4ids", "--as-of", AS_OF, "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_oc4ids_for_one_project_and_its_options(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "one.json"
    code, text = run(
        capsys, "--store", demo_url, "export", "oc4ids", "--project", "DA-HD-001",
        "--as-of", AS_OF, "--option", "prefix=oc4ids-abc123", "--option",
        "publisher=Sở Tài chính tỉnh Hải Dương", "--option", "uri=https://example.invalid/p",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, text
    package = json.loads(out.read_text("utf-8"))
    assert schema_errors(package) == []
    assert [p["id"] for p in package["projects"]] == ["oc4ids-abc123-DA-HD-001"]
    assert package["publisher"] == {"name": "Sở Tài chính tỉnh Hải Dương"}
    assert package["uri"] == "https://example.invalid/p"
    code, text = run(capsys, "--store", demo_url, "export", "oc4ids", "--project", "KHONG-CO",
                     "--out", str(tmp_path / "none.json"))  # fmt: skip
    assert code == 1 and "KHONG-CO" in text and not (tmp_path / "none.json").exists()
    code, text = run(capsys, "--store", demo_url, "export", "oc4ids", "--as-of", "01/01/1990",
                     "--out", str(tmp_path / "early.json"))  # fmt: skip
    assert code == 1 and "oc4ids_projects" in text and not (tmp_path / "early.json").exists()


def _lives() -> st.SearchStrategy[list[list[cmd.Command]]]:
    codes = st.lists(st.sampled_from(["2165432100", "DA-07/2019", "GCN 0412"]), min_size=1,
                     max_size=3, unique=True)  # fmt: skip
    return codes.flatmap(
        lambda cs: st.tuples(*(command_sequences(c, max_size=8) for c in cs)).map(list)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lives(), st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 12, 31)))
def test_any_generated_store_gives_a_valid_package(
    lives: list[list[cmd.Command]], as_of: date
) -> None:
    # generated lives are recorded at any time, the future included: no clock check here
    service = ProjectService(open_store("memory://"), recorded_at_tolerance=None)
    for commands in lives:
        service.execute_batch(commands)
    try:
        package = oc4ids_package(service.store, as_of=as_of)
    except Exception as exc:  # only "nothing approved yet" is an acceptable refusal
        assert getattr(exc, "rule_id", None) == "oc4ids_projects", exc
        return
    assert schema_errors(package) == []
    for project in package["projects"]:
        recorded = from_records(service.store.read_stream(project["identifiers"][0]["id"]))
        state = state_at(recorded, as_of=as_of)
        assert project["title"] == state.project_name
        assert state.capital is not None
        assert project["budget"]["amount"] == {"amount": state.capital.dong, "currency": "VND"}
        terminated = state.status is ProjectStatus.TERMINATED
        assert (project["status"] == "cancelled") == terminated
        assert ("completion" in project) == terminated
        met = {m["id"] for m in project["milestones"] if m["status"] == "met"}
        assert met == {"approval", *state.milestones_met} & {m["id"] for m in project["milestones"]}


# --- events --------------------------------------------------------------------------------


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_the_events_export_is_every_record_exactly_as_stored(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.jsonl"
    code, text = run(capsys, "--store", demo_url, "export", "events", "--out", str(out))
    assert code == 0, text
    lines = _lines(out)
    store = open_store(demo_url)
    try:
        log = store.read_log()
        assert [line["position"] for line in lines] == [r.position for r in log]
        for line, record in zip(lines, log, strict=True):
            stored = str(line["record"]).encode("utf-8")
            assert stored == record.data, "the stored bytes, unchanged"
            assert line["hash"] == hashlib.sha256(stored).hexdigest() == record.hash
            parsed = json.loads(stored)
            assert line["type"] == parsed["type"] == record.type_name
            assert line["schema_version"] == parsed["schema_version"]
            assert (line["project_code"], line["version"]) == (record.project_code, record.version)
    finally:
        store.close()
    # each project's chain can be followed from the lines alone
    heads: dict[object, object] = {}
    for line in lines:
        assert line["prev"] == heads.get(line["project_code"], GENESIS)
        heads[line["project_code"]] = line["hash"]

    one = tmp_path / "one.jsonl"
    code, _ = run(capsys, "--store", demo_url, "export", "events", "--project", "DA-HD-002",
                  "--out", str(one))  # fmt: skip
    assert code == 0
    assert _lines(one) == [line for line in lines if line["project_code"] == "DA-HD-002"]
    code, text = run(capsys, "--store", demo_url, "export", "events", "--project", "KHONG-CO",
                     "--out", str(tmp_path / "none.jsonl"))  # fmt: skip
    assert code == 1 and "KHONG-CO" in text and not (tmp_path / "none.jsonl").exists()
    code, text = run(capsys, "--store", demo_url, "export", "events", "--as-of", AS_OF,
                     "--out", str(tmp_path / "x.jsonl"))  # fmt: skip
    assert code == 1 and "--as-of" in text


def test_the_events_export_reads_the_log_in_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dautu_adapters.exporters import events

    monkeypatch.setattr(events, "PAGE_SIZE", 7)
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
    service = ProjectService(store)
    try:
        for code in ("A-1", "B-2", "C-3"):
            service.execute_batch(project_commands(code))
        paths = events.export_events(store, tmp_path, {"now": datetime.now(UTC)})
        lines = _lines(paths[0])
        assert paths[0].name == "events.jsonl"
        assert [line["position"] for line in lines] == list(range(1, len(store.read_log()) + 1))
        assert len(lines) > 7 * 2
        # written whole under a private temporary name, then given ordinary permissions
        assert paths[0].stat().st_mode & 0o777 == 0o666 & ~_umask()
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    finally:
        store.close()


def test_the_events_and_oc4ids_exports_read_a_postgresql_store(
    postgres_url: str, tmp_path: Path
) -> None:
    from dautu_adapters.exporters import events

    store = open_store(postgres_url)
    try:
        service = ProjectService(store)
        for code in ("A-1", "B-2"):
            service.execute_batch(project_commands(code))
        (path,) = events.export_events(store, tmp_path / "e.jsonl", {})
        lines = _lines(path)
        log = store.read_log()
        assert [str(line["record"]).encode() for line in lines] == [r.data for r in log]
        assert [line["hash"] for line in lines] == [r.hash for r in log]
        package = oc4ids_package(store, as_of=date(2031, 1, 1))
        assert schema_errors(package) == [] and len(package["projects"]) == 2
    finally:
        store.close()


def test_a_failed_export_leaves_no_file_and_the_previous_one_untouched(tmp_path: Path) -> None:
    from dautu_adapters.exporters.files import whole_file

    target = tmp_path / "out.json"
    target.write_text("previous\n", "utf-8")
    with pytest.raises(RuntimeError), whole_file(target) as handle:
        handle.write("half")
        raise RuntimeError("the store failed on the last page")
    assert target.read_text("utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
