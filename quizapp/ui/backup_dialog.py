"""File → Restore backup…: the backups, newest first; Enter (after a confirmation) restores
the chosen one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.store.backups import Backup
from quizapp.ui.help_dialogs import accept_cancel_buttons
from quizapp.ui.strings import tr


class BackupDialog(QDialog):
    """Lists ``backups``; emits ``chosen(path)`` once the user confirms."""

    chosen = Signal(Path)

    def __init__(self, backups: list[Backup], mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setWindowTitle(tr("backups_title", mode))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(tr("backups_intro" if backups else "no_backups", mode))
        intro.setWordWrap(True)
        self.list = QListWidget()
        for backup in backups:
            when = backup.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{when}   ({backup.size / 1024:,.0f} KB)")
            item.setData(Qt.ItemDataRole.UserRole, (str(backup.path), when))
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self._confirm())
        buttons, restore = accept_cancel_buttons(tr("restore", mode), mode)
        restore.setEnabled(bool(backups))
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(480, 420)

    def _confirm(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        path, when = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(self, tr("backups_title", self.mode),
                                      tr("restore_confirm", self.mode, when=when))
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen.emit(Path(path))
            self.accept()
