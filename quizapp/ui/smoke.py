"""``python main.py smoke``: the real window, the real content, one real grade, then exit.

It opens a study session, reveals the first due card, grades it Good through the same method a
key press calls, checks the review is in the database through a separate connection, and prints
``first card shown after N ms`` counted from process start.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer

from quizapp.errors import UserError
from quizapp.ui.app import application, create_window


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


def run_smoke(content_dir: Path | None, data_dir: str | None, started: float) -> int:
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
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.store.close()
    return 0


def _log_rows(db_path: Path | None, card_id: str) -> int:
    """Count review-log rows through a separate connection: what is really on disk."""
    assert db_path is not None
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("select count(*) from revlog where card_id = ?",
                                [card_id]).fetchone()[0])
    finally:
        conn.close()
