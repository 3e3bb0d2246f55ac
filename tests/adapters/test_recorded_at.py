"""Recorded times in the future are refused beyond a stated tolerance of the service's clock,
and a record stored with one (a typo such as year 2204) can still be corrected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from adapters.samples import CLERK, approve, delay
from dautu_adapters.cli.main import main
from dautu_adapters.service import ProjectService
from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.errors import InvalidValue, RuleViolation
from dautu_core.replay import from_records, state_at
from dautu_core.rules import RECORDED_AT_TOLERANCE
from dautu_core.vocab import CorrectionAction

NOW = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
TYPO = datetime(2204, 2, 21, 2, 0, tzinfo=UTC)  # 2024 typed as 2204


def _at(moment: datetime) -> cmd.RecordDelay:
    return attrs.evolve(delay("DA-F"), recorded_at=moment)


def _service(clock: datetime | None = NOW) -> ProjectService:
    if clock is None:
        return ProjectService.open("memory://")
    return ProjectService.open("memory://", clock=lambda: clock)


def test_the_tolerance_is_five_minutes() -> None:
    assert timedelta(minutes=5) == RECORDED_AT_TOLERANCE


def test_the_tolerance_can_be_set_and_the_check_turned_off() -> None:
    soon = datetime.now(UTC) + timedelta(hours=1)
    with ProjectService.open("memory://", recorded_at_tolerance=timedelta(hours=2)) as service:
        service.execute(approve("DA-F"))
        service.execute(_at(soon))
    with ProjectService.open("memory://", recorded_at_tolerance=None) as service:
        service.execute(approve("DA-F"))
        service.execute(_at(TYPO))
        assert service.load("DA-F").last_recorded_at == TYPO


def test_year_2204_is_refused_against_the_real_clock_and_nothing_is_written() -> None:
    with _service(None) as service:
        service.execute(approve("DA-F"))
        with pytest.raises(RuleViolation) as refused:
            service.execute(_at(TYPO))
        message = str(refused.value)
        assert "2204-02-21" in message and "5 minutes" in message and "5 phút" in message
        assert service.load("DA-F").version == 1
        service.execute(_at(datetime.now(UTC)))  # now is fine
        assert service.load("DA-F").version == 2


def test_a_stamping_clock_is_the_reference_and_its_times_pass() -> None:
    with _service(TYPO) as service:  # a clock that says 2204 stamps and accepts 2204
        service.execute(approve("DA-F"))
        assert service.load("DA-F").last_recorded_at == TYPO


def test_a_replacement_recorded_in_the_future_is_refused() -> None:
    with ProjectService.open("memory://") as service:
        service.execute(approve("DA-F"))
        service.execute(_at(datetime.now(UTC)))
        delayed = service.history("DA-F")[1].event()
        fix = cmd.CorrectEvent(
            project_code="DA-F",
            effective_date=delayed.effective_date,
            recorded_at=datetime.now(UTC),
            actor=CLERK,
            corrects_version=2,
            action=CorrectionAction.AMEND,
            reason="Sai lý do",
            replacement=attrs.evolve(delayed, recorded_at=TYPO, reason="Chậm bàn giao đất"),
        )
        with pytest.raises(RuleViolation) as refused:
            service.execute(fix)
        assert refused.value.field == "replacement.recorded_at"


def test_a_clock_without_an_offset_is_an_invalid_value() -> None:
    naive = datetime(2024, 3, 1, 8, 0)
    with ProjectService.open("memory://", clock=lambda: naive) as service:
        with pytest.raises(InvalidValue) as refused:
            service.execute(approve("DA-F"))
        assert refused.value.field == "clock"


@pytest.mark.parametrize("action", [CorrectionAction.RETRACT, CorrectionAction.AMEND])
def test_a_record_stored_with_a_far_future_time_can_be_corrected(
    action: CorrectionAction, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    # a store written before the rule: nothing checked the recorded time
    with ProjectService.open(url, recorded_at_tolerance=None) as old:
        old.execute(approve("DA-F"))
        old.execute(_at(TYPO))
    with ProjectService.open(url) as service:
        now = datetime.now(UTC)
        with pytest.raises(RuleViolation, match="recorded_in_order"):
            service.execute(attrs.evolve(delay("DA-F", n=9), recorded_at=now))
        typo = service.history("DA-F")[1].event()
        assert isinstance(typo, ev.DelayRecorded)
        replacement = (
            attrs.evolve(typo, recorded_at=now) if action is CorrectionAction.AMEND else None
        )
        service.execute(
            cmd.CorrectEvent(
                project_code="DA-F",
                effective_date=typo.effective_date,
                recorded_at=now,
                actor=CLERK,
                corrects_version=2,
                action=action,
                reason="Năm ghi nhận gõ nhầm 2204 thay cho 2024",
                replacement=replacement,
            )
        )
        # the way is open again for the project's next records
        service.execute(attrs.evolve(delay("DA-F", n=9), recorded_at=now + timedelta(seconds=1)))
        records = from_records(service.history("DA-F"))
    assert [r.version for r in records] == [1, 2, 3, 4]
    known_now = state_at(records, known_at=now)
    assert known_now.version == 3 and known_now.corrected_versions == frozenset({2})
    # as known just after the correction, the amended delay counts (its stored time is a typo)
    delays = known_now.delays_recorded
    assert bool(delays) == (action is CorrectionAction.AMEND)
    assert main(["--store", url, "history", "DA-F"]) == 0
    assert "2204" in capsys.readouterr().out


def test_history_of_a_record_at_the_very_end_of_year_9999_does_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'y9999.db'}"
    last = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)  # no Vietnam time exists for it
    with ProjectService.open(url, recorded_at_tolerance=None) as old:
        old.execute(approve("DA-F"))
        old.execute(_at(last))
    for lang, shown in (("vi", "31/12/9999 23:59 (giờ UTC)"), ("en", "9999-12-31 23:59 (UTC)")):
        assert main(["--store", url, "--lang", lang, "history", "DA-F"]) == 0
        assert shown in capsys.readouterr().out
