"""The one verdict: a missing key is not an invalid signature, and the exit code always says
what the last line says."""

from __future__ import annotations

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from audit.test_checkpoint import sample_checkpoint
from dautu_adapters.audit.keys import key_id, sign_checkpoint
from dautu_adapters.audit.verdict import (
    EXIT_CODES,
    Authentication,
    Outcome,
    Said,
    Verdict,
    authenticate,
    exit_codes_help,
)
from dautu_core.audit import FindingKind

KEY = Ed25519PrivateKey.generate()
SIGNED = sign_checkpoint(sample_checkpoint(), KEY)


def test_a_missing_key_or_signature_is_a_reason_not_a_finding() -> None:
    assert authenticate(None, KEY.public_key()).reason is not None
    unsigned = authenticate(sample_checkpoint(), KEY.public_key())
    assert unsigned.finding is None and unsigned.reason is not None
    assert unsigned.reason.en == "the checkpoint is not signed"
    no_key = authenticate(SIGNED, None)
    assert not no_key.authenticated and no_key.finding is None
    assert (
        no_key.reason is not None and no_key.reason.vi == "không có khoá công khai (--public-key)"
    )
    good = authenticate(SIGNED, KEY.public_key())
    assert good.authenticated and good.key_id == key_id(KEY.public_key()) and good.reason is None


def test_a_signature_that_does_not_hold_is_a_finding() -> None:
    other = authenticate(SIGNED, Ed25519PrivateKey.generate().public_key())
    assert not other.authenticated and other.finding is not None
    assert other.finding.kind is FindingKind.SIGNATURE_INVALID
    altered = authenticate(attrs.evolve(SIGNED, log_size=SIGNED.log_size + 1), KEY.public_key())
    assert altered.finding is not None and altered.finding.kind is FindingKind.SIGNATURE_INVALID


@given(
    findings=st.integers(min_value=0, max_value=3),
    empty=st.booleans(),
    authenticated=st.booleans(),
    accept_unsigned=st.booleans(),
    lang=st.sampled_from(["vi", "en"]),
)
def test_the_exit_code_and_the_last_line_always_agree(
    findings: int, empty: bool, authenticated: bool, accept_unsigned: bool, lang: str
) -> None:
    reason = None if authenticated else Said("lý do", "reason")
    verdict = Verdict.of(
        findings=findings,
        empty=empty,
        authentication=Authentication(authenticated, reason=reason),
        checked=(Said("chuỗi băm", "hash chain"),),
        not_checked=(),
        accept_unsigned=accept_unsigned,
    )
    line = verdict.headline(lang)
    code = verdict.exit_code
    if findings:
        assert verdict.outcome is Outcome.TAMPERED and code == 1
        assert ("SAI LỆCH" if lang == "vi" else "TAMPERING") in line and f"({findings})" in line
    elif empty:
        assert verdict.outcome is Outcome.EMPTY and code == 4
    elif authenticated:
        assert code == 0 and line.endswith("ĐÃ XÁC THỰC" if lang == "vi" else "AUTHENTICATED")
    else:
        assert code == (0 if accept_unsigned else 3)
        assert ("CHƯA XÁC THỰC — lý do" if lang == "vi" else "NOT AUTHENTICATED — reason") in line
        assert any("reason" in s.en for s in verdict.not_checked)
    # What a script reads and what a person reads: 0 only if nothing was found.
    assert (code == 0) <= (findings == 0 and not empty)
    if code != 0 or verdict.outcome is not Outcome.INTACT_AUTHENTICATED:
        assert "TOÀN VẸN VÀ ĐÃ XÁC THỰC" not in line and "INTACT AND AUTHENTICATED" not in line
    assert verdict.as_dict()["exit_code"] == code


def test_the_help_lists_every_exit_code() -> None:
    text = exit_codes_help("nhật ký", "the log")
    for code in sorted(set(EXIT_CODES.values()) | {2}):
        assert f"\n  {code}  " in text
    assert "  4  " not in exit_codes_help("bộ hồ sơ", "the bundle", empty=False)
