"""The portfolio checkpoint is one canonical JSON line per project, after a header line.

Read line by line (so a 10,000-project checkpoint is never parsed in one piece), it gives back
the same portfolio; a checkpoint that lost a line is refused, not read as a smaller portfolio.
"""

from __future__ import annotations

import json

import pytest

from dautu_adapters.review.projection import catch_up
from dautu_adapters.service import ProjectService
from dautu_adapters.stores import open_store
from dautu_core.projections import Portfolio, portfolio
from review.helpers import approve


def _portfolio() -> Portfolio:
    store = open_store("memory://")
    ProjectService(store).execute_batch(
        [approve(code="DA-2"), approve(code="DA-1"), approve(code="DA-3")]
    )
    return catch_up(store, save=False).portfolio


def test_one_line_per_project_in_code_order_after_the_header() -> None:
    folded = _portfolio()
    data = folded.to_bytes()
    header, *lines = data.split(b"\n")
    assert json.loads(header) == {
        "format": portfolio.FORMAT,
        "position": folded.position,
        "projects": 3,
    }
    assert [json.loads(line)[0] for line in lines] == ["DA-1", "DA-2", "DA-3"]
    again = Portfolio.from_bytes(data)
    assert again == folded and again.to_bytes() == data


def test_a_checkpoint_that_lost_a_line_is_refused() -> None:
    data = _portfolio().to_bytes()
    with pytest.raises(ValueError, match="names 3 projects and holds 2"):
        Portfolio.from_bytes(data.rsplit(b"\n", 1)[0])


def test_an_empty_portfolio_is_its_header_alone() -> None:
    data = Portfolio().to_bytes()
    assert b"\n" not in data
    assert Portfolio.from_bytes(data) == Portfolio()
