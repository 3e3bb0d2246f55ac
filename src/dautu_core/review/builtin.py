"""The builtin review rulebooks, dated by the law in force on the review date.

Five books, because five dates changed what a review may propose or cite:

* ``vn.review.law-61-2020.before-2022`` (1 Jan – 31 Dec 2021): as the next one, but the
  investment sanctions decree in force before 1 Jan 2022 is not verified, so it is cited as that
  (a parameter with a note), never by a guessed number.
* ``vn.review.law-61-2020`` (1 Jan 2022 – 31 Jul 2024): Law on Investment 61/2020/QH14, Land
  Law 2013 (number not verified), Law on Minerals 60/2010/QH12 and Decree 22/2012/NĐ-CP;
  investment sanctions under Decree 122/2021/NĐ-CP (from 1 Jan 2022); districts exist.
* ``vn.review.law-61-2020.land-2024`` (1 Aug 2024 – 30 Jun 2025): the same, but land recovery
  under the Land Law 2024 Art. 81(8) (number not verified).
* ``vn.review.law-61-2020.no-districts`` (1 Jul 2025 – 28 Feb 2026): district-level government
  abolished (no ``district_authority`` track); minerals under Law 54/2024/QH15.
* ``vn.review.law-143-2025`` (from 1 Mar 2026): Law on Investment 143/2025/QH15, whose article
  numbers were not verified: citations name the law only, numbers are parameters with notes.

Every citation comes from the one table of :mod:`dautu_core.citations` (the demo records its
violations with the same one) and every date from :mod:`dautu_core.legal_dates`.

A province replaces one of them by registering a rulebook with the same id (see
:meth:`dautu_core.review.rulebook.ReviewRulebooks.replace`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dautu_core import citations as table
from dautu_core.legal_dates import (
    DECREE_122_2021_IN_FORCE,
    DISTRICTS_ABOLISHED,
    LAND_LAW_2024_IN_FORCE,
    LAW_61_2020_IN_FORCE,
    LAW_61_2020_LAST_DAY,
    LAW_143_2025_IN_FORCE,
    day_before,
)
from dautu_core.review import rules as r
from dautu_core.review.rulebook import (
    ReviewParameters,
    ReviewRule,
    ReviewRulebook,
    ReviewRulebooks,
)
from dautu_core.review.tracks import Track
from dautu_core.text import bilingual
from dautu_core.values import LegalBasis
from dautu_core.vocab import ViolationCategory

__all__ = [
    "BUILTIN_REVIEW_RULEBOOKS",
    "DISTRICTS_ABOLISHED",
    "REVIEW_LAW_61_2020",
    "REVIEW_LAW_61_2020_BEFORE_2022",
    "REVIEW_LAW_61_2020_LAND_2024",
    "REVIEW_LAW_61_2020_NO_DISTRICTS",
    "REVIEW_LAW_143_2025",
]

InvestmentLaw = Callable[..., LegalBasis]

_DAUTU_SCOPE = table.record_rule(
    "phạm vi rà soát: dự án ngoài khu công nghiệp",
    "scope of the review: projects outside industrial zones",
)
_DAUTU_APPROVAL = table.record_rule(
    "chưa có quyết định chấp thuận thì chưa rà soát", "nothing to review before an approval"
)


def _district_competence(on: date) -> LegalBasis:
    """Which level may sanction what is a recollection (DOMAIN [R]): cited to the sanctions
    decree in force, with that doubt in the note."""
    decree = table.sanctions_decree(on)
    return LegalBasis(
        instrument=decree.instrument,
        note=bilingual(
            "giả định: thẩm quyền xử phạt của Chủ tịch UBND cấp huyện; chưa xác minh số hiệu và "
            "điều"
            if on < DECREE_122_2021_IN_FORCE
            else "giả định: thẩm quyền xử phạt của Chủ tịch UBND cấp huyện; chưa xác minh điều",
            "assumption: district chairpersons' sanctioning competence; number and article not "
            "verified"
            if on < DECREE_122_2021_IN_FORCE
            else "assumption: district chairpersons' sanctioning competence; article not verified",
        ),
    )


_ART_41_3_NOTE = bilingual(
    "Điều 41 đã xác minh; số khoản theo trí nhớ, chưa xác minh",
    "Art. 41 verified; the clause number is a recollection",
)


def _rules(on: date) -> tuple[ReviewRule, ...]:
    """The review rules of a rulebook starting ``on``: each cites the law in force that day,
    from the shared table of :mod:`dautu_core.citations`."""
    cited = table.law_61_2020 if on < LAW_143_2025_IN_FORCE else table.law_143_2025
    # The investment rules handle investment and reporting violations alike (ReviewParameters
    # .investment_categories): they cite both categories' instruments.
    investment = table.violation_basis(ViolationCategory.INVESTMENT, on)
    investment += tuple(
        c for c in table.violation_basis(ViolationCategory.REPORTING, on) if c not in investment
    )
    land_environment = table.violation_basis(ViolationCategory.LAND, on) + table.violation_basis(
        ViolationCategory.ENVIRONMENT, on
    )
    minerals = table.violation_basis(ViolationCategory.MINERALS, on)
    district = on < DISTRICTS_ABOLISHED
    return _rule_list(
        cited,
        investment=investment,
        land_environment=land_environment,
        land_recovery=table.land_recovery(on),
        minerals=minerals,
        district=(_district_competence(on),) if district else None,
    )


def _rule_list(
    law: InvestmentLaw,
    *,
    investment: tuple[LegalBasis, ...],
    land_environment: tuple[LegalBasis, ...],
    land_recovery: LegalBasis,
    minerals: tuple[LegalBasis, ...],
    district: tuple[LegalBasis, ...] | None,
) -> tuple[ReviewRule, ...]:
    rules = [
        ReviewRule(
            id="not_approved",
            track=Track.OUT_OF_SCOPE,
            citations=(_DAUTU_APPROVAL,),
            check=r.not_approved,
            title_vi="Chưa có quyết định chấp thuận hoặc GCN đăng ký đầu tư",
            title_en="No approval in effect yet",
            exclusive=True,
        ),
        ReviewRule(
            id="inside_industrial_zone",
            track=Track.OUT_OF_SCOPE,
            citations=(_DAUTU_SCOPE,),
            check=r.inside_industrial_zone,
            title_vi="Dự án trong khu công nghiệp (ngoài phạm vi rà soát)",
            title_en="Project inside an industrial zone (outside the review)",
            exclusive=True,
        ),
        ReviewRule(
            id="terminate_recorded",
            track=Track.TERMINATE,
            citations=(law("48"),),
            check=r.terminate_recorded,
            title_vi="Đã có quyết định chấm dứt hoạt động",
            title_en="A termination is recorded",
        ),
        ReviewRule(
            id="terminate_suspension_not_remedied",
            track=Track.TERMINATE,
            citations=(law("48", "2"), law("47")),
            check=r.terminate_suspension_not_remedied,
            title_vi="Ngừng hoạt động, không khắc phục được điều kiện ngừng hoạt động",
            title_en="Suspended and the causes not remedied",
            assumption="Art. 48(2) states no period; without a deadline in the suspension, "
            "parameter suspension_remedy_months applies",
        ),
        ReviewRule(
            id="terminate_investor_unreachable",
            track=Track.TERMINATE,
            citations=(law("48", "2"),),
            check=r.terminate_investor_unreachable,
            title_vi="Ngừng hoạt động 12 tháng, không liên lạc được với nhà đầu tư",
            title_en="Suspended 12 months, investor unreachable",
            assumption="the record has no 'contact attempt' event: no investor action recorded "
            "since the suspension is read as unreachable",
        ),
        ReviewRule(
            id="terminate_land_not_used",
            track=Track.TERMINATE,
            citations=(land_recovery, law("48", "2")),
            check=r.terminate_land_not_used,
            title_vi="Chậm đưa đất vào sử dụng quá thời hạn, thuộc diện thu hồi đất",
            title_en="Land not put into use in time: to be recovered",
            assumption="the schedule's construction start stands for putting the land into use; "
            "the handover date is not in the record, the milestone's due date is used; the land "
            "is recovered 24 months behind schedule, plus the one land-use extension (at most 24 "
            "months) only when a schedule extension moving that milestone is recorded (the record "
            "has no separate land-use extension or fee event)",
        ),
        ReviewRule(
            id="terminate_deposit_not_paid",
            track=Track.TERMINATE,
            citations=(law("43"), law("48", "2")),
            check=r.terminate_deposit_not_paid,
            title_vi="Không ký quỹ",
            title_en="Deposit not paid",
        ),
        ReviewRule(
            id="mineral_rights_not_auctioned",
            track=Track.MINERAL_RIGHTS_AUCTION,
            citations=minerals,
            check=r.mineral_rights_not_auctioned,
            title_vi="Khai thác khoáng sản thuộc trường hợp phải đấu giá quyền khai thác",
            title_en="Mineral exploitation rights must be auctioned",
            assumption="an open minerals violation on a mineral-exploitation project stands for "
            "rights granted without auction in an area not designated as non-auction",
        ),
    ]
    if district is not None:
        rules.append(
            ReviewRule(
                id="district_handles_investment_violation",
                track=Track.DISTRICT_AUTHORITY,
                citations=(*district, law("41", "3", _ART_41_3_NOTE)),
                check=r.district_handles_investment_violation,
                title_vi="Thuộc thẩm quyền UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham "
                "mưu, trình UBND tỉnh xem xét chấp thuận điều chỉnh chủ trương đầu tư",
                title_en="The district People's Committee handles the investment violations "
                "before advising the province on approving the policy adjustment",
                valid_until=day_before(DISTRICTS_ABOLISHED),
                assumption="a violation established by a district-level body is read as within "
                "the district's competence to handle; which level may sanction what is a "
                "recollection (DOMAIN [R])",
            )
        )
    rules += [
        ReviewRule(
            id="land_environment_violation_open",
            track=Track.LAND_ENVIRONMENT_VIOLATION,
            citations=land_environment,
            check=r.land_environment_violation_open,
            title_vi="Vi phạm về đất đai, môi trường chưa khắc phục",
            title_en="Open land or environment violations",
        ),
        ReviewRule(
            id="investment_violation_before_policy_adjustment",
            track=Track.RESOLVE_VIOLATION_THEN_ADJUST,
            citations=(law("41", "3", _ART_41_3_NOTE), *investment),
            check=r.investment_violation_before_policy_adjustment,
            title_vi="Vi phạm về đầu tư cần xử lý trước khi đề nghị UBND tỉnh xem xét chấp thuận "
            "điều chỉnh chủ trương đầu tư",
            title_en="Investment violations to handle before the province is asked to approve "
            "the policy adjustment",
        ),
        ReviewRule(
            id="delay_beyond_extension_cap",
            track=Track.RESOLVE_VIOLATION_THEN_ADJUST,
            citations=(law("41", "4"), law("41", "3", _ART_41_3_NOTE)),
            check=r.delay_beyond_extension_cap,
            title_vi="Chậm tiến độ vượt quá thời gian giãn tiến độ tối đa",
            title_en="Delay beyond what the extension cap allows",
            assumption="a delay no extension within the cap can cover is a schedule breach to be "
            "established and handled before the policy adjustment",
        ),
        ReviewRule(
            id="investment_violation_remedied_by_procedures",
            track=Track.COMPLETE_PROCEDURES,
            citations=(*investment, law("41")),
            check=r.investment_violation_remedied_by_procedures,
            title_vi="Vi phạm về đầu tư khắc phục bằng hoàn thiện thủ tục",
            title_en="Investment violations remedied by completing the procedures",
        ),
        ReviewRule(
            id="delayed_within_extension_cap",
            track=Track.COMPLETE_PROCEDURES,
            citations=(law("41", "4"),),
            check=r.delayed_within_extension_cap,
            title_vi="Chậm tiến độ, còn trong thời hạn được giãn tiến độ",
            title_en="Behind schedule, within the extension cap",
        ),
        ReviewRule(
            id="adjustment_procedures_pending",
            track=Track.COMPLETE_PROCEDURES,
            citations=(law("41"),),
            check=r.adjustment_procedures_pending,
            title_vi="Đề nghị điều chỉnh dự án chờ hoàn thiện thủ tục",
            title_en="Adjustment request awaiting its procedure",
        ),
        ReviewRule(
            id="irc_missing",
            track=Track.COMPLETE_PROCEDURES,
            citations=(law("37"),),
            check=r.irc_missing,
            title_vi="Thiếu Giấy chứng nhận đăng ký đầu tư",
            title_en="Investment registration certificate missing",
        ),
    ]
    return tuple(rules)


_COMMON_ASSUMPTIONS = (
    "Art. 48(2) gives no period for remedying the causes of a suspension: parameter "
    "suspension_remedy_months (12) applies when the suspension states no deadline.",
    "An investor counts as unreachable when no investor action is recorded in the 12 months "
    "after the suspension (the record has no contact-attempt event).",
    "The construction-start milestone stands for putting the land into use (parameter "
    "land_use_milestone); the land handover date is not recorded.",
    "Land is recovered when used land_use_delay_months (24) behind schedule; the one extension "
    "of at most land_use_extension_months (24) is added only when a recorded schedule extension "
    "moved the land-use milestone (no separate land-use extension event exists).",
    "A delay no extension within the Art. 41(4) cap can cover is treated as a schedule breach "
    "to be handled before the policy adjustment.",
    "Every rule that holds is a reason (none hides another); the primary track is the first "
    "of them in the precedence.",
)
_DISTRICT_ASSUMPTION = (
    "Which authority level may sanction which investment violation is a recollection: the "
    "district rule holds for an open investment violation established by a district-level "
    "body while a policy adjustment is pending or required (the article: handled by the "
    "district before it advises the province on approving the adjustment).",
)

REVIEW_LAW_61_2020_BEFORE_2022 = ReviewRulebook(
    id="vn.review.law-61-2020.before-2022",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2013, trước 01/01/2022",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2013, before 1 Jan 2022",
    valid_from=LAW_61_2020_IN_FORCE,
    valid_until=day_before(DECREE_122_2021_IN_FORCE),
    rules=_rules(LAW_61_2020_IN_FORCE),
    parameters=ReviewParameters(),
    assumptions=(
        *_COMMON_ASSUMPTIONS,
        *_DISTRICT_ASSUMPTION,
        "Decree 122/2021/NĐ-CP applies from 1 Jan 2022; the investment sanctions decree in force "
        "before is not verified and is cited as such (no number).",
    ),
)

REVIEW_LAW_61_2020 = ReviewRulebook(
    id="vn.review.law-61-2020",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2013",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2013",
    valid_from=DECREE_122_2021_IN_FORCE,
    valid_until=day_before(LAND_LAW_2024_IN_FORCE),
    rules=_rules(DECREE_122_2021_IN_FORCE),
    parameters=ReviewParameters(),
    assumptions=(*_COMMON_ASSUMPTIONS, *_DISTRICT_ASSUMPTION),
)

REVIEW_LAW_61_2020_LAND_2024 = ReviewRulebook(
    id="vn.review.law-61-2020.land-2024",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2024",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2024",
    valid_from=LAND_LAW_2024_IN_FORCE,
    valid_until=day_before(DISTRICTS_ABOLISHED),
    rules=_rules(LAND_LAW_2024_IN_FORCE),
    parameters=ReviewParameters(),
    assumptions=(*_COMMON_ASSUMPTIONS, *_DISTRICT_ASSUMPTION),
)

REVIEW_LAW_61_2020_NO_DISTRICTS = ReviewRulebook(
    id="vn.review.law-61-2020.no-districts",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 sau khi bỏ cấp huyện",
    title_en="Review under Law on Investment 61/2020/QH14 after districts were abolished",
    valid_from=DISTRICTS_ABOLISHED,
    valid_until=LAW_61_2020_LAST_DAY,
    rules=_rules(DISTRICTS_ABOLISHED),
    parameters=ReviewParameters(),
    assumptions=_COMMON_ASSUMPTIONS,
)

REVIEW_LAW_143_2025 = ReviewRulebook(
    id="vn.review.law-143-2025",
    title_vi="Rà soát theo Luật Đầu tư 143/2025/QH15",
    title_en="Review under Law on Investment 143/2025/QH15",
    valid_from=LAW_143_2025_IN_FORCE,
    valid_until=None,
    rules=_rules(LAW_143_2025_IN_FORCE),
    parameters=ReviewParameters(),
    assumptions=(
        *_COMMON_ASSUMPTIONS,
        "Article numbers of Law 143/2025/QH15 are not verified: citations name the law and the "
        "Law 61/2020 provision assumed to continue.",
        "The 24-month extension cap and the 12-month schedule trigger for a policy adjustment "
        "are assumed to continue (parameters extension_cap_months, policy_schedule_months).",
        "Some capital-change triggers for policy adjustment were removed (verified); which ones "
        "is not: the invariant rulebook assumes none remains (thresholds.capital_change_triggers"
        "=False), so a capital request recorded from 1 Mar 2026 is not a pending policy "
        "adjustment here.",
        "Some delays may be excluded from the project timeline under Law 143/2025 (verified); "
        "which ones is not: extensions with an Art. 41(4) exception ground stay outside the cap.",
        "The provincial chairperson approves investment policy for 13 categories (verified; the "
        "list is not): a proposal to consider a policy adjustment goes to the chairperson for "
        "those, which the review cannot tell apart (it names no approver).",
    ),
)

BUILTIN_REVIEW_RULEBOOKS = ReviewRulebooks(
    (
        REVIEW_LAW_61_2020_BEFORE_2022,
        REVIEW_LAW_61_2020,
        REVIEW_LAW_61_2020_LAND_2024,
        REVIEW_LAW_61_2020_NO_DISTRICTS,
        REVIEW_LAW_143_2025,
    )
)
"""The review rulebooks dautu ships (registered by the builtin ``review`` plugin)."""
