"""The six tracks checked against the article's own conditions, on random project lives.

The lives come from ``dautu_core.testing.histories`` (random valid records, not the demo's
situations). For each life and review date, an oracle written here from the article of 21 Feb
2024 (and DOMAIN.md's reading of it) reads the events directly, without the review's facts or
rules, and says what must hold for each track:

* "thuộc diện chấm dứt hoạt động": a termination recorded, or an open deposit violation, forces
  the track; the track needs some termination ground (terminated, suspended, deposit unpaid, or
  a milestone overdue: land not put into use);
* "cần xử lý vi phạm về đầu tư trước khi đề nghị UBND tỉnh xem xét chấp thuận điều chỉnh chủ
  trương đầu tư": an open investment violation while a request needing a policy adjustment is
  pending forces it; it needs a violation or an overdue milestone, and a pending adjustment or
  an overdue milestone;
* "cho phép nhà đầu tư hoàn thiện các thủ tục về đầu tư": a pending request forces it (no other
  track hides it); it needs a violation, a delay, a request or a missing certificate;
* "thuộc diện xử lý vi phạm về đất đai, môi trường": exactly when a land or environment
  violation is open;
* "khai thác khoáng sản thuộc trường hợp phải đấu giá quyền khai thác": exactly when a
  mineral-exploitation project has an open minerals violation;
* "thuộc thẩm quyền UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham mưu, trình UBND tỉnh
  xem xét chấp thuận điều chỉnh chủ trương đầu tư": needs an open investment violation found by a
  district-level body and a pending adjustment or an overdue milestone, is forced by such a violation with a pending
  request needing a policy adjustment, and never holds from 1 Jul 2025 (no districts).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dautu_core import events as ev
from dautu_core.dates import add_months, full_months_between
from dautu_core.legal_dates import DISTRICTS_ABOLISHED
from dautu_core.review import Track, review_project
from dautu_core.testing import histories
from dautu_core.vocab import AuthorityLevel, Regime, ViolationCategory

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIVES = histories(
    min_size=2, max_size=16, start=date(2019, 1, 1), end=date(2026, 6, 30), for_review=True
)


@st.composite
def lives_and_review_dates(draw: st.DrawFn) -> tuple[list[ev.ProjectEvent], date]:
    """A life, and a review date between its approval (or 1 Jan 2021, the first review
    rulebook) and five years after its last event."""
    events = draw(LIVES)
    first = max(events[0].effective_date, date(2021, 1, 1))
    last = max(e.effective_date for e in events)
    return events, draw(st.dates(first, max(first, last) + timedelta(days=5 * 365)))


INVESTMENT = {ViolationCategory.INVESTMENT, ViolationCategory.REPORTING}
LAND_ENVIRONMENT = {ViolationCategory.LAND, ViolationCategory.ENVIRONMENT}


@attrs.frozen
class Oracle:
    """What the record says on the review date, read straight from the events."""

    in_scope: bool
    terminated: bool
    suspended: bool
    open_categories: frozenset[ViolationCategory]
    open_district_investment: bool
    mineral_project: bool
    pending_request: bool
    pending_policy_request: bool
    unmet_milestone: bool
    overdue_milestone: bool
    """A milestone not met and past its due date as extended or adjusted (Art. 41)."""
    late_milestone: bool
    """A milestone not met and a whole month or more past that due date."""
    certificate_missing: bool


def _effective(events: Sequence[ev.ProjectEvent], as_of: date) -> list[ev.ProjectEvent]:
    """Corrections applied (the latest of a version wins), then what took effect by ``as_of``."""
    latest: dict[int, ev.EventCorrected] = {}
    for event in events:
        if isinstance(event, ev.EventCorrected):
            latest[event.corrects_version] = event
    out = []
    for version, event in enumerate(events, start=1):
        if isinstance(event, ev.EventCorrected):
            continue
        correction = latest.get(version)
        if correction is not None:
            if correction.replacement is None:
                continue
            event = correction.replacement
        if event.effective_date <= as_of:
            out.append(event)
    return out


def oracle(events: Sequence[ev.ProjectEvent], as_of: date) -> Oracle:
    approved: ev.ProjectApproved | None = None
    inside_zone = terminated = suspended = False
    foreign = False
    violations: dict[str, tuple[ViolationCategory, AuthorityLevel | None]] = {}
    request: ev.AdjustmentRequested | None = None
    met: set[str] = set()
    due: dict[str, date] = {}
    for event in _effective(events, as_of):
        if isinstance(event, ev.ProjectApproved):
            approved = event
            due = {m.key: m.due for m in event.schedule.milestones}
            inside_zone = event.location.inside_industrial_zone
            foreign = any(i.is_foreign for i in event.investors)
        elif isinstance(event, ev.ScheduleExtended):
            moved = event.milestones or tuple(k for k in due if k not in met)
            due.update({k: add_months(due[k], event.months) for k in moved if k in due})
        elif isinstance(event, ev.ProjectAdjusted):
            request = None
            if event.changes.schedule is not None:
                due = {m.key: m.due for m in event.changes.schedule.milestones}
            if event.changes.location is not None:
                inside_zone = event.changes.location.inside_industrial_zone
            if event.changes.investors is not None:
                foreign = any(i.is_foreign for i in event.changes.investors)
        elif isinstance(event, ev.AdjustmentRequested):
            request = event
        elif isinstance(event, ev.ViolationFound):
            violations[event.violation_id] = (event.category, event.found_by.level)
        elif isinstance(event, ev.ViolationRemedied):
            violations.pop(event.violation_id, None)
        elif isinstance(event, ev.MilestoneMet):
            met.add(event.milestone)
        elif isinstance(event, ev.ProjectSuspended):
            suspended = True
        elif isinstance(event, ev.ProjectResumed):
            suspended = False
        elif isinstance(event, ev.ProjectTerminated) and not event.partial:
            terminated = True
    keys = {m.key for m in approved.schedule.milestones} if approved is not None else set()
    return Oracle(
        in_scope=approved is not None and not inside_zone,
        terminated=terminated,
        suspended=suspended and not terminated,
        open_categories=frozenset(c for c, _ in violations.values()),
        open_district_investment=any(
            c in INVESTMENT and level is AuthorityLevel.DISTRICT for c, level in violations.values()
        ),
        mineral_project=approved is not None and approved.is_mineral_exploitation,
        pending_request=request is not None,
        pending_policy_request=request is not None and request.policy_adjustment_required,
        unmet_milestone=bool(keys - met),
        overdue_milestone=any(k not in met and d < as_of for k, d in due.items()),
        late_milestone=any(
            k not in met and full_months_between(d, as_of) >= 1 for k, d in due.items()
        ),
        certificate_missing=(
            foreign and approved is not None and approved.regime is Regime.POLICY_APPROVAL
        ),
    )


@PROPERTY
@given(lives_and_review_dates())
def test_each_track_holds_as_the_article_words_it(
    life: tuple[list[ev.ProjectEvent], date],
) -> None:
    events, as_of = life
    review = review_project(list(enumerate(events, start=1)), as_of)
    o = oracle(events, as_of)
    tracks = set(review.tracks)
    open_investment = bool(o.open_categories & INVESTMENT)
    adjustment_or_delay = o.pending_policy_request or o.overdue_milestone

    if not o.in_scope:
        assert tracks == {Track.OUT_OF_SCOPE}
        return
    assert Track.OUT_OF_SCOPE not in tracks

    # thuộc diện chấm dứt hoạt động
    if o.terminated or ViolationCategory.DEPOSIT in o.open_categories:
        assert Track.TERMINATE in tracks
    if Track.TERMINATE in tracks:
        assert (
            o.terminated
            or o.suspended
            or ViolationCategory.DEPOSIT in o.open_categories
            or o.overdue_milestone
        )

    # cần xử lý vi phạm về đầu tư trước khi đề nghị UBND tỉnh xem xét chấp thuận điều chỉnh
    if open_investment and o.pending_policy_request:
        assert Track.RESOLVE_VIOLATION_THEN_ADJUST in tracks
    if Track.RESOLVE_VIOLATION_THEN_ADJUST in tracks:
        assert (open_investment or o.overdue_milestone) and adjustment_or_delay

    # cho phép nhà đầu tư hoàn thiện các thủ tục về đầu tư
    if o.pending_request:
        assert Track.COMPLETE_PROCEDURES in tracks
    if Track.COMPLETE_PROCEDURES in tracks:
        assert open_investment or o.unmet_milestone or o.pending_request or o.certificate_missing

    # thuộc diện xử lý vi phạm về đất đai, môi trường
    assert (Track.LAND_ENVIRONMENT_VIOLATION in tracks) == bool(
        o.open_categories & LAND_ENVIRONMENT
    )

    # khai thác khoáng sản thuộc trường hợp phải đấu giá quyền khai thác
    assert (Track.MINERAL_RIGHTS_AUCTION in tracks) == (
        o.mineral_project and ViolationCategory.MINERALS in o.open_categories
    )

    # thuộc thẩm quyền UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham mưu, trình UBND tỉnh
    if as_of >= DISTRICTS_ABOLISHED:
        assert Track.DISTRICT_AUTHORITY not in tracks
    else:
        if o.open_district_investment and o.pending_policy_request:
            assert Track.DISTRICT_AUTHORITY in tracks
        if Track.DISTRICT_AUTHORITY in tracks:
            assert o.open_district_investment and adjustment_or_delay

    # no rule hides another: a pending request and a late milestone are always among the
    # reasons, whatever else is open
    rules = {r.rule_id for r in review.reasons}
    if o.pending_request:
        assert "adjustment_procedures_pending" in rules
    if o.late_milestone:
        assert rules & {"delayed_within_extension_cap", "delay_beyond_extension_cap"}

    # every track is backed by a reason; on_track only when no handling track holds
    assert tracks - {Track.ON_TRACK} == {r.track for r in review.reasons}
    assert (Track.ON_TRACK in tracks) == (not review.reasons)
