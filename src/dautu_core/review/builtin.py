"""The builtin review rulebooks, dated by the law in force on the review date.

Five books, because five dates changed what a review may propose or cite:

* ``vn.review.law-61-2020.before-2022`` (1 Jan – 31 Dec 2021): as the next one, but the
  investment sanctions decree in force before 1 Jan 2022 is not verified, so it is cited as that
  (a parameter with a note), never by a guessed number.
* ``vn.review.law-61-2020`` (1 Jan 2022 – 31 Jul 2024): Law on Investment 61/2020/QH14, Land
  Law 2013 (45/2013/QH13), Law on Minerals 60/2010/QH12 and Decree 22/2012/NĐ-CP; investment
  sanctions under Decree 122/2021/NĐ-CP (from 1 Jan 2022); districts exist.
* ``vn.review.law-61-2020.land-2024`` (1 Aug 2024 – 30 Jun 2025): the same, but land recovery
  under the Land Law 2024 (31/2024/QH15) Art. 81(8).
* ``vn.review.law-61-2020.no-districts`` (1 Jul 2025 – 28 Feb 2026): district-level government
  abolished (no ``district_authority`` track); minerals under Law 54/2024/QH15.
* ``vn.review.law-143-2025`` (from 1 Mar 2026): Law on Investment 143/2025/QH15, whose article
  numbers were not verified: citations name the law only, numbers are parameters with notes.

A province replaces one of them by registering a rulebook with the same id (see
:meth:`dautu_core.review.rulebook.ReviewRulebooks.replace`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from dautu_core.review import rules as r
from dautu_core.review.rulebook import (
    ReviewParameters,
    ReviewRule,
    ReviewRulebook,
    ReviewRulebooks,
)
from dautu_core.review.tracks import Track
from dautu_core.values import LegalBasis

__all__ = [
    "BUILTIN_REVIEW_RULEBOOKS",
    "DISTRICTS_ABOLISHED",
    "REVIEW_LAW_61_2020",
    "REVIEW_LAW_61_2020_BEFORE_2022",
    "REVIEW_LAW_61_2020_LAND_2024",
    "REVIEW_LAW_61_2020_NO_DISTRICTS",
    "REVIEW_LAW_143_2025",
]

DISTRICTS_ABOLISHED = date(2025, 7, 1)
"""District-level government was abolished on 1 Jul 2025 (Resolution 202/2025/QH15 merged
Hải Dương into Hải Phòng the same day)."""

InvestmentLaw = Callable[..., LegalBasis]


def _note(vi: str, en: str) -> str:
    """Notes are read in both languages: "Vietnamese / English"."""
    return f"{vi} / {en}"


_DAUTU_SCOPE = LegalBasis(
    instrument="dautu",
    note=_note(
        "phạm vi rà soát: dự án ngoài khu công nghiệp, không phải quy định pháp luật",
        "scope of the review: projects outside industrial zones; not a legal provision",
    ),
)
_DAUTU_APPROVAL = LegalBasis(
    instrument="dautu",
    note=_note(
        "chưa có quyết định chấp thuận thì chưa rà soát", "nothing to review before an approval"
    ),
)
DECREE_122_IN_FORCE = date(2022, 1, 1)
"""Decree 122/2021/NĐ-CP (investment sanctions) applies from 1 Jan 2022 (DOMAIN [V])."""

_DECREE_122 = "122/2021/NĐ-CP"
_SANCTIONS_BEFORE_2022_INSTRUMENT = _note(
    "nghị định xử phạt vi phạm hành chính về đầu tư có hiệu lực trước 01/01/2022",
    "investment sanctions decree in force before 1 Jan 2022",
)
_SANCTIONS_BEFORE_2022 = LegalBasis(
    instrument=_SANCTIONS_BEFORE_2022_INSTRUMENT,
    note=_note(
        "tham số: chưa xác minh số hiệu và điều", "parameter: number and article not verified"
    ),
)
_DISTRICT_COMPETENCE_BEFORE_2022 = LegalBasis(
    instrument=_SANCTIONS_BEFORE_2022_INSTRUMENT,
    note=_note(
        "giả định: thẩm quyền xử phạt của Chủ tịch UBND cấp huyện; chưa xác minh số hiệu và điều",
        "assumption: district chairpersons' sanctioning competence; number and article not "
        "verified",
    ),
)
_SANCTIONS = LegalBasis(
    instrument=_DECREE_122,
    note=_note(
        "xử phạt vi phạm về đầu tư; chưa xác minh điều",
        "investment sanctions; article not verified",
    ),
)
_DISTRICT_COMPETENCE = LegalBasis(
    instrument=_DECREE_122,
    note=_note(
        "giả định: thẩm quyền xử phạt của Chủ tịch UBND cấp huyện; chưa xác minh điều",
        "assumption: district chairpersons' sanctioning competence; article not verified",
    ),
)
_LAND_2013 = LegalBasis(
    instrument="45/2013/QH13",
    note=_note("Luật Đất đai 2013; chưa xác minh điều", "Land Law 2013; article not verified"),
)
_LAND_2024 = LegalBasis(
    instrument="31/2024/QH15",
    note=_note("Luật Đất đai 2024; chưa xác minh điều", "Land Law 2024; article not verified"),
)
_LAND_RECOVERY_2013 = LegalBasis(instrument="45/2013/QH13", article="64", clause="1", point="i")
_LAND_RECOVERY_2024 = LegalBasis(instrument="31/2024/QH15", article="81", clause="8")
_ENVIRONMENT = LegalBasis(
    instrument="72/2020/QH14",
    note=_note(
        "Luật Bảo vệ môi trường; chưa xác minh điều",
        "Law on Environmental Protection; article not verified",
    ),
)
_MINERALS_2010 = (
    LegalBasis(
        instrument="60/2010/QH12",
        note=_note("Luật Khoáng sản; chưa xác minh điều", "Law on Minerals; article not verified"),
    ),
    LegalBasis(
        instrument="22/2012/NĐ-CP",
        note=_note(
            "đấu giá quyền khai thác khoáng sản; chưa xác minh điều",
            "auction of mineral exploitation rights; article not verified",
        ),
    ),
)
_MINERALS_2024 = (
    LegalBasis(
        instrument="54/2024/QH15",
        note=_note(
            "Luật Địa chất và Khoáng sản; chưa xác minh điều",
            "Law on Geology and Minerals; article not verified",
        ),
    ),
)


def _law_61(article: str, clause: str | None = None, note: str | None = None) -> LegalBasis:
    return LegalBasis(instrument="61/2020/QH14", article=article, clause=clause, note=note)


def _law_143(article: str, clause: str | None = None, note: str | None = None) -> LegalBasis:
    where = f"Art. {article}({clause})" if clause else f"Art. {article}"
    where_vi = f"khoản {clause} Điều {article}" if clause else f"Điều {article}"
    return LegalBasis(
        instrument="143/2025/QH15",
        note=_note(
            f"chưa xác minh điều; giả định giữ quy định {where_vi} Luật 61/2020",
            f"article not verified; Law 61/2020 {where} assumed to continue",
        ),
    )


_ART_41_3_NOTE = _note(
    "Điều 41 đã xác minh; số khoản theo trí nhớ, chưa xác minh",
    "Art. 41 verified; the clause number is a recollection",
)


def _rules(
    law: InvestmentLaw,
    *,
    land: LegalBasis,
    land_recovery: LegalBasis,
    minerals: tuple[LegalBasis, ...],
    district: bool,
    sanctions: LegalBasis = _SANCTIONS,
    district_competence: LegalBasis = _DISTRICT_COMPETENCE,
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
            title_vi="Khai thác khoáng sản phải đấu giá quyền khai thác",
            title_en="Mineral exploitation rights must be auctioned",
            assumption="an open minerals violation on a mineral-exploitation project stands for "
            "rights granted without auction in an area not designated as non-auction",
        ),
    ]
    if district:
        rules.append(
            ReviewRule(
                id="district_handles_investment_violation",
                track=Track.DISTRICT_AUTHORITY,
                citations=(district_competence,),
                check=r.district_handles_investment_violation,
                title_vi="UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham mưu UBND tỉnh",
                title_en="The district handles the investment violations, then advises the "
                "province",
                valid_until=date(2025, 6, 30),
                assumption="which level may sanction what is a recollection (DOMAIN [R])",
            )
        )
    rules += [
        ReviewRule(
            id="land_environment_violation_open",
            track=Track.LAND_ENVIRONMENT_VIOLATION,
            citations=(land, _ENVIRONMENT),
            check=r.land_environment_violation_open,
            title_vi="Vi phạm về đất đai, môi trường chưa khắc phục",
            title_en="Open land or environment violations",
        ),
        ReviewRule(
            id="investment_violation_before_policy_adjustment",
            track=Track.RESOLVE_VIOLATION_THEN_ADJUST,
            citations=(law("41", "3", _ART_41_3_NOTE), sanctions),
            check=r.investment_violation_before_policy_adjustment,
            title_vi="Vi phạm về đầu tư phải xử lý trước khi điều chỉnh chủ trương đầu tư",
            title_en="Investment violations to handle before the policy adjustment",
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
            citations=(sanctions, law("41")),
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
    "Which authority level may sanction which investment violation is a recollection; the "
    "district rule follows the approving or establishing authority's level.",
    "A delay no extension within the Art. 41(4) cap can cover is treated as a schedule breach "
    "to be handled before the policy adjustment.",
)

REVIEW_LAW_61_2020_BEFORE_2022 = ReviewRulebook(
    id="vn.review.law-61-2020.before-2022",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2013, trước 01/01/2022",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2013, before 1 Jan 2022",
    valid_from=date(2021, 1, 1),
    valid_until=DECREE_122_IN_FORCE - timedelta(days=1),
    rules=_rules(
        _law_61,
        land=_LAND_2013,
        land_recovery=_LAND_RECOVERY_2013,
        minerals=_MINERALS_2010,
        district=True,
        sanctions=_SANCTIONS_BEFORE_2022,
        district_competence=_DISTRICT_COMPETENCE_BEFORE_2022,
    ),
    parameters=ReviewParameters(),
    assumptions=(
        *_COMMON_ASSUMPTIONS,
        "Decree 122/2021/NĐ-CP applies from 1 Jan 2022; the investment sanctions decree in force "
        "before is not verified and is cited as such (no number).",
    ),
)

REVIEW_LAW_61_2020 = ReviewRulebook(
    id="vn.review.law-61-2020",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2013",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2013",
    valid_from=DECREE_122_IN_FORCE,
    valid_until=date(2024, 7, 31),
    rules=_rules(
        _law_61,
        land=_LAND_2013,
        land_recovery=_LAND_RECOVERY_2013,
        minerals=_MINERALS_2010,
        district=True,
    ),
    parameters=ReviewParameters(),
    assumptions=_COMMON_ASSUMPTIONS,
)

REVIEW_LAW_61_2020_LAND_2024 = ReviewRulebook(
    id="vn.review.law-61-2020.land-2024",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 và Luật Đất đai 2024",
    title_en="Review under Law on Investment 61/2020/QH14 and the Land Law 2024",
    valid_from=date(2024, 8, 1),
    valid_until=date(2025, 6, 30),
    rules=_rules(
        _law_61,
        land=_LAND_2024,
        land_recovery=_LAND_RECOVERY_2024,
        minerals=_MINERALS_2010,
        district=True,
    ),
    parameters=ReviewParameters(),
    assumptions=_COMMON_ASSUMPTIONS,
)

REVIEW_LAW_61_2020_NO_DISTRICTS = ReviewRulebook(
    id="vn.review.law-61-2020.no-districts",
    title_vi="Rà soát theo Luật Đầu tư 61/2020/QH14 sau khi bỏ cấp huyện",
    title_en="Review under Law on Investment 61/2020/QH14 after districts were abolished",
    valid_from=DISTRICTS_ABOLISHED,
    valid_until=date(2026, 2, 28),
    rules=_rules(
        _law_61,
        land=_LAND_2024,
        land_recovery=_LAND_RECOVERY_2024,
        minerals=_MINERALS_2024,
        district=False,
    ),
    parameters=ReviewParameters(),
    assumptions=_COMMON_ASSUMPTIONS,
)

REVIEW_LAW_143_2025 = ReviewRulebook(
    id="vn.review.law-143-2025",
    title_vi="Rà soát theo Luật Đầu tư 143/2025/QH15",
    title_en="Review under Law on Investment 143/2025/QH15",
    valid_from=date(2026, 3, 1),
    valid_until=None,
    rules=_rules(
        _law_143,
        land=_LAND_2024,
        land_recovery=_LAND_RECOVERY_2024,
        minerals=_MINERALS_2024,
        district=False,
    ),
    parameters=ReviewParameters(),
    assumptions=(
        *_COMMON_ASSUMPTIONS,
        "Article numbers of Law 143/2025/QH15 are not verified: citations name the law and the "
        "Law 61/2020 provision assumed to continue.",
        "The 24-month extension cap and the 12-month schedule trigger for a policy adjustment "
        "are assumed to continue (parameters extension_cap_months, policy_schedule_months).",
        "Some delays may be excluded from the project timeline under Law 143/2025 (verified); "
        "which ones is not: extensions with an Art. 41(4) exception ground stay outside the cap.",
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
