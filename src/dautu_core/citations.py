"""The citations dautu ships, in one table: what the demo records and what the review cites.

Why one table: a land violation recorded by the demo and the review rule that handles it must
cite the same law, and the law each cites depends on the date (Decree 122/2021/NĐ-CP from
1 Jan 2022, the Land Law 2024 from 1 Aug 2024, the Law on Geology and Minerals from 1 Jul 2025,
the Law on Investment 143/2025/QH15 from 1 Mar 2026: see :mod:`dautu_core.legal_dates`).

What is verified: only what ``DOMAIN.md`` marks [V] is cited plainly. Every other number or
article carries its doubt in the citation itself (the ``note``, rendered in both languages), so
that nobody reads a recollection as the law:

* verified instruments: Law on Investment 61/2020/QH14 (Art. 30-32, 37-41, 43, 47, 48, 72) and
  143/2025/QH15 (no article verified); Decree 122/2021/NĐ-CP (no article verified); Law on
  Minerals 60/2010/QH12, Decree 22/2012/NĐ-CP and Law 54/2024/QH15 (no article verified);
  Land Law 2013 Art. 64(1)(i) and Land Law 2024 Art. 81(8) (their numbers 45/2013/QH13 and
  31/2024/QH15 are not verified);
* not verified: 67/2014/QH13, 15/2012/QH13, 72/2020/QH14, the investment sanctions decree in
  force before 1 Jan 2022, any construction law.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from dautu_core.legal_dates import (
    DECREE_122_2021_IN_FORCE,
    LAND_LAW_2024_IN_FORCE,
    LAW_61_2020_IN_FORCE,
    LAW_143_2025_IN_FORCE,
    MINERALS_LAW_2024_IN_FORCE,
)
from dautu_core.text import bilingual
from dautu_core.values import LegalBasis
from dautu_core.vocab import ViolationCategory

__all__ = [
    "CONSTRUCTION_LAW",
    "DECREE_122_2021",
    "ENVIRONMENT_LAW",
    "LAND_LAW_2013",
    "LAND_LAW_2024",
    "LAND_RECOVERY_2013",
    "LAND_RECOVERY_2024",
    "LAW_67_2014",
    "MINERALS_2010",
    "MINERALS_2024",
    "RECORD_RULE",
    "SANCTIONS_BEFORE_2022",
    "VIOLATION_HANDLING_LAW",
    "investment_law",
    "land_law",
    "land_recovery",
    "law_61_2020",
    "law_143_2025",
    "minerals_law",
    "record_rule",
    "sanctions_decree",
    "violation_basis",
]


def record_rule(vi: str, en: str) -> LegalBasis:
    """A rule of dautu's record (how facts are kept), cited as that: not a legal provision."""
    return LegalBasis(
        instrument="dautu",
        note=bilingual(f"{vi}; không phải quy định pháp luật", f"{en}; not a law"),
    )


RECORD_RULE = record_rule("quy tắc cấu trúc của hồ sơ", "structural rule of the record")


# --- Law on Investment -------------------------------------------------------------------------


def law_61_2020(
    article: str, clause: str | None = None, note: str | None = None, point: str | None = None
) -> LegalBasis:
    """Law on Investment 61/2020/QH14, in force 1 Jan 2021 - 28 Feb 2026 [V]."""
    return LegalBasis(
        instrument="61/2020/QH14", article=article, clause=clause, point=point, note=note
    )


def law_143_2025(
    article: str, clause: str | None = None, note: str | None = None, point: str | None = None
) -> LegalBasis:
    """Law on Investment 143/2025/QH15 [V], whose article numbers are not verified: the
    citation names the law and the Law 61/2020 provision assumed to continue."""
    del note, point  # a note on the Law 61/2020 article does not carry over
    where = f"Art. {article}({clause})" if clause else f"Art. {article}"
    where_vi = f"khoản {clause} Điều {article}" if clause else f"Điều {article}"
    return LegalBasis(
        instrument="143/2025/QH15",
        note=bilingual(
            f"chưa xác minh điều; giả định giữ quy định {where_vi} Luật 61/2020",
            f"article not verified; Law 61/2020 {where} assumed to continue",
        ),
    )


LAW_67_2014 = LegalBasis(
    instrument="67/2014/QH13",
    note=bilingual(
        "Luật Đầu tư 2014; chưa xác minh số hiệu và điều",
        "Law on Investment 2014; number and article not verified",
    ),
)
"""The law before 1 Jan 2021: not in the verified sources, cited with its doubt."""


def investment_law(on: date, article: str, clause: str | None = None) -> LegalBasis:
    """The Law on Investment provision in force on ``on`` (Law 61/2020's article numbering)."""
    if on < LAW_61_2020_IN_FORCE:
        return LAW_67_2014
    if on < LAW_143_2025_IN_FORCE:
        return law_61_2020(article, clause)
    return law_143_2025(article, clause)


# --- sanctions ---------------------------------------------------------------------------------

DECREE_122_2021 = LegalBasis(
    instrument="122/2021/NĐ-CP",
    note=bilingual(
        "xử phạt vi phạm hành chính về đầu tư; chưa xác minh điều",
        "investment sanctions; article not verified",
    ),
)
"""Administrative sanctions in planning and investment, from 1 Jan 2022 [V]."""

SANCTIONS_BEFORE_2022 = LegalBasis(
    instrument=bilingual(
        "nghị định xử phạt vi phạm hành chính về đầu tư có hiệu lực trước 01/01/2022",
        "investment sanctions decree in force before 1 Jan 2022",
    ),
    note=bilingual(
        "tham số: chưa xác minh số hiệu và điều", "parameter: number and article not verified"
    ),
)
"""Never given a guessed number."""


def sanctions_decree(on: date) -> LegalBasis:
    """The investment sanctions decree for an act on ``on``."""
    return DECREE_122_2021 if on >= DECREE_122_2021_IN_FORCE else SANCTIONS_BEFORE_2022


VIOLATION_HANDLING_LAW = LegalBasis(
    instrument="15/2012/QH13",
    note=bilingual(
        "Luật Xử lý vi phạm hành chính; chưa xác minh số hiệu và điều",
        "Law on Handling Administrative Violations; number and article not verified",
    ),
)
"""Cited for "a violation is established before it is sanctioned"; the article number once
cited here (Art. 3(1)) was a recollection and is no longer given."""


# --- land, environment, minerals, construction ------------------------------------------------

LAND_LAW_2013 = LegalBasis(
    instrument="45/2013/QH13",
    note=bilingual(
        "Luật Đất đai 2013; chưa xác minh số hiệu và điều",
        "Land Law 2013; number and article not verified",
    ),
)
LAND_LAW_2024 = LegalBasis(
    instrument="31/2024/QH15",
    note=bilingual(
        "Luật Đất đai 2024; chưa xác minh số hiệu và điều",
        "Land Law 2024; number and article not verified",
    ),
)
LAND_RECOVERY_2013 = LegalBasis(
    instrument="45/2013/QH13",
    article="64",
    clause="1",
    point="i",
    note=bilingual(
        "Luật Đất đai 2013, điều đã xác minh; chưa xác minh số hiệu",
        "Land Law 2013, article verified; number not verified",
    ),
)
LAND_RECOVERY_2024 = LegalBasis(
    instrument="31/2024/QH15",
    article="81",
    clause="8",
    note=bilingual(
        "Luật Đất đai 2024, điều đã xác minh; chưa xác minh số hiệu",
        "Land Law 2024, article verified; number not verified",
    ),
)


def land_law(on: date) -> LegalBasis:
    return LAND_LAW_2024 if on >= LAND_LAW_2024_IN_FORCE else LAND_LAW_2013


def land_recovery(on: date) -> LegalBasis:
    """Land unused 12 months or used 24 months behind schedule is recovered [V]."""
    return LAND_RECOVERY_2024 if on >= LAND_LAW_2024_IN_FORCE else LAND_RECOVERY_2013


ENVIRONMENT_LAW = LegalBasis(
    instrument="72/2020/QH14",
    note=bilingual(
        "Luật Bảo vệ môi trường; chưa xác minh số hiệu và điều",
        "Law on Environmental Protection; number and article not verified",
    ),
)

MINERALS_2010 = (
    LegalBasis(
        instrument="60/2010/QH12",
        note=bilingual(
            "Luật Khoáng sản; chưa xác minh điều", "Law on Minerals; article not verified"
        ),
    ),
    LegalBasis(
        instrument="22/2012/NĐ-CP",
        note=bilingual(
            "đấu giá quyền khai thác khoáng sản; chưa xác minh điều",
            "auction of mineral exploitation rights; article not verified",
        ),
    ),
)
MINERALS_2024 = (
    LegalBasis(
        instrument="54/2024/QH15",
        note=bilingual(
            "Luật Địa chất và Khoáng sản; chưa xác minh điều",
            "Law on Geology and Minerals; article not verified",
        ),
    ),
)


def minerals_law(on: date) -> tuple[LegalBasis, ...]:
    return MINERALS_2024 if on >= MINERALS_LAW_2024_IN_FORCE else MINERALS_2010


CONSTRUCTION_LAW = LegalBasis(
    instrument=bilingual("Luật Xây dựng", "Construction Law"),
    note=bilingual("chưa xác minh số hiệu và điều", "number and article not verified"),
)


# --- the table ---------------------------------------------------------------------------------


def _investment(on: date) -> tuple[LegalBasis, ...]:
    return (sanctions_decree(on),)


def _reporting(on: date) -> tuple[LegalBasis, ...]:
    # The reporting duty (Art. 72) [V] and its sanctions (Decree 122/2021: 20-50 million) [V].
    return (investment_law(on, "72"), sanctions_decree(on))


def _deposit(on: date) -> tuple[LegalBasis, ...]:
    return (investment_law(on, "43"),)


_BY_CATEGORY: Mapping[ViolationCategory, Callable[[date], tuple[LegalBasis, ...]]] = {
    ViolationCategory.INVESTMENT: _investment,
    ViolationCategory.REPORTING: _reporting,
    ViolationCategory.DEPOSIT: _deposit,
    ViolationCategory.LAND: lambda on: (land_law(on),),
    ViolationCategory.ENVIRONMENT: lambda on: (ENVIRONMENT_LAW,),
    ViolationCategory.MINERALS: minerals_law,
    ViolationCategory.CONSTRUCTION: lambda on: (CONSTRUCTION_LAW,),
}


def violation_basis(category: ViolationCategory, on: date) -> tuple[LegalBasis, ...]:
    """What a violation of ``category`` on ``on`` is cited by, in the record and in the review.

    ======================  ===============================================================
    investment              Decree 122/2021/NĐ-CP from 1 Jan 2022; before, the earlier
                            sanctions decree (number not verified)
    reporting               Law on Investment Art. 72 (reporting duty) and the sanctions decree
    deposit                 Law on Investment Art. 43
    land                    Land Law 2013, from 1 Aug 2024 the Land Law 2024 (numbers not
                            verified)
    environment             Law on Environmental Protection (number not verified)
    minerals                Law 60/2010/QH12 and Decree 22/2012/NĐ-CP, from 1 Jul 2025 Law
                            54/2024/QH15
    construction            Construction Law (number not verified)
    ======================  ===============================================================
    """
    return _BY_CATEGORY[ViolationCategory(category)](on)
