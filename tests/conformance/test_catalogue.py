"""The kit fails every store of the broken catalogue, and every failure names the fault.

``broken_kits.py`` binds the kit to each store of ``broken_stores.py``; it runs once, in a
pytest of its own (the broken stores must fail there, not here), and its JUnit report says
which tests failed with which message. For each broken store: the tests that must catch it do,
and *every* failure says what the store did wrong in the same words, so no test blames the
wrong thing (a reversed read reported as re-encoded bytes, a half-written append reported as
a bare ``OSError``).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# class in broken_kits.py -> (words every failure must contain, tests that must fail)
CATALOGUE: dict[str, tuple[str, set[str]]] = {
    "TestReversedReads": (
        "in reverse order",
        {
            "test_read_stream_windows",
            "test_append_returns_gap_free_positions_and_exact_bytes",
            "test_old_schema_version_is_upcast_on_read_and_bytes_are_kept",
            "test_threads_share_one_store",
        },
    ),
    "TestReversedReadsInTheProcessRace": (
        "in reverse order",
        {"test_two_processes_write_the_same_project", "test_reopened_store_has_the_same_records"},
    ),
    "TestDroppedLastRecord": (
        "(the last record was dropped)",
        {"test_read_stream_windows", "test_append_returns_gap_free_positions_and_exact_bytes"},
    ),
    "TestReencodedJson": (
        "came back re-encoded: the same JSON written with other bytes",
        {
            "test_append_returns_gap_free_positions_and_exact_bytes",
            "test_old_schema_version_is_upcast_on_read_and_bytes_are_kept",
            "test_every_event_type_round_trips",
        },
    ),
    "TestNoConcurrencyCheck": (
        "optimistic concurrency",
        {
            "test_stale_expected_version_is_refused",
            "test_future_expected_version_is_refused",
            "test_new_stream_that_exists_is_refused",
            "test_expected_version_of_a_missing_stream_is_refused",
            "test_an_empty_batch_still_checks_its_expected_version",
            "test_multi_batch_append_is_all_or_nothing",
        },
    ),
    "TestHalfWrittenMultiBatch": (
        "records were left half-written",
        {
            "test_multi_batch_positions_follow_batch_order",
            "test_multi_batch_append_is_all_or_nothing",
        },
    ),
    "TestDeclaredOneProcessButSharesStorage": (
        "a second process opened the storage while this store had it open",
        {"test_a_second_process_is_refused_while_the_store_is_open"},
    ),
}
PASSING = ("TestCatalogueStore", "TestOneProcessAtATime")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """class -> {"failed": [test: message, ...], "passed": [...]} from one run of the kit."""
    report = tmp_path_factory.mktemp("catalogue") / "report.xml"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            str(ROOT / "tests" / "conformance" / "broken_kits.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case in ElementTree.parse(report).iter("testcase"):
        kit = str(case.get("classname")).rpartition(".")[2]
        name = str(case.get("name")).partition("[")[0]
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is not None:
            found[kit]["failed"].append(f"{name}: {failure.get('message')}")
        elif case.find("skipped") is None:
            found[kit]["passed"].append(name)
    return found


@pytest.mark.parametrize("kit", PASSING)
def test_the_sound_stores_of_the_catalogue_pass(
    outcomes: dict[str, dict[str, list[str]]], kit: str
) -> None:
    assert outcomes[kit]["passed"], f"{kit} did not run"
    assert outcomes[kit]["failed"] == [], "\n".join(outcomes[kit]["failed"])


def test_the_one_process_check_ran_on_the_store_declared_so(
    outcomes: dict[str, dict[str, list[str]]],
) -> None:
    assert (
        "test_a_second_process_is_refused_while_the_store_is_open"
        in (outcomes["TestOneProcessAtATime"]["passed"])
    )


@pytest.mark.parametrize("kit", sorted(CATALOGUE))
def test_each_broken_store_fails_and_every_failure_names_the_fault(
    outcomes: dict[str, dict[str, list[str]]], kit: str
) -> None:
    words, must_fail = CATALOGUE[kit]
    failures = outcomes[kit]["failed"]
    failed = {failure.partition(":")[0] for failure in failures}
    assert must_fail <= failed, f"{kit}: not caught by {sorted(must_fail - failed)}"
    misleading = [failure for failure in failures if words not in failure]
    assert not misleading, f"{kit}: failures that do not say {words!r}:\n" + "\n".join(misleading)
