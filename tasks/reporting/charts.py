"""Charts of the Sachstandsbericht as PNG pictures (matplotlib's Agg canvas, no pyplot, so
no GUI backend and no global figure state).

DejaVu Sans (shipped with matplotlib, so every machine draws the same), German number format
(``1.234.567 €``, ``01.04.``), the colour-blind-safe Okabe-Ito palette, and on each chart a
title and a source line. The exact figures are in the tables next to each chart.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from models.reporting.aggregate import REPORTED_STATUSES
from models.reporting.formatting import format_count, format_eur_short
from models.reporting.sachstand import CHART_TITLES, SachstandFacts

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
TEXT = "#1a1a1a"
WIDTH_CM, HEIGHT_CM = 16.0, 9.0
DPI = 150
STYLE: Any = {  # applied while a chart is drawn and printed
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _figure(title: str, source: str, rows: int = 0) -> tuple[Figure, Axes]:
    height = max(HEIGHT_CM, 3.0 + 0.55 * rows)
    fig = Figure(figsize=(WIDTH_CM / 2.54, height / 2.54), dpi=DPI)
    ax = fig.add_subplot(1, 1, 1)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold", color=TEXT)
    fig.text(0.01, 0.01, source, fontsize=6.5, color="#444444", ha="left", va="bottom")
    return fig, ax


def _png(fig: Figure) -> bytes:
    fig.tight_layout(rect=(0, 0.05, 1, 0.94))
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, color="#444444")


def _euro_axis(ax: Axes) -> None:
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_eur_short(int(v * 100))))
    ax.xaxis.set_major_locator(MaxNLocator(5))


def _count_axis(ax: Axes, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True))
    target.set_major_formatter(FuncFormatter(lambda v, _: format_count(int(v))))


def funding_chart(facts: SachstandFacts, source: str) -> bytes:
    """Stacked bars per body: the grant of the applications it leads and its own shares."""
    rows = facts.by_body
    fig, ax = _figure(CHART_TITLES["funding"], source, len(rows))
    if not any(r.granted_cents or r.own_share_cents for r in rows):
        _empty(ax, "Noch keine bewilligten Fördermittel")
        return _png(fig)
    labels = [r.label for r in rows][::-1]
    grant = [r.granted_cents / 100 for r in rows][::-1]
    own = [r.own_share_cents / 100 for r in rows][::-1]
    ax.barh(labels, grant, color=OKABE_ITO[0], label="Zuwendung (Federführung)")
    ax.barh(labels, own, left=grant, color=OKABE_ITO[1], label="Eigenanteil")
    _euro_axis(ax)
    ax.legend(loc="lower right", frameon=False)
    return _png(fig)


def stages_chart(facts: SachstandFacts, source: str) -> bytes:
    fig, ax = _figure(CHART_TITLES["stages"], source)
    if not any(s.count for s in facts.stages):
        _empty(ax, "Noch keine Förderanträge")
        return _png(fig)
    labels = [s.stage.label for s in facts.stages]
    counts = [s.count for s in facts.stages]
    bars = ax.bar(labels, counts, color=OKABE_ITO[0])
    ax.bar_label(bars, labels=[format_count(c) for c in counts], fontsize=7, padding=1)
    ax.tick_params(axis="x", rotation=35)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    _count_axis(ax)
    ax.set_ylabel("Anzahl Anträge")
    return _png(fig)


def fields_chart(facts: SachstandFacts, source: str) -> bytes:
    """Stacked bars per Handlungsfeld, one colour per status."""
    rows = facts.fields
    fig, ax = _figure(CHART_TITLES["fields"], source, len(rows))
    if not rows:
        _empty(ax, "Noch keine Projekte")
        return _png(fig)
    labels = [r.field for r in rows][::-1]
    left = [0] * len(rows)
    for index, status in enumerate(REPORTED_STATUSES):
        values = [r.counts[index] for r in rows][::-1]
        ax.barh(labels, values, left=left, color=OKABE_ITO[index], label=status.label)
        left = [a + b for a, b in zip(left, values, strict=True)]
    _count_axis(ax, "x")
    ax.set_xlabel("Anzahl Projekte")
    ax.legend(loc="lower right", frameon=False, fontsize=7)
    return _png(fig)


def deadlines_chart(facts: SachstandFacts, source: str) -> bytes:
    """A timeline: one marker per deadline of the outlook, labelled with its title."""
    items = facts.outlook.upcoming
    fig, ax = _figure(CHART_TITLES["deadlines"], source, min(len(items), 14))
    if not items:
        _empty(ax, "Keine Fristen in den nächsten 90 Tagen")
        return _png(fig)
    shown = items[:14]
    ys = list(range(len(shown)))[::-1]
    xs = [date2num(d.due) for d in shown]
    ax.scatter(xs, ys, color=OKABE_ITO[5], zorder=3, s=18)
    ax.hlines(ys, date2num(facts.stichtag), xs, color="#bbbbbb", linewidth=0.8)
    ax.set_yticks(ys, [_short(d.title) for d in shown])
    end = facts.stichtag + dt.timedelta(days=90)
    ax.set_xlim(date2num(facts.stichtag) - 1, date2num(end) + 1)
    ax.xaxis.set_major_formatter(DateFormatter("%d.%m."))
    ax.axvline(date2num(facts.stichtag), color=TEXT, linewidth=0.8)
    if len(items) > len(shown):
        ax.set_xlabel(f"die ersten {len(shown)} von {format_count(len(items))} Fristen")
    return _png(fig)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


CHARTS: dict[str, Callable[[SachstandFacts, str], bytes]] = {
    "funding": funding_chart,
    "stages": stages_chart,
    "fields": fields_chart,
    "deadlines": deadlines_chart,
}


def render_charts(facts: SachstandFacts, source: str) -> dict[str, bytes]:
    """All charts of the report as PNG bytes, by key (the keys of ``CHART_TITLES``)."""
    return {key: draw_chart(key, facts, source) for key in CHARTS}


def draw_chart(key: str, facts: SachstandFacts, source: str) -> bytes:
    with matplotlib.rc_context(STYLE):
        return CHARTS[key](facts, source)
