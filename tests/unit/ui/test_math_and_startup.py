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
