"""A full disk or a read-only database while studying: one message in words, the grade not shown
as done, nothing committed lost, and grading works again once the cause is gone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
MAIN = Path(__file__).resolve().parents[3] / "main.py"


class FailingConnection:
    """Wraps a sqlite3 connection; while ``fail`` is set, statements that write raise the error
    SQLite gives for a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.fail = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.fail and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def revlog(tmp_path: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    try:
        return conn.execute("select card_id, rating from revlog order by id").fetchall()
    finally:
        conn.close()


def test_full_disk_shows_one_message_keeps_the_card_and_recovers(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_3)
    assert revlog(tmp_path) == [("a1", 3)]

    failing = FailingConnection(window.store.db.conn)
    window.store.db.conn = failing  # type: ignore[assignment]
    failing.fail = True
    qtbot.keyClick(review, Qt.Key.Key_Space)
    for _ in range(5):  # pressing again and again gives the same one message, no traceback
        qtbot.keyClick(review, Qt.Key.Key_3)
    banner = window.problem_banner
    assert banner.isVisible()
    assert "디스크에 남은 공간이 없습니다" in banner.text() and "progress.sqlite3" in banner.text()
    assert review.revealed and "네스테로프는?" in review.card_view.plain_text("ko")
    assert review.grade_buttons[3].isVisible()  # the grade is not shown as done
    assert revlog(tmp_path) == [("a1", 3)]  # what was committed is intact

    failing.fail = False  # space returns
    qtbot.keyClick(review, Qt.Key.Key_3)
    assert revlog(tmp_path) == [("a1", 3), ("a2", 3)]
    assert not banner.isVisible()


def test_read_only_database_is_named_as_such_in_english(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.toggle_language()  # English
    window.open_study()
    window.store.db.execute("PRAGMA query_only = ON")
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_4)
    assert "is read-only" in window.problem_banner.text()
    assert "was not saved (it is still on screen)" in window.problem_banner.text()
    assert revlog(tmp_path) == []
    qtbot.keyClick(window.review, Qt.Key.Key_L)  # the language still changes for this session
    assert window.mode == "both"


def _mount_tiny_filesystem(folder: Path) -> bool:
    folder.mkdir()
    try:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs",
                                 str(folder)], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def test_smoke_on_a_full_disk_exits_1_with_the_message(tmp_path: Path) -> None:
    """A real full file system (a 600 KB tmpfs, where the machine allows mounting one)."""
    disk = tmp_path / "disk"
    if not _mount_tiny_filesystem(disk):
        pytest.skip("this machine does not let the tests mount a small tmpfs")
    try:
        env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
        first = subprocess.run([sys.executable, str(MAIN), "smoke", "--data-dir", str(disk)],
                               capture_output=True, text=True, timeout=120, env=env)
        assert first.returncode == 0, first.stderr
        filler = disk / "filler"
        try:
            with filler.open("wb") as out:
                while True:
                    out.write(b"\0" * 4096)
                    out.flush()
        except OSError:
            pass  # the disk is full
        full = subprocess.run([sys.executable, str(MAIN), "smoke", "--data-dir", str(disk)],
                              capture_output=True, text=True, timeout=120, env=env)
        assert full.returncode == 1
        assert "no space left on device" in full.stderr and "Traceback" not in full.stderr
        filler.unlink()  # space returns
        conn = sqlite3.connect(disk / "progress.sqlite3")
        assert conn.execute("select count(*) from revlog").fetchone()[0] == 1  # nothing lost
        conn.close()
        again = subprocess.run([sys.executable, str(MAIN), "smoke", "--data-dir", str(disk)],
                               capture_output=True, text=True, timeout=120, env=env)
        assert again.returncode == 0, again.stderr
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, timeout=20)
