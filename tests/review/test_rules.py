"""One given/when/then example per review rule, each checking the citation it gives.

Given a project's history (commands judged by the decider), when it is reviewed as of a date,
then the rule holds (or not), proposes its track, names the events it rests on and cites the
law in force on the review date. The sample project: approved 15/03/2021 by the provincial
committee, 5 ha of land, capital due 15/09/2021, construction 15/03/2022, operation 15/03/2023.
"""

from __future__ import annotations

from datetime import date

from dautu_core import (
    Authority,
    AuthorityLevel,
    ExtensionGround,
    Investor,
    Location,
    Milestone,
    MilestoneKind,
    Money,
    Regime,
    Schedule,
    SuspensionGround,
    TerminateProject,
    TerminationGround,
    ViolationCategory,
)
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, REVIEW_LAW_61_2020, Track
from dautu_core.review.rules import adjustment_kind_label, trigger_label
from dautu_core.testing import sample_envelope
from review.helpers import (
    CODE,
    DISTRICT,
    approve,
    decided,
    delay,
    extend,
    found,
    met,
    reason,
    remedied,
    request,
    request_schedule,
    review_of,
    rule_ids,
    sanctioned,
    suspend,
    versions,
)

REVIEW_DAY = date(2024, 2, 21)

# The citations the rules emit, pinned as literals (never read back from the rulebook).
ART_41_3 = (
    "61/2020/QH14, Art. 41(3) [Điều 41 đã xác minh; số khoản theo trí nhớ, chưa xác minh / "
    "Art. 41 verified; the clause number is a recollection]"
)
DECREE_122 = (
    "122/2021/NĐ-CP [xử phạt vi phạm hành chính về đầu tư; chưa xác minh điều / investment "
    "sanctions; article not verified]"
)
INVESTMENT_SANCTIONS = f"{DECREE_122}; 61/2020/QH14, Art. 72"
DISTRICT_COMPETENCE = (
    "122/2021/NĐ-CP [giả định: thẩm quyền xử phạt của Chủ tịch UBND cấp huyện; chưa xác minh "
    "điều / assumption: district chairpersons' sanctioning competence; article not verified]"
)
LAND_2013 = (
    "45/2013/QH13 [Luật Đất đai 2013; chưa xác minh số hiệu và điều / Land Law 2013; number "
    "and article not verified]"
)
ENVIRONMENT = (
    "72/2020/QH14 [Luật Bảo vệ môi trường; chưa xác minh số hiệu và điều / Law on "
    "Environmental Protection; number and article not verified]"
)
LAND_RECOVERY_2013 = (
    "45/2013/QH13, Art. 64(1)(i) [Luật Đất đai 2013, điều đã xác minh; chưa xác minh số hiệu / "
    "Land Law 2013, article verified; number not verified]"
)
MINERALS_2010 = (
    "60/2010/QH12 [Luật Khoáng sản; chưa xác minh điều / Law on Minerals; article not "
    "verified]; 22/2012/NĐ-CP [đấu giá quyền khai thác khoáng sản; chưa xác minh điều / "
    "auction of mineral exploitation rights; article not verified]"
)


# --- scope ------------------------------------------------------------------------------------


def test_a_project_approved_after_the_review_date_is_out_of_scope() -> None:
    review = review_of(approve(date(2024, 5, 2)), as_of=REVIEW_DAY)

    assert review.primary_track is Track.OUT_OF_SCOPE
    assert rule_ids(review) == {"not_approved"}
    assert review.status is None


def test_a_project_inside_an_industrial_zone_is_out_of_scope_whatever_else_holds() -> None:
    zone = Location(province="Hải Dương", district="huyện Cẩm Giàng", inside_industrial_zone=True)
    review = review_of(
        approve(location=zone),
        found(date(2023, 1, 5), "VP-1", ViolationCategory.LAND),
        as_of=REVIEW_DAY,
    )

    assert review.tracks == (Track.OUT_OF_SCOPE,)
    assert rule_ids(review) == {"inside_industrial_zone"}
    assert versions(reason(review, "inside_industrial_zone")) == [1]


# --- terminate: Law 61/2020 Art. 48 ------------------------------------------------------------


def test_a_recorded_termination_proposes_terminate_citing_article_48() -> None:
    review = review_of(
        approve(),
        TerminateProject(
            **sample_envelope(CODE, date(2023, 6, 1)),
            ground=TerminationGround.LAND_RECOVERED,
            authority=Authority(name="UBND tỉnh Hải Dương", level=AuthorityLevel.PROVINCIAL),
        ),
        as_of=REVIEW_DAY,
    )

    found_reason = reason(review, "terminate_recorded")
    assert review.primary_track is Track.TERMINATE
    assert versions(found_reason) == [2]
    assert found_reason.citation == "61/2020/QH14, Art. 48"
    assert found_reason.citation_vi == "Điều 48 61/2020/QH14"


def test_suspension_not_remedied_by_its_deadline_is_a_termination_ground() -> None:
    history = (
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        met(date(2022, 3, 1), "construction_start"),
        suspend(date(2023, 5, 22), SuspensionGround.ENVIRONMENT_BREACH, until=date(2023, 11, 30)),
    )

    on_deadline = review_of(*history, as_of=date(2023, 11, 30))
    after = review_of(*history, as_of=date(2023, 12, 1))

    assert "terminate_suspension_not_remedied" not in rule_ids(on_deadline)
    found_reason = reason(after, "terminate_suspension_not_remedied")
    assert after.primary_track is Track.TERMINATE
    assert versions(found_reason) == [4]
    assert found_reason.citation == "61/2020/QH14, Art. 48(2); 61/2020/QH14, Art. 47"
    assert "30/11/2023" in found_reason.detail_vi


def test_without_a_deadline_the_suspension_counts_as_unremedied_after_the_parameter() -> None:
    history = (
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        suspend(date(2022, 8, 15), SuspensionGround.REPEATED_VIOLATIONS),
    )
    months = REVIEW_LAW_61_2020.parameters.suspension_remedy_months

    before = review_of(*history, as_of=date(2023, 8, 14))
    at = review_of(*history, as_of=date(2023, 8, 15))

    assert months == 12
    assert "terminate_suspension_not_remedied" not in rule_ids(before)
    assert "terminate_suspension_not_remedied" in rule_ids(at)


def test_the_investor_own_suspension_is_not_a_suspension_to_remedy() -> None:
    review = review_of(
        approve(),
        suspend(date(2022, 1, 10), SuspensionGround.INVESTOR_NOTICE),
        as_of=date(2022, 6, 1),
    )

    assert "terminate_suspension_not_remedied" not in rule_ids(review)


def test_investor_unreachable_twelve_months_after_suspension() -> None:
    history = (
        approve(),
        found(date(2022, 5, 2), "VP-1", ViolationCategory.REPORTING),
        suspend(date(2022, 8, 15), SuspensionGround.INVESTOR_NOTICE),
    )

    eleven = review_of(*history, as_of=date(2023, 8, 14))
    twelve = review_of(*history, as_of=date(2023, 8, 15))
    heard_of = review_of(*history, remedied(date(2023, 1, 9), "VP-1"), as_of=date(2023, 8, 15))

    assert "terminate_investor_unreachable" not in rule_ids(eleven)
    found_reason = reason(twelve, "terminate_investor_unreachable")
    assert versions(found_reason) == [3]
    assert found_reason.citation == "61/2020/QH14, Art. 48(2)"
    assert "terminate_investor_unreachable" not in rule_ids(heard_of)


def test_land_not_used_24_months_late_cites_the_land_law_2013() -> None:
    approved = date(2019, 3, 15)  # construction start due 15/03/2020
    history = (approve(approved), delay(date(2021, 6, 1), "construction_start"))

    twenty_three = review_of(*history, as_of=date(2022, 3, 14))
    twenty_four = review_of(*history, as_of=date(2022, 3, 15))
    no_land = review_of(approve(approved, land_area=None), as_of=date(2022, 3, 15))

    assert "terminate_land_not_used" not in rule_ids(twenty_three)
    found_reason = reason(twenty_four, "terminate_land_not_used")
    assert versions(found_reason) == [1, 2]
    assert "không có gia hạn được ghi nhận" in found_reason.detail_vi
    assert found_reason.citation == f"{LAND_RECOVERY_2013}; 61/2020/QH14, Art. 48(2)"
    assert found_reason.citation_vi.startswith("điểm i khoản 1 Điều 64 45/2013/QH13 [")
    assert "terminate_land_not_used" not in rule_ids(no_land)


def test_a_recorded_extension_adds_its_months_to_the_land_use_delay() -> None:
    approved = date(2019, 3, 15)  # construction start due 15/03/2020, moved to 15/03/2021
    history = (approve(approved), extend(date(2020, 1, 10), 12))

    thirty_five = review_of(*history, as_of=date(2023, 3, 14))
    thirty_six = review_of(*history, as_of=date(2023, 3, 15))

    assert "terminate_land_not_used" not in rule_ids(thirty_five)
    found_reason = reason(thirty_six, "terminate_land_not_used")
    assert versions(found_reason) == [1, 2]
    assert "36 months late (beyond 24 months plus the 12-month extension)" in (
        found_reason.detail_en
    )


def test_an_unpaid_deposit_is_a_termination_ground_citing_articles_43_and_48() -> None:
    review = review_of(
        approve(), found(date(2021, 12, 1), "VP-KQ", ViolationCategory.DEPOSIT), as_of=REVIEW_DAY
    )

    found_reason = reason(review, "terminate_deposit_not_paid")
    assert review.primary_track is Track.TERMINATE
    assert versions(found_reason) == [2]
    assert found_reason.citation == "61/2020/QH14, Art. 43; 61/2020/QH14, Art. 48(2)"


# --- minerals, district, land and environment --------------------------------------------------


def test_a_mineral_project_without_auctioned_rights_goes_to_auction() -> None:
    review = review_of(
        approve(is_mineral_exploitation=True, sector="Khai thác khoáng sản"),
        found(date(2023, 4, 3), "VP-KS", ViolationCategory.MINERALS),
        as_of=REVIEW_DAY,
    )

    found_reason = reason(review, "mineral_rights_not_auctioned")
    assert review.primary_track is Track.MINERAL_RIGHTS_AUCTION
    assert versions(found_reason) == [1, 2]
    assert found_reason.citation == MINERALS_2010


def test_a_minerals_violation_on_another_project_is_not_an_auction_case() -> None:
    review = review_of(
        approve(), found(date(2023, 4, 3), "VP-KS", ViolationCategory.MINERALS), as_of=REVIEW_DAY
    )

    assert Track.MINERAL_RIGHTS_AUCTION not in review.tracks


def test_a_district_s_investment_violation_before_a_policy_adjustment_is_the_district_s() -> None:
    """The article: "thuộc thẩm quyền UBND cấp huyện xử lý vi phạm về đầu tư trước khi tham mưu,
    trình UBND tỉnh xem xét chấp thuận điều chỉnh chủ trương đầu tư": both halves hold."""
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 3, 1), "VP-1", ViolationCategory.INVESTMENT, by=DISTRICT),
        request_schedule(date(2023, 5, 2), LATER_SCHEDULE),
        as_of=REVIEW_DAY,
    )

    found_reason = reason(review, "district_handles_investment_violation")
    assert review.primary_track is Track.DISTRICT_AUTHORITY
    assert versions(found_reason) == [3, 4]
    assert found_reason.citation == f"{DISTRICT_COMPETENCE}; {ART_41_3}"
    assert "UBND huyện Gia Lộc" in found_reason.detail_vi
    assert "tham mưu, trình UBND tỉnh" in found_reason.detail_vi


def test_a_district_s_violation_without_a_policy_adjustment_is_not_the_district_track() -> None:
    review = review_of(
        approve(),
        found(date(2023, 3, 1), "VP-1", ViolationCategory.INVESTMENT, by=DISTRICT),
        as_of=date(2023, 4, 1),
    )

    assert "district_handles_investment_violation" not in rule_ids(review)
    assert review.primary_track is Track.COMPLETE_PROCEDURES
    assert "investment_violation_remedied_by_procedures" in rule_ids(review)


def test_the_approving_authority_s_level_does_not_make_a_violation_the_district_s() -> None:
    """Approvals come from the National Assembly, the Prime Minister or the province; the
    district track follows the body that established the violation, never the approval."""
    review = review_of(
        approve(authority=DISTRICT),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 3, 1), "VP-1", ViolationCategory.INVESTMENT),
        request_schedule(date(2023, 5, 2), LATER_SCHEDULE),
        as_of=REVIEW_DAY,
    )

    assert Track.DISTRICT_AUTHORITY not in review.tracks
    assert review.primary_track is Track.RESOLVE_VIOLATION_THEN_ADJUST


def test_no_district_track_once_districts_are_abolished() -> None:
    history = (
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 3, 1), "VP-1", ViolationCategory.INVESTMENT, by=DISTRICT),
        request_schedule(date(2023, 5, 2), LATER_SCHEDULE),
    )

    last_day = review_of(*history, as_of=date(2025, 6, 30))
    abolished = review_of(*history, as_of=date(2025, 7, 1))

    assert "district_handles_investment_violation" in rule_ids(last_day)
    assert abolished.rulebook_id == "vn.review.law-61-2020.no-districts"
    assert "district_handles_investment_violation" not in rule_ids(abolished)
    assert "investment_violation_before_policy_adjustment" in rule_ids(abolished)


def test_open_land_or_environment_violations_and_only_open_ones() -> None:
    land = review_of(
        approve(), found(date(2023, 3, 1), "VP-DD", ViolationCategory.LAND), as_of=REVIEW_DAY
    )
    remedied_environment = review_of(
        approve(),
        found(date(2023, 3, 1), "VP-MT", ViolationCategory.ENVIRONMENT),
        remedied(date(2023, 9, 1), "VP-MT"),
        as_of=REVIEW_DAY,
    )

    found_reason = reason(land, "land_environment_violation_open")
    assert land.primary_track is Track.LAND_ENVIRONMENT_VIOLATION
    assert versions(found_reason) == [2]
    assert found_reason.citation == f"{LAND_2013}; {ENVIRONMENT}"
    assert found_reason.detail_vi.startswith("Vi phạm về đất đai chưa khắc phục")
    assert Track.LAND_ENVIRONMENT_VIOLATION not in remedied_environment.tracks


# --- investment violations and adjustments: Law 61/2020 Art. 41 -------------------------------


LATER_SCHEDULE = Schedule(
    (
        Milestone(MilestoneKind.CAPITAL_CONTRIBUTION, date(2021, 9, 15)),
        Milestone(MilestoneKind.CONSTRUCTION_START, date(2024, 9, 15)),
        Milestone(MilestoneKind.OPERATION_START, date(2025, 9, 15)),
    )
)


def test_violations_are_handled_before_a_pending_policy_adjustment() -> None:
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 2, 6), "VP-1", ViolationCategory.INVESTMENT),
        sanctioned(date(2023, 3, 6), "VP-1"),
        request_schedule(date(2023, 5, 2), LATER_SCHEDULE),
        as_of=REVIEW_DAY,
    )

    found_reason = reason(review, "investment_violation_before_policy_adjustment")
    assert review.primary_track is Track.RESOLVE_VIOLATION_THEN_ADJUST
    assert versions(found_reason) == [3, 5]
    assert found_reason.citation == f"{ART_41_3}; {INVESTMENT_SANCTIONS}"


def test_a_policy_adjustment_is_required_once_any_new_schedule_runs_12_months_late() -> None:
    history = (
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        met(date(2022, 3, 1), "construction_start"),
        found(date(2023, 6, 1), "VP-1", ViolationCategory.INVESTMENT),
    )  # operation due 15/03/2023; 12 months later: 15/03/2024

    before = review_of(*history, as_of=date(2024, 3, 15))
    after = review_of(*history, as_of=date(2024, 3, 16))

    assert before.primary_track is Track.COMPLETE_PROCEDURES
    assert rule_ids(before) == {
        "investment_violation_remedied_by_procedures",
        "delayed_within_extension_cap",
    }
    assert after.primary_track is Track.RESOLVE_VIOLATION_THEN_ADJUST
    assert versions(reason(after, "investment_violation_before_policy_adjustment")) == [1, 4]


def test_a_delay_no_extension_within_the_cap_can_cover() -> None:
    history = (
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        extend(date(2022, 3, 1), 24),
    )  # construction now due 15/03/2024, 24 of 24 months used

    used = review_of(*history, as_of=date(2024, 4, 16))
    exempt = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        extend(date(2022, 3, 1), 24, ground=ExtensionGround.LAND_HANDOVER_DELAY),
        as_of=date(2024, 4, 16),
    )

    found_reason = reason(used, "delay_beyond_extension_cap")
    assert used.primary_track is Track.RESOLVE_VIOLATION_THEN_ADJUST
    assert versions(found_reason) == [1, 3]
    assert found_reason.citation == f"61/2020/QH14, Art. 41(4); {ART_41_3}"
    assert "delay_beyond_extension_cap" not in rule_ids(exempt)
    assert exempt.primary_track is Track.COMPLETE_PROCEDURES


def test_an_investment_violation_without_adjustment_is_remedied_by_completing_procedures() -> None:
    review = review_of(
        approve(),
        found(date(2022, 6, 1), "VP-BC", ViolationCategory.REPORTING),
        as_of=date(2022, 7, 1),
    )

    found_reason = reason(review, "investment_violation_remedied_by_procedures")
    assert review.primary_track is Track.COMPLETE_PROCEDURES
    assert versions(found_reason) == [2]
    assert found_reason.citation == f"{INVESTMENT_SANCTIONS}; 61/2020/QH14, Art. 41"


def test_behind_schedule_within_the_extension_cap_completes_procedures() -> None:
    review = review_of(
        approve(), delay(date(2021, 12, 1), "capital_contribution"), as_of=REVIEW_DAY
    )
    blocked = review_of(
        approve(),
        delay(date(2021, 12, 1), "capital_contribution"),
        found(date(2022, 1, 5), "VP-DD", ViolationCategory.LAND),
        as_of=date(2022, 2, 1),
    )

    assert "delayed_within_extension_cap" not in rule_ids(review)  # 29 months late: over the cap
    early = review_of(
        approve(), delay(date(2021, 12, 1), "capital_contribution"), as_of=date(2022, 2, 1)
    )
    found_reason = reason(early, "delayed_within_extension_cap")
    assert early.primary_track is Track.COMPLETE_PROCEDURES
    assert versions(found_reason) == [1, 2]
    assert found_reason.citation == "61/2020/QH14, Art. 41(4)"
    assert "còn được giãn 24 tháng" in found_reason.detail_vi
    # An open land violation makes its track primary; the delay is still one of the reasons.
    assert blocked.primary_track is Track.LAND_ENVIRONMENT_VIOLATION
    assert "delayed_within_extension_cap" in rule_ids(blocked)


def test_an_open_reporting_violation_does_not_hide_a_20_month_delay() -> None:
    """Every rule that holds is a reason: the reporting violation makes complete_procedures
    hold through its own rule, and the delay of 20 months (within the 24-month cap) is still
    listed with its own citation."""
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 6, 1), "VP-BC", ViolationCategory.REPORTING),
        as_of=date(2023, 11, 15),
    )  # construction start due 15/03/2022: 20 months late

    assert review.primary_track is Track.COMPLETE_PROCEDURES
    assert rule_ids(review) == {
        "investment_violation_remedied_by_procedures",
        "delayed_within_extension_cap",
    }
    delay_reason = reason(review, "delayed_within_extension_cap")
    assert "Khởi công xây dựng chậm 20 tháng" in delay_reason.detail_vi
    assert delay_reason.citation == "61/2020/QH14, Art. 41(4)"


def test_an_adjustment_request_without_violations_completes_its_procedure() -> None:
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        request(date(2022, 1, 10), capital=Money.from_billion(110)),
        as_of=date(2022, 2, 1),
    )

    found_reason = reason(review, "adjustment_procedures_pending")
    assert review.primary_track is Track.COMPLETE_PROCEDURES
    assert versions(found_reason) == [3]
    assert found_reason.citation == "61/2020/QH14, Art. 41"


def test_a_foreign_investor_without_registration_certificate() -> None:
    review = review_of(
        approve(
            investors=(Investor(name="Minh Hoa Holdings (hư cấu)", nationality="KR"),),
            regime=Regime.POLICY_APPROVAL,
        ),
        as_of=date(2021, 6, 1),
    )

    found_reason = reason(review, "irc_missing")
    assert review.primary_track is Track.COMPLETE_PROCEDURES
    assert found_reason.citation == "61/2020/QH14, Art. 37"


def test_a_project_on_schedule_without_violation_is_on_track() -> None:
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        met(date(2022, 3, 1), "construction_start"),
        met(date(2023, 3, 1), "operation_start"),
        as_of=REVIEW_DAY,
    )

    assert review.primary_track is Track.ON_TRACK
    assert review.tracks == (Track.ON_TRACK,)
    assert review.reasons == ()


# --- precedence and the department's decision ------------------------------------------------


def test_the_primary_track_follows_the_documented_precedence() -> None:
    review = review_of(
        approve(),
        found(date(2022, 1, 5), "VP-DD", ViolationCategory.LAND),
        found(date(2022, 1, 6), "VP-DT", ViolationCategory.INVESTMENT, by=DISTRICT),
        found(date(2022, 1, 7), "VP-KQ", ViolationCategory.DEPOSIT),
        as_of=REVIEW_DAY,
    )

    assert review.tracks == (
        Track.TERMINATE,
        Track.DISTRICT_AUTHORITY,
        Track.LAND_ENVIRONMENT_VIOLATION,
        Track.RESOLVE_VIOLATION_THEN_ADJUST,
    )
    assert review.primary_track is Track.TERMINATE
    assert [r.track for r in review.reasons] == sorted(
        (r.track for r in review.reasons), key=REVIEW_LAW_61_2020.precedence.index
    )


def test_the_recorded_decision_is_shown_and_compared_with_the_proposal() -> None:
    history = (approve(), found(date(2021, 12, 1), "VP-KQ", ViolationCategory.DEPOSIT))

    agreeing = review_of(*history, decided(REVIEW_DAY, "terminate"), as_of=REVIEW_DAY)
    differing = review_of(*history, decided(REVIEW_DAY, "complete_procedures"), as_of=REVIEW_DAY)
    before_decision = review_of(*history, decided(REVIEW_DAY, "terminate"), as_of=date(2024, 2, 20))

    assert agreeing.agrees_with_decision is True
    assert differing.agrees_with_decision is False
    assert differing.decision is not None and differing.decision.version == 3
    assert before_decision.decision is None and before_decision.agrees_with_decision is None


def test_the_review_reads_the_events_of_the_review_date_not_later_ones() -> None:
    history = (
        approve(),
        found(date(2023, 3, 1), "VP-DD", ViolationCategory.LAND),
        remedied(date(2023, 9, 1), "VP-DD"),
    )

    assert review_of(*history, as_of=date(2023, 8, 31)).primary_track is (
        Track.LAND_ENVIRONMENT_VIOLATION
    )
    assert review_of(*history, as_of=date(2023, 9, 1)).primary_track is not (
        Track.LAND_ENVIRONMENT_VIOLATION
    )


def test_a_granted_extension_answers_the_delay_recorded_before_it() -> None:
    approved = date(2022, 3, 1)  # construction start due 01/03/2023
    history = (
        approve(approved),
        met(date(2022, 8, 1), "capital_contribution"),
        delay(date(2023, 1, 10), "construction_start"),
        extend(date(2023, 2, 1), 12),
    )

    extended = review_of(*history, as_of=date(2023, 9, 1))
    found_again = review_of(
        *history, delay(date(2023, 8, 1), "construction_start"), as_of=date(2023, 9, 1)
    )
    late_again = review_of(*history, as_of=date(2024, 5, 2))

    assert extended.primary_track is Track.ON_TRACK
    assert "delayed_within_extension_cap" not in rule_ids(extended)
    assert found_again.primary_track is Track.COMPLETE_PROCEDURES
    assert (
        "đã ghi nhận chậm tiến độ" in reason(found_again, "delayed_within_extension_cap").detail_vi
    )
    assert (
        "Khởi công xây dựng chậm 2 tháng"
        in reason(late_again, "delayed_within_extension_cap").detail_vi
    )


def test_decree_122_is_cited_only_from_1_january_2022() -> None:
    history = (approve(), found(date(2021, 6, 1), "VP-BC", ViolationCategory.REPORTING))

    before = reason(
        review_of(*history, as_of=date(2021, 12, 31)), "investment_violation_remedied_by_procedures"
    )
    after = reason(
        review_of(*history, as_of=date(2022, 1, 1)), "investment_violation_remedied_by_procedures"
    )

    assert before.citation == (
        "nghị định xử phạt vi phạm hành chính về đầu tư có hiệu lực trước 01/01/2022 / "
        "investment sanctions decree in force before 1 Jan 2022 [tham số: chưa xác minh số hiệu "
        "và điều / parameter: number and article not verified]; 61/2020/QH14, Art. 72; "
        "61/2020/QH14, Art. 41"
    )
    assert "122/2021" not in before.citation_vi
    assert after.citation == f"{INVESTMENT_SANCTIONS}; 61/2020/QH14, Art. 41"
    assert BUILTIN_REVIEW_RULEBOOKS.in_force(date(2021, 12, 31)).id == (
        "vn.review.law-61-2020.before-2022"
    )


def test_article_41_is_verified_only_its_clause_number_is_a_recollection() -> None:
    cited = REVIEW_LAW_61_2020.rule("investment_violation_before_policy_adjustment").citation
    assert cited.startswith(ART_41_3)


def test_triggers_and_adjustment_kinds_are_shown_with_labels() -> None:
    review = review_of(
        approve(),
        met(date(2021, 9, 1), "capital_contribution"),
        found(date(2023, 2, 6), "VP-1", ViolationCategory.INVESTMENT),
        request_schedule(date(2023, 5, 2), LATER_SCHEDULE),
        as_of=REVIEW_DAY,
    )
    pending = review_of(
        approve(), request(date(2022, 1, 10), capital=Money.from_billion(110)), as_of=REVIEW_DAY
    )

    policy = reason(review, "investment_violation_before_policy_adjustment")
    assert "schedule_beyond_first" not in policy.detail_vi + policy.detail_en
    assert "tháng so với chấp thuận lần đầu" in policy.detail_vi
    assert "months beyond the first approval" in policy.detail_en
    procedures = reason(pending, "adjustment_procedures_pending")
    assert "(vốn đầu tư)" in procedures.detail_vi
    assert "(investment capital)" in procedures.detail_en
    assert trigger_label("land_change:12.5%,3.00ha") == "thay đổi diện tích đất 12,5%, 3,00 ha"
    assert adjustment_kind_label("land", "en") == "land area"
