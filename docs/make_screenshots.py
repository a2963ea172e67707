"""Render the README screenshots offscreen: ``python docs/make_screenshots.py``.

Uses the real window and the bundled content with a throwaway progress database, and writes
PNGs to ``docs/screenshots/`` (home, review and a demo window, in Korean and English, and the
review with both languages side by side).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent / "screenshots"


def settle(window: MainWindow) -> None:
    """Let deferred work (math images) finish before grabbing."""
    app = application()
    for _ in range(5):
        app.processEvents()


def shoot(window: MainWindow, name: str) -> None:
    settle(window)
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(path.relative_to(OUT.parents[1]))


def set_mode(window: MainWindow, mode: str) -> None:
    while window.mode != mode:
        window.toggle_language()


def main(deck: str = "optimization", card_index: int = 0) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    application()
    with tempfile.TemporaryDirectory() as data:
        window = create_window(None, data)
        window.resize(1100, 760)
        window.show()
        for mode in ("ko", "en"):
            set_mode(window, mode)
            window.show_home()
            shoot(window, f"home-{mode}")
        for mode in ("ko", "en", "both"):
            set_mode(window, mode)
            window.open_study(deck)
            session = window.review.session
            assert session is not None and session.current is not None
            for _ in range(card_index):  # step to the wanted card without grading it
                session.queue.new.append(session.queue.new.pop(0))
            window.review.start(session, window.review.title.text())
            if mode == "ko":
                shoot(window, "review-question-ko")
            window.review.reveal()
            shoot(window, f"review-answer-{mode}")
        for mode in ("ko", "en"):
            set_mode(window, mode)
            demo = window.open_demo("optimizer-race")
            demo.step_once()
            for _ in range(80):
                demo.run.step()  # type: ignore[union-attr]
            demo.step_once()
            settle(window)
            path = OUT / f"demo-{mode}.png"
            demo.grab().save(str(path))
            print(path.relative_to(OUT.parents[1]))
            demo.close()
        window.store.close()


if __name__ == "__main__":
    main(*(sys.argv[1:2]), *(int(a) for a in sys.argv[2:3]))
