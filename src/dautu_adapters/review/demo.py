"""The demo scenario: a fictional province re-enacting the Hải Dương review of 21 Feb 2024.

Seventy-eight fictional projects (investors and names are marked "hư cấu", fictional; the
district names are the real ones of the time) with full histories from 2017 to early 2024:
approvals, milestones, delays, extensions, violations, sanctions, remedies, adjustment requests,
suspensions. Each project follows a *situation* (what happened to it, e.g. "suspended for an
environmental breach and the remedy deadline passed"); nothing in the record names a track.
The review rulebook, applied to these records as of 21 Feb 2024, proposes 4 / 18 / 42 / 6 / 3 /
5 projects in the article's six tracks; the tests prove it on a real SQLite store.

The department's decisions (``ReviewDecided``) are recorded afterwards the way a department
works: it adopts the proposal, except for two projects where it decided otherwise (so the review
has disagreements to show).

Deterministic: a seeded random generator picks dates, districts and amounts; recorded times are
derived from the effective dates (never the wall clock), so two runs give identical records.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

import attrs

from dautu_adapters.review.builder import ACTOR, DPI, ProjectBuilder
from dautu_adapters.review.situations import SITUATIONS
from dautu_adapters.service import ProjectService
from dautu_core import commands as cmd
from dautu_core.citations import investment_law
from dautu_core.dates import VIETNAM_TIME
from dautu_core.decider import run
from dautu_core.review import (
    BUILTIN_REVIEW_RULEBOOKS,
    ProjectReview,
    ReviewRulebooks,
    Track,
    review_project,
)
from dautu_core.values import DocumentRef, LegalBasis

__all__ = [
    "DEMO_CODE_PREFIX",
    "DEMO_REVIEW_DATE",
    "DEMO_REVIEW_ROUND",
    "DEMO_SEED",
    "DemoOutcome",
    "demo_decisions",
    "demo_histories",
    "demo_projects",
    "record_demo",
]

DEMO_REVIEW_DATE = date(2024, 2, 21)
DEMO_REVIEW_ROUND = "2024-02"
DEMO_SEED = 2024
DEMO_CODE_PREFIX = "DA-HD-"


def demo_projects(seed: int = DEMO_SEED) -> list[tuple[str, str, list[cmd.Command]]]:
    """``(situation, project code, commands)`` for every demo project, in a seeded order."""
    rng = random.Random(seed)
    plan = [situation for situation, count in SITUATIONS for _ in range(count)]
    rng.shuffle(plan)
    out = []
    for number, situation in enumerate(plan, start=1):
        code = f"{DEMO_CODE_PREFIX}{number:03d}"
        project = ProjectBuilder(code, number, random.Random(rng.getrandbits(64)))
        situation(project)
        out.append((situation.__name__, project.code, project.commands))
    return out


def demo_histories(seed: int = DEMO_SEED) -> dict[str, list[cmd.Command]]:
    """Every demo project's commands, by project code."""
    return {code: commands for _, code, commands in demo_projects(seed)}


_OVERRULED = {
    "extension_cap_exhausted": (
        Track.COMPLETE_PROCEDURES,
        "Sở cho phép hoàn thiện thủ tục: nhà đầu tư chứng minh chậm do bàn giao đất (hư cấu)",
    ),
    "reporting_violation_only": (
        Track.RESOLVE_VIOLATION_THEN_ADJUST,
        "Sở đề nghị xử lý vi phạm trước khi xem xét điều chỉnh (hư cấu)",
    ),
}


def _decision_basis(
    review: ProjectReview, track: Track, rulebooks: ReviewRulebooks
) -> tuple[LegalBasis, ...]:
    """A decision rests on the citations of the rules that proposed its track; a decision
    that overrules the proposal (both overrulings of the demo concern the adjustment
    procedure) cites the Law on Investment's article on adjustments."""
    book = rulebooks.in_force(review.as_of)
    cited: list[LegalBasis] = []
    for reason in review.reasons:
        if reason.track is track:
            cited += [c for c in book.rule(reason.rule_id).citations if c not in cited]
    return tuple(cited) or (investment_law(review.as_of, "41"),)


def demo_decisions(
    seed: int = DEMO_SEED, rulebooks: ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS
) -> dict[str, cmd.RecordReviewDecision]:
    """The department's decisions of the 2024-02 round, by project code: it adopts the
    rulebook's proposal for every project, except one project of two situations where it
    decided otherwise."""
    overruled: set[str] = set()
    decisions: dict[str, cmd.RecordReviewDecision] = {}
    for situation, code, commands in demo_projects(seed):
        state, _ = run(commands)
        review = review_project(state, DEMO_REVIEW_DATE, rulebooks)
        track, notes = review.primary_track, None
        if situation in _OVERRULED and situation not in overruled:
            overruled.add(situation)
            track, notes = _OVERRULED[situation]
        decisions[code] = cmd.RecordReviewDecision(
            project_code=code,
            effective_date=DEMO_REVIEW_DATE,
            recorded_at=datetime.combine(DEMO_REVIEW_DATE, time(16, 30), VIETNAM_TIME),
            actor=ACTOR,
            legal_basis=_decision_basis(review, track, rulebooks),
            documents=(
                DocumentRef(
                    number="35/BC-SKHĐT",
                    issued_on=DEMO_REVIEW_DATE,
                    issuer="Sở Kế hoạch và Đầu tư tỉnh Hải Dương",
                    title="Báo cáo rà soát dự án ngoài khu công nghiệp (hư cấu)",
                ),
            ),
            track=track.value,
            review_round=DEMO_REVIEW_ROUND,
            authority=DPI,
            notes=notes,
        )
    return decisions


@attrs.frozen
class DemoOutcome:
    """What ``record_demo`` did: projects and records written, projects already there."""

    project_codes: tuple[str, ...]
    recorded_projects: int
    recorded_events: int
    skipped_projects: int


def record_demo(
    service: ProjectService,
    *,
    seed: int = DEMO_SEED,
    rulebooks: ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
) -> DemoOutcome:
    """Record the demo projects that are not in the store yet, in one transaction.

    Projects already in the store (an earlier run) are left untouched, so running the demo
    twice writes nothing the second time.
    """
    histories = demo_histories(seed)
    decisions = demo_decisions(seed, rulebooks)
    existing = set(service.project_codes())
    commands: list[cmd.Command] = []
    missing = [code for code in histories if code not in existing]
    for code in missing:
        commands.extend(histories[code])
        commands.append(decisions[code])
    records = service.execute_batch(commands) if commands else []
    return DemoOutcome(
        project_codes=tuple(histories),
        recorded_projects=len(missing),
        recorded_events=len(records),
        skipped_projects=len(histories) - len(missing),
    )
