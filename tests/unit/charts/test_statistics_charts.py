"""Every statistics chart draws what the domain computed, in Korean and English, with and
without history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from simulated_history import simulate

from quizapp.charts import CHARTS, write_charts
from quizapp.content import load_library
from quizapp.store import open_store
from quizapp.study.statistics import Statistics, compute_statistics

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stats(tmp_path_factory: pytest.TempPathFactory) -> Statistics:
    root = tmp_path_factory.mktemp("charts")
    from card_files import write_card, write_deck

    deck = write_deck(root / "content" / "d", "d")
    for i in range(12):
        write_card(deck, f"{i:02}.md", f"c{i}", extra=f'tags = ["t{i % 3}"]\n')
    library = load_library(root / "content")
    with open_store(root / "p.sqlite3") as store:
        simulate(store, [c.id for c in library.cards], days=200, end=NOW, new_per_day=2,
                 skill=0.9, seed=1)
        return compute_statistics(library, store, NOW)


def drawn(chart_name: str, stats: Statistics, lang: str) -> Figure:
    from quizapp.fonts import use_korean_font_in_matplotlib

    use_korean_font_in_matplotlib()
    chart = next(c for c in CHARTS if c.name == chart_name)
    figure = Figure(figsize=chart.size, layout="constrained")
    FigureCanvasAgg(figure)
    chart.draw(figure, stats, lang)
    figure.canvas.draw()
    return figure


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("name", [c.name for c in CHARTS])
def test_every_chart_draws_in_both_languages(stats: Statistics, name: str, lang: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Hangul glyph would be an empty box
        figure = drawn(name, stats, lang)
    titles = " ".join(ax.get_title() for ax in figure.axes)
    assert titles.strip()
    hangul = any("\uac00" <= ch <= "\ud7a3" for ch in titles)
    assert hangul == (lang == "ko")


def test_the_forecast_bars_are_the_forecast(stats: Statistics) -> None:
    month = drawn("forecast", stats, "en").axes[0]
    heights = [round(p.get_height()) for p in month.patches[:30]]
    assert heights == stats.forecast


def test_the_retention_table_shows_the_rates(stats: Statistics) -> None:
    table = drawn("retention", stats, "en").axes[0].tables[0]
    passed, answers = stats.retention["all_time"].total
    cells = {c.get_text().get_text() for c in table.get_celld().values()}
    assert f"{passed / answers:.1%} ({passed}/{answers})" in cells


def test_charts_without_any_history(tmp_path: Path, small_content: Path) -> None:
    with open_store(tmp_path / "p.sqlite3") as store:
        empty = compute_statistics(load_library(small_content), store, NOW)
    paths = write_charts(empty, tmp_path / "out", "ko")
    assert [p.name for p in paths] == [f"{c.name}.png" for c in CHARTS]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_one_day_of_history_keeps_every_axis_on_its_scale(tmp_path: Path,
                                                           small_content: Path) -> None:
    """A new user's first day: time never negative, R and difficulty on their whole scale, a
    single trend point a week either side rather than years, "1 day" not "1 days"."""
    from dataclasses import replace

    library = load_library(small_content)
    with open_store(tmp_path / "p.sqlite3") as store:
        from quizapp.study import StudySession

        session = StudySession(library, store, now=lambda: NOW)
        session.grade(3, 4000)
        stats = compute_statistics(library, store, NOW)
    stats = replace(stats, quiz_trend=[(stats.today, 0.5, 2)])  # one quiz round today
    reviews = drawn("reviews", stats, "en")
    assert all(ax.get_ylim()[0] == 0 for ax in reviews.axes)
    memory = drawn("memory", stats, "en").axes
    assert memory[3].get_xlim() == (0.0, 1.0) and memory[2].get_xlim() == (1.0, 10.0)
    calendar = drawn("calendar", stats, "en").axes[0].get_title()
    assert "current streak 1 day ·" in calendar
    low, high = drawn("trends", stats, "en").axes[0].get_xlim()
    assert high - low == 14  # days either side of the one day with a quiz
