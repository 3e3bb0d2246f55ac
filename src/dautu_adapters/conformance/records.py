"""Records the kit writes: real events of the domain, chained as the core chains them.

Why real events and not opaque test bytes: a store that passes the kit must carry what dautu
actually writes (canonical JSON with Vietnamese text, dates, tz-aware datetimes, decimals), and
the kit checks that the bytes come back exactly and still decode to equal events. Adapter
authors can use these helpers in their own extra tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from dautu_core import events as ev
from dautu_core.codec import canonical_bytes
from dautu_core.dates import VIETNAM_TIME
from dautu_core.ports import NewRecord
from dautu_core.record import GENESIS, StoredRecord, make_record, record_hash
from dautu_core.values import (
    Actor,
    Authority,
    DocumentRef,
    Investor,
    LandArea,
    LegalBasis,
    Location,
    Milestone,
    Money,
    Schedule,
)
from dautu_core.vocab import AuthorityLevel, MilestoneKind, Regime, ViolationCategory

__all__ = [
    "UNUSUAL_PROJECT_CODES",
    "approval",
    "chain",
    "chain_after",
    "old_record",
    "unique_code",
    "violation",
]

UNUSUAL_PROJECT_CODES: tuple[str, ...] = (
    "2165432100",
    "DA-Hải Dương/2024 số 01",
    "da-hải dương/2024 số 01",
    "GCN 0123/QĐ-UBND 'cũ'",
    "50%_đất; DROP TABLE",
    "2165432100-1",
)
"""Project codes are opaque strings: the kit checks that a store keeps each one apart, exactly
(case, Vietnamese letters, quotes, SQL wildcards, one code a prefix of another)."""

_ACTOR = Actor(user_id="kiem-tra", name="Nguyễn Thị Hằng", unit="Phòng Đầu tư, Sở Tài chính")
_BASIS = (LegalBasis(instrument="61/2020/QH14", article="41", clause="4"),)


def unique_code(label: str) -> str:
    """A project code nobody else uses, so kit tests can share a store that is not empty."""
    return f"KIT-{label}-{uuid.uuid4().hex[:12]}-Đ"


def approval(code: str, *, day: date = date(2021, 3, 15)) -> ev.ProjectApproved:
    """An investment-policy approval with Vietnamese text, money, a decimal area and a schedule."""
    return ev.ProjectApproved(
        project_code=code,
        effective_date=day,
        recorded_at=datetime(2021, 3, 16, 9, 30, 15, 123456, tzinfo=VIETNAM_TIME),
        actor=_ACTOR,
        legal_basis=(LegalBasis(instrument="61/2020/QH14", article="32"),),
        documents=(DocumentRef(number="1234/QĐ-UBND", issued_on=day, issuer="UBND tỉnh"),),
        project_name="Nhà máy chế biến nông sản Gia Lộc",
        objectives="Chế biến rau quả xuất khẩu; kho lạnh bảo quản",
        investors=(Investor(name="Công ty TNHH Nông sản Hải Dương", enterprise_code="0801234567"),),
        location=Location(
            province="tỉnh Hải Dương", district="huyện Gia Lộc", commune="xã Gia Tân"
        ),
        capital=Money.from_billion(Decimal("125.5")),
        land_area=LandArea(Decimal("45210.75")),
        sector="Công nghiệp chế biến",
        schedule=Schedule(
            (
                Milestone(kind=MilestoneKind.CONSTRUCTION_START, due=date(2021, 9, 30)),
                Milestone(kind=MilestoneKind.OPERATION_START, due=date(2023, 6, 30)),
            )
        ),
        duration_years=50,
        authority=Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL),
        regime=Regime.POLICY_APPROVAL_AND_IRC,
    )


def violation(code: str, violation_id: str, *, day: date = date(2024, 2, 21)) -> ev.ViolationFound:
    """A violation found on inspection; ``violation_id`` tells records apart."""
    return ev.ViolationFound(
        project_code=code,
        effective_date=day,
        recorded_at=datetime(2024, 2, 21, 16, 5, tzinfo=VIETNAM_TIME),
        actor=_ACTOR,
        legal_basis=_BASIS,
        violation_id=violation_id,
        category=ViolationCategory.INVESTMENT,
        description="Chậm tiến độ đưa công trình vào hoạt động quá 24 tháng",
        found_by=Authority(name="Sở Kế hoạch và Đầu tư tỉnh Hải Dương"),
    )


def chain(events: Iterable[ev.ProjectEvent], prev: str = GENESIS) -> tuple[NewRecord, ...]:
    """Stored records of ``events``, each committing to the hash of the one before."""
    records = []
    for event in events:
        data = make_record(event, prev)
        records.append(NewRecord(event.TYPE_NAME, data))
        prev = record_hash(data)
    return tuple(records)


def chain_after(
    stream: Sequence[StoredRecord], events: Iterable[ev.ProjectEvent]
) -> tuple[NewRecord, ...]:
    """Like :func:`chain`, continuing a stream already read from a store."""
    return chain(events, stream[-1].hash if stream else GENESIS)


def old_record(type_name: str, schema_version: int, data: dict[str, object], prev: str) -> bytes:
    """Stored bytes as an older release wrote them (another payload shape, older version)."""
    return canonical_bytes(
        {"type": type_name, "schema_version": schema_version, "prev": prev, "data": data}
    )
