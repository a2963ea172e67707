"""Drive the real window with key presses, then check the screen and the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def revlog(tmp_path: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    try:
        return conn.execute("select card_id, rating from revlog order by id").fetchall()
    finally:
        conn.close()


def test_home_lists_decks_with_counts(window: MainWindow) -> None:
    tree = window.home.decks
    rows = [[tree.topLevelItem(i).text(c) for c in range(4)]
            for i in range(tree.topLevelItemCount())]
    assert rows == [["전체 덱", "5", "0", "0"], ["덱 alpha", "3", "0", "0"],
                    ["덱 beta", "2", "0", "0"]]


def test_review_with_keys_writes_each_grade_before_the_next_card(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_Return)
    review = window.review
    assert window.stack.currentWidget() is review
    assert "모멘텀" in review.card_view.plain_text("ko")
    assert "답" not in review.card_view.plain_text("ko").split("모멘텀")[1]
    assert not review.grade_buttons[3].isVisible()

    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert "란?의 답" in review.card_view.plain_text("ko")
    assert "네스테로프는?" in review.card_view.plain_text("ko")  # follow-up listed
    labels = [review.grade_buttons[r].text() for r in (1, 2, 3, 4)]
    assert labels[0].startswith("다시  1분") and labels[2].startswith("알맞음  10분")

    qtbot.keyClick(review, Qt.Key.Key_3)
    assert revlog(tmp_path) == [("a1", 3)]
    assert "네스테로프는?" in review.card_view.plain_text("ko")  # a2 is now the question
    qtbot.keyClick(review, Qt.Key.Key_Return)
    qtbot.keyClick(review, Qt.Key.Key_1)
    assert revlog(tmp_path) == [("a1", 3), ("a2", 1)]


def test_grades_are_ignored_until_the_answer_is_shown(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_3)
    assert revlog(tmp_path) == []


def test_ctrl_z_undoes_the_last_grade(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_4)
    assert revlog(tmp_path) == [("a1", 4)]
    qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert revlog(tmp_path) == []
    assert "모멘텀" in review.card_view.plain_text("ko")
    assert "되돌렸습니다" in review.hint.text()


def test_language_toggle_with_l_and_korean_layout_is_remembered(
        qtbot: QtBot, window: MainWindow, small_content: Path, tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_L)
    assert window.mode == "en"
    assert review.card_view.panes["en"].isVisible() and not review.card_view.panes["ko"].isVisible()
    assert "What is momentum" in review.card_view.plain_text("en")
    assert review.show_button.text().startswith("Show answer")
    # Under a Korean layout the L key types 'ㅣ'; it must toggle all the same.
    QApplication.sendEvent(review, QKeyEvent(QEvent.Type.KeyPress, 0,
                                             Qt.KeyboardModifier.NoModifier, "ㅣ"))
    assert window.mode == "both"
    assert review.card_view.panes["en"].isVisible() and review.card_view.panes["ko"].isVisible()
    window.close()
    again = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(again)
    assert again.mode == "both"


def test_english_interval_labels(qtbot: QtBot, window: MainWindow) -> None:
    window.toggle_language()
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    assert window.review.grade_buttons[3].text().startswith("Good  10m")
    assert window.review.grade_buttons[4].text().split()[1].endswith("d")


def test_done_screen_shows_the_next_due_time(qtbot: QtBot, window: MainWindow) -> None:
    window.open_study("beta")
    review = window.review
    for _ in range(2):
        qtbot.keyClick(review, Qt.Key.Key_Space)
        qtbot.keyClick(review, Qt.Key.Key_4)
    assert review.body.currentWidget() is review.done_panel
    assert "오늘 학습 완료" in review.done_label.text()
    assert "다음 카드는" in review.done_label.text()
    qtbot.keyClick(review, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    beta = window.home.decks.topLevelItem(2)
    assert (beta.text(0), beta.text(1)) == ("덱 beta", "0")


def test_broken_files_are_counted_on_home(qtbot: QtBot, small_content: Path,
                                          tmp_path: Path) -> None:
    (small_content / "beta" / "03.md").write_text("+++\nid = \n+++\n", encoding="utf-8")
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    assert win.home.warning_box.isVisible()
    assert win.home.warning.text() == "콘텐츠 문제 1건 · 건너뛴 파일 1개"
    assert win.home.decks.topLevelItem(0).text(1) == "5"


def test_demo_presets_are_checked_as_check_does(qtbot: QtBot, small_content: Path,
                                                tmp_path: Path) -> None:
    """A preset `check` refuses (an int parameter set to inf) is refused in the GUI too: it is
    counted on home and D opens nothing, instead of crashing the demo."""
    from card_files import write_card

    from quizapp.content import load_library
    from quizapp.demos import demo_ref_problems

    write_card(small_content / "alpha", "00.md", "bad-demo",
               extra='[demo]\nid = "weight-init"\nparams = { depth = inf }\n')
    expected = [str(i) for i in load_library(small_content, demo_ref_problems).issues]
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.home.warning_box.isVisible(), timeout=10000)
    assert [str(i) for i in win.library.issues] == expected
    assert win.home.warning.text() == "콘텐츠 문제 1건 · 건너뛴 파일 0개"
    win.open_study()
    assert win.review.session is not None and win.review.session.current is not None
    assert win.review.session.current.id == "bad-demo"
    qtbot.keyClick(win.review, Qt.Key.Key_D)
    assert win.demo_windows == []
