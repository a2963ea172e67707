"""The "New card" / "Edit card" dialog: deck, id, tags, follow-ups, demo and preset, and the
Korean and English question and answer with a live preview rendered as the review screen
renders it. Saving goes through ``content.editing.save_card`` (the loader's rules, a user copy
for a shipped card); a refused card stays open with the message.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import rtoml
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Card, Library
from quizapp.content.editing import CardEditError, new_card_id, save_card
from quizapp.content.model import DemoRef, Text
from quizapp.content.writer import toml_value
from quizapp.ui.card_view import CardView
from quizapp.ui.help_dialogs import accept_cancel_buttons
from quizapp.ui.math_images import MathImages
from quizapp.ui.strings import tr
from quizapp.ui.theme import colors

PREVIEW_DELAY_MS = 300
_SECTIONS = (("question", "ko"), ("answer", "ko"), ("question", "en"), ("answer", "en"))


class CardEditor(QDialog):
    """Edits ``card`` (None: a new card in ``deck_id``); ``saved(card_id)`` after writing."""

    saved = Signal(str)

    def __init__(self, library: Library, user_dir: Path, math: MathImages, mode: str,
                 card: Card | None = None, deck_id: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.user_dir, self.mode, self.original = library, user_dir, mode, card
        self.setWindowTitle(tr("edit_card" if card else "new_card", mode))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lang = "en" if mode == "en" else "ko"

        self.deck = QComboBox()
        for deck in library.decks:
            self.deck.addItem(deck.title.get(lang), deck.id)
        self.deck.setCurrentIndex(max(0, self.deck.findData(card.deck if card else deck_id)))
        self.card_id = QLineEdit(card.id if card else "")
        self.card_id.setReadOnly(card is not None)  # progress is keyed by it
        self.card_id.setPlaceholderText(tr("card_id_hint", mode))
        self.tags = QLineEdit(" ".join(card.tags) if card else "")
        self.tags.setPlaceholderText(tr("tags_hint", mode))
        self.follow_ups = QLineEdit(" ".join(card.follow_ups) if card else "")
        self.follow_ups.setPlaceholderText(tr("follow_ups_hint", mode))
        self.demo = QComboBox()
        self.demo.addItem(tr("demo_none", mode), "")
        from quizapp.demos import DEMOS  # the catalogue, only when the editor opens

        for demo_id, demo in DEMOS.items():
            self.demo.addItem(f"{demo.title.get(lang)} ({demo_id})", demo_id)
        self.demo.setCurrentIndex(max(0, self.demo.findData(
            card.demo.id if card and card.demo else "")))
        self.preset = QLineEdit(_preset_text(card.demo.params) if card and card.demo else "")
        self.preset.setPlaceholderText('lr = 0.02, surface = "ravine"')
        form = QFormLayout()
        form.addRow(tr("deck", mode), self.deck)
        form.addRow(tr("card_id", mode), self.card_id)
        form.addRow(tr("tags", mode), self.tags)
        form.addRow(tr("follow_up_ids", mode), self.follow_ups)
        form.addRow(tr("demo", mode), self.demo)
        form.addRow(tr("demo_preset", mode), self.preset)

        self.texts: dict[tuple[str, str], QPlainTextEdit] = {}
        self.sections = QTabWidget()
        # Markdown and TeX in a fixed-pitch font: the Korean UI font draws "\" as "₩"
        # (U+005C in Korean typography), which turns every TeX command into nonsense.
        source_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.preset.setFont(source_font)
        for part, text_lang in _SECTIONS:
            edit = QPlainTextEdit(getattr(card, part).get(text_lang) if card else "")
            edit.setFont(source_font)
            edit.setTabChangesFocus(True)
            self.texts[(part, text_lang)] = edit
            self.sections.addTab(edit, tr(f"section_{part}_{text_lang}", mode))
            edit.textChanged.connect(self._schedule_preview)

        self.preview = CardView(math)
        self.preview.set_mode(mode)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {colors().problem_text};")
        self.problem.hide()
        buttons, self.save_button = accept_cancel_buttons(f"{tr('save', mode)} (Ctrl+Enter)",
                                                          mode)
        self.save_button.setDefault(False)  # Enter is a new line in the text; Ctrl+Enter saves
        self.save_button.setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.sections, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(tr("preview", mode)))
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1180, 720)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.update_preview()
        self.texts[("question", lang)].setFocus()
        self._initial = self._fields()

    def _fields(self) -> tuple[str, ...]:
        """Everything the user can change, to tell whether anything was."""
        return (self.deck.currentData() or "", self.card_id.text(), self.tags.text(),
                self.follow_ups.text(), self.demo.currentData() or "", self.preset.text(),
                *(edit.toPlainText() for edit in self.texts.values()))

    def reject(self) -> None:  # Esc, Cancel, the window's close button
        """Close, after asking when something was written that would be lost."""
        if self._fields() != self._initial and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, tr("discard_title", self.mode),
                          tr("discard_text", self.mode), parent=self)
        discard = box.addButton(tr("discard", self.mode), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("keep_editing", self.mode), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # -- the card being written -----------------------------------------------------------

    def edited_card(self) -> Card:
        """The card as the fields describe it (not yet checked)."""
        text = {key: edit.toPlainText() for key, edit in self.texts.items()}
        question = Text(text[("question", "ko")].strip(), text[("question", "en")].strip())
        answer = Text(text[("answer", "ko")].strip(), text[("answer", "en")].strip())
        card_id = self.card_id.text().strip() or new_card_id(self.library, question.en)
        demo_id = self.demo.currentData()
        demo = DemoRef(demo_id, _parse_preset(self.preset.text())) if demo_id else None
        fields = {"id": card_id, "deck": self.deck.currentData(), "question": question,
                  "answer": answer, "tags": _words(self.tags.text()),
                  "follow_ups": _words(self.follow_ups.text()), "demo": demo}
        if self.original is not None:  # quiz material and sources are kept as they are
            return replace(self.original, **fields)  # type: ignore[arg-type]
        return Card(**fields)  # type: ignore[arg-type]

    def update_preview(self) -> None:
        try:
            card = self.edited_card()
        except CardEditError:
            card = replace(self.original) if self.original else None
        follow_ups = [c for ref in (card.follow_ups if card else ())
                      if (c := self.library.card(ref))]
        self.preview.show_card(card, revealed=True, follow_ups=follow_ups)

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def save(self) -> None:
        """Check and write the card; on a problem say what and where, and stay open."""
        from quizapp.demos import demo_ref_problems

        for (part, lang), edit in self.texts.items():
            if not edit.toPlainText().strip():  # the commonest slip: say which, and go there
                self._show_problem(tr("section_empty", self.mode,
                                      section=tr(f"section_{part}_{lang}", self.mode)))
                self.sections.setCurrentWidget(edit)
                edit.setFocus()
                return
        try:
            card = self.edited_card()
            save_card(self.library, card, self.user_dir, self.original, demo_ref_problems)
        except CardEditError as err:
            self._show_problem(tr("card_not_saved", self.mode, detail=str(err)))
            return
        self.saved.emit(card.id)
        self.accept()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()


def _words(text: str) -> tuple[str, ...]:
    """Ids or tags separated by spaces or commas, each once, in order."""
    return tuple(dict.fromkeys(w for w in re.split(r"[\s,]+", text) if w))


def _preset_text(params: dict[str, object]) -> str:
    return ", ".join(f"{name} = {toml_value(value)}" for name, value in params.items())


def _parse_preset(text: str) -> dict[str, object]:
    """``lr = 0.02, surface = "ravine"`` as a dict (TOML inline-table syntax)."""
    if not text.strip():
        return {}
    if "\n" in text:
        raise CardEditError("demo preset: one line, like lr = 0.02, surface = \"ravine\"")
    try:
        params = rtoml.loads(f"params = {{ {text} }}")["params"]  # the loader's TOML reader
    except (rtoml.TomlParsingError, KeyError, UnicodeEncodeError) as err:
        reason = str(err).split(" at line ")[0]  # its column counts the "params = {" we added
        raise CardEditError(f"demo preset: not name = value pairs ({reason})") from None
    assert isinstance(params, dict)
    return params
