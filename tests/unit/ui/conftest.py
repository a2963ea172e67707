"""Shared set-up of the GUI tests: the main window on the small test content, and content for
the quiz and mock-interview screens (cards with quiz material)."""

from __future__ import annotations

from pathlib import Path

import pytest
from card_files import write_card, write_deck
from pytestqt.qtbot import QtBot
from rehearsal_helpers import REHEARSAL_CARDS, toml_list

from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> MainWindow:
    """The real main window on ``small_content`` with a fresh data folder, shown and active
    (menu shortcuts need an active window)."""
    from PySide6.QtWidgets import QApplication

    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win


@pytest.fixture
def rehearsal_content(tmp_path: Path) -> Path:
    """Two decks, five cards with quiz material; r1 → r2 → r3 is a follow-up chain and r1's
    question has a formula."""
    root = tmp_path / "content"
    for order, deck in enumerate(("alpha", "beta"), 1):
        write_deck(root / deck, deck, order=order)
    for number, (card_id, card) in enumerate(REHEARSAL_CARDS.items(), 1):
        deck, tags, follow_ups, qko, qen, ako, aen, kko, ken = card
        extra = (f"tags = {toml_list(tags)}\nfollow_ups = {toml_list(follow_ups)}\n"
                 f'[quiz.answer]\nko = "{ako}"\nen = "{aen}"\n'
                 f"[quiz.distractors]\n"
                 f"ko = {toml_list([f'{card_id} 오답 {n}' for n in (1, 2, 3)])}\n"
                 f"en = {toml_list([f'{card_id} wrong {n}' for n in (1, 2, 3)])}\n"
                 f"[quiz.keywords]\nko = {toml_list(kko)}\nen = {toml_list(ken)}\n")
        write_card(root / deck, f"{number:02d}.md", card_id, extra=extra, ko=qko, en=qen)
    return root
