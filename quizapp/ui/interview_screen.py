"""The mock interview: a setup dialog; main questions, each followed by its follow-up chain
(꼬리 질문); the report; and Study → Past interviews, which reopens any report.

The header says who is asking ("main question 2 of 5", or a follow-up and its depth, with the
question it follows up shown above the question). Each question has a countdown, updated
every second, that turns into red overtime (``+0:12``) instead of cutting the answer off.
Typed answers: Ctrl+Enter submits, the result shows the score, the missed concepts and the
model answer, Enter goes on. Aloud: Space shows the model answer, keys 1-4 grade it. Every
answer is on disk (``Interview``) before the next question, so Esc leaves at any time and the
interview, finished or not, is listed in Past interviews.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Library
from quizapp.errors import UserError
from quizapp.store import ProgressStore
from quizapp.store.rehearsals import InterviewAnswer, RehearsalLog
from quizapp.study.clock import utc_now
from quizapp.study.interview import (
    AnswerMode,
    Interview,
    InterviewConfig,
    InterviewQuestion,
    InterviewReport,
    interview_pool,
    interview_report,
    send_to_review,
)
from quizapp.study.scoring import Score
from quizapp.ui.card_view import CardMarkup, card_link
from quizapp.ui.keys import latin_letter
from quizapp.ui.math_images import MathImages
from quizapp.ui.rehearsal_parts import (
    RehearsalScreen,
    SetupDialog,
    countdown_text,
    esc,
    format_clock,
    format_left,
    is_ctrl,
    is_enter,
    new_seed,
    scored_answer_html,
)
from quizapp.ui.strings import chrome_language, tr
from quizapp.ui.theme import colors

TICK_MS = 250  # the countdown is redrawn when its second changes
SELF_GRADES = (1, 2, 3, 4)


class InterviewSetupDialog(SetupDialog):
    """Decks (none: everything), length (main questions or minutes), time per answer,
    language, typed or aloud answers."""

    def __init__(self, library: Library, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(library, mode, "interview_setup_title", parent)
        length = QButtonGroup(self)
        self.by_questions = self.radio("length_questions", length)
        self.questions = QSpinBox()
        self.questions.setRange(1, 30)
        self.questions.setValue(InterviewConfig.main_questions)
        self.by_minutes = self.radio("length_minutes", length)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 180)
        self.minutes.setValue(20)
        self.by_questions.setChecked(True)
        self.per_answer = QDoubleSpinBox()
        self.per_answer.setRange(0.5, 15.0)
        self.per_answer.setSingleStep(0.5)
        self.per_answer.setDecimals(1)
        self.per_answer.setValue(InterviewConfig.seconds_per_answer / 60)
        answers = QButtonGroup(self)
        self.answer_buttons = {"typed": self.radio("mode_typed", answers),
                               "aloud": self.radio("mode_aloud", answers)}
        self.answer_buttons["typed"].setChecked(True)
        self.form.insertRow(0, self.text_label("length"), self.row(
            self.by_questions, self.questions, self.by_minutes, self.minutes))
        self.form.insertRow(1, self.text_label("time_per_answer", self.per_answer),
                            self.row(self.per_answer))
        self.form.insertRow(2, self.text_label("answer_mode"),
                            self.row(*self.answer_buttons.values()))
        self.ready()
        self.decks.setFocus()

    def answer_mode(self) -> AnswerMode:
        return "aloud" if self.answer_buttons["aloud"].isChecked() else "typed"

    def available_count(self) -> tuple[str, int]:
        self.questions.setEnabled(self.by_questions.isChecked())
        self.minutes.setEnabled(self.by_minutes.isChecked())
        pool = interview_pool(self.library, self.decks.checked(), self.answer_mode())
        return "interview_available", len(pool)

    def config(self) -> InterviewConfig:
        return InterviewConfig(
            decks=self.decks.checked(), main_questions=self.questions.value(),
            minutes=self.minutes.value() if self.by_minutes.isChecked() else None,
            seconds_per_answer=round(self.per_answer.value() * 60), lang=self.lang(),
            mode=self.answer_mode(), seed=new_seed())

    def retranslate(self) -> None:
        self.per_answer.setSuffix(tr("minutes_suffix", self.mode))
        super().retranslate()


class InterviewScreen(RehearsalScreen):
    """Runs one ``Interview`` and shows its report (or a past one's)."""

    again_requested = Signal()

    def __init__(self, math_images: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(math_images, parent)
        self.interview: Interview | None = None
        self.store: ProgressStore | None = None
        self.phase = "idle"  # asking, revealed (aloud), result (typed), report
        self.question: InterviewQuestion | None = None  # the question on screen
        self.typed_text = ""
        self.score: Score | None = None  # the typed answer's concepts, for its result
        self.report_data: InterviewReport | None = None
        self.report_info: dict[str, Any] = {}  # the interview's row: start, end, config
        self.sent: int | None = None
        self.clock = time.monotonic
        self._shown_at = 0.0
        self._started_at = 0.0
        self._duration_ms = 0  # of the answer just given

        self.countdown = QLabel()
        self.countdown.setTextFormat(Qt.TextFormat.RichText)
        self.countdown.setMinimumWidth(170)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.top.addWidget(self.countdown)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.reveal_button = self.button(self.reveal, 44)
        self.grade_buttons = {grade: self.button(partial(self.self_grade, grade), 44)
                              for grade in SELF_GRADES}
        grades = QHBoxLayout()
        grades.addWidget(self.reveal_button)
        for button in self.grade_buttons.values():
            grades.addWidget(button)
        self.controls.addLayout(grades)
        self.submit_button = self.button(self.submit_typed)
        self.next_button = self.button(self.next_question)
        self.send_button = self.button(self.send_weak_cards)
        self.again_button = self.button(self.again_requested.emit)
        for widget in (self.submit_button, self.send_button, self.again_button,
                       self.next_button):
            self.action_row.addWidget(widget)
        self.parts += [self.reveal_button, *self.grade_buttons.values(), self.submit_button,
                       self.next_button, self.send_button, self.again_button]
        self.restyle()

    def restyle(self) -> None:
        palette = colors()
        for grade, button in self.grade_buttons.items():  # the review screen's grade colours
            button.setStyleSheet(f"QPushButton {{ color: {palette.grades[grade - 1]}; "
                                 "font-weight: 600; }")
        super().restyle()

    # -- driving the interview ----------------------------------------------------------------

    def start(self, interview: Interview) -> None:
        self.interview = interview
        self.library, self.store = interview.library, interview.store
        self.card_lang = interview.config.lang
        self.preview = None
        self.sent = None
        self.report_data = None
        self._started_at = self.clock()
        self._ask()

    @property
    def typed(self) -> bool:
        return self.interview is not None and self.interview.config.mode == "typed"

    def elapsed_ms(self) -> int:
        """How long the question on screen has been asked."""
        return round((self.clock() - self._shown_at) * 1000)

    def submit_typed(self) -> bool:
        if (self.interview is None or self.question is None or self.phase != "asking"
                or not self.typed or self.preview is not None):
            return False
        text, duration = self.answer_box.answer(), self.elapsed_ms()
        try:
            _, score = self.interview.answer_typed(text, duration)
        except UserError as err:  # the question stays; Ctrl+Enter works once fixed
            self.report(err)
            return False
        self.report(None)
        self.timer.stop()
        self.typed_text, self._duration_ms = text, duration
        self.score = score  # the scoring the interview stored; its spans are marked
        self.phase = "result"
        self._update_view()
        self.setFocus()
        return True

    def reveal(self) -> None:
        """Aloud: the answer is given; stop the clock and show the model answer."""
        if self.phase != "asking" or self.typed or self.preview is not None:
            return
        self._duration_ms = self.elapsed_ms()
        self.timer.stop()
        self.phase = "revealed"
        self._update_view()

    def self_grade(self, grade: int) -> bool:
        """Aloud: grade the answer 1-4 against the model answer; True once recorded."""
        if self.interview is None or self.phase != "revealed" or self.preview is not None:
            return False
        try:
            self.interview.answer_aloud(grade, self._duration_ms)
        except UserError as err:
            self.report(err)
            return False
        self.report(None)
        self._ask()
        return True

    def next_question(self) -> None:
        if self.phase == "result":
            self._ask()

    def tick(self) -> None:
        """Redraw the countdown (and the interview's time left)."""
        if self.phase == "asking" and self.preview is None:
            self._show_clock()
            if self.interview is not None and self.interview.config.minutes is not None:
                self.progress.setText(self._who_is_asking())

    def show_report(self, library: Library, store: ProgressStore, interview_id: int) -> None:
        """Show the report of interview ``interview_id`` (a past one, finished or not)."""
        self.timer.stop()
        self.interview = None
        self.library, self.store = library, store
        self.preview = None
        self.sent = None
        self._show_report_of(interview_report(library, store, interview_id), interview_id)

    def send_weak_cards(self) -> int:
        """Send the report's weak cards to today's review (graded Again); how many."""
        report = self.report_data
        if (self.store is None or report is None or self.sent is not None
                or not report.to_review):
            return 0
        try:
            sent = send_to_review(self.store, report, utc_now())
        except UserError as err:
            self.report(err)
            return 0
        self.report(None)
        self.sent = sent
        self._update_view()
        return sent

    def _ask(self) -> None:
        assert self.interview is not None
        question = self.interview.current
        if question is None:
            self._finish()
            return
        self.question, self.phase = question, "asking"
        self.typed_text, self.score = "", None
        self.answer_box.reset()
        self._shown_at = self.clock()
        self.timer.start()
        self._update_view()
        if self.typed:
            self.answer_box.setFocus()
        else:
            self.setFocus()

    def _finish(self) -> None:
        assert self.interview is not None and self.store is not None
        interview, self.interview = self.interview, None
        try:
            report = interview.finish()
        except UserError as err:  # only the end time is lost; every answer is on disk
            self.report(err)
            report = interview_report(interview.library, self.store, interview.interview_id)
        self._show_report_of(report, interview.interview_id)

    def _show_report_of(self, report: InterviewReport, interview_id: int) -> None:
        assert self.store is not None
        self.timer.stop()
        self.report_data = report
        self.report_info = RehearsalLog(self.store).interview(interview_id)
        self.card_lang = str(self.report_info["config"].get("lang", "ko"))
        self.question, self.phase = None, "report"
        self._update_view()
        self.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:  # Qt override
        self.timer.stop()  # left (Esc) or minimised: the clock keeps counting, the label rests
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        if self.phase == "asking":
            self.timer.start()
        super().showEvent(event)

    # -- keys ---------------------------------------------------------------------------------

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if is_ctrl(event, Qt.Key.Key_Return) or is_ctrl(event, Qt.Key.Key_Enter):
            self.submit_typed()
        elif self.phase == "asking" and not self.typed and (
                key == Qt.Key.Key_Space or is_enter(event)):
            self.reveal()
        elif self.phase == "revealed" and Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
            self.self_grade(key - Qt.Key.Key_0)
        elif self.phase == "result" and (is_enter(event) or key == Qt.Key.Key_Space):
            self.next_question()
        elif self.phase == "report" and latin_letter(event.text()) == "s":
            self.send_weak_cards()
        else:
            return False
        return True

    # -- view ---------------------------------------------------------------------------------

    def _update_screen(self) -> None:
        mode = self.mode
        self.title.setText(tr("interview", mode))
        self.reveal_button.setText(tr("show_model_answer", mode))
        for grade, button in self.grade_buttons.items():
            button.setText(f"{tr(f'aloud_{grade}', mode)}\n[{grade}]")
        self.submit_button.setText(tr("submit", mode))
        self.next_button.setText(tr("next", mode))
        self.again_button.setText(tr("another_interview", mode))
        if self.phase == "report":
            self._show_report()
            return
        question = self.question
        if question is None:
            self.show_only()
            self.countdown.setText("")
            return
        self.progress.setText(self._who_is_asking())
        between = ""
        if self.phase == "result" and self.score is not None:
            between = scored_answer_html(self.typed_text, self.score, mode)
        lead = self._lead(question) if question.parent is not None else None
        self.show_text_page(self.card_page(question.card, self.phase != "asking", between,
                                           lead))
        if self.phase == "asking":
            self.card_view.draw_answer_ahead(question.card)  # shown with the result
        self._show_clock()
        palette = colors()
        if self.phase == "asking" and self.typed:
            self.show_only(self.answer_box, self.submit_button)
            self.hint.setText(tr("typed_keys", mode))
        elif self.phase == "asking":
            self.set_verdict(tr("aloud_prompt", mode), palette.muted)
            self.show_only(self.verdict, self.reveal_button)
            self.hint.setText(tr("interview_keys_aloud", mode))
        elif self.phase == "revealed":
            self.set_verdict(tr("grade_prompt", mode))
            self.show_only(self.verdict, *self.grade_buttons.values())
            self.hint.setText(tr("interview_keys_grade", mode))
        else:
            self.show_only(self.next_button)
            self.hint.setText(tr("interview_keys_result", mode))

    def _who_is_asking(self) -> str:
        """"Main question 2 of 5", or "Follow-up · depth 1 · main question 2 of 5"."""
        question, interview, mode = self.question, self.interview, self.mode
        if question is None or interview is None:
            return ""
        main = sum(a.depth == 0 for a in interview.answers[:question.position])
        main += question.depth == 0
        config = interview.config
        if config.minutes is None:
            where = tr("main_question_of", mode, n=main, total=config.main_questions)
        else:
            left = config.minutes * 60_000 - round((self.clock() - self._started_at) * 1000)
            where = tr("main_question_timed", mode, n=main, left=format_left(left))
        if question.depth == 0:
            return where
        return f"{tr('follow_up_depth', mode, depth=question.depth)} · {where}"

    def _lead(self, question: InterviewQuestion) -> Callable[[CardMarkup], str]:
        parent, mode, muted = question.parent, self.mode, colors().muted
        assert parent is not None

        def lead(markup: CardMarkup) -> str:
            return (f"<p class='label'>{esc(tr('follow_up_on', mode))}</p>"
                    f"<p style='color:{muted}'>{markup.inline(parent.question.get(markup.lang))}"
                    "</p>")
        return lead

    def _show_clock(self) -> None:
        question, palette, mode = self.question, colors(), self.mode
        if question is None or self.phase == "report":
            self.countdown.setText("")
            return
        asking = self.phase == "asking"
        elapsed = self.elapsed_ms() if asking else self._duration_ms
        text, over = countdown_text(elapsed, question.time_limit_ms)
        if asking:
            caption = tr("overtime" if over else "time_left", mode)
        else:
            caption = tr("time_used", mode)
            text = format_clock(elapsed) + (f" ({text})" if over else "")
        color = palette.wrong if over else palette.text
        self.countdown.setText(
            f"<span style='color:{palette.muted}'>{esc(caption)}</span>&nbsp; "
            f"<span style='font-size:22px; font-weight:700; color:{color}'>{esc(text)}</span>")

    def _show_report(self) -> None:
        mode, report = self.mode, self.report_data
        assert report is not None
        self.progress.setText("")
        self.countdown.setText("")
        self.show_text_page(self._report_page)
        visible: list[QWidget] = [self.again_button]
        if self.sent is not None:
            self.set_verdict(tr("sent_report", mode, count=self.sent), colors().right)
            visible.append(self.verdict)
        elif report.to_review:
            self.send_button.setText(tr("send_report", mode, count=len(report.to_review)))
            visible.append(self.send_button)
        self.show_only(*visible)
        send = tr("report_keys_send", mode) if self.send_button in visible else ""
        self.hint.setText(tr("report_keys", mode, send=send))

    def _report_page(self, markup: CardMarkup) -> str:
        report, info, mode, palette = self.report_data, self.report_info, self.mode, colors()
        if report is None:
            return ""
        started = datetime.fromisoformat(info["started_at"]).astimezone()
        state = tr("state_finished" if info.get("finished_at") else "state_unfinished", mode)
        mean = "—" if report.mean_score is None else f"{report.mean_score:.2f}"
        totals = tr("report_totals", mode, answers=len(report.answers),
                    time=format_clock(report.total_ms), mean=mean, overtime=report.overtime)
        when = tr("report_started", mode, date=started.strftime("%Y-%m-%d %H:%M"), state=state)
        parts = [f"<h2>{esc(tr('report_title', mode))}</h2>",
                 f"<p style='color:{palette.muted}'>{esc(when)}</p><p><b>{esc(totals)}</b></p>"]
        if not report.answers:
            parts.append(f"<p>{esc(tr('no_answers_yet', mode))}</p>")
            return "".join(parts)
        typed = any(a.mode == "typed" for a in report.answers)  # else no missed concepts
        columns = [("#", 3), (tr("col_question", mode), 57 if typed else 75),
                   (tr("col_time", mode), 10), (tr("col_score", mode), 10)]
        columns += [(tr("col_missed", mode), 20)] if typed else []
        head = "".join(f"<th align='left' width='{width}%'>{esc(h)}</th>"
                       for h, width in columns)
        rows = "".join(self._report_row(number, answer, markup, typed)
                       for number, answer in enumerate(report.answers, 1))
        # (a table 100 % wide overflows the pane by its borders: a horizontal scroll bar)
        parts.append(f"<table width='98%' cellspacing='0' cellpadding='4'><tr>{head}</tr>"
                     f"{rows}</table>")
        if report.weakest_topics:
            lang = chrome_language(mode)
            lines = [tr("topic_line", mode, topic=self._topic(t.topic, lang),
                        mean=f"{t.mean_score:.2f}", answers=t.answers)
                     for t in report.weakest_topics]
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            parts.append(f"<br><h3>{esc(tr('weakest_topics', mode))}</h3><ul>{items}</ul>")
        return "".join(parts)

    def _report_row(self, number: int, answer: InterviewAnswer, markup: CardMarkup,
                    with_missed: bool) -> str:
        palette, mode = colors(), self.mode
        card = self.library.card(answer.card_id) if self.library else None
        question = card_link(card, markup) if card else esc(answer.card_id)
        indent = "&nbsp;&nbsp;&nbsp;" * answer.depth + ("└ " if answer.depth else "")
        time_text = format_clock(answer.duration_ms)
        if answer.duration_ms > answer.time_limit_ms:
            over = format_clock(answer.duration_ms - answer.time_limit_ms)
            time_text = f"<span style='color:{palette.wrong}'>{time_text} (+{over})</span>"
        if answer.score is not None:
            score = f"{answer.score:.2f}"
        elif answer.self_grade is not None:
            score = esc(tr("self_grade_of", mode, grade=answer.self_grade))
        else:
            score = "—"
        weak = self.report_data is not None and answer.card_id in self.report_data.to_review
        if weak:
            score = f"<span style='color:{palette.wrong}'>{score}</span>"
        missed = f"<td>{esc(', '.join(answer.missed))}</td>" if with_missed else ""
        return (f"<tr><td>{number}</td><td>{indent}{question}</td><td>{time_text}</td>"
                f"<td>{score}</td>{missed}</tr>")

    def _topic(self, topic: str, lang: str) -> str:
        deck = None if topic.startswith("#") or self.library is None else (
            self.library.deck(topic))
        return deck.title.get(lang) if deck is not None else topic


class PastInterviewsDialog(QDialog):
    """Study → Past interviews: date, answers, mean score; Enter reopens a report."""

    report_requested = Signal(int)

    def __init__(self, rows: list[dict[str, Any]], mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.rows = rows
        self.mode = mode
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(5)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda item, _column: self.open_item(item))
        self.empty = QLabel()
        self.open_button = QPushButton()
        self.close_button = QPushButton()
        for button in (self.open_button, self.close_button):
            button.setAutoDefault(False)  # Enter belongs to the list (no double open)
        self.open_button.clicked.connect(lambda: self.open_item(self.tree.currentItem()))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.resize(760, 460)
        self.set_mode(mode)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.tree.setFocus()

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.report_requested.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
            self.accept()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.setWindowTitle(tr("past_title", mode))
        self.tree.setHeaderLabels([tr(key, mode) for key in (
            "past_date", "past_answers", "past_mean", "past_mode", "past_state")])
        self.open_button.setText(tr("open_report", mode))
        self.close_button.setText(tr("close", mode))
        self.empty.setText(tr("no_past", mode))
        self.empty.setVisible(not self.rows)
        current = self.tree.currentIndex().row()
        self.tree.clear()
        for row in self.rows:
            started = datetime.fromisoformat(row["started_at"]).astimezone()
            mean = row["mean_score"]
            aloud = row["config"].get("mode") == "aloud"
            item = QTreeWidgetItem([
                started.strftime("%Y-%m-%d %H:%M"), str(row["answers"]),
                "—" if mean is None else f"{mean:.2f}",
                tr("aloud_short" if aloud else "typed_short", mode),
                tr("state_finished" if row["finished_at"] else "state_unfinished", mode)])
            item.setData(0, Qt.ItemDataRole.UserRole, row["id"])
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
        kept = self.tree.topLevelItem(current) if current >= 0 else None
        if kept is not None:
            self.tree.setCurrentItem(kept)
