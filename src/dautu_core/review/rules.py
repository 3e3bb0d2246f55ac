"""The review rules: small pure functions of a project's facts and the rulebook's parameters.

Each function answers one question a reviewer asks of the record ("is there an open land or
environment violation?") and returns a :class:`~dautu_core.review.rulebook.RuleMatch` naming the
versions of the events it rests on, or ``None``. Which rules apply on a date, with which
citations, is the business of the dated rulebooks in :mod:`dautu_core.review.builtin`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from dautu_core.dates import add_months, format_vi_date, full_months_between
from dautu_core.review.facts import ProjectFacts, ViolationFacts
from dautu_core.review.rulebook import ReviewParameters, RuleMatch
from dautu_core.vocab import (
    AdjustmentKind,
    AuthorityLevel,
    MilestoneKind,
    ProjectStatus,
    Regime,
    SuspensionGround,
)

__all__ = [
    "adjustment_kind_label",
    "adjustment_procedures_pending",
    "behind_schedule",
    "blocking_violations",
    "delay_beyond_extension_cap",
    "delayed_within_extension_cap",
    "district_handles_investment_violation",
    "inside_industrial_zone",
    "investment_violation_before_policy_adjustment",
    "investment_violation_remedied_by_procedures",
    "irc_missing",
    "land_environment_violation_open",
    "milestone_label",
    "mineral_rights_not_auctioned",
    "not_approved",
    "policy_adjustment_need",
    "terminate_deposit_not_paid",
    "terminate_investor_unreachable",
    "terminate_land_not_used",
    "terminate_recorded",
    "terminate_suspension_not_remedied",
    "trigger_label",
]


def _ids(violations: Iterable[ViolationFacts]) -> str:
    return ", ".join(v.violation_id for v in violations)


def _approval(f: ProjectFacts) -> tuple[int, ...]:
    return () if f.approved is None else (f.approved[1],)


def _versions(*groups: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted({v for group in groups for v in group}))


def blocking_violations(f: ProjectFacts, p: ReviewParameters) -> tuple[ViolationFacts, ...]:
    """Open violations some track handles (minerals only on mineral-exploitation projects)."""
    handled = set(p.handled_categories)
    if not f.is_mineral_exploitation:
        handled -= set(p.mineral_categories)
    return f.open_violations(handled)


def _delay_versions(f: ProjectFacts, keys: Iterable[str]) -> tuple[int, ...]:
    return tuple(f.delays[k][1] for k in keys if k in f.delays)


def behind_schedule(f: ProjectFacts, p: ReviewParameters) -> dict[str, int]:
    """Milestones behind schedule, with whole months late: unmet and late by the threshold, or
    found delayed (``0`` months: a delay recorded before the due date).

    The one definition of "delayed": the review's delay rules and the portfolio summary's list
    of delayed projects both use it, so the two never disagree.

    A delay recorded before the last schedule change that moved its milestone (an extension or
    an adjustment) was answered by that change: it no longer counts, unless the milestone is
    past due again (then it is late by the months counted from the new date).
    """
    late = {k: m for k, m in f.unmet_late().items() if m >= p.delay_threshold_months}
    scheduled = {m.key for m in f.schedule}
    for key, (_, version) in f.delays.items():
        if key in f.milestones_met or key not in scheduled:
            continue
        moved = f.rescheduled.get(key)
        if moved is not None and moved[1] > version:
            continue
        late.setdefault(key, 0)
    return late


def _months_left(f: ProjectFacts, p: ReviewParameters) -> int | None:
    """Extension months still allowed (Art. 41(4)); ``None`` when no cap applies (no policy
    approval: the cap runs against the first policy approval)."""
    if not f.has_policy_approval:
        return None
    return max(0, p.extension_cap_months - f.extension_months_used)


def milestone_label(key: str, lang: str = "vi") -> str:
    """``construction_start`` -> "Khởi công xây dựng"; a phase keeps its own label.

    Remembered per key and language (a reason names a milestone for most projects reviewed,
    and the labels are fixed text)."""
    return _milestone_label(key, lang)


@functools.lru_cache(maxsize=4096)
def _milestone_label(key: str, lang: str) -> str:
    kind, _, label = key.partition(":")
    try:
        text = MilestoneKind(kind).label(lang)
    except ValueError:
        text = kind
    return f"{text} ({label})" if label else text


_TRIGGERS: dict[str, tuple[str, str]] = {
    "objectives_change": ("thay đổi mục tiêu", "change of objectives"),
    "location_change": ("thay đổi địa điểm", "change of location"),
    "investor_change": ("thay đổi nhà đầu tư", "change of investor"),
    "duration_change": ("thay đổi thời hạn hoạt động", "change of duration"),
    "land_change": ("thay đổi diện tích đất {}", "land area change {}"),
    "capital_change": ("thay đổi vốn đầu tư {}", "capital change {}"),
    "schedule_beyond_first": (
        "tiến độ vượt {} so với chấp thuận lần đầu",
        "schedule {} beyond the first approval",
    ),
}


def _amount(value: str, lang: str) -> str:
    """ "30m" -> "30 tháng" / "30 months"; "12.5%,3.00ha" -> "12,5%, 3,00 ha" in Vietnamese."""
    if value.endswith("m") and value[:-1].isdigit():
        return f"{value[:-1]} tháng" if lang == "vi" else f"{value[:-1]} months"
    parts = [v.replace("ha", " ha") for v in value.split(",")]
    if lang == "vi":
        parts = [v.replace(".", ",") for v in parts]
    return ", ".join(parts)


def trigger_label(trigger: str, lang: str = "vi") -> str:
    """A policy-adjustment trigger id ("schedule_beyond_first:30m") for people: "tiến độ vượt
    30 tháng so với chấp thuận lần đầu"; an unknown id is shown as it is."""
    name, _, value = trigger.partition(":")
    texts = _TRIGGERS.get(name)
    if texts is None:
        return trigger
    text = texts[0] if lang == "vi" else texts[1]
    return text.format(_amount(value, lang)) if "{}" in text else text


def adjustment_kind_label(kind: str, lang: str = "vi") -> str:
    """An adjustment kind id ("capital") for people: "vốn đầu tư" / "investment capital"."""
    try:
        return AdjustmentKind(kind).label(lang).lower()
    except ValueError:
        return kind


def _late_text(late: dict[str, int]) -> tuple[str, str]:
    """ "Khởi công xây dựng chậm 5 tháng"; a milestone found delayed before its due date (0
    months) reads "đã ghi nhận chậm tiến độ". Remembered per set of months late (fixed text,
    and the same few milestones and months recur across a portfolio)."""
    return _late_texts(tuple(sorted(late.items())))


@functools.lru_cache(maxsize=4096)
def _late_texts(items: tuple[tuple[str, int], ...]) -> tuple[str, str]:
    vi = ", ".join(
        [
            f"{_milestone_label(k, 'vi')} "
            + (f"chậm {m} tháng" if m else "đã ghi nhận chậm tiến độ")
            for k, m in items
        ]
    )
    en = ", ".join(
        [
            f"{_milestone_label(k, 'en').lower()} " + (f"{m} months late" if m else "found behind")
            for k, m in items
        ]
    )
    return vi, en


# --- scope -------------------------------------------------------------------------------------


def not_approved(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Nothing to review before an approval takes effect."""
    if f.is_approved:
        return None
    return RuleMatch(
        (),
        f"Chưa có quyết định chấp thuận hoặc GCN đăng ký đầu tư có hiệu lực đến ngày "
        f"{format_vi_date(f.as_of)}",
        f"no approval in effect by {f.as_of.isoformat()}",
    )


def inside_industrial_zone(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """The review covers projects outside industrial zones (the zones' boards manage those)."""
    if not f.inside_industrial_zone:
        return None
    return RuleMatch(
        _versions(_approval(f), (v for _, v in f.adjustments)),
        "Dự án nằm trong khu công nghiệp",
        "the project is inside an industrial zone",
    )


# --- terminate (Law 61/2020 Art. 48) ----------------------------------------------------------


def terminate_recorded(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """A full termination is in the record: what is left is to carry it out."""
    t = f.termination
    if t is None:
        return None
    return RuleMatch(
        (t.version,),
        f"Đã chấm dứt hoạt động ngày {format_vi_date(t.on)} ({t.ground.label_vi})",
        f"terminated on {t.on.isoformat()} ({t.ground.label_en})",
    )


def terminate_suspension_not_remedied(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Suspended by an authority, and the causes not remedied by the deadline the suspension set
    (or, without one, within ``suspension_remedy_months``: an assumption)."""
    s = f.suspension
    if f.status is not ProjectStatus.SUSPENDED or s is None:
        return None
    if s.ground is SuspensionGround.INVESTOR_NOTICE:
        return None
    if s.until is not None:
        if f.as_of <= s.until:
            return None
        vi_when = f"quá thời hạn khắc phục {format_vi_date(s.until)}"
        en_when = f"past the remedy deadline {s.until.isoformat()}"
    else:
        months = full_months_between(s.on, f.as_of)
        if months < p.suspension_remedy_months:
            return None
        vi_when = f"{months} tháng sau khi ngừng, chưa khắc phục"
        en_when = f"{months} months after the suspension, not remedied"
    return RuleMatch(
        (s.version,),
        f"Ngừng hoạt động từ {format_vi_date(s.on)} ({s.ground.label_vi}), {vi_when}",
        f"suspended since {s.on.isoformat()} ({s.ground.label_en}), {en_when}",
    )


def terminate_investor_unreachable(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Suspended for ``unreachable_months`` and the investor has done nothing the record shows
    since (no milestone, remedy, request or resumption): read as unreachable."""
    s = f.suspension
    if f.status is not ProjectStatus.SUSPENDED or s is None:
        return None
    months = full_months_between(s.on, f.as_of)
    if months < p.unreachable_months:
        return None
    action = f.last_investor_action
    if action is not None and action[1] > s.version:
        return None
    return RuleMatch(
        (s.version,),
        f"Ngừng hoạt động từ {format_vi_date(s.on)}, {months} tháng không có hoạt động nào "
        "của nhà đầu tư được ghi nhận",
        f"suspended since {s.on.isoformat()}, {months} months without any recorded action of "
        "the investor",
    )


def terminate_land_not_used(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Land not put into use ``land_use_delay_months`` behind schedule: the land is to be
    recovered, a termination ground, unless the one land-use extension was granted; then the
    extension's months (recorded schedule extensions that moved the milestone, at most
    ``land_use_extension_months``) are added. Without a recorded extension none is assumed.

    Months are counted from the milestone's due date as last approved or adjusted, before
    extensions (so an extension counts once, through this rule, not also through the due
    date it moved).
    """
    key = p.land_use_milestone
    if f.land_square_metres is None or key in f.milestones_met:
        return None
    if not any(m.key == key for m in f.schedule):
        return None
    due = f.base_due.get(key)
    if due is None:
        return None
    months = full_months_between(due, f.as_of)
    extension = min(f.extended_months.get(key, 0), p.land_use_extension_months)
    limit = p.land_use_delay_months + extension
    if months < limit:
        return None
    label_vi, label_en = milestone_label(key), milestone_label(key, "en").lower()
    if extension:
        vi_limit = f"quá {p.land_use_delay_months} tháng và {extension} tháng đã gia hạn"
        en_limit = f"beyond {p.land_use_delay_months} months plus the {extension}-month extension"
    else:
        vi_limit = f"quá {p.land_use_delay_months} tháng, không có gia hạn được ghi nhận"
        en_limit = f"beyond {p.land_use_delay_months} months, no extension recorded"
    return RuleMatch(
        _versions(
            _approval(f),
            _delay_versions(f, [key]),
            (e.version for e in f.extensions) if extension else (),
        ),
        f"Chưa đưa đất vào sử dụng: {label_vi} chậm {months} tháng ({vi_limit})",
        f"land not put into use: {label_en} {months} months late ({en_limit})",
    )


def terminate_deposit_not_paid(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """An open deposit violation: the deposit was not paid (Art. 43), a termination ground."""
    open_ = f.open_violations(p.deposit_categories)
    if not open_:
        return None
    return RuleMatch(
        tuple(v.found_version for v in open_),
        f"Không thực hiện ký quỹ (vi phạm {_ids(open_)} chưa khắc phục)",
        f"deposit not paid (violation {_ids(open_)} not remedied)",
    )


# --- minerals, district, land and environment -------------------------------------------------


def mineral_rights_not_auctioned(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """A mineral-exploitation project whose exploitation rights were not auctioned."""
    if not f.is_mineral_exploitation:
        return None
    open_ = f.open_violations(p.mineral_categories)
    if not open_:
        return None
    return RuleMatch(
        _versions(_approval(f), (v.found_version for v in open_)),
        f"Dự án khai thác khoáng sản, quyền khai thác chưa qua đấu giá ({_ids(open_)})",
        f"mineral-exploitation project whose rights were not auctioned ({_ids(open_)})",
    )


def district_handles_investment_violation(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """The article's fifth track: investment violations "thuộc thẩm quyền UBND cấp huyện xử lý
    ... trước khi tham mưu, trình UBND tỉnh xem xét chấp thuận điều chỉnh chủ trương đầu tư".

    Both halves must hold: an open investment violation established by a district-level body
    (read as within the district's competence to handle), and a policy adjustment pending or
    required (:func:`policy_adjustment_need`, the condition of the parallel 18-project rule).
    """
    by_district = [
        v
        for v in f.open_violations(p.investment_categories)
        if v.found_by_level is AuthorityLevel.DISTRICT
    ]
    if not by_district:
        return None
    need = policy_adjustment_need(f, p)
    if need is None:
        return None
    who = by_district[0].found_by or "UBND cấp huyện"
    return RuleMatch(
        _versions((v.found_version for v in by_district), need.versions),
        f"Vi phạm về đầu tư ({_ids(by_district)}) thuộc thẩm quyền xử lý của {who} trước khi "
        f"tham mưu, trình UBND tỉnh xem xét chấp thuận điều chỉnh chủ trương; {need.detail_vi}",
        f"investment violations ({_ids(by_district)}) for {who} to handle before advising the "
        f"province on approving the policy adjustment; {need.detail_en}",
    )


def land_environment_violation_open(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    open_ = f.open_violations(p.land_environment_categories)
    if not open_:
        return None
    cats_vi = ", ".join(sorted({v.category.label_vi.lower() for v in open_}))
    cats_en = ", ".join(sorted({v.category.label_en.lower() for v in open_}))
    return RuleMatch(
        tuple(v.found_version for v in open_),
        f"Vi phạm về {cats_vi} chưa khắc phục ({_ids(open_)})",
        f"open {cats_en} violations ({_ids(open_)})",
    )


# --- investment violations and adjustments (Law 61/2020 Art. 41) -----------------------------


def policy_adjustment_need(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Whether a policy adjustment is pending or required, and why (not a rule on its own).

    Pending: the investor's request needs one (decided by the invariant rulebook when it was
    recorded). Required: a milestone is later than the extension months the cap still allows,
    or the review date is already more than ``policy_schedule_months`` past the first approved
    schedule with a milestone late, so any new schedule needs one.
    """
    pending = f.pending_adjustment
    if pending is not None and pending.policy_adjustment_required:
        triggers_vi = ", ".join(trigger_label(t) for t in pending.triggers)
        triggers_en = ", ".join(trigger_label(t, "en") for t in pending.triggers)
        return RuleMatch(
            (pending.version,),
            f"đề nghị điều chỉnh ngày {format_vi_date(pending.requested_on)} phải điều chỉnh "
            f"chủ trương đầu tư ({triggers_vi})",
            f"the request of {pending.requested_on.isoformat()} needs a policy adjustment "
            f"({triggers_en})",
        )
    if not f.has_policy_approval or f.original_last_due is None:
        return None
    late = f.unmet_late()
    left = _months_left(f, p)
    if late and left is not None and max(late.values()) > left:
        vi, en = _late_text(late)
        return RuleMatch(
            _versions(_approval(f), (e.version for e in f.extensions), _delay_versions(f, late)),
            f"{vi[:1].lower()}{vi[1:]}, quá thời gian còn được giãn tiến độ ({left} tháng)",
            f"{en}, beyond the extension months left ({left})",
        )
    limit = add_months(f.original_last_due, p.policy_schedule_months)
    if late and f.as_of > limit:
        return RuleMatch(
            _versions(_approval(f), _delay_versions(f, late)),
            "tiến độ mới sẽ vượt quá "
            f"{p.policy_schedule_months} tháng so với tiến độ chấp thuận lần đầu "
            f"(hoàn thành {format_vi_date(f.original_last_due)})",
            f"any new schedule runs more than {p.policy_schedule_months} months past the first "
            f"approved schedule (completion {f.original_last_due.isoformat()})",
        )
    return None


def investment_violation_before_policy_adjustment(
    f: ProjectFacts, p: ReviewParameters
) -> RuleMatch | None:
    """Open investment violations while a policy adjustment is pending or required: they are
    handled before the province considers the adjustment."""
    open_ = f.open_violations(p.investment_categories)
    if not open_:
        return None
    need = policy_adjustment_need(f, p)
    if need is None:
        return None
    return RuleMatch(
        _versions((v.found_version for v in open_), need.versions),
        f"Vi phạm về đầu tư chưa khắc phục ({_ids(open_)}); {need.detail_vi}",
        f"open investment violations ({_ids(open_)}); {need.detail_en}",
    )


def delay_beyond_extension_cap(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Behind schedule by more than the extension months the cap still allows: no extension can
    cover it, so the schedule breach is handled before the policy is adjusted."""
    left = _months_left(f, p)
    if left is None:
        return None
    late = {k: m for k, m in f.unmet_late().items() if m > left}
    if not late:
        return None
    vi, en = _late_text(late)
    return RuleMatch(
        _versions(_approval(f), (e.version for e in f.extensions), _delay_versions(f, late)),
        f"{vi}; đã giãn {f.extension_months_used}/{p.extension_cap_months} tháng, "
        f"chỉ còn được giãn {left} tháng",
        f"{en}; {f.extension_months_used}/{p.extension_cap_months} months of extension used, "
        f"only {left} left",
    )


def investment_violation_remedied_by_procedures(
    f: ProjectFacts, p: ReviewParameters
) -> RuleMatch | None:
    """Open investment violations that need no policy adjustment: they are sanctioned and the
    investor remedies them by completing the procedure (report, certificate adjustment)."""
    open_ = f.open_violations(p.investment_categories)
    if not open_ or policy_adjustment_need(f, p) is not None:
        return None
    return RuleMatch(
        tuple(v.found_version for v in open_),
        f"Vi phạm về đầu tư ({_ids(open_)}) không cần điều chỉnh chủ trương; "
        "nhà đầu tư khắc phục bằng việc hoàn thiện thủ tục",
        f"investment violations ({_ids(open_)}) that need no policy adjustment; the investor "
        "remedies them by completing the procedures",
    )


def delayed_within_extension_cap(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """Behind schedule, and an extension within the cap still covers it.

    Holds whatever else is open: an open violation makes another track primary (by
    precedence) but does not hide the delay from the project's reasons.
    """
    late = behind_schedule(f, p)
    if not late:
        return None
    left = _months_left(f, p)
    if left is not None and max(late.values()) > left:
        return None
    vi, en = _late_text(late)
    cap_vi = "" if left is None else f"; còn được giãn {left} tháng"
    cap_en = "" if left is None else f"; {left} months of extension left"
    return RuleMatch(
        _versions(_approval(f), _delay_versions(f, late)),
        f"Chậm tiến độ ({vi}){cap_vi}",
        f"behind schedule ({en}){cap_en}",
    )


def adjustment_procedures_pending(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """An adjustment request awaits its procedure (an open violation makes another track
    primary, by precedence, without hiding the request)."""
    pending = f.pending_adjustment
    if pending is None:
        return None
    kinds_vi = ", ".join(adjustment_kind_label(k) for k in pending.kinds)
    kinds_en = ", ".join(adjustment_kind_label(k, "en") for k in pending.kinds)
    return RuleMatch(
        (pending.version,),
        f"Đề nghị điều chỉnh ngày {format_vi_date(pending.requested_on)} ({kinds_vi}) đang chờ "
        "hoàn thiện thủ tục",
        f"adjustment request of {pending.requested_on.isoformat()} ({kinds_en}) awaits its "
        "procedure",
    )


def irc_missing(f: ProjectFacts, p: ReviewParameters) -> RuleMatch | None:
    """A foreign investor's project holds a policy approval but no registration certificate."""
    if not f.has_foreign_investor or f.regime is not Regime.POLICY_APPROVAL:
        return None
    return RuleMatch(
        _approval(f),
        "Nhà đầu tư nước ngoài chưa được cấp Giấy chứng nhận đăng ký đầu tư",
        "a foreign investor's project has no investment registration certificate",
    )
