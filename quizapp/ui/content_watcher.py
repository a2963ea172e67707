"""Notices card and deck files changed outside the app (an editor, git pull, an import) and
says so once the changes settle, so the window can reload the content while it runs.

Folders are watched for files added, removed or renamed (how editors and atomic writes save);
the files themselves too, for editors that write in place, up to ``MAX_WATCHED_FILES`` (inotify
has a per-user limit, and a huge collection should not use it all).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

MAX_WATCHED_FILES = 4000
SETTLE_MS = 400  # one reload for a burst of changes (git checkout, an import of many cards)


class ContentWatcher(QObject):
    """Watches ``roots`` (the shipped content and the user's decks, folders that exist);
    emits ``changed`` once when files under them have changed and then stayed quiet for
    ``SETTLE_MS``."""

    changed = Signal()

    def __init__(self, roots: list[Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roots = roots
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._touched)
        self._watcher.fileChanged.connect(self._touched)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self.watch()

    def watch(self) -> None:
        """(Re)watch every folder and card file under the roots, as they are now."""
        if old := self._watcher.directories() + self._watcher.files():
            self._watcher.removePaths(old)
        folders: list[str] = []
        files: list[str] = []
        for root in self.roots:
            folders.append(str(root))
            for folder in _listing(root):
                if folder.is_dir() and not folder.name.startswith("."):
                    folders.append(str(folder))
                    files += [str(p) for p in _listing(folder) if p.suffix in (".md", ".toml")]
        self._watcher.addPaths(folders + files[:MAX_WATCHED_FILES])

    def _touched(self, _path: str) -> None:
        self._settle.start()

    def _settled(self) -> None:
        self.watch()  # new deck folders and files, and files replaced by a rename
        self.changed.emit()


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:  # gone, or not readable: the loader reports it
        return []
