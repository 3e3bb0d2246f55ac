"""Histories for the audit tests: real commands through the real decider, chained records.

``portfolio()`` gives a few fictional projects with interleaved histories (so the global log
mixes projects, as a department's does), including a backdated fact and a late correction.
``build_log()`` turns events into chained :class:`StoredRecord` the way the service does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from dautu_core import commands as cmd
from dautu_core import events as ev
from dautu_core.decider import run
from dautu_core.record import GENESIS, StoredRecord, make_record, record_hash
from dautu_core.testing.samples import SAMPLE_ACTOR, VIETNAM_TIME, sample_approval, sample_envelope
from dautu_core.values import Actor, Authority, LegalBasis
from dautu_core.vocab import AuthorityLevel, CorrectionAction, ViolationCategory

INSPECTOR = Actor(user_id="thanhtra02", name="Trần Thị Lan", unit="Thanh tra Sở Tài chính")
DEPARTMENT = Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL)
DECREE_122 = LegalBasis(instrument="122/2021/NĐ-CP", article="15")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=VIETNAM_TIME)


def env(
    code: str, on: date, recorded: datetime | None = None, actor: Actor = SAMPLE_ACTOR
) -> dict[str, Any]:
    return sample_envelope(code, on, recorded_at=recorded or at(on), actor=actor)


def project_commands(code: str, approved: date = date(2022, 3, 15)) -> list[cmd.Command]:
    """Approval, a delay, a violation, an extension, a remedy: an ordinary slow project."""
    return [
        sample_approval(code, approved),
        cmd.RecordDelay(
            **env(code, date(2023, 4, 1)),
            milestone="construction_start",
            reason="Chậm giải phóng mặt bằng",
        ),
        cmd.RecordViolation(
            **env(code, date(2023, 5, 10)),
            violation_id="VP-01",
            category=ViolationCategory.LAND,
            description="Sử dụng đất chậm tiến độ",
            found_by=DEPARTMENT,
        ),
        cmd.ExtendSchedule(**env(code, date(2023, 6, 1)), months=12),
        cmd.RemedyViolation(
            **env(code, date(2023, 9, 1)),
            violation_id="VP-01",
            description="Đã đưa đất vào sử dụng",
        ),
    ]


def events_of(commands: Sequence[cmd.Command]) -> list[ev.ProjectEvent]:
    return run(commands)[1]


def build_log(
    streams: dict[str, list[ev.ProjectEvent]], order: Iterable[str]
) -> list[StoredRecord]:
    """Interleave the projects' events in ``order`` (project codes, one per record)."""
    cursor = dict.fromkeys(streams, 0)
    last = dict.fromkeys(streams, GENESIS)
    log: list[StoredRecord] = []
    for code in order:
        event = streams[code][cursor[code]]
        cursor[code] += 1
        data = make_record(event, last[code])
        last[code] = record_hash(data)
        log.append(StoredRecord(code, cursor[code], len(log) + 1, event.TYPE_NAME, data))
    return log


def round_robin(streams: dict[str, list[ev.ProjectEvent]]) -> list[str]:
    order: list[str] = []
    remaining = {c: len(e) for c, e in streams.items()}
    while any(remaining.values()):
        for code in streams:
            if remaining[code]:
                order.append(code)
                remaining[code] -= 1
    return order


def portfolio() -> list[StoredRecord]:
    """Three fictional projects, interleaved in the global log."""
    streams = {
        code: events_of(project_commands(code, date(2022, 3, 15) + timedelta(days=30 * i)))
        for i, code in enumerate(("DA-0001", "DA-0002", "2165432100"))
    }
    return build_log(streams, round_robin(streams))


def correction(
    code: str,
    version: int,
    on: date,
    recorded: datetime,
    *,
    action: CorrectionAction = CorrectionAction.RETRACT,
    reason: str = "Nhập nhầm",
    replacement: ev.ProjectEvent | None = None,
) -> cmd.CorrectEvent:
    """An inspector's correction of ``version``: who (the envelope's actor) and why."""
    return cmd.CorrectEvent(
        **env(code, on, recorded, actor=INSPECTOR),
        corrects_version=version,
        action=action,
        reason=reason,
        replacement=replacement,
    )
