"""Bitemporal replay: as of an effective date, as known at a recorded time; corrections; the
difference between two points; the history listing; the explanation of a state."""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.samples import DEPARTMENT, INSPECTOR, at, correction, env
from dautu_core import commands as cmd
from dautu_core.audit import explain
from dautu_core.decider import run
from dautu_core.events import ProjectApproved, ProjectChanges, ProjectEvent
from dautu_core.replay import (
    EntryStatus,
    Point,
    Recorded,
    diff,
    effective_events,
    from_events,
    history,
    known,
    state_at,
)
from dautu_core.rulebook import BUILTIN_RULEBOOKS, LAW_61_2020
from dautu_core.state import fold
from dautu_core.testing.samples import sample_approval
from dautu_core.testing.strategies import histories
from dautu_core.values import Money
from dautu_core.vocab import CorrectionAction, ProjectStatus, SuspensionGround, ViolationCategory

CODE = "DA-0001"
APPROVED = date(2022, 3, 15)


def lifetime() -> list[Recorded]:
    """A project's record with a backdated fact and two late corrections.

    v1 approval (capital 100 bn), recorded 15/03/2022
    v2 delay of construction start, effective 01/04/2023
    v3 violation VP-01 effective 10/05/2023 but recorded only on 01/03/2024 (backdated)
    v4 extension of 12 months effective 01/06/2023, recorded 02/03/2024
    v5 amendment of v1: capital was 120 bn, recorded 01/06/2024 by an inspector
    v6 retraction of v2 (the delay was entered by mistake), recorded 02/06/2024
    """
    commands: list[cmd.Command] = [
        sample_approval(CODE, APPROVED),
        cmd.RecordDelay(
            **env(CODE, date(2023, 4, 1)), milestone="construction_start", reason="Chậm GPMB"
        ),
        cmd.RecordViolation(
            **env(CODE, date(2023, 5, 10), at(date(2024, 3, 1))),
            violation_id="VP-01",
            category=ViolationCategory.LAND,
            description="Chậm đưa đất vào sử dụng",
            found_by=DEPARTMENT,
        ),
        # Recorded after the backdated violation: a stream's recorded times never go back.
        cmd.ExtendSchedule(**env(CODE, date(2023, 6, 1), at(date(2024, 3, 2))), months=12),
    ]
    _, events = run(commands)
    approval = events[0]
    assert isinstance(approval, ProjectApproved)
    assert approval.capital == Money.from_billion(100)
    amended = attrs.evolve(approval, capital=Money.from_billion(120))
    corrections: list[cmd.Command] = [
        correction(
            CODE,
            1,
            date(2024, 6, 1),
            at(date(2024, 6, 1)),
            action=CorrectionAction.AMEND,
            replacement=amended,
            reason="Sai số vốn đầu tư so với quyết định",
        ),
        correction(CODE, 2, date(2024, 6, 2), at(date(2024, 6, 2)), reason="Nhập nhầm dự án"),
    ]
    state = fold(events)
    _, more = run(corrections, state)
    return from_events([*events, *more])


def test_nothing_known_before_the_first_record() -> None:
    state = state_at(lifetime(), known_at=at(date(2022, 1, 1)))
    assert state.status is None and state.version == 0


def test_a_backdated_fact_counts_from_when_it_was_known() -> None:
    record = lifetime()
    before = state_at(record, as_of=date(2023, 12, 31), known_at=at(date(2024, 2, 21)))
    after = state_at(record, as_of=date(2023, 12, 31), known_at=at(date(2024, 3, 2)))
    assert "VP-01" not in before.violations
    assert after.violations["VP-01"].category is ViolationCategory.LAND
    # ...and from its effective date, on the other axis.
    early = state_at(record, as_of=date(2023, 5, 9))
    assert "VP-01" not in early.violations
    assert "VP-01" in state_at(record, as_of=date(2023, 5, 10)).violations


def test_a_late_correction_is_honoured_only_once_recorded() -> None:
    record = lifetime()
    as_of = date(2023, 12, 31)
    then = state_at(record, as_of=as_of, known_at=at(date(2024, 5, 31)))
    now = state_at(record, as_of=as_of)
    assert then.capital == Money.from_billion(100)
    assert now.capital == Money.from_billion(120)
    assert "construction_start" in then.delays_recorded
    assert "construction_start" not in now.delays_recorded
    assert then.corrected_versions == frozenset() and now.corrected_versions == {1, 2}


def test_a_correction_applies_to_dates_before_its_own_effective_date() -> None:
    """A correction changes what we know, not the legal facts' dates: the amended capital is
    the capital from the approval on, even as of a day before the correction was decided."""
    state = state_at(lifetime(), as_of=APPROVED)
    assert state.capital == Money.from_billion(120)


def test_diff_says_what_changed_in_what_we_knew() -> None:
    record = lifetime()
    as_of = date(2023, 12, 31)
    change = diff(
        record,
        Point(as_of=as_of, known_at=at(date(2024, 2, 21))),
        Point(as_of=as_of, known_at=at(date(2024, 6, 30))),
    )
    assert change.learned == (3, 4, 5, 6)
    assert change.appeared == (3, 4)
    assert change.disappeared == (2,)
    assert change.amended == (1,)
    fields = {c.field: (c.before, c.after) for c in change.changes}
    assert fields["capital"] == (Money.from_billion(100), Money.from_billion(120))
    assert "VP-01" in fields["violations"][1] and "VP-01" not in fields["violations"][0]
    same = Point(as_of=as_of, known_at=at(date(2024, 2, 21)))
    assert diff(record, same, same).is_empty


def test_diff_along_the_effective_axis_only() -> None:
    record = lifetime()
    change = diff(record, Point(as_of=date(2023, 1, 1)), Point(as_of=date(2023, 7, 1)))
    assert change.learned == ()
    assert change.appeared == (3, 4)
    assert {c.field for c in change.changes} >= {"violations", "extension_months_used"}


def test_history_shows_the_original_the_correction_who_and_why() -> None:
    entries = history(lifetime())
    by_version = {e.version: e for e in entries}
    approval, delay = by_version[1], by_version[2]
    assert approval.status is EntryStatus.AMENDED and approval.corrected_by == (5,)
    assert approval.replacement is not None
    assert approval.replacement.capital == Money.from_billion(120)  # type: ignore[attr-defined]
    assert approval.event.capital == Money.from_billion(100)  # type: ignore[attr-defined]
    assert delay.status is EntryStatus.RETRACTED and not delay.in_effect
    fix = by_version[6]
    assert fix.status is EntryStatus.CORRECTION and fix.corrects == 2
    assert fix.event.actor == INSPECTOR
    assert fix.event.reason == "Nhập nhầm dự án"  # type: ignore[attr-defined]
    assert [e.version for e in entries] == [1, 2, 3, 4, 5, 6]


def test_history_as_known_and_as_of_a_point() -> None:
    entries = history(lifetime(), as_of=date(2023, 5, 1), known_at=at(date(2024, 2, 21)))
    assert [(e.version, e.status) for e in entries] == [
        (1, EntryStatus.RECORDED),
        (2, EntryStatus.RECORDED),
    ]
    assert all(e.in_effect for e in entries)


def test_explain_points_at_the_events_and_rules_responsible() -> None:
    record = lifetime()
    explanation = explain(record, as_of=date(2024, 2, 21), known_at=at(date(2024, 3, 2)))
    lines = {line.topic: line for line in explanation.lines}
    assert explanation.rulebook_id == LAW_61_2020.id
    assert lines["status"].versions == (1,)
    extension = lines["extension"]
    assert extension.versions == (4,)
    assert extension.citations == (LAW_61_2020.cite("extension_cap"),)
    assert f"12/{LAW_61_2020.extension_cap_months}" in extension.text_vi
    assert lines["violations:land"].versions == (3,)
    assert lines["milestone:construction_start"].versions == (1, 2, 4)
    later = explain(record, as_of=date(2024, 7, 1))
    topics = {line.topic for line in later.lines}
    assert {"correction:1", "correction:2"} <= topics
    assert "milestone:construction_start" in topics
    assert 2 not in {
        v for line in later.lines if line.topic.startswith("milestone") for v in line.versions
    }


def test_explain_a_pending_policy_adjustment_with_its_triggers() -> None:
    approval = sample_approval(CODE, APPROVED)
    request = cmd.RequestAdjustment(
        **env(CODE, date(2024, 1, 10)),
        changes=ProjectChanges(capital=Money.from_billion(150)),
        description="Tăng vốn đầu tư",
    )
    _, events = run([approval, request])
    explanation = explain(from_events(events), as_of=date(2024, 2, 1))
    pending = next(line for line in explanation.lines if line.topic == "pending_adjustment")
    assert pending.versions == (2,)
    assert pending.citations[0] == LAW_61_2020.cite("policy_adjustment_triggers")
    assert "capital_change" in pending.text_en


def test_explain_a_suspended_project_names_the_suspension() -> None:
    _, events = run(
        [
            sample_approval(CODE, APPROVED),
            cmd.SuspendProject(
                **env(CODE, date(2023, 2, 1)), ground=SuspensionGround.ENVIRONMENT_BREACH
            ),
        ]
    )
    explanation = explain(from_events(events), as_of=date(2023, 3, 1))
    status = explanation.lines[0]
    assert explanation.state.status is ProjectStatus.SUSPENDED
    assert status.versions == (2,) and "Ngừng hoạt động" in status.text_vi


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(min_size=1, max_size=10))
def test_unbounded_replay_is_the_plain_fold(events: list[ProjectEvent]) -> None:
    record = from_events(events)
    assert state_at(record) == fold(events)
    last_known = max(e.recorded_at for e in events)
    last_effective = max(e.effective_date for e in events)
    replacements = [
        e.replacement.effective_date  # type: ignore[attr-defined]
        for e in events
        if getattr(e, "replacement", None) is not None
    ]
    as_of = max([last_effective, *replacements])
    assert state_at(record, as_of=as_of, known_at=last_known) == fold(events)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(min_size=1, max_size=10), st.data())
def test_knowledge_only_grows_and_diffs_account_for_it(
    events: list[ProjectEvent], data: st.DataObject
) -> None:
    record = from_events(events)
    moments = sorted(e.recorded_at for e in events)
    early = data.draw(st.sampled_from(moments), label="T1")
    late = data.draw(st.sampled_from([m for m in moments if m >= early]), label="T2")
    assert {r.version for r in known(record, early)} <= {r.version for r in known(record, late)}
    change = diff(record, Point(known_at=early), Point(known_at=late))
    before = dict(effective_events(record, known_at=early))
    after = dict(effective_events(record, known_at=late))
    assert set(change.appeared) == set(after) - set(before)
    assert set(change.disappeared) == set(before) - set(after)
    for version in change.learned:
        assert early < record[version - 1].event.recorded_at <= late
    if not change.learned:
        assert change.is_empty


@pytest.mark.parametrize("as_of", [date(2022, 1, 1), date(2030, 1, 1)])
def test_explain_uses_the_rulebook_in_force_on_the_date(as_of: date) -> None:
    record = lifetime()
    if as_of < APPROVED:
        explanation = explain(record, as_of=as_of)
        assert explanation.state.status is None
    else:
        explanation = explain(record, as_of=as_of)
        assert explanation.rulebook_id == BUILTIN_RULEBOOKS.in_force(as_of).id
        assert explanation.rulebook_id == "vn.law-143-2025"


def test_replay_accepts_any_recorded_time_zone() -> None:
    record = lifetime()
    hanoi = at(date(2024, 3, 1))
    utc = datetime.fromtimestamp(hanoi.timestamp()).astimezone()
    assert state_at(record, known_at=hanoi) == state_at(record, known_at=utc)
