"""Custom study from the keyboard: C opens it (and the done panel offers it), the dialog counts
what a choice takes, a cram session shows no intervals and writes practice answers only, and
"more new cards" grows today's queue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.study.custom import CustomSession
from quizapp.ui.custom_study_dialog import CustomStudyDialog
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def dialog_open() -> CustomStudyDialog:
    return next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, CustomStudyDialog) and w.isVisible())


def query(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_c_crams_a_deck_without_touching_the_schedule(qtbot: QtBot, window: MainWindow,
                                                      tmp_path: Path) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_C)
    dialog = dialog_open()
    assert dialog.options["cram"].isChecked()
    dialog.deck.setCurrentIndex(dialog.deck.findData("beta"))
    assert dialog.summary.text().startswith("2장 · 연습")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    review = window.review
    assert isinstance(review.session, CustomSession)
    assert review.title.text() == "덱 beta · 몰아서 복습 · 일정 변경 없음"
    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert review.grade_buttons[3].text() == "알맞음  \n[3]"  # no interval: nothing scheduled
    qtbot.keyClick(review, Qt.Key.Key_3)
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_1)  # Again: shown once more at the end
    assert review.session.current is not None
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_3)
    assert review.body.currentWidget() is review.done_panel
    assert "이 맞춤 학습의 카드를 모두 봤습니다" in review.done_label.text()
    assert query(tmp_path, "select count(*) from revlog") == [(0,)]
    assert query(tmp_path, "select count(*) from cards") == [(0,)]
    assert query(tmp_path, "select kind, count(*) from actions group by kind") == [
        ("practice", 3)]


def test_the_done_panel_offers_custom_study_for_its_deck(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    window.open_study("alpha")
    review = window.review
    for _ in range(3):
        qtbot.keyClick(review, Qt.Key.Key_Space)
        qtbot.keyClick(review, Qt.Key.Key_4)  # Easy: out of today's queue
    assert review.body.currentWidget() is review.done_panel
    assert review.custom_button.isVisible() and review.custom_button.text() == "맞춤 학습… (C)"
    qtbot.mouseClick(review.custom_button, Qt.MouseButton.LeftButton)
    dialog = dialog_open()
    assert dialog.deck.currentData() == "alpha"
    dialog.options["ahead"].setChecked(True)
    dialog.days.setValue(30)
    assert dialog.summary.text().startswith("3장 · 답이 복습 일정에 반영됩니다")
    dialog.options["flagged"].setChecked(True)
    assert dialog.summary.text().startswith("0장") and not dialog.start_button.isEnabled()


def test_more_new_cards_grow_todays_queue(qtbot: QtBot, window: MainWindow) -> None:
    window.toggle_language()  # English
    dialog = window.open_custom_study()
    assert isinstance(dialog, CustomStudyDialog)
    assert dialog.windowTitle() == "Custom study…"
    dialog.options["more_new"].setChecked(True)
    dialog.new_count.setValue(4)
    assert dialog.summary.text() == "4 more new cards today."
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    session = window.review.session
    assert session is not None and not isinstance(session, CustomSession)
    assert window.stack.currentWidget() is window.review
    assert session.counts.new == 5  # all five: the daily limit (20) was never the bound here


def test_arrow_keys_choose_as_they_move(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_C)
    dialog = dialog_open()
    cram = dialog.options["cram"]
    assert cram.isChecked()
    cram.setFocus()
    qtbot.keyClick(cram, Qt.Key.Key_Up)
    assert dialog.options["ahead"].isChecked() and dialog.focusWidget() is dialog.options["ahead"]
    qtbot.keyClick(dialog.options["ahead"], Qt.Key.Key_Up)
    assert dialog.options["more_new"].isChecked()
    assert dialog.summary.text() != ""  # the summary follows the choice
    dialog.close()
