"""Rulebooks: the law as dated data, so each event is judged by the law in force at its date.

Why data: the Law on Investment changed on 1 Mar 2026 (61/2020/QH14 -> 143/2025/QH15) and a
province may read a provision differently or need a parameter we could not verify. A
:class:`Rulebook` is a dated set of parameters and citations; :class:`Rulebooks` picks the one
in force on a date. Provinces build their own with :func:`attrs.evolve` and register them as a
plugin. The invariant checks themselves live in :mod:`dautu_core.rules`; they read their
numbers and citations from here.

What is verified and what is assumed is said per rulebook in ``assumptions``: where the law is
unknown it is a parameter with a note, never a guessed article.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from dautu_core.citations import (
    LAW_67_2014 as LAW_67_2014_BASIS,
)
from dautu_core.citations import (
    RECORD_RULE,
    VIOLATION_HANDLING_LAW,
    law_61_2020,
    record_rule,
)
from dautu_core.errors import RuleViolation
from dautu_core.fields import checked_fields
from dautu_core.legal_dates import (
    DISTRICTS_ABOLISHED,
    EARLIEST_RECORD,
    LAW_61_2020_IN_FORCE,
    LAW_61_2020_LAST_DAY,
    LAW_143_2025_IN_FORCE,
    day_before,
)
from dautu_core.text import bilingual
from dautu_core.values import LegalBasis

__all__ = [
    "BUILTIN_RULEBOOKS",
    "LAW_61_2020",
    "LAW_67_2014",
    "LAW_143_2025",
    "PROVINCIAL_CHAIRPERSON",
    "RULE_IDS",
    "PolicyAdjustmentThresholds",
    "Rulebook",
    "Rulebooks",
]

RULE_IDS = (
    "approval_first",
    "not_before_approval",
    "terminal_after_termination",
    "extension_cap",
    "violation_must_be_found",
    "violation_id_unique",
    "suspended_no_progress",
    "resume_only_when_suspended",
    "milestone_known",
    "policy_adjustment_triggers",
    "correction_target_exists",
    "recorded_in_order",
    "legal_basis_required",
    "authority_exists",
)
"""Ids of the invariants every rulebook must cite (see :mod:`dautu_core.rules`)."""


@attrs.frozen(kw_only=True)
class PolicyAdjustmentThresholds:
    """When an adjustment needs an investment-policy adjustment (Law 61/2020 Art. 41(3)).

    Land area change of at least ``land_change_percent`` % or more than ``land_change_hectares``
    ha; total capital change of at least ``capital_change_percent`` % (only where
    ``capital_change_triggers`` is true); a schedule running more than ``schedule_months``
    beyond the first approved schedule; any change of objectives, location, investor or duration.
    """

    land_change_percent: int = 10
    land_change_hectares: int = 30
    capital_change_percent: int = 20
    capital_change_triggers: bool = True
    schedule_months: int = 12


@attrs.frozen(kw_only=True, field_transformer=checked_fields)
class Rulebook:
    """The rules in force from ``valid_from`` to ``valid_until`` (inclusive)."""

    id: str
    title_vi: str
    title_en: str
    law: LegalBasis
    valid_from: date
    valid_until: date | None = None
    extension_cap_months: int = 24
    thresholds: PolicyAdjustmentThresholds = PolicyAdjustmentThresholds()
    district_tier_ends: date | None = None
    """The day district-level authorities ceased to exist (1 Jul 2025, DOMAIN [V]); an event
    effective from then naming a district-level authority is refused (rule
    ``authority_exists``). ``None``: the tier exists throughout the rulebook."""
    provincial_policy_approver: str | None = None
    """Who approves investment policy at the provincial level, where the law names a person
    rather than the committee (Law 143/2025/QH15: the chairperson, for 13 categories whose list
    is not verified). Documented, not checked: authorities are recorded as free text."""
    citations: Mapping[str, LegalBasis] = attrs.field(factory=dict)
    assumptions: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def cite(self, rule_id: str) -> LegalBasis:
        """The citation of ``rule_id`` in this rulebook; refuses an uncited rule."""
        try:
            return self.citations[rule_id]
        except KeyError:
            raise RuleViolation(
                f"Bộ quy tắc {self.id} không có căn cứ pháp lý cho quy tắc {rule_id}",
                f"rulebook {self.id} has no citation for rule {rule_id}",
                rule_id=rule_id,
            ) from None


_IN_FORCE_MEMO_SIZE = 4096


def _as_books(books: Iterable[Rulebook]) -> tuple[Rulebook, ...]:
    return tuple(books)


@attrs.frozen
class Rulebooks:
    """An ordered, non-overlapping set of rulebooks; :meth:`in_force` picks one by date."""

    books: tuple[Rulebook, ...] = attrs.field(converter=_as_books)
    _by_day: dict[date, Rulebook] = attrs.field(
        init=False, factory=dict, eq=False, order=False, hash=False, repr=False
    )
    """:meth:`in_force`'s answers so far. Why: every command asks it (twice, through the
    service), and the commands of an import share few distinct dates. The books are fixed
    once the set is made, so an answer never changes; only found books are remembered."""

    def __attrs_post_init__(self) -> None:
        ordered = sorted(self.books, key=lambda b: b.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_until is None or earlier.valid_until >= later.valid_from:
                raise ValueError(f"rulebooks {earlier.id} and {later.id} overlap")
        object.__setattr__(self, "books", tuple(ordered))

    def in_force(self, day: date, project_code: str | None = None) -> Rulebook:
        found = self._by_day.get(day) if day.__class__ is date else None
        if found is not None:
            return found
        for book in self.books:
            if book.in_force(day):
                if day.__class__ is date:
                    if len(self._by_day) >= _IN_FORCE_MEMO_SIZE:
                        self._by_day.clear()
                    self._by_day[day] = book
                return book
        raise RuleViolation(
            f"Không có bộ quy tắc nào có hiệu lực vào ngày {day.isoformat()}",
            f"no rulebook is in force on {day.isoformat()}",
            project_code=project_code,
            field="effective_date",
            rule_id="rulebook_in_force",
        )

    def replace(self, books: Iterable[Rulebook]) -> Rulebooks:
        """A new set where books with the same id are replaced and others added."""
        by_id = {b.id: b for b in self.books}
        for book in books:
            by_id[book.id] = book
        return Rulebooks(tuple(by_id.values()))


_RECORD = RECORD_RULE
_APPROVAL_NOTE = bilingual("chấp thuận chủ trương và GCN đăng ký đầu tư", "policy approval and IRC")

_BASIS_REQUIRED = record_rule(
    "mỗi quyết định, mỗi kết luận ghi rõ căn cứ pháp lý (phương án xử lý phải căn cứ, đối "
    "chiếu theo quy định của pháp luật: buổi làm việc ngày 21/02/2024)",
    "every decision and finding names its legal basis (handling must rest on the law: the "
    "review of 21 Feb 2024)",
)

_NO_DISTRICTS = LegalBasis(
    instrument=bilingual(
        "văn bản bãi bỏ chính quyền cấp huyện từ 01/07/2025",
        "instrument abolishing district-level government from 1 Jul 2025",
    ),
    note=bilingual("chưa xác minh số hiệu và điều", "number and article not verified"),
)

LAW_61_2020 = Rulebook(
    id="vn.law-61-2020",
    title_vi="Luật Đầu tư số 61/2020/QH14",
    title_en="Law on Investment No. 61/2020/QH14",
    law=LegalBasis(instrument="61/2020/QH14"),
    valid_from=LAW_61_2020_IN_FORCE,
    valid_until=LAW_61_2020_LAST_DAY,
    extension_cap_months=24,
    thresholds=PolicyAdjustmentThresholds(),
    district_tier_ends=DISTRICTS_ABOLISHED,
    citations={
        "approval_first": law_61_2020("30-32, 37-38", note=_APPROVAL_NOTE),
        "not_before_approval": law_61_2020("30-32, 37-38", note=_APPROVAL_NOTE),
        "terminal_after_termination": law_61_2020("48"),
        "extension_cap": law_61_2020("41", "4"),
        "violation_must_be_found": VIOLATION_HANDLING_LAW,
        "violation_id_unique": _RECORD,
        "suspended_no_progress": law_61_2020("47"),
        "resume_only_when_suspended": law_61_2020("47"),
        "milestone_known": law_61_2020(
            "40",
            note=bilingual(
                "nội dung GCN đăng ký đầu tư gồm tiến độ",
                "contents of the IRC include the schedule",
            ),
        ),
        "policy_adjustment_triggers": law_61_2020(
            "41", "3", note=bilingual("số khoản theo trí nhớ", "clause number is a recollection")
        ),
        "correction_target_exists": _RECORD,
        "recorded_in_order": _RECORD,
        "legal_basis_required": _BASIS_REQUIRED,
        "authority_exists": _NO_DISTRICTS,
    },
    assumptions=(
        "Art. 41(3) is cited from recollection of the clause number; the thresholds "
        "(10% or 30 ha of land, 20% of capital, 12 months of schedule) are verified.",
        "A violation is established before it is sanctioned: cited to Law 15/2012/QH13 on "
        "Handling Administrative Violations, whose number and article are not verified.",
        "Art. 41(3) speaks of a capital change of 20% or more 'changing the scale' of the "
        "project; whether the scale changes is not in the record, so any change of 20% or "
        "more is treated as one (parameter thresholds.capital_change_percent).",
        "District-level authorities no longer exist from 1 Jul 2025 (verified): an event "
        "effective from then that names a district-level authority is refused (parameter "
        "district_tier_ends).",
    ),
)

LAW_67_2014 = Rulebook(
    id="vn.law-67-2014",
    title_vi="Luật Đầu tư số 67/2014/QH13 (và các luật trước đó)",
    title_en="Law on Investment No. 67/2014/QH13 (and earlier laws)",
    law=LAW_67_2014_BASIS,
    valid_from=EARLIEST_RECORD,
    valid_until=day_before(LAW_61_2020_IN_FORCE),
    extension_cap_months=24,
    thresholds=PolicyAdjustmentThresholds(),
    citations={
        rule_id: LegalBasis(
            instrument="67/2014/QH13",
            note=bilingual(
                "chưa xác minh số hiệu và điều; tham số giả định như Luật 61/2020",
                "number and article not verified; parameters assumed equal to Law 61/2020",
            ),
        )
        for rule_id in RULE_IDS
    }
    | {"legal_basis_required": _BASIS_REQUIRED},
    assumptions=(
        "Events dated before 1 Jan 2021 are judged with the parameters of Law 61/2020 "
        "(24-month extension cap, same adjustment thresholds). This is an assumption: neither "
        "the number 67/2014/QH13 nor its articles, nor those of earlier laws, were verified. "
        "A province that needs them registers its own rulebook for those dates.",
    ),
)


def _l143() -> LegalBasis:
    return LegalBasis(
        instrument="143/2025/QH15",
        note=bilingual(
            "chưa xác minh điều: tham số của bộ quy tắc",
            "article not verified: parameter of this rulebook",
        ),
    )


PROVINCIAL_CHAIRPERSON = "Chủ tịch UBND cấp tỉnh / chairperson of the provincial People's Committee"

LAW_143_2025 = Rulebook(
    id="vn.law-143-2025",
    title_vi="Luật Đầu tư số 143/2025/QH15",
    title_en="Law on Investment No. 143/2025/QH15",
    law=LegalBasis(instrument="143/2025/QH15"),
    valid_from=LAW_143_2025_IN_FORCE,
    valid_until=None,
    extension_cap_months=24,
    thresholds=PolicyAdjustmentThresholds(capital_change_triggers=False),
    district_tier_ends=DISTRICTS_ABOLISHED,
    provincial_policy_approver=PROVINCIAL_CHAIRPERSON,
    citations={rule_id: _l143() for rule_id in RULE_IDS}
    | {
        "violation_must_be_found": VIOLATION_HANDLING_LAW,
        "violation_id_unique": _RECORD,
        "correction_target_exists": _RECORD,
        "recorded_in_order": _RECORD,
        "legal_basis_required": _BASIS_REQUIRED,
        "authority_exists": _NO_DISTRICTS,
    },
    assumptions=(
        "In force from 1 Mar 2026 (verified). Article numbers of Law 143/2025/QH15 are not "
        "verified, so citations name the law only.",
        "The 24-month extension cap is assumed to continue (parameter extension_cap_months).",
        "Some capital-change triggers for policy adjustment were removed (verified); which ones "
        "is not verified. Assumption: no capital change triggers a policy adjustment under this "
        "rulebook (parameter thresholds.capital_change_triggers=False); a province that knows "
        "a capital trigger still applies sets it back to True.",
        "Some delays may be excluded from the project timeline (verified); which ones is a "
        "parameter: the Art. 41(4) exception grounds of Law 61/2020 are kept.",
        "The provincial chairperson, not the committee as a body, approves investment policy "
        "for 13 categories of project (verified); which categories is not, and an authority is "
        "recorded as free text, so no approval is refused for naming the committee: the "
        "approver is the documented parameter provincial_policy_approver.",
    ),
)

BUILTIN_RULEBOOKS = Rulebooks((LAW_67_2014, LAW_61_2020, LAW_143_2025))
"""The rulebooks dautu ships; a province may replace or extend them."""
