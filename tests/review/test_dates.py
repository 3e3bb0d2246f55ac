"""The review follows the law in force on the review date, not on the date of the events.

Same history, different review dates: districts disappear on 1 Jul 2025, the Land Law 2024
applies to land recovery from 1 Aug 2024, minerals move to Law 54/2024/QH15 on 1 Jul 2025 and
the Law on Investment 143/2025/QH15 takes over on 1 Mar 2026.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from dautu_core import RuleViolation, ViolationCategory
from dautu_core.review import (
    BUILTIN_REVIEW_RULEBOOKS,
    DISTRICTS_ABOLISHED,
    REVIEW_LAW_61_2020_NO_DISTRICTS,
    REVIEW_LAW_143_2025,
    Track,
)
from review.helpers import DISTRICT, approve, found, met, reason, review_of

DISTRICT_CASE = (
    approve(),
    met(date(2021, 9, 1), "capital_contribution"),
    met(date(2022, 3, 1), "construction_start"),
    found(date(2023, 6, 1), "VP-1", ViolationCategory.INVESTMENT, by=DISTRICT),
)


def test_the_district_track_exists_until_30_june_2025_only() -> None:
    last_day = review_of(*DISTRICT_CASE, as_of=date(2025, 6, 30))
    first_day = review_of(*DISTRICT_CASE, as_of=DISTRICTS_ABOLISHED)

    assert date(2025, 7, 1) == DISTRICTS_ABOLISHED
    assert last_day.primary_track is Track.DISTRICT_AUTHORITY
    assert last_day.rulebook_id == "vn.review.law-61-2020.land-2024"
    assert first_day.rulebook_id == "vn.review.law-61-2020.no-districts"
    assert Track.DISTRICT_AUTHORITY not in first_day.tracks
    assert first_day.primary_track is Track.RESOLVE_VIOLATION_THEN_ADJUST
    assert Track.DISTRICT_AUTHORITY not in REVIEW_LAW_61_2020_NO_DISTRICTS.tracks
    assert Track.DISTRICT_AUTHORITY not in REVIEW_LAW_143_2025.tracks


def test_land_recovery_cites_the_land_law_in_force_on_the_review_date() -> None:
    history = (approve(date(2019, 3, 15)),)  # construction due 15/03/2020, +48 months: 2024

    before = reason(review_of(*history, as_of=date(2024, 7, 31)), "terminate_land_not_used")
    after = reason(review_of(*history, as_of=date(2024, 8, 1)), "terminate_land_not_used")

    assert before.citation.startswith("45/2013/QH13, Art. 64(1)(i)")
    assert after.citation.startswith("31/2024/QH15, Art. 81(8)")


def test_mineral_auctions_cite_law_54_2024_from_1_july_2025() -> None:
    history = (
        approve(is_mineral_exploitation=True, sector="Khai thác khoáng sản"),
        found(date(2023, 4, 3), "VP-KS", ViolationCategory.MINERALS),
    )

    before = reason(review_of(*history, as_of=date(2025, 6, 30)), "mineral_rights_not_auctioned")
    after = reason(review_of(*history, as_of=date(2025, 7, 1)), "mineral_rights_not_auctioned")

    assert "60/2010/QH12" in before.citation and "54/2024/QH15" not in before.citation
    assert "54/2024/QH15" in after.citation and "60/2010/QH12" not in after.citation


def test_the_law_143_2025_rulebook_judges_reviews_from_1_march_2026() -> None:
    history = (approve(), found(date(2023, 1, 5), "VP-KQ", ViolationCategory.DEPOSIT))

    before = review_of(*history, as_of=date(2026, 2, 28))
    after = review_of(*history, as_of=date(2026, 3, 1))
    cited = reason(after, "terminate_deposit_not_paid").citation

    assert before.rulebook_id == "vn.review.law-61-2020.no-districts"
    assert after.rulebook_id == "vn.review.law-143-2025"
    assert after.primary_track is Track.TERMINATE
    assert "143/2025/QH15" in cited and "61/2020/QH14, Art" not in cited
    assert "article not verified" in cited
    assert any("143/2025" in note for note in REVIEW_LAW_143_2025.assumptions)


def test_every_day_from_2021_has_exactly_one_review_rulebook() -> None:
    books = BUILTIN_REVIEW_RULEBOOKS.books
    assert books[0].valid_from == date(2021, 1, 1)
    assert books[-1].valid_until is None
    for earlier, later in itertools.pairwise(books):
        assert earlier.valid_until is not None
        assert earlier.valid_until + timedelta(days=1) == later.valid_from


def test_a_review_before_law_61_2020_is_refused_with_a_clear_error() -> None:
    with pytest.raises(RuleViolation) as raised:
        review_of(approve(date(2018, 1, 5)), as_of=date(2020, 12, 31))

    assert raised.value.rule_id == "review_rulebook_in_force"
    assert "2020-12-31" in raised.value.message_en
