"""Vietnamese text at the boundary: NFC normalisation and legacy-encoding detection.

Why: government text is Unicode (TCVN 6909:2001), but the same word typed on macOS arrives in
NFD and compares unequal to its NFC twin, so every string is normalised to NFC when a value is
built. Provincial spreadsheets still carry text in the legacy TCVN3 (ABC) and VNI encodings; read
as Windows-1252 they become mojibake such as ``"céng hoµ x· héi chđ nghÜa viƯt nam"``. Storing
that silently would poison the record for good, so it is refused with a message saying what it is.
No well-kept converter for these encodings exists on PyPI, so we detect and refuse rather than
guess a conversion.
"""

from __future__ import annotations

import re
import unicodedata

from dautu_core.errors import InvalidValue

__all__ = [
    "bilingual",
    "format_count",
    "looks_like_legacy_encoding",
    "nfc",
    "optional_text",
    "required_text",
]

# Symbols that TCVN3 (ABC) uses for Vietnamese letters and that real Vietnamese text never
# contains. Two of them in one string, or one squeezed between two letters, is mojibake.
_TCVN3_SYMBOLS = "µ¸¶·¹¨»¾¼½©ª«¬¦÷§®"
_TCVN3_ANY = re.compile(f"[{re.escape(_TCVN3_SYMBOLS)}]")
_TCVN3_INSIDE_WORD = re.compile(rf"[^\W\d_][{_TCVN3_SYMBOLS}][^\W\d_]")
# VNI writes a base vowel followed by a tone byte; as cp1252 these come out as "ø", "û", "ï"
# (grave, hook, dot below) right after a vowel, letters Vietnamese itself never uses.
_VNI_TONE = re.compile(r"[aeiouyâêôAEIOUYÂÊÔ][øûïØÛÏ]")
_SUSPECT = re.compile(f"[{re.escape(_TCVN3_SYMBOLS)}øûïØÛÏ]")


def bilingual(vi: str, en: str) -> str:
    """``"Vietnamese / English"``: how a text meant for both readers is written in one line.

    Why one helper: officials read the Vietnamese, foreign investors and reviewers the
    English; help texts, citation notes and headers put both side by side the same way.
    """
    return f"{vi} / {en}"


def format_count(n: int, lang: str = "vi") -> str:
    """A count with thousands grouped as each language writes it: ``1.234`` in Vietnamese
    (the dot groups, as in amounts of đồng), ``1,234`` in English.

    One definition, so that a table, a summary and a console line never write the same count
    two ways.
    """
    grouped = f"{n:,}"
    return grouped.replace(",", ".") if lang == "vi" else grouped


def nfc(value: str) -> str:
    """Normalise to Unicode NFC (the form TCVN 6909:2001 text is compared in)."""
    return unicodedata.normalize("NFC", value)


def looks_like_legacy_encoding(value: str) -> str | None:
    """Name the legacy encoding ``value`` seems to be mojibake of, or ``None``.

    A heuristic, deliberately conservative: a single trade-mark sign after a company name or a
    Danish "ø" in an investor's name does not trip it.
    """
    if value.isascii() or not _SUSPECT.search(value):
        return None  # every sign looked for below needs one of the _SUSPECT characters
    symbols = len(_TCVN3_ANY.findall(value))
    if symbols >= 2 or _TCVN3_INSIDE_WORD.search(value):
        return "TCVN3 (ABC)"
    if len(_VNI_TONE.findall(value)) >= 2:
        return "VNI"
    return None


def _check(value: str, field: str) -> str:
    encoding = looks_like_legacy_encoding(value)
    if encoding is not None:
        raise InvalidValue(
            f"Văn bản có vẻ được mã hoá bằng bảng mã cũ {encoding} (lỗi phông): {value[:40]!r}; "
            "hãy chuyển sang Unicode dựng sẵn (TCVN 6909:2001) rồi nhập lại",
            f"text looks like legacy {encoding} mojibake: {value[:40]!r}; convert it to "
            "Unicode (TCVN 6909:2001) and try again",
            field=field,
            rule_id="text_unicode",
            citation="TCVN 6909:2001",
        )
    return value


def required_text(value: object, field: str = "text") -> str:
    """Convert to NFC and refuse empty or mojibake text. Used as an attrs converter."""
    if not isinstance(value, str):
        raise InvalidValue(
            f"Giá trị phải là chuỗi văn bản, nhận được {type(value).__name__}",
            f"value must be text, got {type(value).__name__}",
            field=field,
            rule_id="text_required",
        )
    text = nfc(value).strip()
    if not text:
        raise InvalidValue(
            "Không được để trống",
            "must not be empty",
            field=field,
            rule_id="text_required",
        )
    return _check(text, field)


def optional_text(value: object, field: str = "text") -> str | None:
    """Like :func:`required_text` but ``None`` and blank text become ``None``."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return required_text(value, field)
