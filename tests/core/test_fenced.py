"""The fenced private interfaces: each must still be taken, and agree with the public one.

These tests fail loudly on an upgrade (of Python or a dependency) that changes a private
interface dautu relies on, instead of letting the code fall back silently to a slower path.
"""

from __future__ import annotations

import json
import platform

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dautu_core import codec
from dautu_core._fenced.json_c_encoder import acyclic_encoder, uses_c_encoder

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8")),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.skipif(
    platform.python_implementation() != "CPython", reason="the C encoder is CPython's"
)
def test_the_c_encoder_is_still_there_with_the_signature_we_call() -> None:
    assert uses_c_encoder(codec._CANONICAL), (
        f"Python {platform.python_version()}: json.encoder.c_make_encoder is missing or no "
        "longer takes the 9 positional arguments of JSONEncoder.iterencode; update "
        "dautu_core/_fenced/json_c_encoder.py (the write path fell back to JSONEncoder.encode)"
    )


def test_the_c_encoder_gives_the_public_text_on_a_tiny_sample() -> None:
    sample = {"b": [1, 2.5, None, True], "a": "Hải Dương \u2028", "c": {}}
    assert acyclic_encoder(codec._CANONICAL)(sample) == codec._CANONICAL.encode(sample), (
        f"Python {platform.python_version()}: json.encoder.c_make_encoder, called as "
        "dautu_core/_fenced/json_c_encoder.py calls it, no longer gives JSONEncoder's text"
    )


@given(json_values)
def test_the_fast_encoder_gives_the_public_encoders_text(value: object) -> None:
    fast = acyclic_encoder(codec._CANONICAL)
    assert fast(value) == codec._CANONICAL.encode(value)
    assert codec.canonical_event_bytes({"v": value}) == codec.canonical_bytes({"v": value})


def test_settings_the_fast_path_does_not_mirror_use_the_public_encoder() -> None:
    indented = json.JSONEncoder(indent=2)
    assert not uses_c_encoder(indented)
    assert acyclic_encoder(indented)({"a": [1]}) == indented.encode({"a": [1]})
