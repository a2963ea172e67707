"""The quiz: a setup dialog (decks, tags, how many, multiple choice or typed, language), the
questions one at a time with immediate feedback, and a summary whose missed cards can be sent
to today's review.

Multiple choice: keys 1-4 (or a click) choose; the right option is marked and the card's full
answer shown; Enter or Space goes on. Typed: write in the box (Korean input methods work) and
press Ctrl+Enter; the result marks the words that named a concept, lists the missed concepts,
gives the score and the model answer; Ctrl+O ("I said it") counts it right; Enter goes on.
Each answer is on disk (``QuizRound``) before the next question, so Esc leaves at any time
without asking.
"""

from __future__ import annotations

import time
from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from quizapp.content import Library
from quizapp.errors import UserError
from quizapp.study.quiz import (
    QuizConfig,
    QuizMode,
    QuizQuestion,
    QuizResult,
    QuizRound,
    eligible_cards,
)
from quizapp.ui.card_view import CardMarkup, card_link
from quizapp.ui.keys import latin_letter
from quizapp.ui.math_images import MathImages
from quizapp.ui.rehearsal_parts import (
    Checklist,
    RehearsalScreen,
    SetupDialog,
    esc,
    format_clock,
    is_ctrl,
    is_enter,
    new_seed,
    scored_answer_html,
)
from quizapp.ui.strings import chrome_language, tr
from quizapp.ui.theme import colors

DEFAULT_COUNT = 10
MAX_COUNT = 100
SHOWN_CHARS = 160  # of an answer quoted in the summary


class QuizSetupDialog(SetupDialog):
    """Decks and tags (none checked: all), the number of questions, the mode, the language."""

    def __init__(self, library: Library, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(library, mode, "quiz_setup_title", parent)
        tag_counts = Counter(tag for card in library.cards for tag in card.tags)
        self.tags = Checklist()
        for tag in sorted(tag_counts):
            self.tags.add(tag, f"{tag} ({tag_counts[tag]})")
        self.tags.changed.connect(self.update_available)
        self.tag_filter = QLineEdit()
        self.tag_filter.setClearButtonEnabled(True)
        self.tag_filter.textChanged.connect(self.filter_tags)
        self.lists.addLayout(self.titled(self.tags, "setup_tags", self.tag_filter,
                                         buddy=self.tag_filter), 1)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_COUNT)
        self.count.setValue(DEFAULT_COUNT)
        self.count.valueChanged.connect(lambda *_: self.update_available())
        group = QButtonGroup(self)
        self.mode_buttons = {"choice": self.radio("mode_choice", group),
                             "typed": self.radio("mode_typed", group)}
        self.mode_buttons["choice"].setChecked(True)
        self.form.insertRow(0, self.text_label("question_count", self.count),
                            self.row(self.count))
        self.form.insertRow(1, self.text_label("quiz_mode"),
                            self.row(*self.mode_buttons.values()))
        self.ready()
        self.decks.setFocus()

    def quiz_mode(self) -> QuizMode:
        return "typed" if self.mode_buttons["typed"].isChecked() else "choice"

    def filter_tags(self, text: str) -> None:
        needle = text.strip().lower()
        for item in self.tags.all_items():
            item.setHidden(needle not in str(item.data(Qt.ItemDataRole.UserRole)).lower())

    def available_count(self) -> tuple[str, int]:
        cards = eligible_cards(self.library, self.decks.checked(), self.tags.checked(),
                               self.quiz_mode())
        return "quiz_available", len(cards)

    def asked(self, count: int) -> int:
        return min(count, self.count.value())

    def config(self) -> QuizConfig:
        return QuizConfig(decks=self.decks.checked(), tags=self.tags.checked(),
                          count=self.count.value(), mode=self.quiz_mode(), lang=self.lang(),
                          seed=new_seed())

    def retranslate(self) -> None:
        self.tag_filter.setPlaceholderText(tr("tag_filter", self.mode))
        super().retranslate()


class OptionTile(QFrame):
    """One multiple-choice option: its number and its text (plain text, wrapped)."""

    clicked = Signal()

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("option")
        self.number = QLabel(str(number))
        self.number.setFixedWidth(28)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # card text: never markup here
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.number)
        row.addWidget(self.text, 1)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()

    def set_look(self, look: str) -> None:
        """"plain", "right" (the right option once answered), "wrong" (the wrong choice) or
        "dim" (the others)."""
        palette = colors()
        background, border, number = {
            "plain": ("transparent", palette.border, palette.link),
            "right": (palette.right_bg, palette.right, palette.right),
            "wrong": (palette.wrong_bg, palette.wrong, palette.wrong),
            "dim": ("transparent", palette.border, palette.muted),
        }[look]
        self.look = look
        self.setStyleSheet(f"QFrame#option {{ background: {background}; border: 1px solid "
                           f"{border}; border-radius: 6px; }}")
        self.number.setStyleSheet(f"font-weight: 700; font-size: 15px; color: {number};")
        self.text.setStyleSheet(f"font-size: 14px; color: "
                                f"{palette.muted if look == 'dim' else palette.text};")


class QuizScreen(RehearsalScreen):
    """Runs one ``QuizRound``; emits ``again_requested`` for another round."""

    again_requested = Signal()

    def __init__(self, math_images: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(math_images, parent)
        self.round: QuizRound | None = None
        self.question: QuizQuestion | None = None  # the question on screen
        self.number = 0  # its number in the round
        self.result: QuizResult | None = None  # its result, once answered
        self.typed_text = ""
        self.typed_answers: list[str] = []  # by position ("" for a multiple-choice answer)
        self.overridden = False
        self.finished = False
        self.sent: int | None = None  # missed cards sent to review
        self.clock = time.monotonic
        self._shown_at = 0.0
        self._started_at = 0.0
        self._elapsed_ms = 0

        self.options = [OptionTile(number) for number in (1, 2, 3, 4)]
        for index, tile in enumerate(self.options):
            tile.clicked.connect(lambda i=index: self.answer_choice(i))
            self.controls.addWidget(tile)
        self.submit_button = self.button(self.submit_typed)
        self.override_button = self.button(self.override)
        self.next_button = self.button(self.next_question)
        self.send_button = self.button(self.send_missed)
        self.again_button = self.button(self.again_requested.emit)
        for widget in (self.override_button, self.submit_button, self.send_button,
                       self.again_button, self.next_button):
            self.action_row.addWidget(widget)
        self.parts += [*self.options, self.submit_button, self.override_button,
                       self.next_button, self.send_button, self.again_button]
        self.restyle()

    # -- driving the round --------------------------------------------------------------------

    def start(self, quiz: QuizRound) -> None:
        self.round = quiz
        self.library = quiz.library
        self.card_lang = quiz.config.lang
        self.preview = None
        self.finished = False
        self.sent = None
        self.typed_answers = []
        self._started_at = self.clock()
        if quiz.current is None:
            self._finish()
        else:
            self._ask(quiz.current)

    @property
    def typed(self) -> bool:
        return self.round is not None and self.round.config.mode == "typed"

    def answer_choice(self, index: int) -> bool:
        """Choose option ``index`` (0-3) for the question on screen; True once recorded."""
        if (self.round is None or self.question is None or self.result is not None
                or self.typed or self.preview is not None):
            return False
        try:
            result = self.round.answer_choice(index, self._duration_ms())
        except UserError as err:  # the question stays; the same key works once fixed
            self.report(err)
            return False
        self.report(None)
        self.result = result
        self.typed_answers.append("")
        self._update_view()
        return True

    def submit_typed(self) -> bool:
        if (self.round is None or self.question is None or self.result is not None
                or not self.typed or self.preview is not None):
            return False
        text = self.answer_box.answer()
        try:
            result = self.round.answer_typed(text, self._duration_ms())
        except UserError as err:
            self.report(err)
            return False
        self.report(None)
        self.typed_text, self.result = text, result
        self.typed_answers.append(text)
        self._update_view()
        self.setFocus()
        return True

    def override(self) -> bool:
        """"I said it": count the typed answer on screen as right."""
        if self.round is None or self.result is None or self.result.correct or not self.typed:
            return False
        try:
            self.round.override(self.number - 1)
        except UserError as err:
            self.report(err)
            return False
        self.report(None)
        self.result = self.round.results[self.number - 1]
        self.overridden = True
        self._update_view()
        return True

    def next_question(self) -> None:
        if self.round is None or self.result is None:
            return
        if self.round.current is not None:
            self._ask(self.round.current)
        else:
            self._finish()

    def send_missed(self) -> int:
        """Send the round's missed cards to today's review (graded Again); how many."""
        if self.round is None or not self.finished or self.sent is not None:
            return 0
        try:
            sent = self.round.send_missed_to_review()
        except UserError as err:
            self.report(err)
            return 0
        self.report(None)
        self.sent = sent
        self._update_view()
        return sent

    def _ask(self, question: QuizQuestion) -> None:
        assert self.round is not None
        self.question, self.result = question, None
        self.number = self.round.position + 1
        self.typed_text, self.overridden = "", False
        self.answer_box.reset()
        self._shown_at = self.clock()
        self._update_view()
        if self.typed:
            self.answer_box.setFocus()
        else:
            self.setFocus()

    def _finish(self) -> None:
        assert self.round is not None
        self._elapsed_ms = round((self.clock() - self._started_at) * 1000)
        self.question, self.result, self.finished = None, None, True
        try:
            self.round.finish()
        except UserError as err:  # only the end time is lost; every answer is on disk
            self.report(err)
        self._update_view()
        self.setFocus()

    def _duration_ms(self) -> int:
        return round((self.clock() - self._shown_at) * 1000)

    # -- keys ---------------------------------------------------------------------------------

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if is_ctrl(event, Qt.Key.Key_O):
            self.override()
        elif is_ctrl(event, Qt.Key.Key_Return) or is_ctrl(event, Qt.Key.Key_Enter):
            self.submit_typed()
        elif self.result is not None and (is_enter(event) or key == Qt.Key.Key_Space):
            self.next_question()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_4 and not self.typed:
            self.answer_choice(key - Qt.Key.Key_1)
        elif self.finished and latin_letter(event.text()) == "s":
            self.send_missed()
        else:
            return False
        return True

    # -- view ---------------------------------------------------------------------------------

    def _update_screen(self) -> None:
        mode = self.mode
        self.title.setText(f"{tr('quiz', mode)} · {self._scope()}")
        self.submit_button.setText(tr("submit", mode))
        self.override_button.setText(tr("i_said_it", mode))
        self.next_button.setText(tr("next", mode))
        self.again_button.setText(tr("another_quiz", mode))
        if self.round is None:
            self.show_only()
            return
        if self.finished:
            self._show_summary()
            return
        question, result = self.question, self.result
        assert question is not None
        self.progress.setText(tr("quiz_progress", mode, n=self.number,
                                 total=len(self.round.questions)))
        between = ""
        if self.typed and result is not None and result.score is not None:
            between = scored_answer_html(self.typed_text, result.score, mode)
        self.show_text_page(self.card_page(question.card, result is not None, between))
        if result is None:
            self.card_view.draw_answer_ahead(question.card)  # shown with the feedback
        if self.typed:
            self._show_typed(result)
        else:
            self._show_choice(question, result)

    def _show_choice(self, question: QuizQuestion, result: QuizResult | None) -> None:
        mode, palette = self.mode, colors()
        for index, tile in enumerate(self.options):
            tile.text.setText(question.options[index] if index < len(question.options) else "")
            if result is None:
                tile.set_look("plain")
            elif index == question.correct_option:
                tile.set_look("right")
            else:
                tile.set_look("wrong" if index == result.choice else "dim")
        if result is None:
            self.show_only(*self.options)
            self.hint.setText(tr("quiz_keys_choice", mode))
            return
        right = (question.correct_option or 0) + 1
        if result.correct:
            self.set_verdict(tr("right_choice", mode), palette.right)
        else:
            self.set_verdict(tr("wrong_choice", mode, n=right), palette.wrong)
        self.show_only(*self.options, self.verdict, self.next_button)
        self.hint.setText(tr("quiz_keys_feedback", mode))

    def _show_typed(self, result: QuizResult | None) -> None:
        mode, palette = self.mode, colors()
        if result is None:
            self.show_only(self.answer_box, self.submit_button)
            self.hint.setText(tr("typed_keys", mode))
            return
        if self.overridden:
            self.set_verdict(tr("overridden", mode), palette.right)
        elif result.correct:
            self.set_verdict(tr("typed_pass", mode), palette.right)
        else:
            self.set_verdict(tr("typed_fail", mode), palette.wrong)
        extra = [] if result.correct else [self.override_button]
        self.show_only(self.verdict, self.next_button, *extra)
        self.hint.setText(tr("quiz_keys_result", mode))

    def _show_summary(self) -> None:
        assert self.round is not None
        mode = self.mode
        missed = len(self.round.missed_cards())
        self.progress.setText("")
        self.show_text_page(self._summary_page)
        visible: list[QWidget] = [self.again_button]
        if self.sent is not None:
            self.set_verdict(tr("sent_missed", mode, count=self.sent), colors().right)
            visible.append(self.verdict)
        elif missed:
            self.send_button.setText(tr("send_missed", mode, count=missed))
            visible.append(self.send_button)
        self.show_only(*visible)
        send = tr("summary_keys_send", mode) if self.send_button in visible else ""
        self.hint.setText(tr("summary_keys", mode, send=send))

    def _summary_page(self, markup: CardMarkup) -> str:
        assert self.round is not None
        quiz, mode = self.round, self.mode
        results = quiz.results
        right = sum(r.correct for r in results)
        percent = round(100 * right / len(results)) if results else 0
        line = tr("round_score", mode, right=right, total=len(results), percent=percent,
                  time=format_clock(self._elapsed_ms))
        parts = [f"<h2>{esc(tr('round_over', mode))}</h2><p><b>{esc(line)}</b></p>"]
        items = []
        for question, result, typed in zip(quiz.questions, results, self.typed_answers,
                                           strict=False):
            if result.correct:
                continue
            answered = self._answer_text(question, result, typed)
            detail = f"{esc(tr('your_answer', mode))}: {esc(answered)}"
            if result.score is not None:
                detail += f" · {esc(tr('col_score', mode))} {result.score.score:.2f}"
            elif question.correct_option is not None:
                detail += (f"<br>{esc(tr('right_answer', mode))}: "
                           f"{esc(question.options[question.correct_option])}")
            items.append(f"<p style='margin-bottom:10px'>{len(items) + 1}. "
                         f"{card_link(question.card, markup)}<br>"
                         f"<span style='color:{colors().muted}'>{detail}</span></p>")
        if items:
            parts.append(f"<h3>{esc(tr('misses', mode))}</h3>{''.join(items)}"),
        else:
            parts.append(f"<p>{esc(tr('no_misses', mode))}</p>")
        return "".join(parts)

    def _answer_text(self, question: QuizQuestion, result: QuizResult, typed: str) -> str:
        text = question.options[result.choice] if result.choice is not None else typed
        text = " ".join(text.split()) or tr("no_answer", self.mode)
        return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"

    def _scope(self) -> str:
        """The decks and tags the round asks from, in a few words."""
        if self.round is None or self.library is None:
            return ""
        config, lang = self.round.config, chrome_language(self.mode)
        names = [deck.title.get(lang) for deck_id in config.decks
                 if (deck := self.library.deck(deck_id)) is not None]
        names += [f"#{tag}" for tag in config.tags]
        if not names:
            return tr("all_decks", self.mode)
        return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
