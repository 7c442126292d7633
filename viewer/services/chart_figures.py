"""The charts drawn with matplotlib's object API (a Figure, never pyplot's global state), the
same for the window (on a Qt canvas) and the command line (saved as PNG or SVG with no
display: Agg and SVG need no GUI toolkit).

Every title, name and label comes from the articles: it is drawn as text, its dollar signs
escaped so that matplotlib's mathtext never reads it. Each drawn part that stands for
incidents carries a ChartTarget (artist.get_gid() is its key in the returned dict), which
the window turns into a click-through."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from viewer.services.charts import Chart, MatrixChart, PeriodChart, StanceChart

FORMATS = {".png": "png", ".svg": "svg"}
# Okabe and Ito's colour-blind-safe palette, then two more; "Other" is grey
GROUP_COLORS = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#AA4499",
    "#882255", "#44AA99",
)  # fmt: skip
OTHER_COLOR = "#9A9A9A"
STANCE_COLORS = {
    "condemned": "#D55E00", "condolences": "#0072B2", "solidarity": "#009E73",
    "denied responsibility": "#CC79A7", "claimed responsibility": "#882255",
    "mourning": "#56B4E9", "compensation": "#E69F00", "other": "#9A9A9A",
}  # fmt: skip
LABEL_CHARS = 42


@dataclass(frozen=True)
class ChartStyle:
    """Colours of the figure (the window passes its palette's; files are light)."""

    background: str = "#FFFFFF"
    foreground: str = "#1A1A1A"
    grid: str = "#D9D9D9"


@dataclass(frozen=True)
class ChartTarget:
    """What a drawn part stands for: a bar segment (period index, group) or an incident."""

    period_index: int | None = None
    group: str | None = None
    incident_id: int | None = None


def plain(text: str, limit: int = LABEL_CHARS) -> str:
    """Text from an article as a label: shortened, and never read as mathtext."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def _style_axes(axes: Any, style: ChartStyle) -> None:
    axes.set_facecolor(style.background)
    for spine in axes.spines.values():
        spine.set_color(style.grid)
    axes.tick_params(colors=style.foreground, labelsize=8)
    axes.xaxis.label.set_color(style.foreground)
    axes.yaxis.label.set_color(style.foreground)
    axes.title.set_color(style.foreground)


def _legend(axes: Any, style: ChartStyle, columns: int = 1) -> None:
    handles, labels = axes.get_legend_handles_labels()
    if not handles:
        return
    legend = axes.legend(
        handles, labels, fontsize=7, frameon=False, loc="upper left", ncols=columns,
        bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
    )  # fmt: skip
    for text in legend.get_texts():
        text.set_color(style.foreground)


def _tick_step(count: int, room: int) -> int:
    return max(1, -(-count // room))


def draw_period(figure: Figure, chart: PeriodChart, style: ChartStyle) -> dict[str, ChartTarget]:
    axes = figure.add_subplot()
    _style_axes(axes, style)
    targets: dict[str, ChartTarget] = {}
    positions = list(range(len(chart.periods)))
    bottom = [0] * len(positions)
    half = 0.4 if len(positions) < 200 else 0.5
    for n, group in enumerate(chart.groups):
        values = chart.values[group]
        color = OTHER_COLOR if group is None and chart.stack != "none" else (
            GROUP_COLORS[n % len(GROUP_COLORS)]
        )  # fmt: skip
        # one collection of rectangles per group, not a patch per bar: 126 years x 9 groups
        # as patches took 1.5 s to draw, as collections a tenth of it
        shown = [index for index in positions if values[index]]
        bars = PolyCollection(
            [
                [(x - half, bottom[x]), (x - half, bottom[x] + values[x]),
                 (x + half, bottom[x] + values[x]), (x + half, bottom[x])]
                for x in shown
            ],
            facecolors=color, edgecolors="none", label=plain(chart.label(group)), picker=True,
        )  # fmt: skip
        key = f"segment-{n}"
        bars.set_gid(key)
        bars.chart_targets = [ChartTarget(period_index=x, group=group) for x in shown]  # type: ignore[attr-defined]
        axes.add_collection(bars)
        targets[key] = ChartTarget(group=group)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylim(0, max(bottom, default=0) * 1.05 or 1)
    if chart.measure == "incidents":
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = _tick_step(len(positions), 24)
    axes.set_xticks(positions[::step], [chart.periods[p] for p in positions[::step]])
    axes.tick_params(axis="x", labelrotation=60 if chart.period == "month" else 45)
    axes.set_xlim(-0.6, max(len(positions), 1) - 0.4)
    measure = "Incidents" if chart.measure == "incidents" else "Deaths (known lower bound)"
    axes.set_ylabel(measure, fontsize=9)
    axes.yaxis.grid(True, color=style.grid, linewidth=0.6)
    axes.set_axisbelow(True)
    by = "" if chart.stack == "none" else f", by {chart.stack}"
    scope = f" — {plain(chart.scope_name, 60)}" if chart.scope_name else ""
    axes.set_title(f"{measure.split(' (')[0]} per {chart.period}{by}{scope}", fontsize=10)
    if chart.stack != "none":
        _legend(axes, style)
    if not chart.periods:
        _empty(axes, style)
    return targets


def _incident_label(incident: Any) -> str:
    year = f" ({incident.date[:4]})" if incident.date else ""
    return plain(incident.title) + year


def draw_stances(figure: Figure, chart: StanceChart, style: ChartStyle) -> dict[str, ChartTarget]:
    axes = figure.add_subplot()
    _style_axes(axes, style)
    targets: dict[str, ChartTarget] = {}
    rows = list(range(len(chart.incidents)))
    left = [0] * len(rows)
    for stance in chart.stances:
        values = chart.counts[stance]
        bars = axes.barh(
            rows, values, 0.75, left=left, color=STANCE_COLORS.get(stance, OTHER_COLOR),
            label=plain(stance), linewidth=0, picker=True,
        )  # fmt: skip
        for index, bar in enumerate(bars):
            key = f"incident-{chart.incidents[index].id}-{stance}"
            bar.set_gid(key)
            targets[key] = ChartTarget(incident_id=chart.incidents[index].id)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(rows, [_incident_label(i) for i in chart.incidents])
    axes.invert_yaxis()  # the busiest on top
    axes.set_xlabel("Statements", fontsize=9)
    axes.xaxis.grid(True, color=style.grid, linewidth=0.6)
    axes.set_axisbelow(True)
    scope = f" — {plain(chart.scope_name, 60)}" if chart.scope_name else ""
    axes.set_title(f"Stances of the reactions per incident{scope}", fontsize=10)
    _legend(axes, style)
    if not chart.incidents:
        _empty(axes, style)
    return targets


def draw_matrix(figure: Figure, chart: MatrixChart, style: ChartStyle) -> dict[str, ChartTarget]:
    axes = figure.add_subplot()
    _style_axes(axes, style)
    targets: dict[str, ChartTarget] = {}
    by_stance: dict[str, list[Any]] = {}
    for cell in chart.cells:
        by_stance.setdefault(cell.stance, []).append(cell)
    for stance, cells in sorted(by_stance.items()):
        points = axes.scatter(
            [c.actor for c in cells], [c.incident for c in cells],
            s=[24 + 18 * min(c.statements, 8) for c in cells],
            color=STANCE_COLORS.get(stance, OTHER_COLOR), label=plain(stance), picker=True,
            edgecolors="none",
        )  # fmt: skip
        key = f"matrix-{stance}"
        points.set_gid(key)
        targets[key] = ChartTarget()  # the point picked names the incident (see target_of)
        points.chart_incidents = [chart.incidents[c.incident].id for c in cells]  # type: ignore[attr-defined]
    # incidents down the side (their titles read across), actors along the bottom
    axes.set_yticks(range(len(chart.incidents)), [_incident_label(i) for i in chart.incidents])
    axes.set_xticks(
        range(len(chart.actors)), [plain(a, 24) for a in chart.actors], rotation=60, ha="right",
        rotation_mode="anchor",
    )  # fmt: skip
    axes.tick_params(axis="x", labelsize=7)
    axes.set_xlim(-0.7, max(len(chart.actors), 1) - 0.3)
    axes.set_ylim(max(len(chart.incidents), 1) - 0.3, -0.7)
    axes.grid(True, color=style.grid, linewidth=0.5)
    axes.set_axisbelow(True)
    scope = f" — {plain(chart.scope_name, 60)}" if chart.scope_name else ""
    axes.set_title(f"Who reacted to which incident (colour: stance){scope}", fontsize=10)
    _legend(axes, style)
    if not chart.cells:
        _empty(axes, style)
    return targets


def _empty(axes: Any, style: ChartStyle) -> None:
    axes.text(
        0.5, 0.5, "Nothing to show for these incidents", transform=axes.transAxes,
        ha="center", va="center", color=style.foreground, fontsize=10,
    )  # fmt: skip


def draw(figure: Figure, chart: Chart, style: ChartStyle | None = None) -> dict[str, ChartTarget]:
    """Draw the chart on a (cleared) figure; returns what each clickable part stands for."""
    style = style or ChartStyle()
    figure.clear()
    figure.set_facecolor(style.background)
    if isinstance(chart, PeriodChart):
        targets = draw_period(figure, chart, style)
    elif isinstance(chart, StanceChart):
        targets = draw_stances(figure, chart, style)
    else:
        targets = draw_matrix(figure, chart, style)
    figure.set_layout_engine("constrained")
    return targets


def target_of(
    artist: Any, index: int | None, targets: dict[str, ChartTarget]
) -> ChartTarget | None:
    """What a picked artist stands for (index: the point picked in a scatter)."""
    key = artist.get_gid()
    if key is None or key not in targets:
        return None
    incidents = getattr(artist, "chart_incidents", None)
    if incidents is not None and index is not None:
        return ChartTarget(incident_id=incidents[index])
    segments = getattr(artist, "chart_targets", None)
    if segments is not None:
        return segments[index] if index is not None and index < len(segments) else None
    return targets[key]


def figure_size(chart: Chart) -> tuple[float, float]:
    """Inches for a file: wide enough for the periods, tall enough for the rows."""
    if isinstance(chart, PeriodChart):
        return (max(7.0, min(16.0, 3.0 + 0.18 * len(chart.periods))), 4.5)
    if isinstance(chart, StanceChart):
        return (9.0, max(3.0, 1.2 + 0.28 * len(chart.incidents)))
    return (max(8.0, 5.0 + 0.3 * len(chart.actors)), max(4.0, 2.0 + 0.28 * len(chart.incidents)))


def save_chart(chart: Chart, path: Path, handle: Any) -> None:
    """Draw the chart for a file and write it (PNG at 150 dpi, or SVG) to the open handle;
    the format is path's suffix (FORMATS)."""
    figure = Figure(figsize=figure_size(chart), dpi=150)
    draw(figure, chart)
    fmt = FORMATS[path.suffix.lower()]
    metadata = {"Date": None} if fmt == "svg" else {"Software": "Incident Archive Viewer"}
    figure.savefig(handle, format=fmt, metadata=metadata)
