"""The review against its sources: the article's words, the verified law, the demo's situations.

- Each handling track's Vietnamese label is the article's own wording, read from the article
  itself (``../shared/seed/*.txt`` beside the checkout) at test time, with the article's count.
- Every citation dautu emits (invariant and review rulebooks, the citation table, the demo's
  records) names plainly only what DOMAIN.md verifies; any other number or article says in the
  citation itself that it is not verified.
- Each demo situation leads to its track through the rulebook (situation -> track pinned here).
- The law's dates are defined once, in ``dautu_core.legal_dates``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dautu_adapters.review.demo import DEMO_REVIEW_DATE, demo_decisions, demo_projects
from dautu_adapters.review.situations import SITUATIONS
from dautu_core import run
from dautu_core.citations import violation_basis
from dautu_core.review import BUILTIN_REVIEW_RULEBOOKS, Track, review_project
from dautu_core.review.tracks import ARTICLE_WORDING, HANDLING_TRACKS
from dautu_core.rulebook import BUILTIN_RULEBOOKS
from dautu_core.values import LegalBasis
from dautu_core.vocab import ViolationCategory

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed"

ARTICLE_COUNTS = {
    Track.TERMINATE: 4,
    Track.RESOLVE_VIOLATION_THEN_ADJUST: 18,
    Track.COMPLETE_PROCEDURES: 42,
    Track.LAND_ENVIRONMENT_VIOLATION: 6,
    Track.MINERAL_RIGHTS_AUCTION: 3,
    Track.DISTRICT_AUTHORITY: 5,
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _review_paragraph() -> str:
    if not SEED.is_dir():
        pytest.skip(
            f"the source article is not at {SEED} (CI checks out ../shared beside the repo)"
        )
    for path in sorted(SEED.glob("*.txt")):
        for line in _nfc(path.read_text(encoding="utf-8")).splitlines():
            if line.startswith("Về tình hình xử lý các dự án đầu tư"):
                return line
    raise AssertionError(f"no paragraph 'Về tình hình xử lý các dự án đầu tư' in {SEED}")


@pytest.mark.parametrize("track", HANDLING_TRACKS, ids=[t.value for t in HANDLING_TRACKS])
def test_each_track_label_is_the_article_s_own_wording(track: Track) -> None:
    paragraph = _review_paragraph()
    label = _nfc(track.label("vi"))
    words = label[:1].lower() + label[1:]

    assert words == ARTICLE_WORDING[track]
    assert f"{ARTICLE_COUNTS[track]} dự án {words}" in paragraph


# --- citations ---------------------------------------------------------------------------------

VERIFIED_INSTRUMENTS = {
    "61/2020/QH14",
    "143/2025/QH15",
    "122/2021/NĐ-CP",
    "60/2010/QH12",
    "22/2012/NĐ-CP",
    "54/2024/QH15",
}
"""Instrument numbers DOMAIN.md marks [V]."""
VERIFIED_ARTICLES = {
    ("61/2020/QH14", "30-32, 37-38"),
    *(
        ("61/2020/QH14", article)
        for article in ("30", "31", "32", "37", "38", "39", "40", "41", "43", "47", "48", "72")
    ),
    ("45/2013/QH13", "64"),
    ("31/2024/QH15", "81"),
}
"""Articles DOMAIN.md marks [V] (the Land Laws' articles are verified, their numbers not)."""
VERIFIED_CLAUSES = {
    ("61/2020/QH14", "41", "4"),
    ("61/2020/QH14", "48", "2"),
    ("45/2013/QH13", "64", "1"),
    ("31/2024/QH15", "81", "8"),
}


def checkable(basis: LegalBasis) -> list[str]:
    """What in ``basis`` is neither verified nor marked as not verified (empty: checkable)."""
    text = basis.cite()
    note = basis.note or ""
    problems = []
    if basis.instrument == "dautu":
        if "not a law" not in note and "không phải quy định pháp luật" not in note:
            problems.append("a rule of dautu must say it is not a law")
        return problems
    if basis.instrument not in VERIFIED_INSTRUMENTS and not (
        "chưa xác minh số hiệu" in note and "number" in note and "not verified" in note
    ):
        problems.append(f"instrument {basis.instrument} not verified and not marked: {text}")
    if basis.article is not None:
        if (basis.instrument, basis.article) not in VERIFIED_ARTICLES and "chưa xác minh" not in (
            note
        ):
            problems.append(f"article {basis.article} not verified and not marked: {text}")
        clause = (basis.instrument, basis.article, basis.clause)
        if (
            basis.clause is not None
            and clause not in VERIFIED_CLAUSES
            and "recollection" not in note
        ):
            problems.append(f"clause {basis.clause} not verified and not marked: {text}")
    return problems


def _emitted() -> Iterator[tuple[str, LegalBasis]]:
    for book in BUILTIN_RULEBOOKS.books:
        for rule_id, basis in book.citations.items():
            yield f"{book.id}:{rule_id}", basis
    for review_book in BUILTIN_REVIEW_RULEBOOKS.books:
        for rule in review_book.rules:
            for basis in rule.citations:
                yield f"{review_book.id}:{rule.id}", basis
    for category in ViolationCategory:
        for day in (date(2019, 1, 1), date(2021, 6, 1), date(2023, 1, 1), date(2025, 8, 1)):
            for basis in violation_basis(category, day):
                yield f"table:{category.value}:{day}", basis
    for _, code, commands in demo_projects():
        for command in commands:
            for basis in command.legal_basis:
                yield f"demo:{code}:{command.EVENT.TYPE_NAME}", basis
    for code, decision in demo_decisions().items():
        for basis in decision.legal_basis:
            yield f"demo:{code}:decision", basis


def test_every_emitted_citation_is_verified_or_says_it_is_not() -> None:
    problems = {f"{where}: {p}" for where, basis in _emitted() for p in checkable(basis)}
    assert not problems, "\n".join(sorted(problems))


def test_numbers_the_sources_do_not_verify_are_marked_in_the_citation_itself() -> None:
    cited = {basis.cite() for _, basis in _emitted()}
    for number in ("45/2013/QH13", "31/2024/QH15", "72/2020/QH14", "15/2012/QH13", "67/2014"):
        with_number = [c for c in cited if number in c]
        assert with_number, number
        assert all("number" in c and "not verified" in c for c in with_number), with_number
    assert not [c for c in cited if re.search(r"15/2012/QH13, Art\.", c)]


def test_the_checker_refuses_an_unmarked_guess() -> None:
    assert checkable(LegalBasis(instrument="45/2013/QH13", article="64"))
    assert checkable(LegalBasis(instrument="61/2020/QH14", article="99"))
    assert checkable(LegalBasis(instrument="61/2020/QH14", article="41", clause="3"))
    assert not checkable(LegalBasis(instrument="61/2020/QH14", article="41", clause="4"))


def test_each_violation_category_cites_its_own_instrument() -> None:
    day = date(2023, 1, 1)
    instruments = {c: [b.instrument for b in violation_basis(c, day)] for c in ViolationCategory}

    assert instruments[ViolationCategory.INVESTMENT] == ["122/2021/NĐ-CP"]
    assert instruments[ViolationCategory.REPORTING] == ["61/2020/QH14", "122/2021/NĐ-CP"]
    assert instruments[ViolationCategory.DEPOSIT] == ["61/2020/QH14"]
    assert instruments[ViolationCategory.LAND] == ["45/2013/QH13"]
    assert instruments[ViolationCategory.ENVIRONMENT] == ["72/2020/QH14"]
    assert instruments[ViolationCategory.MINERALS] == ["60/2010/QH12", "22/2012/NĐ-CP"]
    assert instruments[ViolationCategory.CONSTRUCTION] == ["Luật Xây dựng / Construction Law"]
    assert [b.instrument for b in violation_basis(ViolationCategory.LAND, date(2024, 8, 1))] == [
        "31/2024/QH15"
    ]
    assert [
        b.instrument for b in violation_basis(ViolationCategory.MINERALS, date(2025, 7, 1))
    ] == ["54/2024/QH15"]
    before_2022 = violation_basis(ViolationCategory.INVESTMENT, date(2021, 12, 31))[0]
    assert "122/2021" not in before_2022.cite()


# --- the demo's situations, one by one -----------------------------------------------------------

SITUATION_TRACKS = {
    "suspended_remedy_deadline_passed": (Track.TERMINATE, "terminate_suspension_not_remedied"),
    "suspended_investor_silent": (Track.TERMINATE, "terminate_investor_unreachable"),
    "land_unused_since_approval": (Track.TERMINATE, "terminate_land_not_used"),
    "deposit_unpaid": (Track.TERMINATE, "terminate_deposit_not_paid"),
    "violation_then_policy_request": (
        Track.RESOLVE_VIOLATION_THEN_ADJUST,
        "investment_violation_before_policy_adjustment",
    ),
    "delayed_past_first_schedule_with_violation": (
        Track.RESOLVE_VIOLATION_THEN_ADJUST,
        "investment_violation_before_policy_adjustment",
    ),
    "extension_cap_exhausted": (Track.RESOLVE_VIOLATION_THEN_ADJUST, "delay_beyond_extension_cap"),
    "delayed_within_cap": (Track.COMPLETE_PROCEDURES, "delayed_within_extension_cap"),
    "extended_on_ground_then_delayed": (Track.COMPLETE_PROCEDURES, "delayed_within_extension_cap"),
    "adjustment_pending": (Track.COMPLETE_PROCEDURES, "adjustment_procedures_pending"),
    "reporting_violation_only": (
        Track.COMPLETE_PROCEDURES,
        "investment_violation_remedied_by_procedures",
    ),
    "foreign_policy_approval_without_certificate": (Track.COMPLETE_PROCEDURES, "irc_missing"),
    "land_misuse": (Track.LAND_ENVIRONMENT_VIOLATION, "land_environment_violation_open"),
    "environment_permit_missing": (
        Track.LAND_ENVIRONMENT_VIOLATION,
        "land_environment_violation_open",
    ),
    "sand_mining_without_auction": (Track.MINERAL_RIGHTS_AUCTION, "mineral_rights_not_auctioned"),
    "district_inspection_violation": (
        Track.DISTRICT_AUTHORITY,
        "district_handles_investment_violation",
    ),
}


def test_every_situation_has_its_pinned_track() -> None:
    assert set(SITUATION_TRACKS) == {s.__name__ for s, _ in SITUATIONS}
    counts = {t: 0 for t in ARTICLE_COUNTS}
    for situation, count in SITUATIONS:
        counts[SITUATION_TRACKS[situation.__name__][0]] += count
    assert counts == ARTICLE_COUNTS


@pytest.mark.parametrize("seed", [2024, 7])
@pytest.mark.parametrize("situation", sorted(SITUATION_TRACKS))
def test_a_demo_situation_leads_to_its_track(situation: str, seed: int) -> None:
    track, rule_id = SITUATION_TRACKS[situation]
    lived = [commands for name, _, commands in demo_projects(seed) if name == situation]
    assert lived
    for commands in lived:
        review = review_project(run(commands)[0], DEMO_REVIEW_DATE)
        assert review.primary_track is track
        assert rule_id in {r.rule_id for r in review.reasons}


# --- dates of the law, once -----------------------------------------------------------------------

LEGAL_DAYS = re.compile(
    r"date\((2021, 1, 1|2020, 12, 31|2022, 1, 1|2021, 12, 31|2024, 8, 1|2024, 7, 31|"
    r"2025, 7, 1|2025, 6, 30|2026, 3, 1|2026, 2, 28)\)"
)


def test_the_law_s_dates_are_defined_once() -> None:
    sources = [*(ROOT / "src" / "dautu_core").rglob("*.py")]
    sources += [ROOT / "src" / "dautu_adapters" / "review" / "builder.py"]
    typed = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources
        if path.name != "legal_dates.py"
        for match in LEGAL_DAYS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not typed
