"""Every demo in the catalogue: renders headless in both languages, declares itself completely,
counts its progress in the unit of its main plot, and is linked from at least one card."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from blit_check import full_redraws
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from quizapp.content import default_content_dir, load_library
from quizapp.demos import DEMOS, Demo, DemoRun, demo_ref_problems, render_png

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CATALOGUE = list(DEMOS.items())
#: Demos whose main plot's x-axis is not their progress (alpha, a graph, the positive rate, a
#: unit factor): a frame is one stage, ``t`` is the number of frames so far, and no axis is
#: labelled with the unit.
COUNTED_BY_FRAMES = {"regularized-regression", "backprop-graph", "roc-pr", "pca"}


def test_the_catalogue_has_all_nineteen_concepts() -> None:
    assert len(DEMOS) >= 19


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_renders_headless_in_both_languages(tmp_path: Path, demo_id: str,
                                            demo: type[Demo]) -> None:
    for lang in ("ko", "en"):
        out = tmp_path / f"{demo_id}-{lang}.png"
        run = render_png(demo(), demo.defaults(), 3, out, lang)
        assert run.count >= 1 and not run.diverged
        assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 10_000


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_declares_bilingual_text_and_valid_defaults(demo_id: str, demo: type[Demo]) -> None:
    assert demo.id == demo_id
    for text in (demo.title, demo.notice):
        assert HANGUL.search(text.ko) and text.en and not HANGUL.search(text.en)
    assert len(demo.notice.en) > 80
    assert demo.problems(demo.defaults()) == []
    for param in demo.params:
        assert param.label.ko and param.label.en
        for choice in param.choices:
            assert choice.label.ko and choice.label.en


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_live_window_can_blit_most_frames(demo_id: str, demo: type[Demo]) -> None:
    # A full redraw costs ~30x a blit; limits may grow in a few jumps early on, no more.
    assert full_redraws(demo(), demo.defaults(), 30) <= 8


def progress_axes(figure: Figure, unit: str) -> list[Axes]:
    """The axes whose x-axis label starts with ``unit``: the plots the counter refers to."""
    return [ax for ax in figure.axes if ax.get_xlabel().lower().startswith(unit.lower())]


def in_data_x(line: Line2D) -> bool:
    """Whether the line's x values are data (not axes fractions, as a horizontal line's are)."""
    assert line.axes is not None
    return bool(line.get_transform().contains_branch_seperately(line.axes.transData)[0])


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_counter_is_where_the_main_plot_ends(demo_id: str, demo: type[Demo],
                                                 lang: str) -> None:
    # The window shows "<unit> <progress>" (DemoRun.progress = the frame's "t"). It must name
    # the main plot's x-axis and equal the largest x the curves that ``update`` drew reach.
    unit = demo.unit.get(lang)
    figure = Figure(figsize=(10, 6), layout="constrained")
    FigureCanvasAgg(figure)
    instance, values = demo(), demo.defaults()
    update = instance.draw(figure, values, lang)
    run = DemoRun(instance, values, limit=demo.steps)
    checked = 0
    for count in range(1, min(demo.steps, 6) + 1):
        frame = run.step()
        assert frame is not None, f"the default run ended after {count - 1} frames"
        assert "t" in frame and run.progress == frame["t"]
        changed = update(frame)
        if demo_id in COUNTED_BY_FRAMES:
            assert frame["t"] == count
            assert not progress_axes(figure, unit)
            assert unit != Demo.unit.get(lang)  # it says what a frame is
            continue
        axes = progress_axes(figure, unit)
        assert axes, f"no x-axis is labelled {unit!r}"
        if changed is None:  # a full redraw: the next frames are checked
            continue
        drawn = [np.asarray(artist.get_xdata(), dtype=float) for artist in changed
                 if isinstance(artist, Line2D) and artist.axes in axes and in_data_x(artist)]
        xs = np.concatenate([x[np.isfinite(x)] for x in drawn] or [np.array([])])
        assert len(xs), "update drew nothing on the progress axes"
        assert xs.max() == pytest.approx(frame["t"]), (count, xs.max(), frame["t"])
        checked += 1
    assert checked >= 3 or demo_id in COUNTED_BY_FRAMES


#: Names from the code (PyTorch's and scikit-learn's), shown as they are spelled there.
IDENTIFIERS = re.compile(r"running_mean|running_var|l1_ratio|weight_decay")
MATH = re.compile(r"\$[^$]*\$")


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_raw_subscripts_in_notes_or_plot_text(demo_id: str, demo: type[Demo],
                                                 lang: str) -> None:
    # A subscript written "λ_max" shows the underscore: the plots write it as math ($...$),
    # or in Unicode (λₘₐₓ) where the line has Hangul (math text has no Hangul glyphs), and the
    # notes, plain text, in Unicode. Code (monospace) and code names keep their underscores.
    assert "_" not in IDENTIFIERS.sub("", demo.notice.get(lang))
    figure = Figure(figsize=(10, 6), layout="constrained")
    FigureCanvasAgg(figure)
    instance, values = demo(), demo.defaults()
    update = instance.draw(figure, values, lang)
    run = DemoRun(instance, values)
    for _ in range(min(demo.steps, 4)):
        if (frame := run.step()) is None:
            break
        update(frame)
    texts = [t for t in figure.findobj(Text) if "monospace" not in t.get_fontfamily()]
    assert len(texts) > 5
    for text in texts:
        for line in text.get_text().splitlines():  # matplotlib lays out math line by line
            assert "_" not in IDENTIFIERS.sub("", MATH.sub("", line)), line
            assert not ("$" in line and HANGUL.search(line)), line


def test_every_demo_is_linked_from_a_card_with_valid_presets() -> None:
    library = load_library(default_content_dir())
    linked = {card.demo.id for card in library.cards if card.demo is not None}
    assert set(DEMOS) <= linked
    for card in library.cards:
        if card.demo is not None:
            assert demo_ref_problems(card.demo) == [], card.id


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_has_gallery_thumbnails_in_both_languages(demo_id: str, demo: type[Demo]) -> None:
    """The in-app gallery shows these (regenerate: python docs/make_demo_thumbnails.py ID)."""
    from quizapp.demos.registry import thumbnail

    for lang in ("ko", "en"):
        data = thumbnail(demo_id, lang).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 2_000


def _drawn_tick_labels(axis: Any) -> list[Text]:
    """The tick labels matplotlib draws: ticks inside the view, labels switched on."""
    return [label for tick in axis._update_ticks() for label in (tick.label1, tick.label2)
            if label.get_visible() and label.get_text()]


@pytest.mark.parametrize(("demo_id", "demo"), CATALOGUE, ids=[i for i, _ in CATALOGUE])
def test_the_final_picture_has_no_crowded_tick_labels_or_text_off_the_figure(
        demo_id: str, demo: type[Demo]) -> None:
    # The picture a finished run leaves is the one a user studies: no two tick labels of one
    # axis on top of each other (a log axis once labelled 0.7, 0.8, 0.9 and 1 in one spot), and
    # no text cut off at the figure's edge.
    instance, values = demo(), demo.defaults()
    last = DemoRun(instance, values).run(demo.steps)
    assert last is not None
    for lang in ("ko", "en"):
        figure = Figure(figsize=(10, 6), layout="constrained")
        canvas = FigureCanvasAgg(figure)
        instance.draw(figure, values, lang)(last)
        canvas.draw()
        renderer = canvas.get_renderer()
        ticks: set[int] = set()
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                ticks.update(id(t) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                             for t in (tick.label1, tick.label2))
                if not ax.axison:
                    continue
                boxes = [(t.get_text(), t.get_window_extent(renderer))
                         for t in _drawn_tick_labels(axis)]
                for i, (text_a, a) in enumerate(boxes):
                    for text_b, b in boxes[i + 1:]:
                        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                        assert overlap_x <= 1 or overlap_y <= 1, (
                            f"{lang}: tick labels {text_a!r} and {text_b!r} overlap")
        drawn = {id(t) for ax in figure.axes if ax.axison for axis in (ax.xaxis, ax.yaxis)
                 for t in _drawn_tick_labels(axis)}
        width, height = figure.bbox.width, figure.bbox.height
        for text in figure.findobj(Text):
            if (not text.get_visible() or not text.get_text().strip()
                    or (id(text) in ticks and id(text) not in drawn)):
                continue
            box = text.get_window_extent(renderer)
            assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, (
                f"{lang}: {text.get_text()[:40]!r} reaches past the figure's edge")
