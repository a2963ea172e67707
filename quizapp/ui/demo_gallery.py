"""Tools → Demo gallery (G): every live demo with its title and a picture; Enter or a
double-click opens it, without a card."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from quizapp.ui.strings import tr

THUMB = QSize(360, 216)


class DemoGallery(QWidget):
    """A window listing the demo catalogue; emits ``demo_chosen(demo_id)``."""

    demo_chosen = Signal(str)

    def __init__(self, demos: list[tuple[str, str, str]], mode: str,
                 parent: QWidget | None = None) -> None:
        """``demos``: (id, title in the chrome language, thumbnail path) in catalogue order."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("gallery_title", mode))
        intro = QLabel(tr("gallery_intro", mode))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 64))
        self.list.setSpacing(6)
        for demo_id, title, picture in demos:
            item = QListWidgetItem(QIcon(QPixmap(picture)), title)
            item.setData(Qt.ItemDataRole.UserRole, demo_id)
            item.setToolTip(demo_id)
            self.list.addItem(item)
        self.list.itemActivated.connect(
            lambda item: self.demo_chosen.emit(str(item.data(Qt.ItemDataRole.UserRole))))
        if self.list.count():
            self.list.setCurrentRow(0)
        # A shortcut, not keyPressEvent: the list would take Esc first.
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        self.resize(1200, 800)

