"""The dashboard's charts: each a table of numbers (shown under it and downloaded as XLSX)
and the geometry of an inline SVG drawn from those same numbers.

The SVGs carry attributes only (classes, coordinates, presentation attributes such as
`fill="none"`): no style attribute and no script, for the strict CSP. Bars are
horizontal, so long Vietnamese labels fit; lines are for years.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lantoa.programs.models import RatingLevel, UnitModelStatus
from lantoa.reports.figures import Figures

__all__ = ["CHARTS", "Chart", "build", "chart_names", "table_of"]

# geometry, in SVG user units (the SVG scales to its box)
WIDTH = 960
LEFT = 4
VALUE_ROOM = 220  # right of the longest bar, for its value
LABEL_HEIGHT = 15
BAR_HEIGHT = 13
BAR_GAP = 3
GROUP_GAP = 10
LINE_HEIGHT = 260
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 44, 24, 22, 28

SERIES_CLASSES = ("bar", "bar chosen")  # the stylesheet's two bar colours


@dataclass(frozen=True)
class Table:
    """A chart's numbers: the headers and rows of its table and of its XLSX download."""

    title: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    css: str
    value_x: int
    value_y: int
    text: str


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    value: int
    label_y: int
    labelled: bool = True


@dataclass(frozen=True)
class Line:
    name: str
    points: list[Point]
    dashed: bool

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass
class Chart:
    name: str
    kind: str  # "bars" or "line"
    table: Table
    series: list[str]
    description: str
    width: int = WIDTH
    height: int = 0
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    axis_y: int = 0
    empty: bool = False

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def cells(self) -> list[list[tuple[Any, bool]]]:
        """The table's rows, each value with whether it is a number (right-aligned)."""
        return [
            [(value, isinstance(value, int) and i > 0) for i, value in enumerate(row)]
            for row in self.table.rows
        ]


# --- the numbers ---------------------------------------------------------------------------


def _stages(figures: Figures) -> Table:
    c = figures.commendation
    return Table(
        _("Nominated, selected, commended and honored"),
        [_("Stage"), _("Collectives"), _("Individuals")],
        [
            [_("Nominated"), c.nominated_collectives, c.nominated_people],
            [_("Selected"), c.selected_collectives, c.selected_people],
            [_("Commended"), c.commended_collectives, c.commended_people],
            [_("Honored"), c.honored_collectives, c.honored_people],
        ],
    )


def _forms(figures: Figures) -> Table:
    return Table(
        _("Commended, by form"),
        [_("Form"), _("Collectives"), _("Individuals")],
        [[row.form, row.collectives, row.people] for row in figures.commendation.by_form],
    )


def _years(figures: Figures) -> Table:
    return Table(
        _("Commended, year by year"),
        [_("Year"), _("Collectives"), _("Individuals")],
        [[row.year, row.commended_collectives, row.commended_people] for row in figures.years],
    )


def _activities(figures: Figures) -> Table:
    return Table(
        _("Activities by type"),
        [
            _("Activity type"),
            _("Unit"),
            _("Activities"),
            _("Quantity"),
            _("Participants"),
            _("Beneficiaries"),
            _("Money (đồng)"),
        ],
        [
            [
                row.name,
                row.unit,
                row.activities,
                row.quantity,
                row.participants,
                row.beneficiaries,
                row.money,
            ]
            for row in figures.activities
        ],
    )


def _ratings(figures: Figures) -> Table:
    ratings = figures.registration.ratings
    year = figures.registration.ratings_year
    title = _("Members by rating")
    if year is not None:
        title = _("Members by rating, %(year)s") % {"year": year}
    return Table(
        title,
        [_("Rating"), _("Members")],
        [[str(level.label), ratings.get(level.value, 0)] for level in RatingLevel],
    )


def _models(figures: Figures) -> Table:
    by_status = figures.models.by_status
    return Table(
        _("Unit models by status"),
        [_("Status"), _("Unit models")],
        [[str(status.label), by_status.get(status.value, 0)] for status in UnitModelStatus],
    )


# name: (how its numbers are read, the kind of chart, the columns drawn as series)
CHARTS: dict[str, tuple[Callable[[Figures], Table], str, tuple[int, ...]]] = {
    "stages": (_stages, "bars", (1, 2)),
    "forms": (_forms, "bars", (1, 2)),
    "years": (_years, "line", (1, 2)),
    "activities": (_activities, "bars", (2,)),
    "ratings": (_ratings, "bars", (1,)),
    "models": (_models, "bars", (1,)),
}


def chart_names() -> list[str]:
    return list(CHARTS)


def table_of(name: str, figures: Figures) -> Table:
    read, _kind, _columns = CHARTS[name]
    return read(figures)


# --- the drawings --------------------------------------------------------------------------


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _bar_text(name: str, row: list[Any], value: int) -> str:
    if name == "activities":  # the count, then the quantity in the type's own unit
        return f"{_number(value)} · {_number(row[3])} {row[1]}"
    return _number(value)


def _bars(chart: Chart, columns: tuple[int, ...]) -> None:
    rows = chart.table.rows
    largest = max((row[i] for row in rows for i in columns), default=0) or 1
    room = WIDTH - LEFT - VALUE_ROOM
    y = 0
    for row in rows:
        chart.labels.append(Label(LEFT, y + LABEL_HEIGHT - 3, str(row[0])))
        y += LABEL_HEIGHT
        for n, column in enumerate(columns):
            value = row[column]
            width = round(value * room / largest)
            if value and not width:
                width = 1
            chart.bars.append(
                Bar(
                    x=LEFT,
                    y=y,
                    width=width,
                    height=BAR_HEIGHT,
                    css=SERIES_CLASSES[n % len(SERIES_CLASSES)],
                    value_x=LEFT + width + 5,
                    value_y=y + BAR_HEIGHT - 2,
                    text=_bar_text(chart.name, row, value),
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    chart.height = max(y, LABEL_HEIGHT)


def _line(chart: Chart, columns: tuple[int, ...]) -> None:
    rows = chart.table.rows
    largest = max((row[i] for row in rows for i in columns), default=0) or 1
    plot_width = WIDTH - LINE_LEFT - LINE_RIGHT
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    step = plot_width / max(len(rows) - 1, 1)
    xs = [
        round(LINE_LEFT + (i * step if len(rows) > 1 else plot_width / 2)) for i in range(len(rows))
    ]
    chart.axis_y = LINE_TOP + plot_height
    chart.height = LINE_HEIGHT
    for x, row in zip(xs, rows, strict=True):
        chart.labels.append(Label(x, LINE_HEIGHT - 8, str(row[0])))
    for n, column in enumerate(columns):
        points = []
        for x, row in zip(xs, rows, strict=True):
            value = row[column]
            y = round(LINE_TOP + plot_height - value * plot_height / largest)
            # the first line's values above its points, the others' below (above near
            # the axis); a value equal to the first line's at the same year is not repeated
            label_y = y - 6 if n == 0 or y + 14 > chart.axis_y - 2 else y + 14
            shown = n == 0 or value != row[columns[0]]
            points.append(Point(x, y, value, label_y, shown))
        chart.lines.append(Line(chart.series[n], points, dashed=n > 0))


def _description(table: Table, columns: tuple[int, ...]) -> str:
    parts = []
    for row in table.rows:
        values = ", ".join(f"{table.headers[i]} {_number(row[i])}" for i in columns)
        parts.append(f"{row[0]}: {values}")
    return "; ".join(parts)


def build(name: str, figures: Figures) -> Chart:
    """The chart's table and drawing."""
    read, kind, columns = CHARTS[name]
    table = read(figures)
    chart = Chart(
        name=name,
        kind=kind,
        table=table,
        series=[table.headers[i] for i in columns],
        description=_description(table, columns),
        empty=not any(row[i] for row in table.rows for i in columns),
    )
    if kind == "line":
        _line(chart, columns)
    else:
        _bars(chart, columns)
    return chart
