"""The statistics window: every chart tab draws, the summary and the weak-topic table show the
domain's figures, and a weak topic can be studied from the keyboard."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from simulated_history import simulate

from quizapp.content import load_library
from quizapp.store import open_store
from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> MainWindow:
    library = load_library(small_content)
    with open_store(tmp_path / "data" / "progress.sqlite3") as store:
        simulate(store, [c.id for c in library.cards], days=60, end=datetime.now(UTC),
                 new_per_day=1, skill=0.8, seed=2)
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_every_tab_draws_and_the_summary_has_the_figures(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_T)  # T, as in Anki
    stats = window.statistics
    assert stats is not None
    assert "오늘 복습" in stats.summary.text() and "연속" in stats.summary.text()
    for index in range(stats.tabs.count()):  # type: ignore[attr-defined]
        stats.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
    drawn = stats._drawn  # type: ignore[attr-defined]
    assert drawn == set(range(stats.tabs.count() - 1))  # type: ignore[attr-defined]
    titles = [stats.tabs.tabText(i) for i in range(stats.tabs.count())]  # type: ignore[attr-defined]
    assert titles[0] == "복습 달력" and titles[-1] == "약한 주제 학습"


def test_enter_on_a_weak_topic_studies_it(qtbot: QtBot, window: MainWindow) -> None:
    stats = window.open_statistics()
    table = stats.topics  # type: ignore[attr-defined]
    assert table.rowCount() >= 2
    kind, name = table.item(0, 0).data(Qt.ItemDataRole.UserRole)
    table.setFocus()
    table.itemActivated.emit(table.item(0, 0))
    assert window.stack.currentWidget() is window.review
    session = window.review.session
    assert session is not None
    if kind == "deck":
        assert session.deck_id == name
    else:
        assert session.tag == name and window.review.title.text() == f"#{name}"


def test_the_window_follows_the_language(qtbot: QtBot, window: MainWindow) -> None:
    window.open_statistics()
    window.toggle_language()
    stats = window.statistics
    assert stats is not None and stats.windowTitle() == "Statistics"
    assert stats.tabs.tabText(0) == "Review calendar"  # type: ignore[attr-defined]
