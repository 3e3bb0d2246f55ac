"""Reading keeps each cell's type: equal cells share one object, but a boolean stays a
boolean and a whole number stays a number even where they compare equal (True == 1 == 1.0)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dautu_adapters.workbook.reading import _sheet_rows
from dautu_adapters.workbook.schema import COLUMNS, PROJECT_SHEET

HEADER = (
    COLUMNS["code"].vi,
    COLUMNS["effective_date"].vi,
    COLUMNS["industrial_zone"].vi,
)
CELLS = st.one_of(
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from([0.0, 1.0, 2.5]),
    st.sampled_from(["1", "True", "Có"]),
    st.just(datetime(2024, 2, 21)),
)


@given(st.lists(CELLS, min_size=1, max_size=12))
def test_cells_keep_their_type_and_value(values: list[Any]) -> None:
    rows = iter([HEADER, *((f"DA-{i}", "21/02/2024", v) for i, v in enumerate(values))])
    sheet = _sheet_rows(PROJECT_SHEET, "test.xlsx", rows, len(values) + 1)
    read = [row.cells.get("industrial_zone") for row in sheet.rows]
    assert [(type(v), v) for v in read] == [(type(v), v) for v in values]
