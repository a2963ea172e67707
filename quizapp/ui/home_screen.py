"""The home screen: decks with today's new / learning / due counts, a Study button, and the
quiz and mock-interview buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Library
from quizapp.study import CollectionStats, Counts
from quizapp.ui.strings import tr
from quizapp.ui.theme import colors

ALL_DECKS = ""  # item data of the "all decks" row
MESSAGE_SECONDS = 6


class HomeScreen(QWidget):
    """Lists decks; emits ``study_requested(deck_id or "")`` and ``language_toggled``."""

    study_requested = Signal(str)
    language_toggled = Signal()
    quiz_requested = Signal()
    interview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "ko"
        self.library: Library | None = None
        self.total = Counts(0, 0, 0)
        self.counts: dict[str, Counts] = {}
        self.stats: CollectionStats | None = None

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.summary = QLabel()
        self.lang_button = QPushButton()
        self.lang_button.clicked.connect(self.language_toggled.emit)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.lang_button)

        self.warning = QLabel()
        self.warning.setStyleSheet("background: #fff8c5; color: #3b2300; padding: 6px; "
                                   "border: 1px solid #d4a72c; border-radius: 4px;")
        self.details_button = QPushButton()
        self.details_button.clicked.connect(self.show_problems)
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.warning, 1)
        warning_row.addWidget(self.details_button)
        self.warning_box = QWidget()
        self.warning_box.setLayout(warning_row)

        self.decks = QTreeWidget()
        self.decks.setRootIsDecorated(False)
        self.decks.setColumnCount(4)
        self.decks.setUniformRowHeights(True)
        self.decks.setStyleSheet("QTreeWidget { font-size: 14px; } "
                                 "QTreeWidget::item { padding: 6px; }")
        self.decks.header().setStretchLastSection(False)
        self.decks.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.decks.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.decks.setColumnWidth(column, 96)
        self.decks.itemActivated.connect(lambda *_: self._study_selected())

        self.study_button = QPushButton()
        self.study_button.setMinimumHeight(40)
        self.study_button.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.study_button.clicked.connect(self._study_selected)
        self.quiz_button = QPushButton()
        self.quiz_button.clicked.connect(self.quiz_requested.emit)
        self.interview_button = QPushButton()
        self.interview_button.clicked.connect(self.interview_requested.emit)
        actions = QHBoxLayout()
        actions.addWidget(self.study_button, 2)
        for button in (self.quiz_button, self.interview_button):
            button.setMinimumHeight(40)
            button.setStyleSheet("font-size: 14px;")
            actions.addWidget(button, 1)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.hint.setText(tr("study_hint",
                                                                         self.mode)))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning_box)
        layout.addWidget(self.decks, 1)
        layout.addLayout(actions)
        layout.addWidget(self.hint)
        for button in (self.lang_button, self.details_button, self.study_button,
                       self.quiz_button, self.interview_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_library(self, library: Library, total: Counts, counts: dict[str, Counts],
                     stats: CollectionStats) -> None:
        """Fill the deck list; keeps the selected deck selected."""
        selected = self.selected_deck()
        self.library, self.total, self.counts, self.stats = library, total, counts, stats
        self._fill(selected)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._fill(self.selected_deck())

    def selected_deck(self) -> str | None:
        item = self.decks.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def select_deck(self, deck_id: str | None) -> None:
        for index in range(self.decks.topLevelItemCount()):
            item = self.decks.topLevelItem(index)
            if item.data(0, Qt.ItemDataRole.UserRole) == (deck_id or ALL_DECKS):
                self.decks.setCurrentItem(item)

    def show_message(self, text: str) -> None:
        """Show ``text`` in place of the key hint for a few seconds (what an undo did)."""
        self.hint.setText(text)
        self._message_timer.start(MESSAGE_SECONDS * 1000)

    def show_problems(self) -> None:
        if self.library is None:
            return
        lines = "\n".join(str(issue) for issue in self.library.issues)
        QMessageBox.warning(self, tr("content_problems", self.mode), lines)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._study_selected()
        else:
            super().keyPressEvent(event)

    def restyle(self) -> None:
        """Apply the current theme's colours."""
        palette = colors()
        self.summary.setStyleSheet(f"color: {palette.muted};")
        self.hint.setStyleSheet(f"color: {palette.muted}; font-size: 11px;")
        self._fill(self.selected_deck())

    def _study_selected(self) -> None:
        self.study_requested.emit(self.selected_deck() or ALL_DECKS)

    def _fill(self, selected: str | None) -> None:
        mode = self.mode
        lang = "en" if mode == "en" else "ko"
        self.title.setText(tr("app_title", mode))
        self.lang_button.setText(f"{tr('language', mode)}: {tr('lang_' + mode, mode)} (L)")
        self.study_button.setText(f"{tr('study', mode)}  (Enter)")
        self.quiz_button.setText(f"{tr('quiz', mode)}  (Q)")
        self.interview_button.setText(f"{tr('interview', mode)}  (I)")
        self.hint.setText(tr("study_hint", mode))
        self.details_button.setText(tr("details", mode))
        self.decks.setHeaderLabels([tr("decks", mode), tr("new", mode), tr("learning", mode),
                                    tr("due", mode)])
        for column in (1, 2, 3):
            self.decks.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
        library = self.library
        issues = library.issues if library else []
        self.warning_box.setVisible(bool(issues))
        if library is not None and issues:
            self.warning.setText(tr("skipped", mode, files=len(library.skipped),
                                    issues=len(issues)))
        if self.stats is not None:
            self.summary.setText(tr("today", mode, reviews=self.stats.reviews_today,
                                    cards=self.stats.cards))
        self.decks.clear()
        if library is None:
            return
        rows = [(ALL_DECKS, tr("all_decks", mode), self.total)]
        rows += [(deck.id, deck.title.get(lang), self.counts.get(deck.id, Counts(0, 0, 0)))
                 for deck in library.decks]
        for deck_id, title, counts in rows:
            item = QTreeWidgetItem([title, str(counts.new), str(counts.learning),
                                    str(counts.review)])
            item.setData(0, Qt.ItemDataRole.UserRole, deck_id)
            palette = colors()
            for column, color in zip((1, 2, 3), (palette.new, palette.learning, palette.due),
                                     strict=True):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
                if item.text(column) != "0":
                    item.setForeground(column, QBrush(QColor(color)))
            if deck_id == ALL_DECKS:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.decks.addTopLevelItem(item)
        self.select_deck(selected)
        if self.decks.currentItem() is None and self.decks.topLevelItemCount():
            self.decks.setCurrentItem(self.decks.topLevelItem(0))

