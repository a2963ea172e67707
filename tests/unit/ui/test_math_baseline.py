"""Inline math sits on the text's baseline and has the text's size, in a question title and in
an answer, alone or beside a formula with a descender (measured in pixels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from quizapp.content.model import Card, Text
from quizapp.ui.app import application
from quizapp.ui.card_view import CardView
from quizapp.ui.math_images import MathImages
from quizapp.ui.theme import LIGHT

pytestmark = pytest.mark.gui


def ink_rows(image: QImage, color: str, columns: range) -> list[int]:
    target = QColor(color)
    return [y for y in range(image.height()) if any(
        abs(image.pixelColor(x, y).red() - target.red()) < 60
        and abs(image.pixelColor(x, y).green() - target.green()) < 60
        and image.pixelColor(x, y).lightness() < 200 for x in columns)]


@pytest.mark.parametrize("where", ["question", "answer"])
def test_inline_math_matches_the_texts_baseline_and_size(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         where: str) -> None:
    from dataclasses import replace

    # Math in red and text in black, so each can be found in the picture.
    original = CardView._math_style
    monkeypatch.setattr(CardView, "_math_style", lambda self, size, palette: replace(
        original(self, size, palette), color="#ff0000"))
    monkeypatch.setattr("quizapp.ui.card_view.colors", lambda: replace(LIGHT, text="#000000"))
    application()
    view = CardView(MathImages(tmp_path / "math"))
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.set_mode("en")
    view.show()
    line = "xxxx $x$ xxxx $y_i$ xxxx"
    card = Card(id="c", deck="d", question=Text("q", line if where == "question" else "Q"),
                answer=Text("a", line))
    view.show_card(card, revealed=where == "answer")
    qtbot.waitUntil(lambda: not view._pending and "<img" in view.html("en"), timeout=20000)
    pane = view.panes["en"]
    image = pane.viewport().grab().toImage()
    text_rows = ink_rows(image, "#000000", range(0, image.width()))
    math_rows = ink_rows(image, "#ff0000", range(0, image.width()))
    assert math_rows, "no math was drawn"
    line_text = [y for y in text_rows if y >= math_rows[0] - 30]
    text_baseline = max(y for y in line_text if y <= math_rows[-1] + 2)
    # The x of "$x$" (the first red glyph) ends on the baseline; y and its subscript go below.
    red = [x for x in range(image.width())
           if ink_rows(image, "#ff0000", range(x, x + 1))]
    clusters = [[red[0]]]
    for column in red[1:]:
        if column - clusters[-1][-1] > 3:
            clusters.append([column])
        else:
            clusters[-1].append(column)
    first, second = clusters[0], clusters[1]
    x_rows = ink_rows(image, "#ff0000", range(first[0], first[-1] + 1))
    x_bottom, x_top = max(x_rows), min(x_rows)
    assert abs(x_bottom - text_baseline) <= 1, (x_bottom, text_baseline)
    y_rows = ink_rows(image, "#ff0000", range(second[0], second[-1] + 1))
    assert max(y_rows) > text_baseline + 2  # the descender of y_i really goes below
    x_height = x_bottom - x_top + 1
    assert 0.8 <= x_height / (text_baseline - min(line_text) + 1) <= 1.3  # as tall as text x


def test_drawing_a_formula_leaves_the_font_another_thread_set_meanwhile(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The math warm-up draws on a worker thread; a demo window may set the Korean font on the
    # GUI thread at that moment. An rc_context around the drawing restored every rcParam on
    # leaving it, undoing that font (the demo's Hangul became boxes): nothing may be restored.
    import matplotlib
    from matplotlib.figure import Figure

    from quizapp.ui.math_images import _render_png

    save = Figure.savefig

    def savefig_while_the_gui_sets_a_font(self: Figure, *args: object, **kwargs: object) -> None:
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
        save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig_while_the_gui_sets_a_font)
    with matplotlib.rc_context():  # (so this test leaves the rcParams as it found them)
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        png, _depth = _render_png(r"\sigma(x)", 11.0)
        assert png.startswith(b"\x89PNG")
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "NanumGothic"]
