"""File menu → Import… / Export as Anki package… / Export review log: the file dialogs, the work
off the GUI thread, and what the window shows and holds afterwards."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from quizapp.ui.main_window import MainWindow
from quizapp.ui.strings import tr

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[2] / "data"


def menu_action(window: MainWindow, key: str):  # type: ignore[no-untyped-def]
    """The File menu's action for string ``key``, found by its text as a user finds it."""
    text = tr(key, window.mode)
    actions = [a for a in window.menus.menu("menu_file").actions() if a.text() == text]
    assert len(actions) == 1, [a.text() for a in window.menus.menu("menu_file").actions()]
    return actions[0]


def test_import_an_anki_package_from_the_file_menu(window: MainWindow, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = len(window.library.cards)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(DATA / "anki_current.apkg"), "")))
    menu_action(window, "file_import").trigger()
    qtbot.waitUntil(lambda: not window.transfer.running, timeout=20_000)
    assert QApplication.overrideCursor() is None  # the busy cursor is gone
    assert len(window.library.cards) == before + 5  # the window reloaded its library
    assert window.library.user_dir is not None
    assert len(list(window.library.user_dir.rglob("*.md"))) == 5  # written as the user's decks
    message = window.statusBar().currentMessage()
    assert "anki_current.apkg" in message and "5" in message
    assert not window.problem_banner.isVisible()
    window._content_changed()  # the file watcher sees the new files: the window shows them already
    assert window.statusBar().currentMessage() == message


def test_a_refused_file_changes_nothing_and_says_why(window: MainWindow, qtbot: QtBot,
                                                     tmp_path: Path) -> None:
    bad = tmp_path / "broken.apkg"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    before = len(window.library.cards)
    assert window.transfer.start_import(bad)
    qtbot.waitUntil(lambda: not window.transfer.running, timeout=20_000)
    assert window.problem_banner.isVisible()
    shown = window.problem_banner.text()
    assert "broken.apkg" in shown and tr("import_failed", window.mode, detail="")[:8] in shown
    assert len(window.library.cards) == before
    assert window.library.user_dir is None or not list(window.library.user_dir.rglob("*.md"))


def test_export_the_decks_and_the_review_log(window: MainWindow, qtbot: QtBot,
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    window.open_study()
    window.review.reveal()
    assert window.review.grade(3)  # one grade on disk
    apkg, reviews = tmp_path / "out" / "mine.apkg", tmp_path / "out" / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(apkg), "")))
    menu_action(window, "export_apkg").trigger()
    qtbot.waitUntil(lambda: not window.transfer.running, timeout=30_000)
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
    assert str(len(window.library.cards)) in window.statusBar().currentMessage()

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(reviews), "")))
    menu_action(window, "export_reviews").trigger()
    qtbot.waitUntil(lambda: not window.transfer.running, timeout=20_000)
    with reviews.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["review_rating"] == "3"
    assert window.statusBar().currentMessage() == tr(
        "exported_reviews", window.mode, name="log.csv", reviews=1, cards=1)


def test_cancelling_the_dialog_does_nothing(window: MainWindow,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    menu_action(window, "file_import").trigger()
    assert not window.transfer.running and QApplication.overrideCursor() is None
