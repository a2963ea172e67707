"""Create the QApplication and the main window from the content and data folders."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from quizapp import resources
from quizapp.content import default_content_dir, load_library
from quizapp.errors import UserError
from quizapp.paths import DATABASE_NAME, USER_DECKS
from quizapp.paths import data_dir as resolve_data_dir
from quizapp.store import ProgressStore
from quizapp.ui.errors import install_excepthook
from quizapp.ui.fonts import install_korean_font
from quizapp.ui.main_window import MainWindow

#: Harmless notices of the offscreen platform (used by tests and ``smoke``) that would
#: otherwise drown real warnings.
_QUIET = ("This plugin does not support propagateSizeHints()",
          "This plugin does not support raise()")


def _qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message not in _QUIET:
        print(message, file=sys.stderr)


def application() -> QApplication:
    """The process's QApplication (created once), with the Korean font installed."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        qInstallMessageHandler(_qt_messages)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("QuizApp")
        app.setDesktopFileName("quizapp")  # Wayland matches the window to quizapp.desktop
        install_korean_font(app)
        install_app_icon(app)
    return app


def install_app_icon(app: QApplication) -> bool:
    """Use our icon (``packaging/icon.png``, the bundle's ``icon.png``) for every window;
    False when this install has none."""
    path = resources.icon_path()
    if path is None:
        return False
    icon = QIcon(str(path))
    if icon.isNull():
        return False
    app.setWindowIcon(icon)
    return True


def create_window(content_dir: str | Path | None, data_dir: str | Path | None) -> MainWindow:
    """Load the content and open the progress database; raises ``UserError`` on bad data."""
    folder = resolve_data_dir(data_dir)
    library = load_library(Path(content_dir) if content_dir else default_content_dir(),
                           user_dir=folder / USER_DECKS, cache_dir=folder / "cache")
    db_path = folder / DATABASE_NAME
    store = ProgressStore.open(db_path)
    return MainWindow(library, store, cache_dir=folder / "cache")


def run_gui(content_dir: Path | None = None, data_dir: str | None = None) -> int:
    app = application()
    try:
        window = create_window(content_dir, data_dir)
    except UserError as err:
        QMessageBox.critical(None, "QuizApp", str(err))
        print(f"error: {err}", file=sys.stderr)
        return 1
    install_excepthook()
    window.show()
    window.activateWindow()  # menu shortcuts need an active window; not every X setup gives one
    status = app.exec()
    window.store.close()
    return status
