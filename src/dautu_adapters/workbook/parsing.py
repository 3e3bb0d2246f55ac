"""Cell values as officials type them, read without guessing.

Why strict: a number read the wrong way round (``1.234`` as one point two three four billion
instead of one thousand two hundred and thirty-four billion) would put a false fact in a
record that is never edited. Vietnamese documents group thousands with dots and write decimals
with a comma (``1.234.567.890``, ``12,5 tỷ``); a number that could be read two ways is refused
with a message saying how to write it, never guessed. Dates are read by
:func:`dautu_core.dates.parse_date` (one parser for the whole library).

Every parser takes the raw cell (text, a number, a date or ``None`` from openpyxl; text from
CSV), returns ``None`` for a blank cell, and raises :class:`~dautu_core.errors.InvalidValue`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from dautu_core.dates import format_vi_date, parse_date
from dautu_core.errors import DautuError, InvalidValue
from dautu_core.text import looks_like_legacy_encoding, nfc
from dautu_core.values import (
    DocumentRef,
    Investor,
    LandArea,
    LegalBasis,
    Milestone,
    Money,
    Schedule,
)
from dautu_core.vocab import Labelled, MilestoneKind

__all__ = [
    "ITEM_SEPARATOR",
    "PART_SEPARATOR",
    "format_area",
    "format_bool",
    "format_citations",
    "format_document",
    "format_documents",
    "format_investors",
    "format_milestone_key",
    "format_money",
    "format_schedule",
    "parse_area",
    "parse_bool",
    "parse_citations",
    "parse_date_cell",
    "parse_document",
    "parse_documents",
    "parse_int",
    "parse_investors",
    "parse_milestone_key",
    "parse_milestone_keys",
    "parse_money",
    "parse_schedule",
    "parse_text",
    "parse_vocab",
]

ITEM_SEPARATOR = ";"
"""Between the items of a list in one cell (several investors, documents, citations)."""
PART_SEPARATOR = "|"
"""Between the parts of one item (an investor's name | nationality | enterprise code)."""

MAX_TEXT = 4000
"""Characters a cell may hold: far above any name or description, far below what would let one
cell fill the memory of the importer (Excel's own limit is 32,767)."""

E = TypeVar("E", bound=StrEnum)


def _fail(vi: str, en: str, rule_id: str) -> InvalidValue:
    return InvalidValue(vi, en, rule_id=rule_id)


_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)
"""Control (Cc, except tab and newline), surrogate (Cs) and private-use (Co) characters: what
``unicodedata.category`` calls them, as one pattern (a per-character loop was the slowest step
of a large import); ``tests/workbook/test_parsing.py`` checks the two agree."""


def _text_of(value: object) -> str:
    """A cell that is not text, as text when it stands for one (a whole number), else refused."""
    if isinstance(value, bool):
        raise _fail(
            f"cần văn bản, nhận được giá trị đúng/sai {value!r}",
            f"text expected, got the boolean {value!r}",
            "cell_text",
        )
    if isinstance(value, datetime | date):
        raise _fail(
            f"cần văn bản, nhận được một ngày ({value})",
            f"text expected, got a date ({value})",
            "cell_text",
        )
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not value.is_integer():
            raise _fail(
                f"cần văn bản, nhận được số {value!r}; hãy định dạng ô là văn bản (Text)",
                f"text expected, got the number {value!r}; format the cell as Text",
                "cell_text",
            )
        return str(int(value))
    if not isinstance(value, str):
        raise _fail(
            f"giá trị không đọc được: {type(value).__name__}",
            f"unreadable value: {type(value).__name__}",
            "cell_text",
        )
    return value


def parse_text(value: object) -> str | None:
    """Text trimmed and normalised to NFC; blank is ``None``; legacy-font mojibake refused."""
    if value is None:
        return None
    if type(value) is not str:
        value = _text_of(value)
    if len(value) > MAX_TEXT:
        raise _fail(
            f"ô dài {len(value)} ký tự, vượt giới hạn {MAX_TEXT}",
            f"the cell holds {len(value)} characters, over the limit of {MAX_TEXT}",
            "cell_too_long",
        )
    text = nfc(value).strip()
    if not text:
        return None
    if _FORBIDDEN_CHARACTERS.search(text):
        raise _fail(
            "ô chứa ký tự điều khiển hoặc ký tự không hợp lệ",
            "the cell contains control or invalid characters",
            "cell_text",
        )
    encoding = looks_like_legacy_encoding(text)
    if encoding is not None:
        raise InvalidValue(
            f"văn bản có vẻ gõ bằng phông cũ {encoding} (lỗi phông): {text[:40]!r}; hãy chuyển "
            "sang Unicode dựng sẵn (TCVN 6909:2001) rồi nhập lại",
            f"the text looks like legacy {encoding} mojibake: {text[:40]!r}; convert it to "
            "Unicode (TCVN 6909:2001) and import again",
            rule_id="text_unicode",
            citation="TCVN 6909:2001",
        )
    return text


def _key(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


_VOCAB_INDEX: dict[type, dict[str, StrEnum]] = {}


def parse_vocab(value: object, vocabulary: type[E]) -> E | None:
    """A member of a closed vocabulary by its Vietnamese label (what the drop-down offers), its
    English label or its stable identifier, whatever the case."""
    text = parse_text(value)
    if text is None:
        return None
    index = _VOCAB_INDEX.get(vocabulary)
    if index is None:
        index = {}
        for member in vocabulary:
            index[_key(member.value)] = member
            if isinstance(member, Labelled):
                index[_key(member.label_en)] = member
                index[_key(member.label_vi)] = member
        _VOCAB_INDEX[vocabulary] = index
    found = index.get(_key(text))
    if found is None:
        choices = ", ".join(m.label_vi if isinstance(m, Labelled) else m.value for m in vocabulary)
        raise _fail(
            f"{text!r} không có trong danh mục; chọn một trong: {choices}",
            f"{text!r} is not in the list; choose one of: {choices}",
            "vocabulary",
        )
    return found  # type: ignore[return-value]


_TRUE = {"có", "co", "x", "yes", "y", "true", "đúng", "1"}
_FALSE = {"không", "khong", "no", "n", "false", "sai", "0"}


def parse_bool(value: object) -> bool | None:
    """``Có`` / ``Không`` (also yes/no, true/false, a real Excel boolean)."""
    if value is None or isinstance(value, bool):
        return value
    text = parse_text(value)
    if text is None:
        return None
    key = _key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise _fail(
        f"{text!r} không phải Có/Không",
        f"{text!r} is not Có/Không (yes/no)",
        "cell_boolean",
    )


def format_bool(value: bool) -> str:
    return "Có" if value else "Không"


def parse_int(value: object) -> int | None:
    """A whole number: a number cell or digits (``24``); ``24,5`` and ``2.4`` are refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _fail("cần một số nguyên", "a whole number is expected", "cell_integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _fail(
            f"cần một số nguyên, nhận được {value!r}",
            f"a whole number is expected, got {value!r}",
            "cell_integer",
        )
    text = parse_text(value)
    if text is None:
        return None
    if not re.fullmatch(r"\d{1,9}", text):
        raise _fail(
            f"cần một số nguyên (ví dụ 24), nhận được {text!r}",
            f"a whole number is expected (e.g. 24), got {text!r}",
            "cell_integer",
        )
    return int(text)


def parse_date_cell(value: object) -> date | None:
    """A real Excel date cell, or text read by :func:`dautu_core.dates.parse_date`."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise _fail(
                f"cần một ngày, ô có cả giờ ({value.isoformat(sep=' ')})",
                f"a date is expected, the cell also has a time ({value.isoformat(sep=' ')})",
                "cell_date",
            )
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _fail(
            f"ô chứa số {value!r}, không phải ngày; gõ ngày dạng 21/02/2024",
            f"the cell holds the number {value!r}, not a date; type it as 21/02/2024",
            "cell_date",
        )
    text = parse_text(value)
    if text is None:
        return None
    return parse_date(text, field="date")


# --- numbers ---------------------------------------------------------------------------------

_UNITS_MONEY = (
    ("nghìn tỷ", 10**12),
    ("ngàn tỷ", 10**12),
    ("tỷ", 10**9),
    ("triệu", 10**6),
    ("nghìn", 10**3),
    ("ngàn", 10**3),
)
_CURRENCY = ("đồng", "vnđ", "vnd", "₫", "đ")
_UNITS_AREA = (("ha", 10_000), ("héc-ta", 10_000), ("hécta", 10_000), ("m²", 1), ("m2", 1))

_VI_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")
_VI_PLAIN = re.compile(r"\d+(,\d+)?")


def _vi_number(text: str, scaled: bool) -> Decimal:
    """A number in Vietnamese notation; ``scaled`` says a unit (tỷ, ha) will multiply it.

    Refused as ambiguous: a comma followed by exactly three digits (``1,234``: a decimal in
    Vietnamese, thousands in English) and, when a unit multiplies the number, a single dot
    group (``1.234 tỷ``: 1234 in Vietnamese, 1.234 in English). Refused as foreign notation:
    commas grouping thousands (``1,234,567``), a dot before a comma-free decimal (``1.5``).
    """
    compact = text.replace(" ", "").replace("\u00a0", "")
    if _VI_GROUPED.fullmatch(compact):
        integer, _, fraction = compact.partition(",")
        if scaled and integer.count(".") == 1 and not fraction:
            raise _ambiguous(text)
        compact = integer.replace(".", "") + ("." + fraction if fraction else "")
    elif _VI_PLAIN.fullmatch(compact):
        integer, _, fraction = compact.partition(",")
        if len(fraction) == 3:
            raise _ambiguous(text)
        compact = integer + ("." + fraction if fraction else "")
    else:
        raise _fail(
            f"{text!r} không phải số viết theo kiểu Việt Nam; dùng dấu chấm phân cách hàng "
            "nghìn và dấu phẩy thập phân (1.234.567.890 hoặc 12,5)",
            f"{text!r} is not a number in Vietnamese notation; group thousands with dots and "
            "write decimals with a comma (1.234.567.890 or 12,5)",
            "number_format",
        )
    return Decimal(compact)  # the patterns above only let digits, one point and signs through


def _ambiguous(text: str) -> InvalidValue:
    return _fail(
        f"số {text!r} có thể hiểu theo hai cách (dấu chấm/phẩy là phân cách hàng nghìn hay "
        "thập phân?); hãy viết rõ, ví dụ 1.234.000.000 đồng, 1234 tỷ hoặc 1,2340 tỷ",
        f"the number {text!r} can be read two ways (is the dot or comma a thousands separator "
        "or a decimal point?); write it unambiguously, e.g. 1.234.000.000 đồng, 1234 tỷ or "
        "1,2340 tỷ",
        "number_ambiguous",
    )


def _split_unit(text: str, units: Iterable[tuple[str, int]]) -> tuple[str, int | None]:
    lowered = text.casefold()
    for unit, factor in units:
        if lowered.endswith(unit):
            head = text[: len(text) - len(unit)]
            if not head or head[-1].isdigit() or head[-1].isspace():
                return head.strip(), factor
    return text, None


def _number_cell(value: object) -> Decimal | None:
    if isinstance(value, bool):
        raise _fail("cần một số", "a number is expected", "number_format")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _fail("số không hợp lệ", "invalid number", "number_format")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    return None


def parse_money(value: object) -> Money | None:
    """Money in whole đồng: a number cell (đồng), ``1.234.567.890``, ``1.234,5 tỷ đồng``,
    ``850 triệu đồng``, ``12,5 tỷ``."""
    if value is None:
        return None
    number = _number_cell(value)
    factor = 1
    if number is None:
        text = parse_text(value)
        if text is None:
            return None
        body = text
        for currency in _CURRENCY:
            if body.casefold().endswith(currency):
                body = body[: len(body) - len(currency)].strip()
                break
        body, unit = _split_unit(body, _UNITS_MONEY)
        factor = unit or 1
        number = _vi_number(body, scaled=unit is not None)
    amount = number * factor
    if number < 0 or amount != amount.to_integral_value():
        raise _fail(
            f"số tiền phải là số đồng nguyên không âm, nhận được {value!r}",
            f"money must be a non-negative whole number of đồng, got {value!r}",
            "money_whole_dong",
        )
    return Money(int(amount))


def format_money(money: Money) -> str:
    """``1.234.567.890`` (whole đồng, grouped as Vietnamese documents write it)."""
    return f"{money.dong:,}".replace(",", ".")


def parse_area(value: object) -> LandArea | None:
    """Land area: a number cell (m²), ``12,5 ha``, ``1.200 m²``, ``850 m2``."""
    if value is None:
        return None
    number = _number_cell(value)
    factor = 1
    if number is None:
        text = parse_text(value)
        if text is None:
            return None
        body, unit = _split_unit(text, _UNITS_AREA)
        factor = unit or 1
        number = _vi_number(body, scaled=factor != 1)
    if number < 0:
        raise _fail("diện tích phải không âm", "the area must not be negative", "area_decimal")
    return LandArea(number * factor)


def format_area(area: LandArea) -> str:
    """``12.500,25 m²``: square metres in Vietnamese notation (exact, no rounding)."""
    integer, _, fraction = format(area.square_metres, "f").partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    if len(fraction) == 3:
        fraction += "0"  # three decimals alone would read as ambiguous (1,234)
    return f"{grouped},{fraction} m²" if fraction else f"{grouped} m²"


# --- composite cells ---------------------------------------------------------------------------


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(ITEM_SEPARATOR) if item.strip()]


def _parts(item: str, at_most: int, what_vi: str, what_en: str) -> list[str | None]:
    parts: list[str | None] = [p.strip() or None for p in item.split(PART_SEPARATOR)]
    if len(parts) > at_most:
        raise _fail(
            f"{what_vi} {item!r} có quá nhiều phần (tối đa {at_most}, ngăn bởi '|')",
            f"{what_en} {item!r} has too many parts (at most {at_most}, separated by '|')",
            "cell_parts",
        )
    return parts + [None] * (at_most - len(parts))


def _wrap(err: DautuError, item: str) -> InvalidValue:
    return InvalidValue(
        f"{item!r}: {err.message_vi}", f"{item!r}: {err.message_en}", rule_id=err.rule_id
    )


def parse_investors(value: object) -> tuple[Investor, ...] | None:
    """``Tên | quốc tịch | mã số doanh nghiệp; ...`` (nationality defaults to VN)."""
    text = parse_text(value)
    if text is None:
        return None
    out = []
    for item in _items(text):
        name, nationality, code = _parts(item, 3, "nhà đầu tư", "investor")
        if name is None:
            raise _fail(
                f"nhà đầu tư {item!r} thiếu tên", f"investor {item!r} has no name", "cell_parts"
            )
        try:
            out.append(Investor(name, (nationality or "VN").upper(), code))
        except InvalidValue as err:
            raise _wrap(err, item) from None
    return tuple(out)


def format_investors(investors: Iterable[Investor]) -> str:
    return f"{ITEM_SEPARATOR} ".join(
        f"{i.name} {PART_SEPARATOR} {i.nationality}"
        + (f" {PART_SEPARATOR} {i.enterprise_code}" if i.enterprise_code else "")
        for i in investors
    )


def parse_document(value: object) -> DocumentRef | None:
    """``số | ngày | cơ quan ban hành | trích yếu`` (the last two may be left out)."""
    text = parse_text(value)
    if text is None:
        return None
    documents = parse_documents(text)
    assert documents is not None
    if len(documents) != 1:
        raise _fail(
            "chỉ được ghi một văn bản trong ô này",
            "only one document may be given in this cell",
            "cell_parts",
        )
    return documents[0]


def parse_documents(value: object) -> tuple[DocumentRef, ...] | None:
    """``số | ngày | cơ quan ban hành | trích yếu; ...``."""
    text = parse_text(value)
    if text is None:
        return None
    out = []
    for item in _items(text):
        number, issued, issuer, title = _parts(item, 4, "văn bản", "document")
        if number is None or issued is None:
            raise _fail(
                f"văn bản {item!r} phải có số và ngày (ví dụ 1234/QĐ-UBND | 21/02/2024)",
                f"document {item!r} needs a number and a date (e.g. 1234/QĐ-UBND | 21/02/2024)",
                "cell_parts",
            )
        try:
            out.append(DocumentRef(number, parse_date(issued, field="issued_on"), issuer, title))
        except InvalidValue as err:
            raise _wrap(err, item) from None
    return tuple(out)


def format_document(doc: DocumentRef) -> str:
    parts = [doc.number, format_vi_date(doc.issued_on)]
    if doc.issuer is not None or doc.title is not None:
        parts.append(doc.issuer or "")
    if doc.title is not None:
        parts.append(doc.title)
    return f" {PART_SEPARATOR} ".join(parts)


def format_documents(docs: Iterable[DocumentRef]) -> str:
    return f"{ITEM_SEPARATOR} ".join(format_document(d) for d in docs)


_CITATION = re.compile(
    r"(?:điểm\s+(?P<point>\S+)\s+)?(?:khoản\s+(?P<clause>\S+)\s+)?(?:điều\s+(?P<article>\S+)\s+)?"
    r"(?P<instrument>[^\[\]]+?)\s*(?:\[(?P<note>[^\[\]]*)\])?",
    re.IGNORECASE,
)


def parse_citations(value: object) -> tuple[LegalBasis, ...] | None:
    """Citations as Vietnamese documents write them, ``;`` between them:
    ``điểm a khoản 4 Điều 41 Luật Đầu tư 61/2020/QH14`` (point, clause and article optional;
    a note in square brackets)."""
    text = parse_text(value)
    if text is None:
        return None
    out = []
    for item in _items(text):
        match = _CITATION.fullmatch(item)
        if match is None:
            raise _fail(
                f"căn cứ {item!r} không đọc được; viết như 'khoản 4 Điều 41 Luật 61/2020/QH14'",
                f"citation {item!r} is unreadable; write it as 'khoản 4 Điều 41 Luật 61/2020/QH14'",
                "citation_format",
            )
        try:
            out.append(
                LegalBasis(
                    match["instrument"],
                    match["article"],
                    match["clause"],
                    match["point"],
                    match["note"] or None,
                )
            )
        except InvalidValue as err:
            raise _wrap(err, item) from None
    return tuple(out)


def format_citations(bases: Iterable[LegalBasis]) -> str:
    return f"{ITEM_SEPARATOR} ".join(b.cite_vi() for b in bases)


def parse_milestone_key(text: str) -> str:
    """A milestone by its label (``Góp vốn``, ``Capital contribution``) or a phase's own name
    (``Giai đoạn 1``); returns the milestone key the record uses."""
    try:
        kind = parse_vocab(text, MilestoneKind)
    except InvalidValue:
        kind = None
    if kind is None or kind is MilestoneKind.PHASE:
        return f"{MilestoneKind.PHASE.value}:{text.strip()}"
    return kind.value


def parse_milestone_keys(value: object) -> tuple[str, ...] | None:
    text = parse_text(value)
    if text is None:
        return None
    return tuple(parse_milestone_key(item) for item in _items(text))


def format_milestone_key(key: str) -> str:
    kind, _, label = key.partition(":")
    if label:
        return label
    try:
        return MilestoneKind(kind).label_vi
    except ValueError:
        return key


def parse_schedule(value: object) -> Schedule | None:
    """``Góp vốn: 30/06/2025; Khởi công xây dựng: 01/01/2026; Giai đoạn 1: 01/06/2027``."""
    text = parse_text(value)
    if text is None:
        return None
    milestones = []
    for item in _items(text):
        name, colon, due = item.rpartition(":")
        if not colon or not name.strip():
            raise _fail(
                f"mốc {item!r} phải có dạng 'tên mốc: ngày' (ví dụ Góp vốn: 30/06/2025)",
                f"milestone {item!r} must read 'name: date' (e.g. Góp vốn: 30/06/2025)",
                "cell_parts",
            )
        key = parse_milestone_key(name)
        kind, _, label = key.partition(":")
        try:
            milestones.append(Milestone(kind, parse_date(due, field="schedule.due"), label or None))
        except InvalidValue as err:
            raise _wrap(err, item) from None
    try:
        return Schedule(tuple(milestones))
    except InvalidValue as err:
        raise _wrap(err, text) from None


def format_schedule(schedule: Schedule) -> str:
    return f"{ITEM_SEPARATOR} ".join(
        f"{format_milestone_key(m.key)}: {format_vi_date(m.due)}" for m in schedule.milestones
    )
