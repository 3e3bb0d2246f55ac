"""The dates on which the law under the record changed, defined once.

Why one module: the invariant rulebooks (:mod:`dautu_core.rulebook`), the review rulebooks
(:mod:`dautu_core.review.builtin`), the citation table (:mod:`dautu_core.citations`) and the
demo all switch on the same days; a date typed twice is a date that will one day differ. Each
constant says where it comes from (``/work/shared/DOMAIN.md``: [V] checked against a cited
public source). A ``*_LAST_DAY`` is the day before the next law took effect, for rulebooks whose
validity is inclusive.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = [
    "DECREE_122_2021_IN_FORCE",
    "DISTRICTS_ABOLISHED",
    "EARLIEST_RECORD",
    "LAND_LAW_2024_IN_FORCE",
    "LAW_61_2020_IN_FORCE",
    "LAW_61_2020_LAST_DAY",
    "LAW_143_2025_IN_FORCE",
    "MINERALS_LAW_2024_IN_FORCE",
    "day_before",
]


def day_before(day: date) -> date:
    """The last day a rule of the previous law applies (validity periods are inclusive)."""
    return day - timedelta(days=1)


EARLIEST_RECORD = date(1900, 1, 1)
"""Not a legal date: the start of the oldest builtin rulebook, so that a licence of any age can
be recorded (its law is cited as not verified)."""

LAW_61_2020_IN_FORCE = date(2021, 1, 1)
"""Law on Investment 61/2020/QH14 in force [V]; Law 67/2014/QH13 applied before."""

LAW_143_2025_IN_FORCE = date(2026, 3, 1)
"""Law on Investment 143/2025/QH15 in force [V] (vir.com.vn/law-on-investment-takes-effect-147607)."""

LAW_61_2020_LAST_DAY = day_before(LAW_143_2025_IN_FORCE)
"""28 Feb 2026: the last day of Law 61/2020/QH14."""

DECREE_122_2021_IN_FORCE = date(2022, 1, 1)
"""Decree 122/2021/NĐ-CP (administrative sanctions in planning and investment) applies [V]."""

LAND_LAW_2024_IN_FORCE = date(2024, 8, 1)
"""The Land Law 2024 applies (its Art. 81(8) on land recovery) [V]; the Land Law 2013 before."""

DISTRICTS_ABOLISHED = date(2025, 7, 1)
"""District-level government abolished; Hải Dương merged into Hải Phòng the same day
(Resolution 202/2025/QH15) [V]."""

MINERALS_LAW_2024_IN_FORCE = date(2025, 7, 1)
"""Law on Geology and Minerals 54/2024/QH15 applies [V]; Law 60/2010/QH12 and Decree
22/2012/NĐ-CP before."""
