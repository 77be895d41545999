"""The chart of ``make bench``: median page time against partner count, as a hand-written
SVG (no plotting library). The time axis is logarithmic: pages differ by orders of
magnitude, and a page that grows with the network shows as a rising line."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 40, 60
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def _ticks(low: float, high: float) -> list[float]:
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10.0**e for e in range(start, stop + 1)]


def page_time_svg(
    *, series: dict[str, dict[int, float]], title: str, baseline: str | None = None
) -> str:
    """``series``: {label: {partners: median ms}}; ``baseline`` names the dashed series."""
    points = [v for values in series.values() for v in values.values() if v > 0]
    sizes = sorted({n for values in series.values() for n in values})
    if not points or not sizes:
        raise ValueError("Nothing to draw.")
    ticks = _ticks(min(points), max(points))
    low, high = math.log10(ticks[0]), math.log10(ticks[-1])
    x_max = max(sizes)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(n: int) -> float:
        return LEFT + plot_w * (n / x_max if x_max else 0)

    def y(ms: float) -> float:
        return TOP + plot_h * (1 - (math.log10(ms) - low) / ((high - low) or 1))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" '
        f'role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in ticks:
        ty = y(tick)
        label = f"{tick:g} ms" if tick < 1000 else f"{tick / 1000:g} s"
        out.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="#dddddd"/>'
        )
        out.append(f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end">{label}</text>')
    for n in sizes:
        tx = x(n)
        out.append(
            f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{TOP + plot_h}" stroke="#eeeeee"/>'
        )
        out.append(f'<text x="{tx:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{n:,}</text>')
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 16}" text-anchor="middle">'
        "partners in the network</text>"
    )
    out.append(
        f'<text x="16" y="{TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + plot_h / 2})">median server time (log scale)</text>'
    )
    for i, (label, values) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)] if label != baseline else "#555555"
        dash = ' stroke-dasharray="6 4"' if label == baseline else ""
        pts = [(x(n), y(values[n])) for n in sorted(values) if values[n] > 0]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for px, py in pts:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 14 + i * 20
        lx = WIDTH - RIGHT + 16
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
        )
        out.append(f'<text x="{lx + 28}" y="{ly}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
