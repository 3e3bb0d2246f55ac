"""Strategies for the value objects (money, areas, schedules, investors, places...)."""

from __future__ import annotations

import functools
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from dautu_core import events as ev
from dautu_core.testing._primitives import (
    _AUTHORITIES,
    _DISTRICTS,
    _FOREIGN_NAMES,
    _FORM,
    _INSTRUMENTS,
    _PROVINCES,
    _choice,
    _enum,
    _ints,
    _optional,
    effective_dates,
    vietnamese_text,
)
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
from dautu_core.vocab import (
    AuthorityLevel,
    MilestoneKind,
)

# --- values ---------------------------------------------------------------------------------


@functools.cache
def money() -> st.SearchStrategy[Money]:
    """Whole đồng from 0 to 10**21 (past 2**64), small amounts and round billions included."""
    return st.one_of(
        _ints(0, 10**21).map(Money),
        _ints(0, 100_000).map(lambda b: Money(b * 1_000_000_000)),
    )


@functools.cache
def land_areas() -> st.SearchStrategy[LandArea]:
    """Exact areas in square metres (``Decimal`` with up to 4 places), up to 10,000 ha."""
    return st.decimals(
        min_value=Decimal(0),
        max_value=Decimal(100_000_000),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    ).map(LandArea)


_PHASE_LABELS = ("Giai đoạn 1", "Giai đoạn 2", "Giai đoạn 3")


@functools.cache
def milestones(dates: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[Milestone]:
    """One milestone of any kind; phases carry a label, in NFC or NFD."""
    due = dates if dates is not None else effective_dates()
    fixed = st.builds(
        Milestone,
        kind=st.sampled_from([k for k in MilestoneKind if k is not MilestoneKind.PHASE]),
        due=due,
    )
    phase = st.builds(
        Milestone,
        kind=st.just(MilestoneKind.PHASE),
        due=due,
        label=_choice(_PHASE_LABELS),
    )
    return st.one_of(fixed, phase)


@functools.cache
def schedules(dates: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[Schedule]:
    """A schedule with unique milestone keys: some of the fixed kinds plus up to two phases."""
    return _schedules(dates if dates is not None else effective_dates())


@st.composite
def _schedules(draw: st.DrawFn, due: st.SearchStrategy[date]) -> Schedule:
    kinds = draw(
        st.lists(
            st.sampled_from([k for k in MilestoneKind if k is not MilestoneKind.PHASE]),
            unique=True,
            min_size=1,
        )
    )
    phases = draw(_ints(0, 2))
    items = [Milestone(kind=k, due=draw(due)) for k in kinds]
    items += [
        Milestone(
            kind=MilestoneKind.PHASE,
            due=draw(due),
            label=unicodedata.normalize(draw(_FORM), _PHASE_LABELS[i]),
        )
        for i in range(phases)
    ]
    return Schedule(tuple(draw(st.permutations(items))))


@functools.cache
def enterprise_codes() -> st.SearchStrategy[str]:
    """Enterprise (tax) codes: 10 digits, or 13 for a branch with or without the dash."""
    ten = st.text(alphabet="0123456789", min_size=10, max_size=10)
    branch = st.text(alphabet="0123456789", min_size=3, max_size=3)
    return st.one_of(
        ten,
        st.builds(lambda a, b: f"{a}-{b}", ten, branch),
        st.builds(lambda a, b: a + b, ten, branch),
    )


@functools.cache
def investors() -> st.SearchStrategy[Investor]:
    """Domestic investors with Vietnamese names and foreign ones (German, Danish...)."""
    domestic = st.builds(
        Investor,
        name=vietnamese_text(),
        nationality=st.just("VN"),
        enterprise_code=_optional(enterprise_codes()),
    )
    foreign = st.builds(
        Investor,
        name=_choice(_FOREIGN_NAMES),
        nationality=st.sampled_from(("DE", "DK", "FR", "SG", "KR", "JP")),
        enterprise_code=_optional(enterprise_codes()),
    )
    return st.one_of(domestic, foreign)


@functools.cache
def locations() -> st.SearchStrategy[Location]:
    """Places as named at the time (districts included, as before 1 Jul 2025)."""
    return st.builds(
        Location,
        province=st.one_of(_choice(_PROVINCES), vietnamese_text(max_words=2)),
        district=_optional(_choice(_DISTRICTS)),
        commune=_optional(vietnamese_text(max_words=2)),
        inside_industrial_zone=st.booleans(),
    )


@functools.cache
def authorities(*, districts: bool = True) -> st.SearchStrategy[Authority]:
    """Public bodies as named at the time, with or without a level; ``districts=False`` leaves
    out district-level bodies (for dates after 1 Jul 2025, when the tier was abolished)."""
    levels = _enum(AuthorityLevel)
    if not districts:
        levels = levels.filter(lambda level: level is not AuthorityLevel.DISTRICT)
    return st.builds(
        Authority,
        name=st.one_of(_choice(_AUTHORITIES), vietnamese_text()),
        level=_optional(levels),
    )


@functools.cache
def actors() -> st.SearchStrategy[Actor]:
    """Who recorded a fact."""
    return st.builds(
        Actor,
        user_id=st.text(
            alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12
        ).map(lambda s: f"u{s}"),
        name=vietnamese_text(max_words=4),
        unit=st.one_of(_choice(_AUTHORITIES), vietnamese_text(max_words=3)),
    )


@functools.cache
def legal_bases() -> st.SearchStrategy[LegalBasis]:
    """Citations: instrument, optional article, clause, point and note."""
    return st.builds(
        LegalBasis,
        instrument=_choice(_INSTRUMENTS),
        article=_optional(_ints(1, 120).map(str)),
        clause=_optional(_ints(1, 10).map(str)),
        point=_optional(_choice(("a", "b", "c", "d", "đ", "e"))),
        note=_optional(vietnamese_text(max_words=3)),
    )


@functools.cache
def document_refs(dates: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[DocumentRef]:
    """References to official documents such as ``1234/QĐ-UBND`` with their date."""
    kinds = _choice(("QĐ-UBND", "QĐ-SKHĐT", "QĐ-XPHC", "BB-VPHC", "TB-UBND"))
    return st.builds(
        DocumentRef,
        number=st.builds(lambda n, k: f"{n}/{k}", _ints(1, 9999), kinds),
        issued_on=dates if dates is not None else effective_dates(),
        issuer=_optional(_choice(_AUTHORITIES)),
        title=_optional(vietnamese_text()),
    )


@functools.cache
def project_changes() -> st.SearchStrategy[ev.ProjectChanges]:
    """What an adjustment changes: at least one of capital, schedule, land, location..."""
    return _project_changes()


@st.composite
def _project_changes(draw: st.DrawFn) -> ev.ProjectChanges:
    options = _change_options()
    required = draw(_REQUIRED_CHANGE)
    values = {
        name: draw(strategy if name == required else _optional(strategy))
        for name, strategy in options.items()
    }
    return ev.ProjectChanges(**values)


@functools.cache
def _change_options() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "capital": money(),
        "schedule": schedules(),
        "land_area": land_areas(),
        "location": locations(),
        "objectives": vietnamese_text(),
        "investors": st.lists(investors(), min_size=1, max_size=2).map(tuple),
        "duration_years": _ints(1, 70),
    }


_CHANGE_NAMES = (
    "capital",
    "schedule",
    "land_area",
    "location",
    "objectives",
    "investors",
    "duration_years",
)
_REQUIRED_CHANGE = st.sampled_from(_CHANGE_NAMES)
