"""The review's ``Finding`` is now ``RuleMatch``; the old public name still imports, warned."""

from __future__ import annotations

import pytest

import dautu_core.review as review
from dautu_core.review import rulebook
from dautu_core.review.rulebook import RuleMatch


@pytest.mark.parametrize("module", [review, rulebook])
def test_the_former_name_is_the_same_class_with_a_deprecation_warning(module: object) -> None:
    with pytest.warns(DeprecationWarning, match="RuleMatch"):
        former = module.Finding  # type: ignore[attr-defined]
    assert former is RuleMatch
    assert "Finding" not in module.__all__  # type: ignore[attr-defined]


def test_other_unknown_names_are_still_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="Nothing"):
        _ = review.Nothing
