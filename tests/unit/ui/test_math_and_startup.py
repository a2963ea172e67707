"""Math renders as images once the card is up; the first card never waits for matplotlib."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.ui.app import application, create_window

pytestmark = pytest.mark.gui


def test_first_card_is_shown_without_importing_matplotlib(small_content: Path,
                                                          tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from quizapp.ui.app import application, create_window
        app = application()
        window = create_window({str(small_content)!r}, {str(tmp_path / 'd')!r})
        window.show()
        window.open_study()
        window.grab()  # paints the window with the first card, without running queued timers
        print(window.review.session.current.id, "matplotlib" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["a1", "False"]


def test_the_event_pass_that_paints_the_first_card_imports_no_demo(small_content: Path,
                                                                   tmp_path: Path) -> None:
    # As ``main.py smoke`` and the event loop do: the pass that paints the first card also runs
    # the timers due by then; the demo-preset check (the demos, NumPy, matplotlib: ~0.5 s) must
    # not be one of them, and must still run soon after. (matplotlib may be in sys.modules
    # already: the math warm-up imports it on a worker thread, see math_images.py.)
    script = textwrap.dedent(f"""
        import sys, time
        from quizapp.ui.app import application, create_window
        app = application()
        window = create_window({str(small_content)!r}, {str(tmp_path / 'd')!r})
        window.show()
        window.open_study()
        app.processEvents()  # paints the window with the first card
        print(window.review.session.current.id, window._painted,
              "quizapp.demos" in sys.modules)
        deadline = time.monotonic() + 60
        while not window._demo_links_checked and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        print(window._demo_links_checked, "quizapp.demos" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["a1", "True", "False", "True", "True"]


def test_math_becomes_images_after_the_first_paint(qtbot: QtBot, small_content: Path,
                                                   tmp_path: Path) -> None:
    application()
    window = create_window(small_content, str(tmp_path / "d"))
    qtbot.addWidget(window)
    window.show()
    window.open_study()
    view = window.review.card_view
    qtbot.waitUntil(lambda: "<img" in view.html("ko"), timeout=20000)
    cached = list((tmp_path / "d" / "cache" / "math").glob("*.png"))
    assert cached and cached[0].read_bytes().startswith(b"\x89PNG")
    # A second window finds the image in the cache straight away.
    second = create_window(small_content, str(tmp_path / "d"))
    qtbot.addWidget(second)
    second.open_study()
    assert "<img" in second.review.card_view.html("ko")


def test_the_answers_formulas_are_drawn_while_the_question_is_read(qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    from card_files import write_card, write_deck

    root = tmp_path / "content"
    write_card(write_deck(root / "alpha", "alpha"), "01.md", "m1", body=(
        '+++\nid = "m1"\n+++\n\n::: question.ko\n시그모이드의 도함수는?\n\n'
        "::: answer.ko\n$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$ 이고 최댓값은\n\n"
        "$$\\max_x \\sigma'(x) = \\frac{1}{4}$$\n\n"
        "::: question.en\nThe sigmoid's derivative?\n\n"
        "::: answer.en\n$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$, at most $1/4$.\n"))
    application()
    window = create_window(root, str(tmp_path / "d"))
    qtbot.addWidget(window)
    window.show()
    window.open_study()
    review, view = window.review, window.review.card_view
    math_dir = tmp_path / "d" / "cache" / "math"
    qtbot.waitUntil(lambda: len(list(math_dir.glob("*.png"))) >= 2,
                    timeout=20000)
    assert "<img" not in view.html("ko")  # the question alone is on screen
    review.reveal()  # the answer appears with its formulas drawn, not as TeX for a moment
    shown = view.html("ko")
    assert shown.count("<img") >= 2 and "\\sigma" not in shown.split("<img")[0]
