"""What the quiz and the mock-interview screens share: the typed-answer box (Korean input
methods included), the scored answer with the words that named a concept marked, the setup
dialog's common fields (decks, language, Start on Enter), and the screen frame: a header, the
card pane, a read-only card preview (Backspace/Esc back), a verdict line and a key hint.

Card text only ever reaches the screen through the card pane (``CardView.show_page``) or as
plain text; what we add around it (the user's own answer, concept terms) is escaped here.
"""

from __future__ import annotations

import html
import math
import random
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Card, Library
from quizapp.errors import UserError
from quizapp.study.scoring import ConceptResult, Score
from quizapp.ui.card_view import CardMarkup, CardView, Page, card_page
from quizapp.ui.errors import user_message
from quizapp.ui.math_images import MathImages
from quizapp.ui.strings import chrome_language, tr
from quizapp.ui.theme import Colors, colors

LANGS = ("ko", "en")


def new_seed() -> int:
    """A fresh seed for a round or an interview (stored with it, so it can be replayed)."""
    return random.randrange(2**31)


def format_clock(ms: int) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour) for a duration in milliseconds."""
    minutes, seconds = divmod(max(0, ms) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def format_left(ms: int) -> str:
    """Time left, rounded up to the second (2:00 at the start, 0:00 when it is up)."""
    return format_clock(math.ceil(ms / 1000) * 1000)


def countdown_text(elapsed_ms: int, limit_ms: int) -> tuple[str, bool]:
    """What a countdown shows after ``elapsed_ms`` of ``limit_ms``, and whether it is overtime:
    the time left, then ``+m:ss`` over."""
    if elapsed_ms > limit_ms:
        return "+" + format_clock(elapsed_ms - limit_ms), True
    return format_left(limit_ms - elapsed_ms), False


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- the typed answer ---------------------------------------------------------------------------


class AnswerBox(QPlainTextEdit):
    """Where a typed answer is written. Enter starts a new line; Ctrl+Enter submits.

    A Korean input method keeps the syllable being composed out of the text (as *preedit*)
    until the next key; ``answer()`` asks the input method to commit it first, and commits it
    itself when no input method did, so the last syllable is never lost."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.preedit = ""

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # Qt override
        super().inputMethodEvent(event)
        self.preedit = event.preeditString()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def answer(self) -> str:
        """The answer as written, with any syllable still being composed committed."""
        QGuiApplication.inputMethod().commit()
        if self.preedit:
            event = QInputMethodEvent()
            event.setCommitString(self.preedit)
            self.inputMethodEvent(event)
        return self.toPlainText()

    def reset(self) -> None:
        self.clear()
        self.preedit = ""


def marked_answer(text: str, concepts: Sequence[ConceptResult], palette: Colors) -> str:
    """``text`` as HTML (escaped, line breaks kept) with each span that named a concept
    marked."""
    merged: list[list[int]] = []
    for start, end in sorted(c.span for c in concepts if c.span is not None):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, position = [], 0
    for start, end in merged:
        parts += [esc(text[position:start]),
                  f"<span style='background-color:{palette.mark_bg}; font-weight:600'>"
                  f"{esc(text[start:end])}</span>"]
        position = end
    parts.append(esc(text[position:]))
    return "".join(parts).replace("\n", "<br>")


def concept_list(terms: Sequence[str], color: str) -> str:
    return " · ".join(f"<span style='color:{color}'>{esc(term)}</span>" for term in terms)


def scored_answer_html(text: str, score: Score, mode: str) -> str:
    """A typed answer's result: the answer with its concept words marked, the score, the
    concepts named and the concepts missed (HTML of ours; every text escaped)."""
    palette = colors()
    found = [c.term for c in score.concepts if c.found]
    shown = (marked_answer(text, score.concepts, palette) if text.strip()
             else f"<i>{esc(tr('no_answer', mode))}</i>")
    line = tr("score_line", mode, score=f"{score.score:.2f}", found=len(found),
              total=len(score.concepts))
    parts = [f"<hr><p class='label'>{esc(tr('your_answer', mode))}</p><p>{shown}</p>",
             f"<p><b>{esc(line)}</b></p>"]
    if found:
        parts.append(f"<p>{esc(tr('found_concepts', mode))}: "
                     f"{concept_list(found, palette.right)}</p>")
    if score.missed:
        parts.append(f"<p>{esc(tr('missed_concepts', mode))}: "
                     f"{concept_list(score.missed, palette.wrong)}</p>")
    return "".join(parts)


# -- setup dialogs ------------------------------------------------------------------------------


def indicator_style(palette: Colors) -> str:
    """Check boxes and radio buttons drawn in the theme's colours. Only needed in the dark
    theme: Fusion outlines them with a darker shade of the window colour, which vanishes on a
    dark background."""
    if not palette.dark:
        return ""
    box = (f"border: 1px solid {palette.muted}; background: {palette.pre_bg}; width: 12px; "
           "height: 12px;")
    checked = f"background: {palette.link}; border-color: {palette.text};"
    return (f"QListView::indicator {{ {box} border-radius: 3px; }} "
            f"QListView::indicator:checked {{ {checked} }} "
            f"QRadioButton::indicator {{ {box} border-radius: 7px; }} "
            f"QRadioButton::indicator:checked {{ {checked} }}")



class Checklist(QListWidget):
    """A list of checkable items (ids in the item data); nothing checked means all."""

    changed = Signal()  # an item was checked or unchecked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemChanged.connect(lambda *_: self.changed.emit())

    def add(self, key: str, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.addItem(item)
        return item

    def all_items(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count())]

    def checked(self) -> tuple[str, ...]:
        return tuple(str(item.data(Qt.ItemDataRole.UserRole)) for item in self.all_items()
                     if item.checkState() == Qt.CheckState.Checked)

    def set_checked(self, keys: Sequence[str]) -> None:
        for item in self.all_items():
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in keys else Qt.CheckState.Unchecked)


class SetupDialog(QDialog):
    """A rehearsal's setup: decks (none = all) and the language, plus the rows a subclass adds
    to ``form``; Enter (the default Start button) emits ``chosen`` with the config."""

    chosen = Signal(object)

    def __init__(self, library: Library, mode: str, title_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.library = library
        self.mode = mode
        self.title_key = title_key
        self._texts: list[tuple[QLabel | QAbstractButton, str]] = []
        self._ready = False  # the subclass has built its fields (see ``ready``)

        self.decks = Checklist()
        self.decks.changed.connect(self.update_available)
        for deck in library.decks:
            self.decks.add(deck.id, "")
        self.lang_group = QButtonGroup(self)
        self.lang_buttons = {lang: self.radio(f"radio_{lang}", self.lang_group) for lang in LANGS}
        self.lang_buttons[chrome_language(mode)].setChecked(True)
        self.available = QLabel()
        self.available.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self._texts += [(self.start_button, "start"), (self.cancel_button, "cancel")]

        # The title again inside: without a window manager (or with a frameless one) it is
        # the only place it shows.
        self.heading = self.text_label(title_key)
        self.heading.setStyleSheet("font-size: 16px; font-weight: 700;")
        self.lists = QHBoxLayout()  # the deck list, and beside it any list a subclass adds
        self.lists.addLayout(self.titled(self.decks, "setup_decks"), 1)
        self.form = QFormLayout()
        self.form.addRow(self.text_label("language"),
                         self.row(*self.lang_buttons.values()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.available, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.lists, 1)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.setStyleSheet(indicator_style(colors()))
        self.resize(760, 560)

    # -- building ---------------------------------------------------------------------------

    def text_label(self, key: str, buddy: QWidget | None = None) -> QLabel:
        """A label whose text is ``key`` in the dialog's language; its Alt+letter (``&``)
        goes to ``buddy``."""
        label = QLabel()
        if buddy is not None:
            label.setBuddy(buddy)
        self._texts.append((label, key))
        return label

    def radio(self, key: str, group: QButtonGroup) -> QRadioButton:
        button = QRadioButton()
        group.addButton(button)
        button.toggled.connect(lambda *_: self.update_available())
        self._texts.append((button, key))
        return button

    def titled(self, widget: QWidget, key: str, *extra: QWidget,
               buddy: QWidget | None = None) -> QVBoxLayout:
        """``widget`` (and ``extra`` above it) under a label; Alt+its letter focuses
        ``buddy`` (by default ``widget``)."""
        column = QVBoxLayout()
        column.addWidget(self.text_label(key, buddy or widget))
        for other in extra:
            column.addWidget(other)
        column.addWidget(widget, 1)
        return column

    @staticmethod
    def row(*widgets: QWidget) -> QHBoxLayout:
        line = QHBoxLayout()
        for widget in widgets:
            line.addWidget(widget)
        line.addStretch(1)
        return line

    # -- reading ----------------------------------------------------------------------------

    def lang(self) -> str:
        return "en" if self.lang_buttons["en"].isChecked() else "ko"

    def config(self) -> object:
        """The config to start with (a subclass builds it)."""
        raise NotImplementedError

    def available_count(self) -> tuple[str, int]:
        """The strings key of the "how many" line and the number of cards it counts."""
        raise NotImplementedError

    def ready(self) -> None:
        """Called by the subclass once its fields exist: fill in every text."""
        self._ready = True
        self.retranslate()

    def update_available(self) -> None:
        if not self._ready:
            return
        key, count = self.available_count()
        asked = self.asked(count)
        self.available.setText(tr(key, self.mode, count=count, asked=asked) if count
                               else tr("nothing_matches", self.mode))
        self.start_button.setEnabled(count > 0)

    def asked(self, count: int) -> int:
        return count

    def start(self) -> None:
        if not self.start_button.isEnabled():
            return
        self.chosen.emit(self.config())
        self.accept()

    # -- language ---------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.retranslate()

    def retranslate(self) -> None:
        lang = chrome_language(self.mode)
        self.setWindowTitle(tr(self.title_key, self.mode))
        for widget, key in self._texts:
            widget.setText(tr(key, self.mode))
        for item in self.decks.all_items():
            deck = self.library.deck(str(item.data(Qt.ItemDataRole.UserRole)))
            item.setText(deck.title.get(lang) if deck else "")
        self.update_available()


# -- the screen frame ---------------------------------------------------------------------------


class RehearsalScreen(QWidget):
    """The frame both rehearsal screens use. A subclass fills ``controls`` and ``action_row``,
    lists the widgets it shows and hides in ``parts``, and draws its state in
    ``_update_screen`` (called again on every language or theme change). Card text is shown
    in ``card_lang`` (the language the rehearsal was set up in); everything else follows the
    language toggle."""

    back_requested = Signal()
    problem = Signal(str)  # a message to show in words ("" clears it)

    def __init__(self, math_images: MathImages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "ko"
        self.card_lang = "ko"
        self.library: Library | None = None
        self.preview: Card | None = None  # a card shown for reading from a summary or report
        self.last_error: UserError | None = None

        self.home_button = self.button(self.back_requested.emit)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.progress = QLabel()
        self.top = QHBoxLayout()
        self.top.addWidget(self.home_button)
        self.top.addWidget(self.title, 1)
        self.top.addWidget(self.progress)
        self.preview_bar = QLabel()
        self.preview_bar.setWordWrap(True)
        self.card_view = CardView(math_images)
        self.card_view.card_requested.connect(self.show_preview)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.controls = QVBoxLayout()
        self.answer_box = AnswerBox()
        self.answer_box.setFixedHeight(120)
        self.answer_box.submitted.connect(self.submit_typed)
        self.action_row = QHBoxLayout()
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.preview_bar)
        layout.addWidget(self.card_view, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(self.controls)
        layout.addWidget(self.answer_box)
        layout.addLayout(self.action_row)
        layout.addWidget(self.hint)
        self.parts: list[QWidget] = [self.verdict, self.answer_box]
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def button(self, slot: Callable[[], object], height: int = 40) -> QPushButton:
        """A button that keeps the keyboard on the screen (its keys are the screen's)."""
        button = QPushButton()
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(height)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def show_only(self, *visible: QWidget) -> None:
        """Show these of ``parts`` and hide the others."""
        for widget in self.parts:
            widget.setVisible(widget in visible)

    # -- what a subclass provides -------------------------------------------------------------

    def _update_screen(self) -> None:
        raise NotImplementedError

    def submit_typed(self) -> bool:
        """Ctrl+Enter in the answer box; True when the answer was recorded."""
        raise NotImplementedError

    def handle_key(self, event: QKeyEvent) -> bool:
        """The screen's own keys; True when the key was used."""
        return False

    # -- shared behaviour ---------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._update_view()

    def restyle(self) -> None:
        palette = colors()
        self.hint.setStyleSheet(f"color: {palette.muted}; font-size: 11px;")
        self.preview_bar.setStyleSheet(f"background: {palette.notice_bg}; border: 1px solid "
                                       f"{palette.border}; border-radius: 4px; padding: 6px;")
        self.card_view.restyle()
        self._update_view()

    def set_verdict(self, text: str, color: str = "") -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"font-size: 15px; font-weight: 600; padding: 4px 2px; "
                                   f"color: {color or colors().text};")

    def show_text_page(self, page: Page) -> None:
        """Show a page (card text in the rehearsal's language)."""
        self.card_view.show_page(page, self.card_lang)

    def card_page(self, card: Card, revealed: bool, between: str = "",
                  lead: Callable[[CardMarkup], str] | None = None) -> Page:
        """A card's question (and answer once revealed), its labels in the screen's language,
        with ``between`` (HTML of ours) after the question and ``lead`` above it."""
        mode = self.mode
        return lambda markup: ((lead(markup) if lead else "")
                               + card_page(markup, card, revealed, [], between, mode=mode))

    def show_preview(self, card_id: str) -> None:
        """Show card ``card_id`` (question and answer) for reading; nothing is graded."""
        card = self.library.card(card_id) if self.library else None
        if card is not None:
            self.preview = card
            self._update_view()

    def close_preview(self) -> bool:
        if self.preview is None:
            return False
        self.preview = None
        self._update_view()
        return True

    def report(self, err: UserError | None) -> None:
        """Say why a write failed (or clear the message once one succeeds)."""
        self.last_error = err
        self.problem.emit(user_message(err, self.mode) if err else "")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace) and self.close_preview():
            return
        if key == Qt.Key.Key_Escape:
            self.back_requested.emit()  # every answer given is already on disk
        elif self.preview is not None or not self.handle_key(event):
            super().keyPressEvent(event)

    def _update_view(self) -> None:
        self.home_button.setText(f"← {tr('home', self.mode)}")
        self.answer_box.setPlaceholderText(tr("answer_placeholder", self.mode))
        self.preview_bar.setVisible(self.preview is not None)
        if self.preview is None:
            self._update_screen()
            return
        self.preview_bar.setText(tr("reading_card", self.mode))
        self.hint.setText(tr("reading_keys", self.mode))
        self.show_only()
        self.show_text_page(self.card_page(self.preview, revealed=True))


def is_ctrl(event: QKeyEvent, key: Qt.Key) -> bool:
    return event.key() == key and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
