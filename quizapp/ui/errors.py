"""How failures reach the user in the GUI: known problems in words (in the user's language), and
a dialog instead of a silent traceback for anything unexpected."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from quizapp.errors import UserError
from quizapp.store import StoreWriteError, UndoConflictError
from quizapp.ui.strings import tr


def user_message(err: UserError, mode: str) -> str:
    """The text to show for ``err`` in the chrome language of ``mode``."""
    if isinstance(err, StoreWriteError):
        return tr(f"save_failed_{err.problem}", mode, path=err.path)
    if isinstance(err, UndoConflictError):
        return tr("undo_conflict", mode)
    return str(err)


def install_excepthook() -> None:
    """Show exceptions that escape a Qt slot or event handler in a dialog (once per kind of
    error) instead of only printing a traceback nobody sees; user errors get no traceback."""
    shown: set[str] = set()

    def hook(kind: type[BaseException], value: BaseException,
             tb: TracebackType | None) -> None:
        if isinstance(value, UserError):
            text = str(value)
        else:
            traceback.print_exception(kind, value, tb, file=sys.stderr)
            text = (f"An unexpected error happened (a bug in QuizApp):\n\n{kind.__name__}: "
                    f"{value}\n\nYour saved progress is safe. The details were printed to the "
                    "terminal.")
        if text in shown or QApplication.instance() is None:
            print(f"error: {value}", file=sys.stderr)
            return
        shown.add(text)
        QMessageBox.critical(None, "QuizApp", text)

    sys.excepthook = hook
