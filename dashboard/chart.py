"""The "submissions over time" chart, drawn on the server as accessible SVG.

No chart library and no script: a step line of cumulative submissions per day, the target
(every block) as a dashed line, and markers for the deadline and today. The markup carries
role="img" with a <title> and a <desc>; the page adds a visually hidden table of the days
the count changed.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 24, 40
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
LINE = "#0b4f6c"
AREA = "#cfe2ea"
INK = "#495057"
DEADLINE = "#b02a37"
TODAY = "#6c4a00"


@dataclass(frozen=True)
class ChartPoint:
    day: date
    count: int


def _day(value: date) -> str:
    return f"{value:%b} {value.day}"


def submissions_chart_svg(
    *, points: list[ChartPoint], total: int, deadline_day: date, today: date
) -> SafeString:
    if not points:
        return mark_safe("")  # noqa: S308 - an empty string
    start, end = points[0].day, points[-1].day
    span = max(1, (end - start).days)
    top_value = max(total, max(p.count for p in points), 1)

    def x(day: date) -> float:
        return round(LEFT + PLOT_W * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(TOP + PLOT_H * (1 - value / top_value), 1)

    shown = [p for p in points if p.day <= today]
    latest = shown[-1].count if shown else 0
    title = "Submissions over time"
    desc = (
        f"Cumulative number of blocks submitted each day, from {_day(start)} to {_day(end)}. "
        f"{latest} of {total} submitted so far; the deadline is {_day(deadline_day)}."
    )
    parts: list[SafeString] = [
        format_html(
            '<svg class="dashboard-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet" '
            'xmlns="http://www.w3.org/2000/svg">'
            '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>',
            WIDTH,
            HEIGHT,
            title,
            desc,
        )
    ]
    parts.append(_grid(total=total, top_value=top_value, y=y))
    if shown:
        parts.append(_step_line(shown, x=x, y=y))
    parts.append(_axes(start=start, end=end))
    if start <= deadline_day <= end:
        parts.append(_marker(x(deadline_day), "Deadline", DEADLINE, anchor_top=True))
    if start <= today <= end and today != deadline_day:
        parts.append(_marker(x(today), "Today", TODAY, anchor_top=False))
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html


def _grid(*, total: int, top_value: int, y) -> SafeString:
    ticks = sorted({0, round(top_value / 2), top_value})
    lines = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
        ((LEFT, LEFT + PLOT_W, y(t), y(t), LEFT - 6, y(t) + 4, INK, t) for t in ticks),
    )
    target = format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5" '
        'stroke-dasharray="6 4"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">All {} blocks</text>',
        LEFT,
        LEFT + PLOT_W,
        y(total),
        y(total),
        INK,
        LEFT + PLOT_W - 6,
        y(total) + 16,
        INK,
        total,
    )
    return format_html("{}{}", lines, target)


def _step_line(points: list[ChartPoint], *, x, y) -> SafeString:
    path = [f"M {x(points[0].day)} {y(points[0].count)}"]
    for point in points[1:]:
        path.append(f"H {x(point.day)} V {y(point.count)}")
    line = " ".join(path)
    last_x = x(points[-1].day)
    area = f"{line} V {y(0)} H {x(points[0].day)} Z"
    return format_html(
        '<path d="{}" fill="{}" stroke="none"/>'
        '<path d="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"/>'
        '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
        area,
        AREA,
        line,
        LINE,
        last_x,
        y(points[-1].count),
        LINE,
    )


def _axes(*, start: date, end: date) -> SafeString:
    baseline = TOP + PLOT_H
    return format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="start" font-size="12" fill="{}">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>',
        LEFT,
        LEFT + PLOT_W,
        baseline,
        baseline,
        INK,
        LEFT,
        baseline + 18,
        INK,
        _day(start),
        LEFT + PLOT_W,
        baseline + 18,
        INK,
        _day(end),
    )


def _marker(at: float, label: str, colour: str, *, anchor_top: bool) -> SafeString:
    anchor = "end" if at > LEFT + PLOT_W * 0.8 else "start"
    shift = -4 if anchor == "end" else 4
    text_y = TOP - 8 if anchor_top else TOP + PLOT_H + 32
    return format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>'
        '<text x="{}" y="{}" text-anchor="{}" font-size="12" font-weight="600" fill="{}">{}</text>',
        at,
        at,
        TOP - 4,
        TOP + PLOT_H + 4,
        colour,
        at + shift,
        text_y,
        anchor,
        colour,
        label,
    )
