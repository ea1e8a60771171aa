"""Bar charts of daily figures as geometry for an SVG template (no JavaScript, nothing fetched).

Each day is a column holding its bar and a <title> naming the day and its value, so a pointer or a
screen reader gets every figure, zeros included; the y axis has a few round ticks and the x axis
a date every few days.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from dashboard.selectors import DayValue

WIDTH, HEIGHT = 380, 180
TOP, RIGHT, BOTTOM = 20, 14, 22
CHAR_WIDTH = 6.6  # of an 11px tick label, to make room for the longest one
MAX_TICKS = 5
X_LABEL_EVERY = 7  # days, counted back from today (the last column is always labelled)


@dataclass(frozen=True)
class Column:
    x: float  # the column's left edge; it is `band` wide
    bar_x: float
    bar_y: float
    bar_width: float
    bar_height: float
    title: str
    is_today: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class XLabel:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    slug: str
    width: int
    height: int
    left: float
    right: float
    top: float
    baseline: float
    band: float
    columns: tuple[Column, ...]
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    unit: str  # the y axis' label
    description: str  # the chart in a sentence, for screen readers

    @property
    def plot_height(self) -> float:
        return self.baseline - self.top

    @property
    def tick_x(self) -> float:
        return round(self.left - 6, 2)


def nice_step(peak: int) -> int:
    """The smallest 1, 2 or 5 × 10^k whose multiples reach `peak` in at most MAX_TICKS - 1 steps."""
    rough = max(peak, 1) / (MAX_TICKS - 1)
    magnitude = 10 ** max(0, math.floor(math.log10(rough)))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= rough:
            return factor * magnitude
    raise AssertionError("unreachable")  # pragma: no cover


def bar_chart(
    series: tuple[DayValue, ...], *, slug: str, unit: str, label: Callable[[int], str], tick: Callable[[int], str]
) -> BarChart:
    """`label(value)` names a day's value in its column's title ("3 plays"); `tick(value)` is an axis label."""
    step = nice_step(max(point.value for point in series))
    top_value = step * max(1, math.ceil(max(point.value for point in series) / step))
    tick_values = range(0, top_value + 1, step)
    left = 10 + CHAR_WIDTH * max(len(tick(value)) for value in tick_values)
    right, baseline = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_height = baseline - TOP
    band = (right - left) / len(series)
    bar_width = band * 0.72

    def y_of(value: int) -> float:
        return baseline - plot_height * value / top_value

    columns = []
    for index, point in enumerate(series):
        x = left + band * index
        columns.append(
            Column(
                x=round(x, 2),
                bar_x=round(x + (band - bar_width) / 2, 2),
                bar_y=round(y_of(point.value), 2),
                bar_width=round(bar_width, 2),
                bar_height=round(baseline - y_of(point.value), 2),
                title=f"{date_format(point.day, 'DATE_FORMAT')}: {label(point.value)}",
                is_today=index == len(series) - 1,
            )
        )
    last = len(series) - 1
    # A Django date format: "M j" reads "Nov 24"; a language may prefer "j/n" ("24/11").
    axis_date = pgettext("a day on a chart's axis, as a Django date format", "M j")
    x_labels = [
        XLabel(x=round(left + band * (index + 0.5), 2), label=date_format(series[index].day, axis_date))
        for index in range(last, -1, -X_LABEL_EVERY)
    ]
    return BarChart(
        slug=slug,
        width=WIDTH,
        height=HEIGHT,
        left=round(left, 2),
        right=right,
        top=TOP,
        baseline=baseline,
        band=round(band, 2),
        columns=tuple(columns),
        y_ticks=tuple(Tick(y=round(y_of(value), 2), label=tick(value)) for value in tick_values),
        x_labels=tuple(reversed(x_labels)),
        unit=unit,
        description=_describe(series, label),
    )


def _describe(series: tuple[DayValue, ...], label: Callable[[int], str]) -> str:
    peak = max(series, key=lambda point: point.value)
    values = {
        "first": date_format(series[0].day, "DATE_FORMAT"),
        "last": date_format(series[-1].day, "DATE_FORMAT"),
        "total": label(sum(point.value for point in series)),
    }
    if not peak.value:
        return gettext("From %(first)s to %(last)s: none.") % values
    values.update(peak=label(peak.value), peak_day=date_format(peak.day, "DATE_FORMAT"))
    return gettext("From %(first)s to %(last)s: %(total)s in all, at most %(peak)s on %(peak_day)s.") % values
