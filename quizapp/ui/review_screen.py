"""The review screen: question → reveal (Space/Enter) → grade 1-4, undo with Ctrl+Z.

Every grade goes through ``grade()``, whether it comes from a key, a button or the smoke test;
it returns only after the study session has committed the review to the database.

A follow-up question under an answer is a link: clicking it shows that card (question and
answer) without grading anything; Backspace or Esc returns to the card being studied. When
nothing is left today, the done panel says why (no cards due, the deck's or the all-decks new
card limit) and offers more new cards for today.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Card, Library
from quizapp.errors import UserError
from quizapp.study import StudySession, format_interval
from quizapp.study.clock import utc_now
from quizapp.study.custom import CustomSession
from quizapp.ui.card_view import CardView
from quizapp.ui.errors import user_message
from quizapp.ui.math_images import MathImages
from quizapp.ui.strings import tr
from quizapp.ui.theme import colors

GRADE_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}  # keys of ui.strings
MORE_NEW_CARDS = 10  # the done panel's "more new cards today" step
STATUS_SECONDS = 6  # a status message fades after this long


class ReviewScreen(QWidget):
    """Studies one session's queue; emits ``back_requested`` and asks for demos."""

    back_requested = Signal()
    card_shown = Signal(str)  # card id, once its question is on screen
    demo_requested = Signal(str)  # the id of the card whose demo to open
    problem = Signal(str)  # a message to show the user in words ("" clears it)
    cards_changed = Signal(list)  # card ids whose progress a grade or an undo here changed
    custom_requested = Signal()  # the done panel's "Custom study…"

    def __init__(self, math: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self.mode = "ko"
        self.revealed = False
        self.preview: Card | None = None  # a follow-up card shown for reading, not grading
        self._shown_at = time.monotonic()
        self._status: tuple[str, dict[str, object]] | None = None  # (strings key, values)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self.clear_status)
        self.last_error: UserError | None = None  # why the last grade or undo failed

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.home_button = QPushButton()
        self.home_button.clicked.connect(self.back_requested.emit)
        self.demo_button = QPushButton()
        self.demo_button.clicked.connect(self.open_demo)
        top = QHBoxLayout()
        top.addWidget(self.home_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.counts)
        top.addWidget(self.demo_button)

        self.preview_bar = QLabel()
        self.preview_bar.setWordWrap(True)
        self.card_view = CardView(math)
        self.card_view.card_requested.connect(self.show_preview)
        self.done_label = QLabel()
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("font-size: 18px; padding: 40px;")
        self.more_button = QPushButton()
        self.more_button.setMinimumHeight(40)
        self.more_button.clicked.connect(self.add_new_cards)
        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addStretch(1)
        done_layout.addWidget(self.done_label)
        done_layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.custom_button = QPushButton()
        self.custom_button.setMinimumHeight(40)
        self.custom_button.clicked.connect(self.custom_requested.emit)
        done_layout.addWidget(self.custom_button, 0, Qt.AlignmentFlag.AlignHCenter)
        done_layout.addStretch(1)
        self.done_panel = done
        self.body = QStackedWidget()
        self.body.addWidget(self.card_view)
        self.body.addWidget(done)

        self.show_button = QPushButton()
        self.show_button.clicked.connect(self.reveal)
        self.show_button.setMinimumHeight(44)
        self.grade_buttons: dict[int, QPushButton] = {}
        grades = QHBoxLayout()
        grades.addWidget(self.show_button)
        for rating in (1, 2, 3, 4):
            button = QPushButton()
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _checked=False, r=rating: self.grade(r))
            self.grade_buttons[rating] = button
            grades.addWidget(button)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview_bar)
        layout.addWidget(self.body, 1)
        layout.addLayout(grades)
        layout.addWidget(self.hint)
        for button in (self.home_button, self.demo_button, self.show_button, self.more_button,
                       self.custom_button,
                       *self.grade_buttons.values()):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.restyle()

    # -- driving the session ------------------------------------------------------------------

    def start(self, session: StudySession) -> None:
        self.session = session
        self.clear_status()
        self._show_current()
        self.setFocus()

    def use_library(self, library: Library) -> None:
        """New content (a card edited, a file changed on disk): show it and keep the session,
        the card on screen and whether its answer is shown."""
        session = self.session
        if session is None:
            return
        shown = session.current.id if session.current is not None else None
        session.library = library
        session.refresh()
        if self.preview is not None:
            self.preview = library.card(self.preview.id)
        current = session.current
        if current is not None and current.id == shown:
            self._update_view()
        else:
            self._show_current(keep_status=True)

    def reveal(self) -> None:
        if self.session is None or self.session.current is None or self.revealed:
            return
        self.revealed = True
        self._update_view()

    def grade(self, rating: int) -> bool:
        """Grade the current card (only once its answer is shown); True when recorded."""
        if (self.session is None or self.session.current is None or not self.revealed
                or self.preview is not None):
            return False
        duration_ms = round((time.monotonic() - self._shown_at) * 1000)
        card_id = self.session.current.id
        try:
            leech = self.session.grade(rating, duration_ms)  # on disk when this returns
        except UserError as err:  # read-only file, full disk, ...: the card stays on screen
            self._report(err)
            return False
        self._report(None)
        self.clear_status()
        self._show_current()
        if leech is not None:  # Anki's "card was a leech"
            suspended = self.session.settings.leech_action != "tag"
            self.show_status("leech_suspended" if suspended else "leech_tagged", lapses=leech)
        self.cards_changed.emit([card_id])
        return True

    def undo(self) -> None:
        if self.session is None:
            return
        try:
            undone = self.session.undo_last()  # the newest grade, or a browser action
        except UserError as err:
            self._report(err)
            return
        self._report(None)
        self.preview = None
        if undone is None:
            self.show_status("nothing_to_undo")
        elif undone.kind == "grade":
            self.show_status("undone")
        else:
            self.show_status("undone_other", what=tr(f"kind_{undone.kind}", self.mode),
                             count=len(undone.card_ids))
        self._show_current(keep_status=True)
        if undone is not None:
            self.cards_changed.emit(list(undone.card_ids))

    def refresh_session(self) -> None:
        """Rebuild the queue after cards changed elsewhere (the browser suspended, buried or
        reset one); the card on screen stays unless it left the queue."""
        if self.session is None:
            return
        before = self.session.current
        self.session.refresh()
        if self.session.current is before or (
                before is not None and self.session.current is not None
                and self.session.current.id == before.id):
            self._update_view()
        else:
            self._show_current(keep_status=True)

    def add_new_cards(self) -> None:
        """The done panel's offer: ``MORE_NEW_CARDS`` more new cards today."""
        if self.session is None:
            return
        try:
            self.session.add_new_cards(MORE_NEW_CARDS)
        except UserError as err:
            self._report(err)
            return
        self._show_current()

    def _report(self, err: UserError | None) -> None:
        self.last_error = err
        self.problem.emit(user_message(err, self.mode) if err else "")

    def open_demo(self) -> None:
        """Ask for the current (or previewed) card's demo, or say it has none."""
        card = self.preview or (self.session.current if self.session else None)
        if card is None:
            return
        if card.demo is None:
            self.show_status("no_demo")
        else:
            self.demo_requested.emit(card.id)

    def show_preview(self, card_id: str) -> None:
        """Show follow-up card ``card_id`` for reading (nothing is graded)."""
        card = self.session.library.card(card_id) if self.session else None
        if card is None:
            return
        self.preview = card
        self._update_view()

    def close_preview(self) -> bool:
        """Back from a previewed follow-up to the card being studied; True if there was one."""
        if self.preview is None:
            return False
        self.preview = None
        self._update_view()
        return True

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.card_view.set_mode(mode)
        self._update_view()

    def restyle(self) -> None:
        """Apply the current theme's colours."""
        palette = colors()
        for rating, button in self.grade_buttons.items():
            button.setStyleSheet(f"QPushButton {{ color: {palette.grades[rating - 1]}; "
                                 "font-weight: 600; }")
        self.hint.setStyleSheet(f"color: {palette.muted}; font-size: 11px;")
        self.preview_bar.setStyleSheet(f"background: {palette.notice_bg}; border: 1px solid "
                                       f"{palette.border}; border-radius: 4px; padding: 6px;")
        self.card_view.restyle()
        self._update_view()

    # -- status line --------------------------------------------------------------------------

    def show_status(self, key: str, **values: object) -> None:
        """Show a message (a ``strings`` key, so it follows the language) for a few seconds."""
        self._status = (key, values)
        self._status_timer.start(STATUS_SECONDS * 1000)
        self._update_hint()

    def clear_status(self) -> None:
        self._status = None
        self._status_timer.stop()
        self._update_hint()

    def _update_hint(self) -> None:
        if self._status is not None:
            key, values = self._status
            self.hint.setText(tr(key, self.mode, **values))
        elif self.preview is not None:
            self.hint.setText(tr("preview_keys", self.mode))
        else:
            self.hint.setText(tr("review_keys", self.mode))

    # -- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key == Qt.Key.Key_Z:
            self.undo()  # also a menu shortcut; this covers key events sent to the screen
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace) and self.close_preview():
            pass
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.revealed:
                self.grade(3)
            else:
                self.reveal()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
            self.grade(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        else:
            super().keyPressEvent(event)

    # -- view ---------------------------------------------------------------------------------

    def _show_current(self, keep_status: bool = False) -> None:
        self.revealed = False
        self.preview = None
        self._shown_at = time.monotonic()
        if not keep_status:
            self._update_hint()
        self._update_view()
        if self.session is not None and self.session.current is not None:
            self.card_shown.emit(self.session.current.id)

    def _title(self) -> str:
        session = self.session
        deck = session.library.deck(session.deck_id) if session and session.deck_id else None
        title = deck.title.get("en" if self.mode == "en" else "ko") if deck else tr(
            "all_decks", self.mode)
        if session is not None and session.tag:
            title = f"#{session.tag}"
        if isinstance(session, CustomSession):
            kind = tr(f"custom_{session.study.kind}", self.mode)
            keeps = "" if session.study.reschedules else f" · {tr('custom_no_schedule', self.mode)}"
            return f"{title} · {kind}{keeps}"
        return title

    def _update_view(self) -> None:
        mode = self.mode
        self.title.setText(self._title())
        self.home_button.setText(f"← {tr('home', mode)}")
        self.show_button.setText(f"{tr('show_answer', mode)}  (Space)")
        self.demo_button.setText(f"▶ {tr('demo', mode)} (D)")
        self._update_hint()
        session = self.session
        card = session.current if session else None
        if session is None or card is None:
            self._show_done()
            return
        palette = colors()
        counts = session.counts
        self.counts.setText(
            f"<span style='color:{palette.new}'>{tr('new', mode)} {counts.new}</span> · "
            f"<span style='color:{palette.learning}'>{tr('learning', mode)} "
            f"{counts.learning}</span> · "
            f"<span style='color:{palette.due}'>{tr('due', mode)} {counts.review}</span>")
        shown = self.preview or card
        follow_ups = [c for ref in shown.follow_ups if (c := session.library.card(ref))]
        self.card_view.show_card(shown, self.revealed or self.preview is not None, follow_ups)
        self.preview_bar.setVisible(self.preview is not None)
        if self.preview is not None:
            self.preview_bar.setText(tr("preview_bar", mode))
        self.demo_button.setVisible(shown.demo is not None)
        self.body.setCurrentWidget(self.card_view)
        grading = self.revealed and self.preview is None
        self.show_button.setVisible(not self.revealed and self.preview is None)
        if grading:
            intervals = session.intervals()
            for rating, button in self.grade_buttons.items():
                interval = intervals.get(rating)  # none in custom study that does not reschedule
                label = format_interval(interval, "en" if mode == "en" else "ko") if interval \
                    is not None else ""
                button.setText(f"{tr(GRADE_NAMES[rating], mode)}  {label}\n[{rating}]")
        for button in self.grade_buttons.values():
            button.setVisible(grading)

    def _show_done(self) -> None:
        mode = self.mode
        self.counts.setText("")
        self.preview_bar.setVisible(False)
        self.demo_button.setVisible(False)
        self.show_button.setVisible(False)
        for button in self.grade_buttons.values():
            button.setVisible(False)
        session = self.session
        queue = session.queue if session else None
        lines = [f"<b>{tr('done_title', mode)}</b>"]
        if isinstance(session, CustomSession):
            lines.append(tr("custom_done", mode))
        if queue is not None and queue.new_left:
            scope = "deck" if session and session.deck_id else "all"
            reason = f"done_new_limit_{queue.new_stopped_by}" if scope == "deck" else (
                "done_new_limit_all")
            lines.append(tr(reason, mode, left=queue.new_left))
        if queue is not None and queue.next_due is not None:
            lines.append(tr("next_due_at", mode, time=due_text(queue.next_due, utc_now())))
        elif queue is None or not queue.new_left:
            lines.append(tr("nothing_more", mode))
        self.done_label.setText("<br><br>".join(lines))
        offer = queue is not None and queue.new_left > 0
        self.more_button.setVisible(offer)
        self.more_button.setText(tr("more_new_cards", mode, count=MORE_NEW_CARDS))
        self.custom_button.setText(f"{tr('custom_study', mode)} (C)")
        self.body.setCurrentWidget(self.done_panel)


def due_text(due: datetime, now: datetime) -> str:
    """When ``due`` is, in local time: the time of day when it is today, else date and time."""
    local = due.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
