"""File menu → Import… / Export as Anki package… / Export review log: the CLI's ``import`` and
``export`` behind file dialogs, run off the GUI thread with a busy cursor and a status line.

The work is the interop layer's (the same functions the CLI calls); a job opens its own
database connection (see ``ui/background.py``). An imported deck lands in the user's decks
folder and the window reloads its library; a refused file changes nothing and says why in the
problem banner.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from quizapp.errors import UserError
from quizapp.ui.background import run_in_background
from quizapp.ui.errors import user_message
from quizapp.ui.strings import tr

if TYPE_CHECKING:
    from quizapp.interop.anki_import import ImportSummary
    from quizapp.interop.review_csv import ExportResult, ImportResult
    from quizapp.ui.main_window import MainWindow

STATUS_MS = 20_000
IMPORT_SUFFIXES = "*.apkg *.colpkg *.txt *.csv *.tsv"


def export_reviews(db_path: Path, target: Path) -> ExportResult:
    """``export --reviews``: the review log of the database at ``db_path`` as FSRS CSV."""
    from quizapp.interop.review_csv import export_review_csv
    from quizapp.store import open_store

    with open_store(db_path) as store:
        return export_review_csv(store, target)


class FileTransfer:
    """The File menu's import and export actions for ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.running = False

    # -- the menu actions -----------------------------------------------------------------

    def choose_import(self) -> None:
        mode = self.window.mode
        path, _ = QFileDialog.getOpenFileName(
            self.window, tr("import_title", mode), str(Path.home()),
            f"{tr('import_filter', mode)} ({IMPORT_SUFFIXES})")
        if path:
            self.start_import(Path(path))

    def choose_export_apkg(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("export_apkg", self.window.mode), str(Path.home() / "quizapp.apkg"),
            "Anki (*.apkg)")
        if path:
            self.start_export_apkg(Path(path))

    def choose_export_reviews(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("export_reviews", self.window.mode),
            str(Path.home() / "quizapp-reviews.csv"), "CSV (*.csv)")
        if path:
            self.start_export_reviews(Path(path))

    # -- the work ------------------------------------------------------------------------

    def start_import(self, path: Path) -> bool:
        window = self.window
        decks_dir = window.library.user_dir
        if decks_dir is None:  # no data folder for user decks (never the case in the app)
            window.show_problem(tr("import_failed", window.mode, detail=f"{path}: no decks folder"))
            return False
        library, db_path = window.library, window.store.path
        from quizapp.interop.anki_files import import_file

        return self._start(tr("importing", window.mode, name=path.name),
                           lambda: import_file(path, library, decks_dir, db_path),
                           lambda result: self._imported(path, result), "import_failed")

    def start_export_apkg(self, target: Path) -> bool:
        from quizapp.interop.anki_export import export_apkg

        library = self.window.library
        return self._start(tr("exporting", self.window.mode, name=target.name),
                           lambda: export_apkg(library, library.decks, target),
                           lambda result: self._done(tr(
                               "exported_apkg", self.window.mode, name=target.name,
                               cards=result.cards, decks=result.decks)), "export_failed")

    def start_export_reviews(self, target: Path) -> bool:
        db_path = self.window.store.path
        return self._start(tr("exporting", self.window.mode, name=target.name),
                           lambda: export_reviews(db_path, target),
                           lambda result: self._done(tr(
                               "exported_reviews", self.window.mode, name=target.name,
                               reviews=result.reviews, cards=result.cards)), "export_failed")

    def _start(self, status: str, work: Any, on_done: Any, failed_key: str) -> bool:
        """Run ``work`` in the background (one transfer at a time); False if one is running."""
        if self.running:
            return False
        self.running = True
        self.window.show_problem("")
        self.window.statusBar().showMessage(status)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def failed(err: Exception) -> None:
            self._finish()
            self.window.statusBar().clearMessage()
            if not isinstance(err, UserError):
                raise err  # a bug: the excepthook shows it
            self.window.show_problem(tr(failed_key, self.window.mode,
                                        detail=user_message(err, self.window.mode)))

        def done(result: Any) -> None:
            self._finish()
            on_done(result)

        run_in_background(work, done, failed)
        return True

    def _finish(self) -> None:
        self.running = False
        QApplication.restoreOverrideCursor()

    def _imported(self, path: Path, result: ImportSummary | ImportResult) -> None:
        from quizapp.interop.review_csv import ImportResult

        mode = self.window.mode
        if isinstance(result, ImportResult):  # a review log
            text = tr("imported_reviews", mode, name=path.name, added=result.added,
                      cards=result.cards, skipped=result.skipped)
        else:
            self.window.reload_library()
            text = tr("imported_cards", mode, name=path.name, decks=len(result.decks),
                      new_decks=result.new_decks, added=result.added, updated=result.updated,
                      unchanged=result.unchanged, skipped=len(result.skipped))
        self._done(text)

    def _done(self, text: str) -> None:
        if self.window.stack.currentWidget() is self.window.home:
            self.window.show_home()
        self.window.statusBar().showMessage(text, STATUS_MS)
