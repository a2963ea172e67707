"""The main window's menu bar: File, Study, View, Tools, Help, in the user's language.

Actions with modifier keys (Ctrl+Q, Ctrl+Z, Ctrl+=, F1, ...) are ``QAction`` shortcuts. Single
letters (L, D, G) are routed by ``ui/shortcuts.py`` so they work in both keyboard layouts and
cannot be taken by a list's type-ahead; their menu items only *show* the letter.
Later screens (quiz, statistics, browser, settings) hang off these menus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from quizapp.ui.strings import tr
from quizapp.ui.theme import THEMES


@dataclass
class MenuItem:
    action: QAction
    key: str  # strings key of its text
    letter: str = ""  # a single-letter shortcut shown next to the text


class MenuBar:
    """Builds the menus on ``window`` and retitles them when the language changes."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.menus: dict[str, QMenu] = {}
        self.items: dict[str, MenuItem] = {}
        self.theme_group = QActionGroup(window)
        self.theme_group.setExclusive(True)

    def menu(self, key: str) -> QMenu:
        if key not in self.menus:
            self.menus[key] = self.window.menuBar().addMenu("")
        return self.menus[key]

    def add(self, menu: str, key: str, slot: Callable[[], object], *,
            keys: tuple[QKeySequence | QKeySequence.StandardKey | str, ...] = (),
            letter: str = "", checkable: bool = False) -> QAction:
        """Add an action called ``key`` (a strings key) to ``menu``."""
        action = QAction(self.window)
        sequences: list[QKeySequence] = []
        for shortcut in keys:  # a platform's standard key may repeat ours: twice is "ambiguous"
            for sequence in (QKeySequence.keyBindings(shortcut)
                             if isinstance(shortcut, QKeySequence.StandardKey)
                             else [QKeySequence(shortcut)]):
                if not sequence.isEmpty() and sequence not in sequences:
                    sequences.append(sequence)
        action.setShortcuts(sequences)
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu(menu).addAction(action)
        self.items[key] = MenuItem(action, key, letter)
        return action

    def add_theme_choices(self, menu: str, slot: Callable[[str], object]) -> None:
        submenu = self.menu(menu).addMenu("")
        self.menus["menu_theme"] = submenu
        for theme in THEMES:
            action = QAction(self.window)
            action.setCheckable(True)
            action.setData(theme)
            action.triggered.connect(lambda _checked=False, t=theme: slot(t))
            self.theme_group.addAction(action)
            submenu.addAction(action)
            self.items[f"theme_{theme}"] = MenuItem(action, f"theme_{theme}")

    def check_theme(self, theme: str) -> None:
        for action in self.theme_group.actions():
            action.setChecked(action.data() == theme)

    def separator(self, menu: str) -> None:
        self.menu(menu).addSeparator()

    def retranslate(self, mode: str) -> None:
        for key, menu in self.menus.items():
            menu.setTitle(tr(key, mode))
        for item in self.items.values():
            text = tr(item.key, mode)
            # "\t" shows the letter on the right, as a shortcut, without registering it.
            item.action.setText(f"{text}\t{item.letter}" if item.letter else text)
