"""Tools → Settings… (Ctrl+,): new cards a day (all decks, each deck, per deck), desired
retention with the expected workload at it, day start, learning and relearning steps, language,
theme, card text size, and "Optimize now".

The ranges are the domain's (``study.settings.setting_problems``): a value outside one is
refused with a message naming it, and nothing is saved. Optimizing runs off the GUI thread
with its own database connection (``ui.background``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Library
from quizapp.errors import UserError
from quizapp.study import StudySettings
from quizapp.study.settings import RANGES, format_steps, parse_steps, setting_problems
from quizapp.ui.background import run_in_background
from quizapp.ui.card_view import ZOOM_STEPS
from quizapp.ui.help_dialogs import accept_cancel_buttons
from quizapp.ui.strings import LANGUAGE_MODES, tr
from quizapp.ui.theme import THEMES, colors

#: What the spin boxes let a user type: wider than the allowed ranges, so that a value just
#: outside one is refused with a message rather than silently clamped.
_SPIN_LIMIT = 99_999
_RETENTION_SPIN = (0.50, 0.99)
_LABELS = {"new_per_day": "new_per_day_all", "deck_new_per_day": "new_per_day_deck",
           "day_start_hour": "day_start", "desired_retention": "desired_retention",
           "learning_steps": "learning_steps", "relearning_steps": "relearning_steps"}


@dataclass(frozen=True)
class ViewSettings:
    """The settings that change how the app looks, not the schedule."""

    language: str
    theme: str
    zoom: float


class SettingsDialog(QDialog):
    """Edits ``settings`` and ``view``; ``saved`` carries both once they pass every check.
    ``optimized`` is emitted after "Optimize now" saved new FSRS parameters."""

    saved = Signal(object, object)  # StudySettings, ViewSettings
    optimized = Signal()

    def __init__(self, library: Library, settings: StudySettings, view: ViewSettings,
                 database: Path, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.settings, self.database, self.mode = library, settings, database, mode
        self.parameters = settings.fsrs_parameters
        self.setWindowTitle(tr("settings_title", mode))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.new_all = self._spin(0, _SPIN_LIMIT, settings.new_per_day)
        self.new_deck = self._spin(0, _SPIN_LIMIT, settings.deck_new_per_day)
        self.deck_table = self._deck_table(settings)
        self.day_start = self._spin(0, 23, settings.day_start_hour)
        self.day_start.setSuffix(":00")
        self.learning = QLineEdit(format_steps(settings.learning_steps))
        self.relearning = QLineEdit(format_steps(settings.relearning_steps))
        for field in (self.learning, self.relearning):
            field.setPlaceholderText(tr("steps_hint", mode))
            field.setToolTip(tr("steps_hint", mode))
        study = QGroupBox(tr("group_study", mode))
        form = QFormLayout()
        form.addRow(tr("new_per_day_all", mode), self.new_all)
        form.addRow(tr("new_per_day_deck", mode), self.new_deck)
        form.addRow(tr("day_start", mode), self.day_start)
        form.addRow(tr("learning_steps", mode), self.learning)
        form.addRow(tr("relearning_steps", mode), self.relearning)
        study_layout = QVBoxLayout(study)
        study_layout.addLayout(form)
        study_layout.addWidget(QLabel(tr("deck_limits", mode)))
        study_layout.addWidget(self.deck_table, 1)

        self.retention = QDoubleSpinBox()
        self.retention.setRange(*_RETENTION_SPIN)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setValue(settings.desired_retention)
        self.workload = QLabel()
        self.workload.setWordWrap(True)
        self.optimize_button = QPushButton(tr("optimize_now", mode))
        self.optimize_button.clicked.connect(self.optimize)
        self.optimize_button.setAutoDefault(False)  # Enter saves; it never starts a fit
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # fsrs-rs reports no progress: a busy bar
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.fit_result = QLabel()
        self.fit_result.setWordWrap(True)
        self.fit_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        memory = QGroupBox(tr("group_memory", mode))
        form = QFormLayout(memory)
        form.addRow(tr("desired_retention", mode), self.retention)
        form.addRow("", self.workload)
        optimize_row = QHBoxLayout()
        optimize_row.addWidget(self.optimize_button)
        optimize_row.addWidget(self.progress, 1)
        form.addRow(tr("fsrs_parameters", mode), optimize_row)
        form.addRow("", self.fit_result)
        self.new_all.valueChanged.connect(self.update_workload)
        self.retention.valueChanged.connect(self.update_workload)

        self.language = self._combo(LANGUAGE_MODES, "lang_", view.language)
        self.theme = self._combo(THEMES, "theme_", view.theme)
        self.zoom = QComboBox()
        for step in ZOOM_STEPS:
            self.zoom.addItem(f"{step:.0%}", step)
        self.zoom.setCurrentIndex(ZOOM_STEPS.index(view.zoom) if view.zoom in ZOOM_STEPS
                                  else ZOOM_STEPS.index(1.0))
        display = QGroupBox(tr("group_display", mode))
        form = QFormLayout(display)
        form.addRow(tr("language", mode), self.language)
        form.addRow(tr("menu_theme", mode), self.theme)
        form.addRow(tr("card_text_size", mode), self.zoom)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {colors().problem_text};")
        self.problem.hide()
        buttons, self.save_button = accept_cancel_buttons(tr("save", mode), mode)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        columns.addWidget(study, 3)
        right = QVBoxLayout()
        right.addWidget(memory)
        right.addWidget(display)
        right.addStretch(1)
        columns.addLayout(right, 2)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(1040, 660)
        self.update_workload()

    # -- building -------------------------------------------------------------------------

    @staticmethod
    def _spin(low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def _combo(self, values: tuple[str, ...], prefix: str, current: str) -> QComboBox:
        combo = QComboBox()
        for value in values:
            combo.addItem(tr(prefix + value, self.mode), value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _deck_table(self, settings: StudySettings) -> QTableWidget:
        """One row per deck: its title and its own limit (the lowest value means "the
        each-deck number above")."""
        lang = "en" if self.mode == "en" else "ko"
        table = QTableWidget(len(self.library.decks), 2)
        table.setHorizontalHeaderLabels([tr("deck", self.mode), tr("new_per_day_short",
                                                                  self.mode)])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, deck in enumerate(self.library.decks):
            title = QTableWidgetItem(deck.title.get(lang))
            title.setFlags(Qt.ItemFlag.ItemIsEnabled)
            title.setData(Qt.ItemDataRole.UserRole, deck.id)
            table.setItem(row, 0, title)
            spin = self._spin(-1, _SPIN_LIMIT, int(settings.deck_limits.get(deck.id, -1)))
            spin.setSpecialValueText(tr("deck_default", self.mode))
            table.setCellWidget(row, 1, spin)
        table.setMinimumHeight(220)
        return table

    def deck_spin(self, deck_id: str) -> QSpinBox:
        """The limit box of deck ``deck_id``."""
        for row in range(self.deck_table.rowCount()):
            if self.deck_table.item(row, 0).data(Qt.ItemDataRole.UserRole) == deck_id:
                spin = self.deck_table.cellWidget(row, 1)
                assert isinstance(spin, QSpinBox)
                return spin
        raise KeyError(deck_id)

    # -- reading and checking -------------------------------------------------------------

    def chosen_settings(self) -> StudySettings | str:
        """The settings as entered, or the message saying what is wrong."""
        steps = {}
        for name, field in (("learning_steps", self.learning),
                            ("relearning_steps", self.relearning)):
            try:
                steps[name] = parse_steps(field.text())
            except ValueError as bad:
                field.setFocus()
                return tr("bad_step", self.mode, name=tr(_LABELS[name], self.mode),
                          token=str(bad))
        limits = {deck.id: self.deck_spin(deck.id).value() for deck in self.library.decks}
        chosen = replace(
            self.settings, new_per_day=self.new_all.value(),
            deck_new_per_day=self.new_deck.value(),
            deck_limits={deck: value for deck, value in limits.items() if value >= 0},
            day_start_hour=self.day_start.value(),
            desired_retention=round(self.retention.value(), 2),
            learning_steps=steps["learning_steps"], relearning_steps=steps["relearning_steps"])
        problems = setting_problems(chosen)
        if problems:
            problem = problems[0]
            name = problem.name.split("[")[0]
            label = (tr(_LABELS[name], self.mode) if name in _LABELS
                     else self._deck_title(problem.name[len("deck_limits["):-1]))
            return tr("setting_range", self.mode, name=label, low=f"{problem.low:g}",
                      high=f"{problem.high:g}", value=f"{problem.value:g}"
                      if isinstance(problem.value, float) else str(problem.value))
        return chosen

    def _deck_title(self, deck_id: str) -> str:
        deck = self.library.deck(deck_id)
        return deck.title.get("en" if self.mode == "en" else "ko") if deck else deck_id

    def chosen_view(self) -> ViewSettings:
        return ViewSettings(self.language.currentData(), self.theme.currentData(),
                            float(self.zoom.currentData()))

    def save(self) -> None:
        """Save: emit ``saved`` and close, or say what is out of range and stay open."""
        chosen = self.chosen_settings()
        if isinstance(chosen, str):
            self.problem.setText(chosen)
            self.problem.show()
            return
        self.saved.emit(chosen, self.chosen_view())
        self.accept()

    # -- FSRS -----------------------------------------------------------------------------

    def update_workload(self) -> None:
        """The simulated daily workload at the retention shown (fsrs-rs, ~15 ms)."""
        from quizapp.study.fsrs_fit import expected_workload
        from quizapp.study.scheduling import DEFAULT_PARAMETERS

        retention = round(self.retention.value(), 2)
        low, high = RANGES["desired_retention"]
        if not low <= retention <= high:
            self.workload.setText(tr("setting_range", self.mode,
                                     name=tr("desired_retention", self.mode), low=f"{low:g}",
                                     high=f"{high:g}", value=f"{retention:g}"))
            return
        cards, new = len(self.library.cards), max(1, self.new_all.value())
        result = expected_workload(self.parameters or DEFAULT_PARAMETERS, [retention],
                                   deck_size=max(1, cards), new_per_day=new)[0]
        self.workload.setText(tr("workload", self.mode, reviews=figure(result.reviews_per_day),
                                 minutes=figure(result.minutes_per_day), cards=cards, new=new))

    def optimize(self) -> None:
        """Fit FSRS to the review log on a pool thread; the figures show when it is done."""
        self.optimize_button.setEnabled(False)
        self.progress.show()
        self.fit_result.setText(tr("optimizing", self.mode))
        run_in_background(lambda: _optimize(self.database), self._optimized,
                          self._optimize_failed)

    def _optimized(self, report: object) -> None:
        from quizapp.study.fsrs_fit import MIN_CARDS, FitReport

        assert isinstance(report, FitReport)
        self.progress.hide()
        self.optimize_button.setEnabled(True)
        if report.log_loss_after is None or report.rmse_after is None:
            self.fit_result.setText(tr("optimize_too_little", self.mode, cards=MIN_CARDS))
            return
        key = "optimize_saved" if report.saved else "optimize_kept"
        self.fit_result.setText(tr(key, self.mode, reviews=report.reviews_used,
                                   ll0=report.log_loss_before, ll1=report.log_loss_after,
                                   r0=report.rmse_before, r1=report.rmse_after))
        if report.saved:
            self.parameters = tuple(report.parameters)
            self.settings = replace(self.settings, fsrs_parameters=self.parameters)
            self.update_workload()
            self.optimized.emit()

    def _optimize_failed(self, error: Exception) -> None:
        from quizapp.ui.errors import user_message

        self.progress.hide()
        self.optimize_button.setEnabled(True)
        detail = user_message(error, self.mode) if isinstance(error, UserError) else repr(error)
        self.fit_result.setText(tr("optimize_failed", self.mode, error=detail))
        if not isinstance(error, UserError):  # a bug: report it as every other one is
            sys.excepthook(type(error), error, error.__traceback__)


def figure(value: float) -> str:
    """A workload figure: one decimal below 10 (a small deck's 0.4 reviews is not 0)."""
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _optimize(database: Path) -> object:
    """Runs on a pool thread, with its own connection."""
    from quizapp.store import open_store
    from quizapp.study.fsrs_fit import optimize

    with open_store(database) as store:
        return optimize(store)
