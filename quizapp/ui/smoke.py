"""``python main.py smoke``: the real window, the real content, one real grade, then exit.

It opens a study session, reveals the first due card, grades it Good through the same method a
key press calls, checks the review is in the database through a separate connection, and prints
``first card shown after N ms`` counted from process start.

``smoke --demo ID`` then also opens that demo's window and steps it, opens the demo gallery and
draws a formula: the parts that need matplotlib (QtAgg, mathtext and its fonts), the digits
and the thumbnails, which the desktop bundle must carry (``packaging/``).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from quizapp.errors import UserError
from quizapp.ui.app import application, create_window

if TYPE_CHECKING:
    from quizapp.ui.main_window import MainWindow


def process_age_ms(fallback_started: float) -> float:
    """Milliseconds since this process started (Linux /proc), else since ``fallback_started``
    (a ``time.perf_counter()`` taken first thing in ``main.py``)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 "starttime", counted after the ")" field
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return max(0.0, (up - start_ticks / ticks) * 1000)
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - fallback_started) * 1000


def run_smoke(content_dir: Path | None, data_dir: str | None, started: float,
              demo_id: str | None = None) -> int:
    app = application()
    try:
        window = create_window(content_dir, data_dir)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    window.show()
    window.open_study()
    review = window.review
    session = review.session
    card = session.current if session else None
    if card is None:
        print("error: no card is due; nothing to grade", file=sys.stderr)
        return 1
    app.processEvents()  # paint the question
    print(f"first card shown after {process_age_ms(started):.0f} ms")
    print(f"card: {card.id} ({card.question.ko.splitlines()[0]})")
    before = _log_rows(window.store.path, card.id)
    review.reveal()
    if not review.grade(3):
        reason = review.last_error or "the grade was not accepted"
        print(f"error: {reason}", file=sys.stderr)
        window.store.close()
        return 1
    after = _log_rows(window.store.path, card.id)
    if after != before + 1:
        print(f"error: review log for {card.id} has {after} rows, expected {before + 1}",
              file=sys.stderr)
        return 1
    print(f"graded Good; the database holds {after} review(s) of {card.id}")
    status = 0
    if demo_id is not None:
        status = _exercise_demos(window, demo_id)
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.store.close()
    return status


def _exercise_demos(window: MainWindow, demo_id: str) -> int:
    """What the desktop bundle must carry beyond the first card: a live demo drawn by the QtAgg
    backend (Hangul labels, the digits if the demo uses them), the gallery's pictures, and a
    formula drawn by mathtext. Prints one line per part; 1 when one of them failed."""
    from quizapp.demos import DEMOS
    from quizapp.ui.demo_gallery import DemoGallery
    from quizapp.ui.demo_window import DemoWindow
    from quizapp.ui.math_images import MathImages

    failed = 0
    demo = window.open_demo(demo_id)
    assert isinstance(demo, DemoWindow)
    for _ in range(3):
        demo.step_once()
    # the frames come from the demo's worker process: wait for them (a bundle that cannot start
    # one computes them in the window instead)
    deadline = time.perf_counter() + 60
    while (demo.run is not None and demo.run.count < 3 and not demo.run.finished
           and time.perf_counter() < deadline):
        application().processEvents()
        time.sleep(0.005)
    application().processEvents()
    picture = demo.canvas.grab().toImage()
    colours = {picture.pixel(x, y) for x in range(0, picture.width(), 7)
               for y in range(0, picture.height(), 7)}
    steps = demo.run.count if demo.run is not None else 0
    where = "a worker process" if demo.worker is not None else "the GUI thread"
    print(f"demo {demo_id}: {steps} steps drawn in its window "
          f"({picture.width()}x{picture.height()} px, {len(colours)} colours; "
          f"model in {where})")
    if picture.isNull() or len(colours) < 8 or steps < 1:
        print(f"error: the {demo_id} demo window drew nothing", file=sys.stderr)
        failed = 1
    demo.close()

    gallery = window.open_gallery()
    assert isinstance(gallery, DemoGallery)
    shown = sum(not gallery.list.item(i).icon().isNull() for i in range(gallery.list.count()))
    print(f"gallery: {shown}/{len(DEMOS)} demo pictures")
    if shown != len(DEMOS):
        print("error: demo pictures are missing from the gallery", file=sys.stderr)
        failed = 1
    gallery.close()

    with tempfile.TemporaryDirectory() as cache:
        html = MathImages(Path(cache)).render_html(r"\hat{x} = \frac{x - \mu}{\sqrt{\sigma^2 + "
                                                   r"\epsilon}}", display=True)
    drawn = "<img" in html
    print(f"formula: {'drawn by mathtext' if drawn else 'NOT drawn (shown as TeX)'}")
    return failed if drawn else 1


def _log_rows(db_path: Path | None, card_id: str) -> int:
    """Count review-log rows through a separate connection: what is really on disk."""
    assert db_path is not None
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("select count(*) from revlog where card_id = ?",
                                [card_id]).fetchone()[0])
    finally:
        conn.close()
