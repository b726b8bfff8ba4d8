"""Tiny SVG chart primitives drawn by hand: no JavaScript, no external resources."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from .render import FONT_STACK

PALETTE = (
    "#2f6db5",
    "#e0793b",
    "#3a9a5b",
    "#c94a4a",
    "#8a63b8",
    "#2aa3a3",
    "#b58b2f",
    "#d05fa0",
    "#6b7a8f",
    "#4d4d4d",
)
FONT = f'font-family="{FONT_STACK}"'


def integer_ticks(vmax: float, target: int = 4) -> list[int]:
    """Axis ticks for counts: 0 and whole multiples of a 1/2/5×10ⁿ step, the last ≥ ``vmax``
    (about ``target`` intervals; never a fractional or repeated label)."""
    top = max(1, math.ceil(vmax))
    raw = top / target
    mag = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next((m * mag for m in (1, 2, 5, 10) if m * mag >= raw), 10 * mag)
    n = math.ceil(top / step)
    return [k * step for k in range(n + 1)]


def _t(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 12,
    anchor: str = "start",
    fill: str = "#333",
    bold: bool = False,
) -> str:
    weight = " font-weight='bold'" if bold else ""
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
        f"fill='{fill}'{weight}>{escape(text)}</text>"
    )


def _open(chart_id: str, width: int, height: int, title: str) -> str:
    return (
        f"<svg id='{escape(chart_id)}' class='chart' xmlns='http://www.w3.org/2000/svg' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{escape(title)}' {FONT}><title>{escape(title)}</title>"
        f"<rect width='{width}' height='{height}' fill='#fff'/>"
    )


def hbar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float, str]],
    *,
    max_value: float | None = None,
    width: int = 560,
    label_width: int = 190,
    color: str = PALETTE[0],
    colors: Sequence[str] | None = None,
) -> str:
    """Horizontal bars: ``(label, value, value_text)``."""
    row_h = 24
    top = 34
    height = top + row_h * max(1, len(items)) + 12
    vmax = max_value if max_value is not None else max((v for _, v, _ in items), default=1.0) or 1.0
    plot_w = width - label_width - 130
    out = [_open(chart_id, width, height, title), _t(8, 20, title, size=14, bold=True)]
    if not items:
        out.append(_t(width / 2, top + 14, "no data (无数据)", anchor="middle", fill="#999"))
    for i, (label, value, text) in enumerate(items):
        y = top + i * row_h
        w = max(0.0, plot_w * (value / vmax)) if vmax else 0.0
        c = colors[i % len(colors)] if colors else color
        out.append(_t(label_width - 6, y + 15, label[:28], anchor="end"))
        out.append(
            f"<rect x='{label_width}' y='{y + 3}' width='{plot_w}' height='{row_h - 8}' fill='#f1f3f6'/>"
        )
        out.append(
            f"<rect class='bar' x='{label_width}' y='{y + 3}' width='{w:.1f}' height='{row_h - 8}' fill='{c}'>"
            f"<title>{escape(label)}: {escape(text)}</title></rect>"
        )
        out.append(_t(label_width + plot_w + 6, y + 15, text, size=11))
    out.append("</svg>")
    return "".join(out)


def histogram(
    chart_id: str,
    title: str,
    counts: Sequence[int],
    *,
    labels: Sequence[str],
    width: int = 560,
    height: int = 240,
    color: str = PALETTE[0],
) -> str:
    left, right, top, bottom = 44, 12, 34, 30
    plot_w = width - left - right
    plot_h = height - top - bottom
    n = max(1, len(counts))
    ticks = integer_ticks(max(counts, default=0))
    cmax = ticks[-1]
    bw = plot_w / n
    out = [_open(chart_id, width, height, title), _t(8, 20, title, size=14, bold=True)]
    for v in ticks:
        y = top + plot_h - plot_h * v / cmax
        out.append(
            f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e3e6ea'/>"
        )
        out.append(_t(left - 4, y + 4, str(v), size=10, anchor="end", fill="#666"))
    for i, c in enumerate(counts):
        h = plot_h * c / cmax
        x = left + i * bw
        out.append(
            f"<rect class='bar' x='{x + 2:.1f}' y='{top + plot_h - h:.1f}' width='{bw - 4:.1f}' "
            f"height='{h:.1f}' fill='{color}'><title>{escape(labels[i])}: {c}</title></rect>"
        )
        out.append(_t(x + bw / 2, height - 12, labels[i], size=10, anchor="middle", fill="#555"))
    out.append("</svg>")
    return "".join(out)


def range_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float, float, float, float, int]],
    *,
    width: int = 560,
    label_width: int = 130,
) -> str:
    """Per group: ``(label, p10, median, p90, mean, n)`` on a 0–100 axis."""
    row_h = 26
    top = 44
    height = top + row_h * max(1, len(items)) + 14
    plot_w = width - label_width - 80
    out = [_open(chart_id, width, height, title), _t(8, 20, title, size=14, bold=True)]

    def sx(v: float) -> float:
        return label_width + plot_w * max(0.0, min(100.0, v)) / 100

    for v in (0, 25, 50, 75, 100):
        out.append(
            f"<line x1='{sx(v):.1f}' x2='{sx(v):.1f}' y1='{top - 6}' y2='{height - 10}' stroke='#e3e6ea'/>"
        )
        out.append(_t(sx(v), top - 10, str(v), size=10, anchor="middle", fill="#666"))
    for i, (label, p10, med, p90, mean, n) in enumerate(items):
        y = top + i * row_h + row_h / 2
        c = PALETTE[i % len(PALETTE)]
        out.append(_t(label_width - 6, y + 4, label[:18], anchor="end"))
        out.append(
            f"<line x1='{sx(p10):.1f}' x2='{sx(p90):.1f}' y1='{y:.1f}' y2='{y:.1f}' stroke='{c}' "
            f"stroke-width='6' stroke-linecap='round' opacity='0.45'/>"
        )
        out.append(
            f"<circle class='mark' cx='{sx(med):.1f}' cy='{y:.1f}' r='5' fill='{c}'>"
            f"<title>{escape(label)}: median {med:.1f}, mean {mean:.1f}, n={n}</title></circle>"
        )
        out.append(_t(label_width + plot_w + 8, y + 4, f"{mean:.1f} (n={n})", size=11))
    out.append("</svg>")
    return "".join(out)


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: int = 1120,
    height: int = 300,
) -> str:
    left, right, top, bottom = 44, 170, 34, 46
    plot_w = width - left - right
    plot_h = height - top - bottom
    ticks = integer_ticks(max((max(vals, default=0) for _, vals in series), default=0))
    vmax = ticks[-1]
    n = max(1, len(x_labels))
    step = plot_w / max(1, n - 1)

    def px(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - plot_h * v / vmax

    out = [_open(chart_id, width, height, title), _t(8, 20, title, size=14, bold=True)]
    for tick in ticks:
        y = py(tick)
        out.append(
            f"<line x1='{left}' x2='{left + plot_w}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e3e6ea'/>"
        )
        out.append(_t(left - 4, y + 4, str(tick), size=10, anchor="end", fill="#666"))
    every = max(1, n // 12)
    for i, lab in enumerate(x_labels):
        if i % every == 0:
            out.append(_t(px(i), height - bottom + 16, lab, size=10, anchor="middle", fill="#555"))
    if not series:
        out.append(
            _t(
                left + plot_w / 2,
                top + plot_h / 2,
                "no data (无数据)",
                anchor="middle",
                fill="#999",
            )
        )
    for j, (name, vals) in enumerate(series):
        c = PALETTE[j % len(PALETTE)]
        pts = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vals))
        out.append(
            f"<polyline class='series' points='{pts}' fill='none' stroke='{c}' stroke-width='2'>"
            f"<title>{escape(name)}</title></polyline>"
        )
        for i, v in enumerate(vals):
            out.append(
                f"<circle cx='{px(i):.1f}' cy='{py(v):.1f}' r='2.5' fill='{c}'>"
                f"<title>{escape(name)} {escape(x_labels[i])}: {v:.0f}</title></circle>"
            )
        ly = top + 4 + j * 18
        out.append(f"<rect x='{width - right + 14}' y='{ly}' width='12' height='12' fill='{c}'/>")
        out.append(_t(width - right + 32, ly + 10, name[:20], size=11))
    out.append("</svg>")
    return "".join(out)
