"""Statistics charts: matplotlib renderers fed by the figures ``study.statistics`` computes.
No Qt here: the statistics screen puts them on a canvas, ``stats --out`` saves PNGs."""

from __future__ import annotations

from pathlib import Path

from quizapp.charts.statistics_charts import CHARTS, Chart
from quizapp.study.statistics import Statistics

__all__ = ["CHARTS", "Chart", "write_charts"]


def write_charts(stats: Statistics, out_dir: Path, lang: str = "en",
                 dpi: int = 100) -> list[Path]:
    """Save every chart as ``out_dir/<name>.png``; returns the paths."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from quizapp.fonts import use_korean_font_in_matplotlib

    use_korean_font_in_matplotlib()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for chart in CHARTS:
        figure = Figure(figsize=chart.size, layout="constrained")
        FigureCanvasAgg(figure)
        chart.draw(figure, stats, lang)
        path = out_dir / f"{chart.name}.png"
        figure.savefig(path, dpi=dpi)
        paths.append(path)
    return paths
