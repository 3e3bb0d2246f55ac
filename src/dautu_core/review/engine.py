"""``review_project``: propose the handling tracks of a project as of a date, with reasons.

Every rule of the rulebook in force on the review date that holds gives a :class:`Reason` (rule
id, the events it rests on as ``(project code, version)``, the citation). The project's tracks
are those of its reasons; its *primary* track is the first of them in the rulebook's
precedence (``on_track`` when no rule holds). An *exclusive* rule (the review's scope) ends the
review when it holds. The department's own decision, when recorded
(:class:`~dautu_core.events.ReviewDecided`), is shown next to the proposal with whether they
agree: the rulebook proposes, the department decides, and disagreements are visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from dautu_core import events as ev
from dautu_core.dates import format_vi_date
from dautu_core.replay import state_of
from dautu_core.review.builtin import BUILTIN_REVIEW_RULEBOOKS
from dautu_core.review.facts import Decision, ProjectFacts, facts_as_of, facts_of
from dautu_core.review.rulebook import ReviewRule, ReviewRulebook, ReviewRulebooks
from dautu_core.review.timeline import ProjectTimeline
from dautu_core.review.tracks import HANDLING_TRACKS, Track
from dautu_core.state import ProjectState

__all__ = [
    "EventRef",
    "PortfolioReview",
    "ProjectReview",
    "Reason",
    "ReviewSubject",
    "judge",
    "review_portfolio",
    "review_project",
]

ReviewSubject = (
    ProjectFacts | ProjectTimeline | ProjectState | Sequence[tuple[int, ev.ProjectEvent]]
)
"""What :func:`review_project` accepts: facts, a timeline, a state, or ``(version, event)``s."""


@attrs.frozen
class EventRef:
    """An event of the record: its project's stream and its version in it."""

    project_code: str
    version: int


@attrs.frozen(kw_only=True)
class Reason:
    """Why a track is proposed: which rule held, on which events, on what legal basis."""

    rule_id: str
    track: Track
    citation: str
    citation_vi: str
    events: tuple[EventRef, ...]
    detail_vi: str
    detail_en: str
    assumption: str | None = None

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "track": self.track.value,
            "citation": self.citation_vi if lang == "vi" else self.citation,
            "events": [{"project_code": e.project_code, "version": e.version} for e in self.events],
            "detail": self.detail_vi if lang == "vi" else self.detail_en,
            "assumption": self.assumption,
        }


@attrs.frozen(kw_only=True)
class ProjectReview:
    """The review of one project as of a date under one rulebook."""

    project_code: str
    as_of: date
    rulebook_id: str
    primary_track: Track
    tracks: tuple[Track, ...]
    reasons: tuple[Reason, ...]
    project_name: str | None = None
    district: str | None = None
    province: str | None = None
    status: str | None = None
    decision: Decision | None = None

    @property
    def agrees_with_decision(self) -> bool | None:
        """``None`` without a recorded decision, else whether it matches the primary track."""
        if self.decision is None:
            return None
        return self.decision.track == self.primary_track.value

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        decision = None
        if self.decision is not None:
            decision = {
                "track": self.decision.track,
                "review_round": self.decision.review_round,
                "decided_on": self.decision.on.isoformat(),
                "version": self.decision.version,
                "authority": self.decision.authority,
            }
        return {
            "code": self.project_code,
            "name": self.project_name,
            "district": self.district,
            "province": self.province,
            "status": self.status,
            "primary_track": self.primary_track.value,
            "primary_label": self.primary_track.label(lang),
            "tracks": [t.value for t in self.tracks],
            "reasons": [r.to_dict(lang) for r in self.reasons],
            "decision": decision,
            "agrees_with_decision": self.agrees_with_decision,
        }


def _rules_in_force(rulebook: ReviewRulebook, day: date) -> list[ReviewRule]:
    """The rulebook's rules in force on ``day``, exclusive (scope) rules first."""
    active = [rule for rule in rulebook.rules if rule.in_force(day)]
    return [r for r in active if r.exclusive] + [r for r in active if not r.exclusive]


def judge(
    facts: ProjectFacts,
    rulebook: ReviewRulebook,
    review_round: str | None = None,
    *,
    rules: Sequence[ReviewRule] | None = None,
) -> ProjectReview:
    """Apply ``rulebook`` to ``facts`` (already as of the review date).

    ``rules`` is :func:`_rules_in_force` of the rulebook on that date, when the caller judges
    many projects on one date and has computed it once.
    """
    code = facts.project_code
    reasons: list[Reason] = []
    parameters = rulebook.parameters
    for rule in _rules_in_force(rulebook, facts.as_of) if rules is None else rules:
        finding = rule.check(facts, parameters)
        if finding is None:
            continue
        reasons.append(
            Reason(
                rule_id=rule.id,
                track=rule.track,
                citation=rule.citation,
                citation_vi=rule.citation_vi,
                events=tuple(EventRef(code, v) for v in finding.versions),
                detail_vi=finding.detail_vi,
                detail_en=finding.detail_en,
                assumption=rule.assumption,
            )
        )
        if rule.exclusive:
            break
    found = {reason.track for reason in reasons}
    tracks = tuple(t for t in rulebook.precedence if t in found)
    primary = tracks[0] if tracks else Track.ON_TRACK
    if len(reasons) > 1:
        rank = rulebook.precedence.index
        reasons.sort(key=lambda r: rank(r.track))
    return ProjectReview(
        project_code=code,
        as_of=facts.as_of,
        rulebook_id=rulebook.id,
        primary_track=primary,
        tracks=tracks or (Track.ON_TRACK,),
        reasons=tuple(reasons),
        project_name=facts.project_name,
        district=facts.district,
        province=facts.province,
        status=None if facts.status is None else facts.status.value,
        decision=facts.latest_decision(review_round),
    )


def _book(as_of: date, rulebooks: ReviewRulebook | ReviewRulebooks) -> ReviewRulebook:
    return rulebooks if isinstance(rulebooks, ReviewRulebook) else rulebooks.in_force(as_of)


def review_project(
    subject: ReviewSubject,
    as_of: date,
    rulebooks: ReviewRulebook | ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
    *,
    known_at: datetime | None = None,
    review_round: str | None = None,
) -> ProjectReview:
    """Review one project as of ``as_of`` (its events with that effective date or earlier).

    ``subject`` is the project's record: a :class:`~dautu_core.state.ProjectState` (its
    recorded events are used, not its current fields), ``(version, event)`` pairs, a
    :class:`ProjectTimeline`, or facts already folded as of ``as_of``. ``known_at`` leaves out
    what was recorded later; ``review_round`` picks which recorded decision to compare with
    (the latest one by default). With a set of rulebooks, the one in force on ``as_of`` judges.
    """
    if isinstance(subject, ProjectFacts):
        facts = subject
    else:
        if isinstance(subject, ProjectTimeline):
            facts = facts_as_of(subject, as_of, known_at)
        else:
            recorded = subject.events() if isinstance(subject, ProjectState) else list(subject)
            facts = facts_of(state_of(recorded, as_of=as_of, known_at=known_at), as_of)
    return judge(facts, _book(facts.as_of, rulebooks), review_round)


@attrs.frozen(kw_only=True)
class PortfolioReview:
    """The review of many projects on one date: per-project reviews and counts per track."""

    as_of: date
    rulebook: ReviewRulebook
    projects: tuple[ProjectReview, ...]

    @property
    def counts(self) -> dict[Track, int]:
        """Projects per primary track, for every track the rulebook can propose, in the
        article's order (then ``on_track`` and ``out_of_scope``)."""
        proposed = set(self.rulebook.tracks)
        counts = {t: 0 for t in (*HANDLING_TRACKS, *Track) if t in proposed}
        for review in self.projects:
            counts[review.primary_track] = counts.get(review.primary_track, 0) + 1
        return counts

    @property
    def disagreements(self) -> tuple[ProjectReview, ...]:
        """Projects whose recorded decision differs from the proposed primary track."""
        return tuple(p for p in self.projects if p.agrees_with_decision is False)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        book = self.rulebook
        return {
            "as_of": self.as_of.isoformat(),
            "as_of_display": format_vi_date(self.as_of) if lang == "vi" else self.as_of.isoformat(),
            "rulebook": {
                "id": book.id,
                "title": book.title_vi if lang == "vi" else book.title_en,
                "valid_from": book.valid_from.isoformat(),
                "valid_until": None if book.valid_until is None else book.valid_until.isoformat(),
                "assumptions": list(book.assumptions),
            },
            "counts": {t.value: n for t, n in self.counts.items()},
            "labels": {t.value: t.label(lang) for t in self.counts},
            "projects": [p.to_dict(lang) for p in self.projects],
            "disagreements": [p.project_code for p in self.disagreements],
        }


def review_portfolio(
    timelines: Iterable[ProjectTimeline],
    as_of: date,
    rulebooks: ReviewRulebook | ReviewRulebooks = BUILTIN_REVIEW_RULEBOOKS,
    *,
    known_at: datetime | None = None,
    review_round: str | None = None,
) -> PortfolioReview:
    """Review every project of ``timelines`` as of ``as_of``, sorted by project code."""
    book = _book(as_of, rulebooks)
    rules = _rules_in_force(book, as_of)
    reviews = [
        judge(facts_as_of(t, as_of, known_at), book, review_round, rules=rules)
        for t in sorted(timelines, key=lambda t: t.project_code)
    ]
    return PortfolioReview(as_of=as_of, rulebook=book, projects=tuple(reviews))
