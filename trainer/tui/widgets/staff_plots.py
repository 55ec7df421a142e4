"""Plots drawn with text for the class dashboard: horizontal bars and columns over time.

Textual's own ``Sparkline`` is one line high, too small to read a score; these two widgets draw with
the Unicode block elements (eighths of a cell) and size themselves to the space they get, so they
stay readable from 80 columns up and carry their numbers as text too (nothing is only a colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉█"
VERTICAL_EIGHTHS = " ▁▂▃▄▅▆▇█"


def hbar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled in proportion ``value / maximum`` (eighth precision)."""
    if width <= 0 or maximum <= 0 or value <= 0:
        return ""
    eighths = round(min(1.0, value / maximum) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def _width(text: str) -> int:
    return Text(text).cell_len


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and the text shown after it (``12/20 (60 %)``)."""

    label: str
    value: float
    text: str


class BarChart(Widget):
    """Labelled horizontal bars; labels are cut with « … » when the widget is narrow."""

    DEFAULT_CSS = """
    BarChart { height: auto; min-height: 1; }
    BarChart > .bar-chart--bar { color: $accent; }
    BarChart > .bar-chart--label { color: $text; }
    BarChart > .bar-chart--value { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"bar-chart--bar", "bar-chart--label", "bar-chart--value"}

    bars: reactive[tuple[Bar, ...]] = reactive((), layout=True)

    def __init__(
        self,
        *,
        maximum: float | None = None,
        empty: str = "Aucune donnée sur la période.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.maximum = maximum
        self.empty = empty

    def set_bars(self, bars: Sequence[Bar]) -> None:
        """Replace the bars."""
        self.bars = tuple(bars)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return max(1, len(self.bars))

    def render(self) -> Text:
        if not self.bars:
            return Text(self.empty, style="italic")
        width = max(10, self.content_size.width)
        label_width = min(max(_width(b.label) for b in self.bars), max(8, width * 2 // 5))
        value_width = max(_width(b.text) for b in self.bars)
        bar_width = max(3, width - label_width - value_width - 3)
        maximum = self.maximum or max((b.value for b in self.bars), default=0) or 1
        bar_style = self.get_component_rich_style("bar-chart--bar")
        label_style = self.get_component_rich_style("bar-chart--label")
        value_style = self.get_component_rich_style("bar-chart--value")
        out = Text(no_wrap=True, overflow="ellipsis")
        for index, bar in enumerate(self.bars):
            label = Text(bar.label, style=label_style)
            label.truncate(label_width, overflow="ellipsis", pad=True)
            out.append_text(label)
            out.append(" ")
            drawn = hbar(bar.value, maximum, bar_width)
            out.append(drawn.ljust(bar_width), style=bar_style)
            out.append(" ")
            out.append(bar.text.rjust(value_width), style=value_style)
            if index < len(self.bars) - 1:
                out.append("\n")
        return out


@dataclass(frozen=True)
class Column:
    """One column: the value (0..maximum) and its label under the axis (``23/11``)."""

    label: str
    value: float
    count: int = 1


class ColumnChart(Widget):
    """Columns over time with a vertical scale; shows the most recent columns that fit."""

    DEFAULT_CSS = """
    ColumnChart { height: 10; }
    ColumnChart > .column-chart--column { color: $accent; }
    ColumnChart > .column-chart--axis { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"column-chart--column", "column-chart--axis"}

    columns: reactive[tuple[Column, ...]] = reactive(())

    def __init__(
        self,
        *,
        maximum: float = 100.0,
        empty: str = "Aucune séance terminée sur la période.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.maximum = maximum
        self.empty = empty

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (oldest first)."""
        self.columns = tuple(columns)

    def render(self) -> Text:
        if not self.columns:
            return Text(self.empty, style="italic")
        width = max(12, self.content_size.width)
        height = max(3, self.content_size.height)
        plot_rows = height - 1  # the last line holds the dates
        scale_width = len(f"{self.maximum:g}") + 1
        slot = 6  # "23/11" and a space
        fits = max(1, (width - scale_width) // slot)
        shown = self.columns[-fits:]
        col_style = self.get_component_rich_style("column-chart--column")
        axis_style = self.get_component_rich_style("column-chart--axis")
        lines: list[Text] = []
        for row in range(plot_rows):
            # row 0 is the top; a cell is full when the value reaches its lower edge
            top = self.maximum * (plot_rows - row) / plot_rows
            bottom = self.maximum * (plot_rows - row - 1) / plot_rows
            line = Text(no_wrap=True)
            if row == 0:
                scale = f"{self.maximum:g}"
            elif row == plot_rows - 1:
                scale = "0"
            elif row == plot_rows // 2:
                scale = f"{self.maximum / 2:g}"
            else:
                scale = ""
            line.append(scale.rjust(scale_width - 1) + "┤", style=axis_style)
            for column in shown:
                value = max(0.0, min(self.maximum, column.value))
                if value >= top:
                    cell = "█"
                elif value > bottom:
                    cell = VERTICAL_EIGHTHS[max(1, round((value - bottom) / (top - bottom) * 8))]
                else:
                    cell = " "
                line.append("  " + cell * 2 + "  ", style=col_style)
            lines.append(line)
        footer = Text(" " * scale_width, no_wrap=True)
        for column in shown:
            footer.append(column.label[:5].center(slot), style=axis_style)
        lines.append(footer)
        return Text("\n").join(lines)
