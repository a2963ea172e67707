"""Single-letter shortcuts that work everywhere in a window, in both keyboard layouts.

Qt's own shortcuts lose letter keys to list widgets (type-ahead: ``L`` jumped to a deck starting
with L) and never match the Hangul jamo a Korean layout types (``ㅣ`` for ``L``). An
application-wide event filter sees every key press first: when a window has registered a
letter, and focus is not in a text field, the letter runs that window's action and the key goes
no further. Modified keys (Ctrl+Z, ...) are left to ``QAction`` shortcuts in the menus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from quizapp.ui.keys import latin_letter

Action = Callable[[], object]


class LetterShortcuts(QObject):
    """Routes unmodified letter keys to the actions registered by the focused window."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows: dict[QWidget, dict[str, Action]] = {}

    def register(self, window: QWidget, letter: str, action: Action) -> None:
        """Let ``letter`` (lowercase Latin) run ``action`` while ``window`` has focus."""
        self._windows.setdefault(window, {})[letter] = action
        window.destroyed.connect(lambda *_: self._windows.pop(window, None))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        action = self._action_for(watched, event)
        if action is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # we take this key: no QAction or type-ahead gets it
            return False
        if not event.isAutoRepeat():
            action()
        return True

    def _action_for(self, watched: QObject, event: QKeyEvent) -> Action | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return None
        letter = latin_letter(event.text())
        if not letter or not isinstance(watched, QWidget):
            return None
        focus = QApplication.focusWidget() or watched
        if _takes_text(focus):
            return None
        return self._windows.get(watched.window(), {}).get(letter)


def _takes_text(widget: QWidget) -> bool:
    """True for widgets where a letter is input, not a command."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return False


_shortcuts: LetterShortcuts | None = None


def letter_shortcuts() -> LetterShortcuts:
    """The application's router (installed on the QApplication on first use)."""
    global _shortcuts
    if _shortcuts is None:
        app = QApplication.instance()
        assert app is not None, "create the QApplication first"
        _shortcuts = LetterShortcuts(app)
        app.installEventFilter(_shortcuts)
    return _shortcuts
