"""What the HTML tests share: a real headless chromium, a store with an eventful project.

(A module, not a ``conftest.py``: this folder cannot be a package named ``html`` without
hiding the standard library's, so its test modules import their fixtures from here.)

``browser``: one chromium for the session. Without chromium the browser tests are skipped
with the reason, except in CI (``CI`` set), where a missing chromium is a failure: CI must
prove the pages in a real browser (``.ci/run`` installs Debian's package).

Screenshots are test artefacts, written to ``tests-artifacts/html/`` at the repository root
(``$DAUTU_TEST_ARTIFACTS`` overrides the folder), kept after the run for people to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import attrs
import pytest
from html_cdp import Browser, chromium, find_chromium

from dautu_adapters.service import ProjectService
from dautu_core import commands as cmd
from dautu_core.decider import run
from dautu_core.testing.samples import VIETNAM_TIME, sample_approval, sample_envelope
from dautu_core.values import Actor, Authority, DocumentRef, LegalBasis, Money
from dautu_core.vocab import (
    AuthorityLevel,
    CorrectionAction,
    SuspensionGround,
    TerminationGround,
    ViolationCategory,
)

ROOT = Path(__file__).resolve().parents[2]
CODE = "DA-HTML-01"
HOSTILE_NAME = 'Khu <script>window.__pwned = 1</script> & "Sông Hồng" <b>đậm</b>'
"""A project name a clerk might paste: markup must be shown as text, never run."""
PROVINCE = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
INSPECTOR = Actor(user_id="thanhtra02", name="Trần Thị Lan", unit="Thanh tra Sở")
DECREE_122 = LegalBasis(instrument="122/2021/NĐ-CP", article="15")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("DAUTU_TEST_ARTIFACTS") or ROOT / "tests-artifacts") / "html"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: in CI the HTML pages must be tested in it")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    with chromium(binary, tmp_path_factory.mktemp("chromium-profile")) as found:
        yield found


def _env(on: date, hour: int = 9, **kwargs: Any) -> dict[str, Any]:
    recorded = datetime.combine(on, time(hour, 0), tzinfo=VIETNAM_TIME)
    return sample_envelope(CODE, on, recorded_at=recorded, **kwargs)


def eventful_commands() -> list[cmd.Command]:
    """Approval (a hostile name), a milestone met, a delay, an extension later amended, a
    violation found and sanctioned, a suspension and its end, a wrong delay retracted, and a
    partial termination: every kind of mark the timeline draws."""
    approval = sample_approval(CODE, date(2021, 3, 15), project_name=HOSTILE_NAME)
    extension = cmd.ExtendSchedule(**_env(date(2022, 2, 1)), months=12)
    _, events = run([approval, extension])
    amended = attrs.evolve(events[1], months=9)
    return [
        approval,
        cmd.RecordMilestoneMet(**_env(date(2021, 9, 10)), milestone="capital_contribution"),
        cmd.RecordDelay(
            **_env(date(2022, 1, 10)),
            milestone="construction_start",
            reason="Chậm giải phóng mặt bằng",
        ),
        extension,
        cmd.RecordViolation(
            **_env(date(2022, 6, 1), documents=(DocumentRef("15/BB-TTr", date(2022, 6, 1)),)),
            violation_id="VP-01",
            category=ViolationCategory.LAND,
            description="Sử dụng đất sai mục đích",
            found_by=PROVINCE,
        ),
        cmd.SanctionViolation(
            **_env(date(2022, 7, 1), legal_basis=(DECREE_122,)),
            violation_id="VP-01",
            sanctioning_authority=PROVINCE,
            decision=DocumentRef(number="12/QĐ-XPHC", issued_on=date(2022, 7, 1)),
            fine=Money(70_000_000),
        ),
        cmd.SuspendProject(
            **_env(date(2022, 8, 1)),
            ground=SuspensionGround.ENVIRONMENT_BREACH,
            authority=PROVINCE,
        ),
        cmd.ResumeProject(**_env(date(2022, 12, 1)), reason="Đã khắc phục"),
        cmd.CorrectEvent(
            **_env(date(2023, 1, 5), actor=INSPECTOR),
            corrects_version=3,
            action=CorrectionAction.RETRACT,
            reason="Ghi nhầm dự án",
        ),
        cmd.CorrectEvent(
            **_env(date(2023, 1, 6), actor=INSPECTOR),
            corrects_version=4,
            action=CorrectionAction.AMEND,
            reason="Quyết định giãn 9 tháng, không phải 12",
            replacement=amended,
        ),
        cmd.TerminateProject(
            **_env(date(2023, 6, 1)),
            ground=TerminationGround.INVESTOR_DECISION,
            authority=PROVINCE,
            partial=True,
            scope="Phân khu B",
        ),
    ]


def dautu(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``dautu ARGS`` in ``cwd`` as a user types it (the installed console script)."""
    binary = Path(sys.executable).with_name("dautu")
    return subprocess.run(
        [str(binary), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


def dautu_json(*args: str, cwd: Path) -> Any:
    done = dautu(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def eventful_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the eventful project; returns its folder (``dautu.db``)."""
    folder = tmp_path_factory.mktemp("eventful")
    with ProjectService.open(f"sqlite:///{folder / 'dautu.db'}") as service:
        for command in eventful_commands():
            service.execute(command)
    return folder
