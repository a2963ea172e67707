"""The main window: switches between the home and review screens and keeps the language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from quizapp.content import Library, check_demo_links
from quizapp.store import ProgressStore, StoreWriteError
from quizapp.study import StudySession, collection_stats, deck_counts, today_counts
from quizapp.ui.errors import user_message
from quizapp.ui.home_screen import HomeScreen
from quizapp.ui.math_images import MathImages
from quizapp.ui.review_screen import ReviewScreen
from quizapp.ui.strings import LANGUAGE_MODES, next_mode, tr

LANGUAGE_SETTING = "ui_language"


class MainWindow(QMainWindow):
    """Owns the library and the progress store for the lifetime of the app."""

    def __init__(self, library: Library, store: ProgressStore, cache_dir: Path) -> None:
        super().__init__()
        self.library = library
        self.store = store
        mode = store.get_setting(LANGUAGE_SETTING, "ko")
        self.mode = mode if mode in LANGUAGE_MODES else "ko"

        self.home = HomeScreen()
        self.review = ReviewScreen(MathImages(cache_dir / "math"))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.review)
        # One place where problems the user must act on are shown (a full disk, a read-only
        # file): in words, until the next write succeeds.
        self.problem_banner = QLabel()
        self.problem_banner.setWordWrap(True)
        self.problem_banner.setStyleSheet("background: #ffebe9; color: #82071e; padding: 8px; "
                                          "border: 1px solid #cf222e; border-radius: 4px;")
        self.problem_banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.problem_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.resize(1000, 720)

        self.home.study_requested.connect(self.open_study)
        self.home.language_toggled.connect(self.toggle_language)
        self.review.language_toggled.connect(self.toggle_language)
        self.review.back_requested.connect(self.show_home)
        self.review.demo_requested.connect(self.open_card_demo)
        self.review.problem.connect(self.show_problem)
        self.demo_windows: list[QWidget] = []
        self._demo_links_checked = False
        self._apply_mode()
        self.show_home()
        # The same demo-preset check `check` runs, once the first screen is up (it imports the
        # demos and matplotlib, which start-up must not wait for).
        QTimer.singleShot(0, self.check_demo_links)

    def check_demo_links(self) -> None:
        """Validate every card's demo preset as ``check`` does; bad links are dropped and
        counted in the home screen's content-problem banner."""
        if self._demo_links_checked:
            return
        from quizapp.demos import demo_ref_problems

        self._demo_links_checked = True
        before = len(self.library.issues)
        check_demo_links(self.library, demo_ref_problems)
        if len(self.library.issues) != before and self.stack.currentWidget() is self.home:
            self.show_home()

    def show_home(self) -> None:
        self.home.show_library(self.library, today_counts(self.library, self.store),
                               deck_counts(self.library, self.store),
                               collection_stats(self.library, self.store))
        self.stack.setCurrentWidget(self.home)
        self.home.decks.setFocus()

    def open_study(self, deck_id: str = "") -> None:
        """Start studying one deck (or all decks for ``""``)."""
        deck = self.library.deck(deck_id) if deck_id else None
        lang = "en" if self.mode == "en" else "ko"
        title = deck.title.get(lang) if deck else tr("all_decks", self.mode)
        session = StudySession(self.library, self.store, deck.id if deck else None)
        self.stack.setCurrentWidget(self.review)
        self.review.start(session, title)

    def open_card_demo(self, card_id: str) -> QWidget | None:
        """Open the demo of card ``card_id`` with its presets, once they have passed the same
        check ``check`` applies (a card whose preset is invalid has no demo link)."""
        self.check_demo_links()
        card = self.library.card(card_id)
        if card is None or card.demo is None:
            return None
        return self.open_demo(card.demo.id, dict(card.demo.params))

    def open_demo(self, demo_id: str, presets: dict[str, Any] | None = None) -> QWidget:
        """Open a live demo window (matplotlib and the demos are imported on first use)."""
        from quizapp.demos import get_demo
        from quizapp.ui.demo_window import DemoWindow

        window = DemoWindow(get_demo(demo_id), presets, self.mode)
        self.demo_windows.append(window)
        window.closed.connect(self.demo_windows.remove)
        window.show()
        return window

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        for window in list(self.demo_windows):
            window.close()
        super().closeEvent(event)

    def show_problem(self, text: str) -> None:
        """Show ``text`` in the problem banner ("" hides it)."""
        self.problem_banner.setText(text)
        self.problem_banner.setVisible(bool(text))

    def toggle_language(self) -> None:
        self.mode = next_mode(self.mode)
        self._apply_mode()
        try:
            self.store.set_setting(LANGUAGE_SETTING, self.mode)
        except StoreWriteError as err:  # the choice still applies to this session
            self.show_problem(user_message(err, self.mode))

    def _apply_mode(self) -> None:
        self.setWindowTitle(tr("app_title", self.mode))
        self.home.set_mode(self.mode)
        self.review.set_mode(self.mode)
