"""Study → Custom study… (C, and the done panel): more new cards today, review ahead, cram a
deck or tag, flagged or leech cards only. It shows how many cards the choice takes before the
user starts; Enter starts."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Library
from quizapp.store import ProgressStore
from quizapp.study import DayClock
from quizapp.study.custom import MAX_AHEAD_DAYS, CustomStudy, custom_cards
from quizapp.ui.help_dialogs import accept_cancel_buttons
from quizapp.ui.strings import chrome_language, tr

#: The first choice: more new cards today (not a custom session: the daily queue grows).
MORE_NEW = "more_new"
CHOICES = (MORE_NEW, "ahead", "cram", "flagged", "leech")


class CustomStudyDialog(QDialog):
    """Emits ``more_new(deck_id, count)`` or ``chosen(CustomStudy)`` when the user starts."""

    more_new = Signal(str, int)
    chosen = Signal(object)

    def __init__(self, library: Library, store: ProgressStore, now: datetime, clock: DayClock,
                 mode: str, deck_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.store, self.now, self.clock, self.mode = (
            library, store, now, clock, mode)
        self.setWindowTitle(tr("custom_study", mode))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lang = chrome_language(mode)

        self.group = QButtonGroup(self)
        self.options: dict[str, QRadioButton] = {}
        self.new_count = _spin(1, 9999, 10)
        self.days = _spin(1, MAX_AHEAD_DAYS, 1)
        grid = QGridLayout()
        for row, choice in enumerate(CHOICES):
            button = QRadioButton(tr(f"custom_choice_{choice}", mode))
            self.group.addButton(button, row)
            self.options[choice] = button
            button.installEventFilter(self)
            grid.addWidget(button, row, 0)
        grid.addWidget(self.new_count, 0, 1)
        grid.addWidget(self.days, 1, 1)
        grid.setColumnStretch(0, 1)

        self.deck = QComboBox()
        self.deck.addItem(tr("all_decks", mode), "")
        for deck in library.decks:
            self.deck.addItem(deck.title.get(lang), deck.id)
        self.deck.setCurrentIndex(max(0, self.deck.findData(deck_id)))
        self.tag = QComboBox()
        self.tag.addItem(tr("any_tag", mode), None)
        for tag in sorted({t for card in library.cards for t in card.tags}):
            self.tag.addItem(f"#{tag}", tag)
        self.reschedule = QCheckBox(tr("custom_reschedule", mode))
        self.reschedule.setToolTip(tr("custom_reschedule_tip", mode))
        scope = QFormLayout()
        scope.addRow(tr("deck", mode), self.deck)
        scope.addRow(tr("tags", mode), self.tag)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        buttons, self.start_button = accept_cancel_buttons(tr("custom_start", mode), mode)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(scope)
        layout.addWidget(self.reschedule)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.options["cram"].setChecked(True)
        for signal in (self.group.idToggled, self.new_count.valueChanged,
                       self.days.valueChanged, self.deck.currentIndexChanged,
                       self.tag.currentIndexChanged, self.reschedule.toggled):
            signal.connect(lambda *_: self.update_summary())
        self.resize(560, 420)
        self.update_summary()


    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        """Up/Down on a choice chooses the previous/next one, as arrows do in a radio group
        (Qt moved the focus ring only, so Enter then started the choice still ticked)."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
                and watched in self.options.values()):
            buttons = [b for b in self.options.values() if b.isEnabled()]
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            current = buttons.index(watched) if watched in buttons else 0  # type: ignore[arg-type]
            chosen = buttons[max(0, min(len(buttons) - 1, current + step))]
            chosen.setChecked(True)
            chosen.setFocus()
            return True
        return super().eventFilter(watched, event)
    def choice(self) -> str:
        return CHOICES[max(0, self.group.checkedId())]

    def study(self) -> CustomStudy:
        """The custom session the dialog describes (not for "more new cards")."""
        kind = self.choice()
        assert kind != MORE_NEW
        return CustomStudy(kind, deck_id=self.deck.currentData() or None,  # type: ignore[arg-type]
                           tag=self.tag.currentData(), days=self.days.value(),
                           reschedule=self.reschedule.isChecked(),
                           seed=int(self.now.timestamp()))

    def update_summary(self) -> None:
        """How many cards the choice takes, and whether the answers change the schedule."""
        choice = self.choice()
        self.new_count.setEnabled(choice == MORE_NEW)
        self.days.setEnabled(choice == "ahead")
        self.tag.setEnabled(choice != MORE_NEW)
        self.reschedule.setEnabled(choice in ("cram", "flagged", "leech"))
        if choice == MORE_NEW:
            self.summary.setText(tr("custom_summary_more_new", self.mode,
                                    count=self.new_count.value()))
            self.start_button.setEnabled(True)
            return
        study = self.study()
        count = len(custom_cards(self.library, self.store, study, self.now, self.clock))
        key = "custom_summary" if study.reschedules else "custom_summary_practice"
        self.summary.setText(tr(key, self.mode, count=count))
        self.start_button.setEnabled(count > 0)

    def start(self) -> None:
        if not self.start_button.isEnabled():
            return
        if self.choice() == MORE_NEW:
            self.more_new.emit(self.deck.currentData() or "", self.new_count.value())
        else:
            self.chosen.emit(self.study())
        self.accept()


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin
