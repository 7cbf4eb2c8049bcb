"""Bar charts drawn on the server (no script): asset composition, income and expenditure by
month, a plan's figures. Labels and figures are HTML text at the page's size, so they stay
readable on a phone; only the bars are SVG. Each group is a row label with one or more bars."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

from villagegov.formats import yuan

SCALE = 1000  # a bar's length in thousandths of the longest (the SVG's viewBox width)


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: Decimal
    tone: str = ""  # a CSS class suffix: chart-bar--<tone>


@dataclass(frozen=True)
class ChartGroup:
    label: str
    bars: list[ChartBar]


@dataclass(frozen=True)
class PlacedBar:
    label: str
    shown: str  # the value as the reader reads it
    tone: str
    length: int  # 0..SCALE


@dataclass(frozen=True)
class PlacedGroup:
    label: str
    bars: list[PlacedBar]


@dataclass
class Chart:
    groups: list[PlacedGroup] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (tone, label) when groups have several bars
    scale: int = SCALE

    @property
    def empty(self) -> bool:
        return not any(group.bars for group in self.groups)


def _shown(value: Decimal, unit: str) -> str:
    if unit == "yuan":
        return yuan(value)
    if unit == "mu":
        return f"{number_format(value, 2, force_grouping=True)} 亩"
    return number_format(value, 0, force_grouping=True)


def bar_chart(groups: list[ChartGroup], *, unit: str = "yuan") -> Chart:
    """Lengths in proportion to the largest absolute value (a negative value is drawn like a
    positive one and shown with its sign); a non-zero value is drawn at least 0.5% long."""
    values = [abs(bar.value) for group in groups for bar in group.bars]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    chart = Chart()
    tones: dict[str, str] = {}
    for group in groups:
        placed = []
        for bar in group.bars:
            length = int(SCALE * abs(bar.value) / largest)
            if bar.value and length < SCALE // 200:
                length = SCALE // 200
            placed.append(PlacedBar(bar.label, _shown(bar.value, unit), bar.tone, length))
            tones.setdefault(bar.tone, bar.label)
        chart.groups.append(PlacedGroup(group.label, placed))
    if any(len(group.bars) > 1 for group in groups):
        chart.legend = list(tones.items())
    return chart
