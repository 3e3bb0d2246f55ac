"""Value objects: small, frozen, validated at construction, text normalised to NFC.

Why frozen attrs classes: an event is a statement about the past and must not change once made;
values inside it inherit that. Validation happens here, at the boundary, so that the decider and
the fold never see a negative amount of money or an empty investor name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from dautu_core.errors import InvalidValue
from dautu_core.fields import checked_fields, code_text
from dautu_core.vocab import AuthorityLevel, MilestoneKind

__all__ = [
    "Actor",
    "Authority",
    "DocumentRef",
    "Investor",
    "LandArea",
    "LegalBasis",
    "Location",
    "Milestone",
    "Money",
    "ProjectCode",
    "Schedule",
    "project_code",
]

ProjectCode = str
"""A project code (mã số dự án): an opaque string assigned by the National Investment
Information System, or the old certificate number for old licences. Never parsed."""


def project_code(value: object) -> ProjectCode:
    """Normalise a project code: NFC, surrounding blanks removed, non-empty, no control
    character, at most :data:`~dautu_core.fields.MAX_PROJECT_CODE_LENGTH` (64) characters.
    Not parsed."""
    return code_text(value, "project_code")


def _non_negative_int(field: str) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidValue(
                f"Phải là số nguyên không âm, nhận được {value!r}",
                f"must be a non-negative whole number, got {value!r}",
                field=field,
                rule_id="non_negative_integer",
            )

    return check


@attrs.frozen(field_transformer=checked_fields)
class Money:
    """An amount in Vietnamese đồng, as a whole number (never a float).

    Capital in licences is stated in whole đồng; keeping an ``int`` makes sums exact and
    round-trips through JSON and every database unchanged.
    """

    dong: int = attrs.field(validator=_non_negative_int("dong"))
    """Whole đồng. Where a command asks for money (``capital``, ``fine``) an ``int`` of
    whole đồng is accepted too and becomes ``Money(int)``."""

    @classmethod
    def from_billion(cls, billions: Decimal | int | str) -> Money:
        """Build from "tỷ đồng" (10^9 đồng), the unit decisions usually state capital in."""
        amount = Decimal(str(billions)) * 1_000_000_000
        if amount != amount.to_integral_value():
            raise InvalidValue(
                "Số tiền phải là số nguyên đồng",
                "amount must be a whole number of đồng",
                field="dong",
                rule_id="money_whole_dong",
            )
        return cls(int(amount))

    @property
    def billions(self) -> Decimal:
        return Decimal(self.dong) / Decimal(1_000_000_000)

    def format_vi(self) -> str:
        """``1.234.567.890 ₫``: grouping with dots, as Vietnamese documents write money."""
        return f"{self.dong:,}".replace(",", ".") + " ₫"


def _decimal_area(value: object) -> Decimal:
    try:
        area = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidValue(
            f"Diện tích không hợp lệ: {value!r}",
            f"invalid area: {value!r}",
            field="square_metres",
            rule_id="area_decimal",
        ) from exc
    if isinstance(value, float):
        raise InvalidValue(
            "Diện tích phải là số thập phân chính xác (Decimal), không dùng số thực dấu phẩy động",
            "area must be an exact Decimal or int, not a float",
            field="square_metres",
            rule_id="area_decimal",
        )
    if not area.is_finite() or area < 0:
        raise InvalidValue(
            f"Diện tích phải là số không âm, nhận được {value!r}",
            f"area must be a non-negative number, got {value!r}",
            field="square_metres",
            rule_id="area_decimal",
        )
    return _one_form(area, value)


_MAX_AREA_DIGITS = 30
"""Whole digits an area may have (10**30 m² is far beyond any land): bounds the expansion of
exponents such as ``1E+999999`` into plain digits."""


def _one_form(area: Decimal, given: object) -> Decimal:
    """One representation per value: ``5.50``, ``5.5`` and ``0.55E+1`` become ``5.5``.

    Why: equal areas must give the same canonical bytes (and so the same record hash), whatever
    precision the clerk typed. Done on the digit tuple, so no context rounds the value.
    """
    _sign, digits, exponent = area.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    if not any(digits):
        return Decimal(0)
    while exponent < 0 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    if exponent > 0:
        if len(digits) + exponent > _MAX_AREA_DIGITS:
            raise InvalidValue(
                f"Diện tích quá lớn: {given!r}",
                f"area is too large: {given!r}",
                field="square_metres",
                rule_id="area_decimal",
            )
        digits, exponent = digits + (0,) * exponent, 0
    return Decimal((0, digits, exponent))


@attrs.frozen(field_transformer=checked_fields)
class LandArea:
    """Land area in square metres, exact (``Decimal``)."""

    square_metres: Decimal = attrs.field(converter=_decimal_area)

    @classmethod
    def from_hectares(cls, hectares: Decimal | int | str) -> LandArea:
        return cls(Decimal(str(hectares)) * 10_000)

    @property
    def hectares(self) -> Decimal:
        return self.square_metres / 10_000


@attrs.frozen(field_transformer=checked_fields)
class Milestone:
    """One dated commitment of the schedule (capital contribution, construction start, ...).

    ``key`` identifies the milestone across schedule changes: the kind, plus the label for
    phases (several phases may exist).
    """

    kind: MilestoneKind = attrs.field(converter=MilestoneKind)
    due: date
    label: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is MilestoneKind.PHASE and self.label is None:
            raise InvalidValue(
                "Giai đoạn của dự án phải có tên (ví dụ: 'Giai đoạn 1')",
                "a phase milestone needs a label (e.g. 'Phase 1')",
                field="label",
                rule_id="phase_label_required",
            )

    @property
    def key(self) -> str:
        return self.kind.value if self.label is None else f"{self.kind.value}:{self.label}"


def _milestones(value: Iterable[Milestone]) -> tuple[Milestone, ...]:
    items = tuple(value)
    keys = [m.key for m in items]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise InvalidValue(
            f"Mốc tiến độ bị trùng: {', '.join(duplicated)}",
            f"duplicate schedule milestones: {', '.join(duplicated)}",
            field="schedule.milestones",
            rule_id="milestone_unique",
        )
    return items


@attrs.frozen(field_transformer=checked_fields)
class Schedule:
    """The schedule of a project (tiến độ thực hiện): its dated milestones."""

    milestones: tuple[Milestone, ...] = attrs.field(converter=_milestones)

    def get(self, key: str) -> Milestone | None:
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        return None

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        """The milestones' keys, in order; computed once (the schedule is frozen), since the
        rules ask for them at every progress or delay recorded."""
        return tuple(m.key for m in self.milestones)

    @property
    def last_due(self) -> date | None:
        return max((m.due for m in self.milestones), default=None)


_ENTERPRISE_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


def _enterprise_code(_inst: object, _attr: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _ENTERPRISE_CODE.match(value):
        raise InvalidValue(
            f"Mã số doanh nghiệp phải gồm 10 chữ số (chi nhánh: 13 chữ số), nhận được {value!r}",
            f"enterprise code must be 10 digits (13 for a branch), got {value!r}",
            field="enterprise_code",
            rule_id="enterprise_code_format",
        )


def _nationality(_inst: object, _attr: attrs.Attribute[Any], value: str) -> None:
    if not (len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()):
        raise InvalidValue(
            f"Quốc tịch phải là mã ISO 3166 hai chữ cái in hoa (ví dụ 'VN'), nhận được {value!r}",
            f"nationality must be an ISO 3166 alpha-2 code (e.g. 'VN'), got {value!r}",
            field="nationality",
            rule_id="nationality_iso3166",
        )


@attrs.frozen(field_transformer=checked_fields)
class Investor:
    """An investor as named in the decision. ``enterprise_code`` is the tax code when known."""

    name: str
    nationality: str = attrs.field(default="VN", validator=_nationality)
    enterprise_code: str | None = attrs.field(default=None, validator=_enterprise_code)

    @property
    def is_foreign(self) -> bool:
        return self.nationality != "VN"


@attrs.frozen(field_transformer=checked_fields)
class Location:
    """Where the project is, with place names as they were at the time of the event.

    Districts were abolished on 1 Jul 2025 and Hải Dương merged into Hải Phòng; a record made in
    2024 must keep saying "huyện Gia Lộc, tỉnh Hải Dương".
    """

    province: str
    district: str | None = None
    commune: str | None = None
    inside_industrial_zone: bool = False


@attrs.frozen(field_transformer=checked_fields)
class Authority:
    """A public body as named at the time of the event (free text) with an optional level."""

    name: str
    level: AuthorityLevel | None = attrs.field(
        default=None, converter=attrs.converters.optional(AuthorityLevel)
    )


@attrs.frozen(field_transformer=checked_fields)
class Actor:
    """Who recorded a fact: a user id, the person's name and their unit."""

    user_id: str
    name: str
    unit: str


@attrs.frozen(field_transformer=checked_fields)
class LegalBasis:
    """A citation: instrument number, article, clause (and point).

    ``article`` is ``None`` only where the law is known to apply but its article was not verified
    (for instance Law 143/2025/QH15); ``note`` says so, so nobody reads a guess as the law.
    """

    instrument: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    note: str | None = None

    def cite(self) -> str:
        """Render as officials cite: "Law 61/2020/QH14, Art. 41(4)"."""
        text = self.instrument
        if self.article is not None:
            text += f", Art. {self.article}"
            if self.clause is not None:
                text += f"({self.clause})"
            if self.point is not None:
                text += f"({self.point})"
        if self.note is not None:
            text += f" [{self.note}]"
        return text

    def cite_vi(self) -> str:
        """Render in Vietnamese: "Điều 41 khoản 4 61/2020/QH14"."""
        parts = []
        if self.point is not None:
            parts.append(f"điểm {self.point}")
        if self.clause is not None:
            parts.append(f"khoản {self.clause}")
        if self.article is not None:
            parts.append(f"Điều {self.article}")
        prefix = " ".join(parts)
        text = f"{prefix} {self.instrument}" if prefix else self.instrument
        if self.note is not None:
            text += f" [{self.note}]"
        return text


@attrs.frozen(field_transformer=checked_fields)
class DocumentRef:
    """A reference to an official document: its number (e.g. "1234/QĐ-UBND") and date."""

    number: str
    issued_on: date
    issuer: str | None = None
    title: str | None = None
