"""Review rulebooks: dated data plus small pure rules that propose a handling track.

Why a separate kind of rulebook: the invariants of :mod:`dautu_core.rulebook` decide what may be
*recorded*; a review rulebook only *proposes* how the department should handle a project, on a
date, from what was recorded. Both are dated, because the law moved under the review: districts
were abolished on 1 Jul 2025, the Land Law 2024 applies from 1 Aug 2024, the Law on Minerals
54/2024/QH15 from 1 Jul 2025 and the Law on Investment 143/2025/QH15 from 1 Mar 2026.

A :class:`ReviewRule` is an id, the track it proposes, its citations, its own validity and a
pure function of the project's facts and the rulebook's parameters. Where the law behind a
number was not verified, the number is a :class:`ReviewParameters` field and the rulebook says
so in ``assumptions``: nothing here is a guessed article, fine or deadline.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterable
from datetime import date

import attrs

from dautu_core.errors import RuleViolation
from dautu_core.review.facts import ProjectFacts
from dautu_core.review.tracks import DEFAULT_PRECEDENCE, Track
from dautu_core.values import LegalBasis
from dautu_core.vocab import ViolationCategory

__all__ = [
    "ReviewParameters",
    "ReviewRule",
    "ReviewRulebook",
    "ReviewRulebooks",
    "RuleCheck",
    "RuleMatch",
]


@attrs.frozen(kw_only=True)
class ReviewParameters:
    """The numbers and category lists the review rules read.

    Each field says where it comes from; the rulebook's ``assumptions`` repeat the unverified
    ones so that a province knows what to check before relying on them.
    """

    extension_cap_months: int = 24
    """Law 61/2020 Art. 41(4): total schedule extension against the first policy approval [V]."""
    policy_schedule_months: int = 12
    """Law 61/2020 Art. 41 [V]: a schedule extending the project more than this beyond the
    first approval needs a policy adjustment. The clause number (41(3)) is a recollection [R]."""
    delay_threshold_months: int = 1
    """Whole months past due before a milestone counts as behind schedule (review practice)."""
    suspension_remedy_months: int = 12
    """Assumption: months after an authority's suspension (without a stated deadline) after
    which its causes count as not remedied (Art. 48(2) states no period)."""
    unreachable_months: int = 12
    """Law 61/2020 Art. 48(2): investor unreachable 12 months after the suspension [V]."""
    land_use_delay_months: int = 24
    """Land Law 2013 Art. 64(1)(i) / Land Law 2024 Art. 81(8): land use 24 months late [V]."""
    land_use_extension_months: int = 24
    """The one land-use extension of at most 24 months the same articles allow [V]."""
    land_use_milestone: str = "construction_start"
    """Assumption: the schedule milestone that stands for putting the land into use."""
    investment_categories: tuple[ViolationCategory, ...] = (
        ViolationCategory.INVESTMENT,
        ViolationCategory.REPORTING,
    )
    """Violations the investment authority handles (Decree 122/2021/NĐ-CP)."""
    land_environment_categories: tuple[ViolationCategory, ...] = (
        ViolationCategory.LAND,
        ViolationCategory.ENVIRONMENT,
    )
    mineral_categories: tuple[ViolationCategory, ...] = (ViolationCategory.MINERALS,)
    """A minerals violation on a mineral-exploitation project stands for rights not auctioned."""
    deposit_categories: tuple[ViolationCategory, ...] = (ViolationCategory.DEPOSIT,)
    """An open deposit violation stands for "the deposit is not paid" (Art. 43, 48(2))."""

    @property
    def handled_categories(self) -> frozenset[ViolationCategory]:
        """Categories some track handles; an open one keeps a project from completing
        procedures. Others (construction) are reported but do not block."""
        return frozenset(
            self.investment_categories
            + self.land_environment_categories
            + self.mineral_categories
            + self.deposit_categories
        )


@attrs.frozen
class RuleMatch:
    """Why a rule holds: the versions of the triggering events and a sentence in each language.

    Named ``Finding`` before; renamed because an audit finding
    (:class:`dautu_core.audit.Finding`) is another concept. The old name still imports, with a
    ``DeprecationWarning``.
    """

    versions: tuple[int, ...]
    detail_vi: str
    detail_en: str


RuleCheck = Callable[[ProjectFacts, ReviewParameters], RuleMatch | None]
"""A rule's test: ``None`` when it does not hold, else the :class:`RuleMatch`."""


@attrs.frozen(kw_only=True)
class ReviewRule:
    """One review rule: id, proposed track, citations, validity and its pure check."""

    id: str
    track: Track
    citations: tuple[LegalBasis, ...]
    check: RuleCheck = attrs.field(eq=False)
    title_vi: str
    title_en: str
    valid_from: date | None = None
    valid_until: date | None = None
    assumption: str | None = None
    exclusive: bool = False
    """An exclusive rule (scope) ends the review when it holds: no other track is looked for."""
    citation: str = attrs.field(init=False, eq=False)
    """The citations rendered as officials cite them in English ("61/2020/QH14, Art. 48(2)")."""
    citation_vi: str = attrs.field(init=False, eq=False)
    """The same in Vietnamese ("khoản 2 Điều 48 61/2020/QH14")."""

    def __attrs_post_init__(self) -> None:
        # Rendered once: every reason of every reviewed project repeats them.
        object.__setattr__(self, "citation", "; ".join(c.cite() for c in self.citations))
        object.__setattr__(self, "citation_vi", "; ".join(c.cite_vi() for c in self.citations))

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def cite(self) -> str:
        return self.citation

    def cite_vi(self) -> str:
        return self.citation_vi


@attrs.frozen(kw_only=True)
class ReviewRulebook:
    """The review rules in force from ``valid_from`` to ``valid_until`` (inclusive)."""

    id: str
    title_vi: str
    title_en: str
    valid_from: date
    valid_until: date | None = None
    rules: tuple[ReviewRule, ...]
    precedence: tuple[Track, ...] = DEFAULT_PRECEDENCE
    parameters: ReviewParameters = ReviewParameters()
    assumptions: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"review rulebook {self.id}: duplicate rule ids {duplicated}")
        missing = sorted({r.track for r in self.rules} - set(self.precedence))
        if missing or Track.ON_TRACK not in self.precedence:
            raise ValueError(
                f"review rulebook {self.id}: precedence must rank on_track and every rule's "
                f"track (missing {missing})"
            )

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def tracks(self) -> tuple[Track, ...]:
        """The tracks this rulebook can propose, in precedence order."""
        proposed = {r.track for r in self.rules} | {Track.ON_TRACK}
        return tuple(t for t in self.precedence if t in proposed)

    def rule(self, rule_id: str) -> ReviewRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _as_books(books: Iterable[ReviewRulebook]) -> tuple[ReviewRulebook, ...]:
    return tuple(books)


@attrs.frozen
class ReviewRulebooks:
    """An ordered, non-overlapping set of review rulebooks; :meth:`in_force` picks one."""

    books: tuple[ReviewRulebook, ...] = attrs.field(converter=_as_books)

    def __attrs_post_init__(self) -> None:
        ordered = sorted(self.books, key=lambda b: b.valid_from)
        for earlier, later in itertools.pairwise(ordered):
            if earlier.valid_until is None or earlier.valid_until >= later.valid_from:
                raise ValueError(f"review rulebooks {earlier.id} and {later.id} overlap")
        object.__setattr__(self, "books", tuple(ordered))

    def in_force(self, day: date) -> ReviewRulebook:
        for book in self.books:
            if book.in_force(day):
                return book
        raise RuleViolation(
            f"Không có bộ quy tắc rà soát nào có hiệu lực vào ngày {day.isoformat()}",
            f"no review rulebook is in force on {day.isoformat()}",
            field="as_of",
            rule_id="review_rulebook_in_force",
        )

    def replace(self, books: Iterable[ReviewRulebook]) -> ReviewRulebooks:
        """A new set where books with the same id are replaced and others added.

        This is how a province's rulebook, registered as a plugin, takes the place of a builtin
        one: give it the builtin's id (for instance by :func:`attrs.evolve` of it).
        """
        by_id = {b.id: b for b in self.books}
        for book in books:
            by_id[book.id] = book
        return ReviewRulebooks(tuple(by_id.values()))


def __getattr__(name: str) -> object:
    """``Finding``, the former name of :class:`RuleMatch`, still imports (with a warning)."""
    return _deprecated_name(__name__, name)


def _deprecated_name(module: str, name: str) -> object:
    if name == "Finding":
        warnings.warn(
            "dautu_core.review.Finding is now RuleMatch (an audit finding is another concept)",
            DeprecationWarning,
            stacklevel=3,
        )
        return RuleMatch
    raise AttributeError(f"module {module!r} has no attribute {name!r}")
