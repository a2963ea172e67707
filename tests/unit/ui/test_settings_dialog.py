"""The settings dialog (Ctrl+,): every setting changes what the user then sees, values out of
range are refused with a message and nothing is saved, the workload follows the retention, and
"Optimize now" fits FSRS off the GUI thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.store import open_store
from quizapp.study import load_settings
from quizapp.study.fsrs_fit import expected_workload
from quizapp.study.scheduling import DEFAULT_PARAMETERS
from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow
from quizapp.ui.settings_dialog import SettingsDialog, figure

pytestmark = pytest.mark.gui


def open_dialog(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, SettingsDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    return dialog


def stored(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_store(tmp_path / "data" / "progress.sqlite3") as store:
        return load_settings(store)


def test_ctrl_comma_opens_the_settings_with_what_is_stored(qtbot: QtBot,
                                                           window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    assert dialog.windowTitle() == "설정"
    assert dialog.new_all.value() == 20 and dialog.retention.value() == pytest.approx(0.9)
    assert dialog.learning.text() == "1m 10m" and dialog.relearning.text() == "10m"
    assert dialog.deck_spin("alpha").text() == "덱마다 값"
    assert dialog.language.currentData() == "ko" and dialog.zoom.currentText() == "100%"


def test_a_retention_out_of_range_is_refused_with_a_message(qtbot: QtBot, window: MainWindow,
                                                             tmp_path: Path) -> None:
    window.toggle_language()  # English
    dialog = open_dialog(qtbot, window)
    dialog.retention.setValue(0.99)
    assert "must be between 0.7 and 0.97" in dialog.workload.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert dialog.problem.text() == "Desired retention must be between 0.7 and 0.97, not 0.99."
    assert stored(tmp_path).desired_retention == 0.9
    dialog.retention.setValue(0.9)
    dialog.new_all.setValue(10_000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "New cards a day (all decks) must be between 0 and 9999" in dialog.problem.text()
    dialog.new_all.setValue(20)
    dialog.deck_spin("beta").setValue(12_000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text().startswith("Deck beta must be between 0 and 9999")
    assert stored(tmp_path).deck_limits == {}


def test_a_bad_step_is_named_and_nothing_is_saved(qtbot: QtBot, window: MainWindow,
                                                  tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.learning.setText("1m ten")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "'ten'" in dialog.problem.text() and "학습 단계" in dialog.problem.text()
    assert dialog.isVisible() and stored(tmp_path).learning_steps == (60, 600)


def test_saved_settings_drive_the_schedule_and_the_look(qtbot: QtBot, window: MainWindow,
                                                        tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert review.grade_buttons[1].text().startswith("다시  1분")
    dialog = open_dialog(qtbot, window)
    dialog.learning.setText("5m 2h")
    dialog.new_all.setValue(3)
    dialog.deck_spin("beta").setValue(0)
    dialog.day_start.setValue(0)
    dialog.retention.setValue(0.85)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.zoom.setCurrentIndex(dialog.zoom.findData(1.25))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    settings = stored(tmp_path)
    assert (settings.learning_steps, settings.new_per_day, settings.deck_limits,
            settings.day_start_hour, settings.desired_retention) == (
        (300, 7200), 3, {"beta": 0}, 0, 0.85)
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    view = dict(conn.execute("select key, value from config where key in "
                             "('ui_language', 'theme', 'card_zoom')").fetchall())
    conn.close()
    assert view == {"ui_language": '"en"', "theme": '"dark"', "card_zoom": "1.25"}
    assert window.mode == "en" and window.theme == "dark" and window.zoom == 1.25
    assert window.statusBar().currentMessage() == "Settings saved."
    # The session was rebuilt from the new settings: 3 new cards, none from beta, 5m steps.
    assert review.session is not None and review.session.counts.new == 3
    assert all(card.startswith("a") for card in review.session.queue.new)
    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert review.grade_buttons[1].text().startswith("Again  5m")
    assert review.grade_buttons[3].text().startswith("Good  2h")


def test_the_workload_follows_the_retention(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    for retention in (0.8, 0.95):
        dialog.retention.setValue(retention)
        expected = expected_workload(DEFAULT_PARAMETERS, [retention], deck_size=5,
                                     new_per_day=20)[0]
        assert f"하루 복습 {figure(expected.reviews_per_day)}장" in dialog.workload.text()
        assert f"{figure(expected.minutes_per_day)}분" in dialog.workload.text()
    dialog.new_all.setValue(0)  # no new cards: the simulator still needs one a day
    assert "하루 새 카드 1장" in dialog.workload.text()


def test_optimize_now_with_too_little_history_changes_nothing(qtbot: QtBot,
                                                              window: MainWindow,
                                                              tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.optimize_button, Qt.MouseButton.LeftButton)
    assert not dialog.optimize_button.isEnabled() and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: dialog.optimize_button.isEnabled(), timeout=30_000)
    assert "기록이 아직 부족합니다" in dialog.fit_result.text()
    assert not dialog.progress.isVisible()
    assert stored(tmp_path).fsrs_parameters == DEFAULT_PARAMETERS


def test_optimize_now_fits_a_learner_off_the_gui_thread(qtbot: QtBot, small_content: Path,
                                                        tmp_path: Path) -> None:
    from simulated_learner import simulate, write_csv

    from quizapp.interop.review_csv import import_review_csv

    database = tmp_path / "data" / "progress.sqlite3"
    database.parent.mkdir(parents=True)
    with open_store(database) as store:
        import_review_csv(store, write_csv(tmp_path / "log.csv", simulate(range(1, 121))), [])
    application()
    window = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    dialog = open_dialog(qtbot, window)
    before = dialog.workload.text()
    with qtbot.waitSignal(dialog.optimized, timeout=60_000):
        qtbot.mouseClick(dialog.optimize_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()  # the GUI thread is free while fsrs-rs fits
    assert dialog.fit_result.text().startswith("저장했습니다")
    assert "로그 손실" in dialog.fit_result.text()
    assert stored(tmp_path).fsrs_parameters != DEFAULT_PARAMETERS
    assert dialog.workload.text() != before  # the learner forgets faster: more reviews


def test_enter_saves_and_the_buttons_speak_the_language(qtbot: QtBot, window: MainWindow,
                                                        tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    texts = sorted(b.text() for b in dialog.findChildren(QPushButton) if b.text() in
                   ("저장", "취소"))
    assert texts == ["저장", "취소"]
    dialog.new_all.setValue(7)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible() and stored(tmp_path).new_per_day == 7
