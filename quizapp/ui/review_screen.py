"""The review screen: question → reveal (Space/Enter) → grade 1-4, undo with Ctrl+Z.

Every grade goes through ``grade()``, whether it comes from a key, a button or the smoke test;
it returns only after the study session has committed the review to the database.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.errors import UserError
from quizapp.study import StudySession, format_interval
from quizapp.ui.card_view import CardView
from quizapp.ui.errors import user_message
from quizapp.ui.keys import latin_letter
from quizapp.ui.math_images import MathImages
from quizapp.ui.strings import tr

GRADE_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}  # keys of ui.strings
GRADE_COLORS = {1: "#cf222e", 2: "#9a6700", 3: "#1a7f37", 4: "#0969da"}


class ReviewScreen(QWidget):
    """Studies one session's queue; emits ``back_requested`` and ``language_toggled``."""

    back_requested = Signal()
    language_toggled = Signal()
    card_shown = Signal(str)  # card id, once its question is on screen
    demo_requested = Signal(str)  # the id of the card whose demo to open
    problem = Signal(str)  # a message to show the user in words ("" clears it)

    def __init__(self, math: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self.mode = "ko"
        self.revealed = False
        self._shown_at = time.monotonic()
        self.status_message = ""
        self.last_error: UserError | None = None  # why the last grade or undo failed

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.home_button = QPushButton()
        self.home_button.clicked.connect(self.back_requested.emit)
        self.lang_button = QPushButton()
        self.lang_button.clicked.connect(self.language_toggled.emit)
        self.demo_button = QPushButton()
        self.demo_button.clicked.connect(self.open_demo)
        top = QHBoxLayout()
        top.addWidget(self.home_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.counts)
        top.addWidget(self.demo_button)
        top.addWidget(self.lang_button)

        self.card_view = CardView(math)
        self.done_label = QLabel()
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 18px; padding: 40px;")
        self.body = QStackedWidget()
        self.body.addWidget(self.card_view)
        self.body.addWidget(self.done_label)

        self.show_button = QPushButton()
        self.show_button.clicked.connect(self.reveal)
        self.grade_buttons: dict[int, QPushButton] = {}
        grades = QHBoxLayout()
        grades.addWidget(self.show_button)
        for rating in (1, 2, 3, 4):
            button = QPushButton()
            button.setMinimumHeight(44)
            button.setStyleSheet(f"QPushButton {{ color: {GRADE_COLORS[rating]}; "
                                 "font-weight: 600; }")
            button.clicked.connect(lambda _checked=False, r=rating: self.grade(r))
            self.grade_buttons[rating] = button
            grades.addWidget(button)
        self.show_button.setMinimumHeight(44)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #57606a; font-size: 11px;")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        layout.addLayout(grades)
        layout.addWidget(self.hint)
        for button in (self.home_button, self.lang_button, self.demo_button, self.show_button,
                       *self.grade_buttons.values()):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- driving the session ------------------------------------------------------------------

    def start(self, session: StudySession, title: str) -> None:
        self.session = session
        self.title.setText(title)
        self.status_message = ""
        self._show_current()
        self.setFocus()

    def reveal(self) -> None:
        if self.session is None or self.session.current is None or self.revealed:
            return
        self.revealed = True
        self._update_view()

    def grade(self, rating: int) -> bool:
        """Grade the current card (only once its answer is shown); True when recorded."""
        if self.session is None or self.session.current is None or not self.revealed:
            return False
        duration_ms = round((time.monotonic() - self._shown_at) * 1000)
        try:
            self.session.grade(rating, duration_ms)  # committed to disk when this returns
        except UserError as err:  # read-only file, full disk, ...: the card stays on screen
            self._report(err)
            return False
        self._report(None)
        self._show_current()
        return True

    def undo(self) -> None:
        if self.session is None:
            return
        try:
            card_id = self.session.undo()
        except UserError as err:
            self._report(err)
            return
        self._report(None)
        if card_id is None:
            self.status_message = tr("nothing_to_undo", self.mode)
        else:
            card = self.session.library.card(card_id)
            question = card.question.get("en" if self.mode == "en" else "ko") if card else card_id
            self.status_message = tr("undone", self.mode, question=question)
        self._show_current()

    def _report(self, err: UserError | None) -> None:
        self.last_error = err
        self.problem.emit(user_message(err, self.mode) if err else "")

    def open_demo(self) -> None:
        """Ask for the current card's demo (if it has one)."""
        card = self.session.current if self.session else None
        if card is not None and card.demo is not None:
            self.demo_requested.emit(card.id)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.card_view.set_mode(mode)
        self._update_view()

    # -- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        letter = latin_letter(event.text())
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and (key == Qt.Key.Key_Z or letter == "z"):
            self.undo()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.revealed:
                self.grade(3)
            else:
                self.reveal()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
            self.grade(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        elif letter == "l" and not ctrl:
            self.language_toggled.emit()
        elif letter == "d" and not ctrl:
            self.open_demo()
        else:
            super().keyPressEvent(event)

    # -- view ---------------------------------------------------------------------------------

    def _show_current(self) -> None:
        self.revealed = False
        self._shown_at = time.monotonic()
        self._update_view()
        if self.session is not None and self.session.current is not None:
            self.card_shown.emit(self.session.current.id)

    def _update_view(self) -> None:
        mode = self.mode
        self.home_button.setText(f"← {tr('home', mode)}")
        self.lang_button.setText(f"{tr('language', mode)}: {tr('lang_' + mode, mode)} (L)")
        self.show_button.setText(f"{tr('show_answer', mode)}  (Space)")
        self.hint.setText(self.status_message or tr("review_keys", mode))
        session = self.session
        card = session.current if session else None
        if session is None or card is None:
            self._show_done()
            return
        counts = session.counts
        self.counts.setText(
            f"<span style='color:#0969da'>{tr('new', mode)} {counts.new}</span> · "
            f"<span style='color:#cf222e'>{tr('learning', mode)} {counts.learning}</span> · "
            f"<span style='color:#1a7f37'>{tr('due', mode)} {counts.review}</span>"
        )
        follow_ups = [c.question for ref in card.follow_ups
                      if (c := session.library.card(ref)) is not None]
        self.card_view.show_card(card, self.revealed, follow_ups)
        self.demo_button.setVisible(card.demo is not None)
        self.demo_button.setText(f"▶ {tr('demo', mode)} (D)")
        self.body.setCurrentWidget(self.card_view)
        self.show_button.setVisible(not self.revealed)
        if self.revealed:
            intervals = session.intervals()
            for rating, button in self.grade_buttons.items():
                label = format_interval(intervals[rating], "en" if mode == "en" else "ko")
                button.setText(f"{tr(GRADE_NAMES[rating], mode)}  {label}\n[{rating}]")
        for button in self.grade_buttons.values():
            button.setVisible(self.revealed)

    def _show_done(self) -> None:
        mode = self.mode
        self.counts.setText("")
        self.demo_button.setVisible(False)
        self.show_button.setVisible(False)
        for button in self.grade_buttons.values():
            button.setVisible(False)
        next_due = self.session.next_due if self.session else None
        if next_due is not None:
            when = next_due.astimezone().strftime("%H:%M")
            detail = tr("next_due_at", mode, time=when)
        else:
            detail = tr("nothing_more", mode)
        self.done_label.setText(f"<b>{tr('done_title', mode)}</b><br><br>{detail}")
        self.body.setCurrentWidget(self.done_label)
