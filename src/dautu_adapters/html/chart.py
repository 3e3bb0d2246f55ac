"""Chart geometry computed here, drawn by the templates as inline SVG.

Why on the server: the page must show its charts without fetching a charting library, and a
printed or archived page must show the same picture whatever the browser runs. Python decides
where each mark goes (numbers only); the template writes the SVG elements, so every label is
escaped like any other value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

__all__ = ["Bar", "BarChart", "DateScale", "Tick", "bar_chart"]


@attrs.frozen
class Tick:
    x: float
    label: str


@attrs.frozen
class DateScale:
    """Dates from ``start`` to ``end`` mapped onto ``left``..``right`` pixels."""

    start: date
    end: date
    left: float
    right: float

    @classmethod
    def covering(cls, days: Iterable[date], left: float, right: float) -> DateScale:
        """A scale over ``days`` with about two months of margin on each side."""
        known = sorted(days)
        first, last = known[0], known[-1]
        start = date.fromordinal(first.toordinal() - 61)
        end = date.fromordinal(max(last.toordinal() + 61, start.toordinal() + 365))
        return cls(start, end, left, right)

    def x(self, day: date) -> float:
        span = self.end.toordinal() - self.start.toordinal()
        share = (day.toordinal() - self.start.toordinal()) / span
        return round(self.left + share * (self.right - self.left), 1)

    def width(self, start: date, end: date) -> float:
        return max(2.0, round(self.x(end) - self.x(start), 1))

    def year_ticks(self) -> list[Tick]:
        """One tick per 1 January inside the scale (every other year past twelve years)."""
        years = list(range(self.start.year + 1, self.end.year + 1))
        step = 1 if len(years) <= 12 else 2
        return [Tick(self.x(date(y, 1, 1)), str(y)) for y in years[::step]]


@attrs.frozen
class Bar:
    """One horizontal bar: its row, its length and the numbers written beside it."""

    key: str
    value: int
    y: float
    width: float
    label_vi: str
    label_en: str


@attrs.frozen
class BarChart:
    bars: tuple[Bar, ...]
    width: float
    height: float
    left: float
    bar_height: float


def bar_chart(
    rows: Sequence[tuple[str, int, str, str]],
    *,
    width: float = 1000,
    left: float = 440,
    bar_height: float = 22,
    gap: float = 10,
) -> BarChart:
    """Bars for ``(key, value, label_vi, label_en)`` rows, the longest filling the width."""
    top = max((value for _, value, _, _ in rows), default=0) or 1
    room = width - left - 60
    bars = tuple(
        Bar(key, value, gap + i * (bar_height + gap), round(room * value / top, 1), vi, en)
        for i, (key, value, vi, en) in enumerate(rows)
    )
    height = gap + len(rows) * (bar_height + gap)
    return BarChart(bars, width, height, left, bar_height)
