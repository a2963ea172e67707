"""The card browser (Tools → Browse, Ctrl+F or B), after Anki's: every card — shipped and the
user's own decks — in one table with its progress; a search box that filters as you type; deck,
tag and state filters; a preview of the selected card with its review history; and the card
actions, from the keyboard and a context menu, each undoable with Ctrl+Z.

The rows, the search, the filters and the sort orders are computed in the domain
(``study/browse.py``); the actions are ``study/card_actions.py``. The table is a
``QAbstractTableModel`` over the domain's rows (no widget per row) and sorts with the domain's
keys, so 10,000 cards stay smooth (``tests/benchmarks/bench_browser.py --gui``).

Keys (Anki's where Anki has one): Ctrl+F search box, Ctrl+J suspend / unsuspend,
Ctrl+Shift+J bury until tomorrow / unbury, Ctrl+1..7 flag (again: remove), Ctrl+Shift+D set
due date, Ctrl+Alt+N reset progress, D the card's demo, E edit, Ctrl+Z undo, the Menu key (or
Shift+F10) every action, Esc close. Editing is another part's job: ``edit_requested(card_id)``
is emitted when something is connected to it; otherwise the browser says where editing lives.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Library
from quizapp.errors import UserError
from quizapp.store import AppliedAction, ProgressStore, Undone
from quizapp.study import DayClock, format_interval, load_settings, utc_now
from quizapp.study import card_actions as actions
from quizapp.study.browse import (
    COLUMNS,
    FLAG_FILTERS,
    STATE_FILTERS,
    STATES,
    BrowseRow,
    CardTable,
    Filters,
    sort_rows,
)
from quizapp.ui.card_view import CardView
from quizapp.ui.errors import user_message
from quizapp.ui.math_images import MathImages
from quizapp.ui.shortcuts import letter_shortcuts
from quizapp.ui.strings import chrome_language, tr
from quizapp.ui.theme import colors

Role = Qt.ItemDataRole
CARD_ID_ROLE = Role.UserRole
#: Columns sized to fit a typical value and their header in the window's font (the question
#: column takes what is left); deck and tags get a fixed share.
FIXED_WIDTHS = {"deck": 110, "tags": 100}
WIDTH_SAMPLES = {"due": "(2026-12-08)", "interval": "4.2개월", "lapses": "00",
                 "retrievability": "100%", "last_review": "2026-12-08"}
RIGHT_ALIGNED = {"interval", "lapses", "retrievability"}
STATUS_SECONDS = 8
#: After a search the preview waits this long, so typing is never held up by rendering a card
#: (its formulas may need drawing); moving in the table shows the card at once.
PREVIEW_DELAY_MS = 150
RATING_KEYS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def _local(moment: datetime, with_time: bool = False) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _due_text(row: BrowseRow, now: datetime) -> str:
    """A date; for a (re)learning step due today, its time."""
    if row.due is None:
        return ""
    local = row.due.astimezone()
    if row.state in ("learning", "relearning") and local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d")


class BrowserModel(QAbstractTableModel):
    """The rows of a ``CardTable`` that the search and filters let through, in the order of
    the sort column; cells are formatted when the view asks (only visible rows are asked)."""

    def __init__(self, table: CardTable, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.mode = mode
        self.order: list[int] = list(range(len(table.rows)))  # indices into table.rows
        self.sort_column = COLUMNS.index("deck")  # decks in their order: content order
        self.descending = False

    def use_table(self, table: CardTable) -> None:
        """Show the rows of ``table`` instead (the caller runs the search again)."""
        self.beginResetModel()
        self.table = table
        self.order = list(range(len(table.rows)))
        self.endResetModel()

    # -- Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Role.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Role.DisplayRole:
            return tr(f"col_{COLUMNS[section]}", self.mode)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Role.DisplayRole,
             ) -> Any:
        if not index.isValid():
            return None
        row = self.table.rows[self.order[index.row()]]
        column = COLUMNS[index.column()]
        if role == Role.DisplayRole:
            return self.text(row, column)
        if role == CARD_ID_ROLE:
            return row.card_id
        if role == Role.BackgroundRole:
            palette = colors()
            if row.flag:
                return QBrush(QColor(palette.flags[row.flag - 1]))
            if row.suspended:
                return QBrush(QColor(palette.suspended_bg))
            return None
        if role == Role.ForegroundRole:
            palette = colors()
            if row.flag or row.suspended:
                return QBrush(QColor(palette.text))  # readable on the tint in both themes
            if row.buried:
                return QBrush(QColor(palette.muted))
            return None
        if role == Role.ToolTipRole:  # the whole text of a cell too narrow for it
            # Escaped: Qt shows a tooltip that looks like HTML as rich text, and card text is
            # data from anyone (an <img src=file:...> must stay text).
            if column == "question":
                return f"<p>{html.escape(row.question.ko)}<br>{html.escape(row.question.en)}</p>"
            text = self.text(row, column)
            return f"<p>{html.escape(text)}</p>" if text else None
        if role == Role.TextAlignmentRole and column in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (a header click): the domain's keys, missing values last. The
        selection follows its cards."""
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        cards = [self.order[i.row()] if i.isValid() and i.row() < len(self.order) else None
                 for i in persistent]
        self.order = self._sorted(self.order)
        where = {table_index: view_row for view_row, table_index in enumerate(self.order)}
        moved = []
        for index, card in zip(persistent, cards, strict=True):
            row = where.get(card) if card is not None else None
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- ours -------------------------------------------------------------------------------------

    def text(self, row: BrowseRow, column: str) -> str:
        mode = self.mode
        lang = chrome_language(mode)
        if column == "deck":
            return row.deck_title.get(lang)
        if column == "question":
            return row.question.get(lang)
        if column == "tags":
            return " ".join(row.tags)
        if column == "state":
            parts = [tr(f"state_{row.state}", mode)]
            parts += [tr(f"state_{name}", mode) for name in ("suspended", "buried", "leech")
                      if getattr(row, name)]
            return " · ".join(parts)
        if column == "due":
            shown = _due_text(row, self.table.now())
            return f"({shown})" if shown and (row.suspended or row.buried) else shown
        if column == "interval":
            return "" if row.interval is None else format_interval(row.interval, lang)
        if column == "lapses":
            return str(row.lapses) if row.reviews else ""
        if column == "retrievability":
            return "" if row.retrievability is None else f"{row.retrievability:.0%}"
        if column == "last_review":
            return "" if row.last_review is None else _local(row.last_review)
        raise KeyError(column)

    def show(self, indices: Sequence[int]) -> None:
        """Show the rows ``indices`` (content order), sorted by the current column."""
        self.beginResetModel()
        self.order = self._sorted(indices)
        self.endResetModel()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if COLUMNS[self.sort_column] in ("deck", "question"):
            self.sort(self.sort_column, self._qt_order())
        elif self.order:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.order) - 1, len(COLUMNS) - 1))

    def rows_changed(self, indices: Sequence[int]) -> None:
        """Rows ``indices`` (into the table) were re-read: repaint those on screen. They stay
        where they are until the next search, as in Anki (a card suspended under the
        "suspended" filter does not vanish under the cursor)."""
        wanted = set(indices)
        visible = [n for n, i in enumerate(self.order) if i in wanted]
        if visible:
            self.dataChanged.emit(self.index(min(visible), 0),
                                  self.index(max(visible), len(COLUMNS) - 1))

    def card_id(self, view_row: int) -> str:
        return self.table.rows[self.order[view_row]].card_id

    def view_row(self, card_id: str) -> int | None:
        index = self.table.position.get(card_id)
        if index is None:
            return None
        try:
            return self.order.index(index)
        except ValueError:
            return None

    def _sorted(self, indices: Sequence[int]) -> list[int]:
        return sort_rows(self.table.rows, indices, COLUMNS[self.sort_column], self.descending,
                         chrome_language(self.mode))

    def _qt_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder


class BrowserWindow(QWidget):
    """The browser window. ``cards_changed(card_ids)`` after an action or an undo here;
    ``demo_requested(card_id)``; ``edit_requested(card_id)`` for the card editor to connect."""

    cards_changed = Signal(list)
    closed = Signal()
    demo_requested = Signal(str)
    edit_requested = Signal(str)  # E: the main window opens the card editor

    def __init__(self, library: Library, store: ProgressStore, math: MathImages, mode: str,
                 now: Callable[[], datetime] = utc_now, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.library = library
        self.store = store
        self.now = now
        self.mode = mode
        self.clock = DayClock(load_settings(store).day_start_hour)
        self.table_data = CardTable(library, store, now)
        self.last_error: UserError | None = None
        self._status: tuple[str, dict[str, object]] | None = None
        self._previewed: str | None = None  # the card the preview shows
        self._searching = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.focus_table)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)  # coalesces keys typed faster than a search
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)
        self._search_timer.timeout.connect(lambda: self.run_search(typing=True))
        self.deck_filter = QComboBox()
        self.tag_filter = QComboBox()
        self.state_filter = QComboBox()
        self.filter_labels = [QLabel(), QLabel(), QLabel()]
        for combo in (self.deck_filter, self.tag_filter, self.state_filter):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        for label, combo in zip(self.filter_labels, (self.deck_filter, self.tag_filter,
                                                      self.state_filter), strict=True):
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo)
        top.addWidget(self.count)

        self.model = BrowserModel(self.table_data, mode, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)  # row colours mean flag / suspended
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMNS.index("question"), QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        header.setSortIndicator(self.model.sort_column, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_context_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._current_moved())
        self.table.doubleClicked.connect(lambda _index: self.request_edit())

        self.preview_header = QLabel()
        self.preview_header.setWordWrap(True)
        self.preview_header.setTextFormat(Qt.TextFormat.RichText)
        self.preview = CardView(math)
        self.preview.card_requested.connect(self.show_linked_card)  # a follow-up link
        self.preview.set_mode(mode)
        self.history_label = QLabel()
        self.history = QTableWidget(0, 5)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history_label)
        history_layout.addWidget(self.history, 1)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview_header)
        preview_layout.addWidget(self.preview, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(preview_box)
        right.addWidget(history_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 5)  # the table gets the larger part
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 380])

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages name cards and files
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self.clear_status)
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.hint)

        self.actions_by_key: dict[str, QAction] = {}
        self._build_actions()
        shortcuts = letter_shortcuts()  # letters work in the table, not in the search box
        shortcuts.register(self, "d", self.open_demo)
        shortcuts.register(self, "e", self.request_edit)
        self._fill_filters()
        self.retranslate()
        self.restyle()
        self.resize(1280, 800)
        self.run_search()
        self.search.setFocus()
        # The search index (~0.1 s per 1,000 cards) is built once the window is up.
        QTimer.singleShot(0, lambda: self.table_data.index)

    # -- actions ----------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def add(key: str, slot: Callable[[], object], *shortcuts: str) -> QAction:
            action = QAction(self)
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False: slot())
            self.addAction(action)
            self.actions_by_key[key] = action
            return action

        add("act_search", self.focus_search, "Ctrl+F")
        add("act_suspend", self.toggle_suspend, "Ctrl+J")
        add("act_bury", self.toggle_bury, "Ctrl+Shift+J")
        add("act_set_due", self.set_due_date, "Ctrl+Shift+D")
        add("act_reset", self.reset_progress, "Ctrl+Alt+N")
        for flag in range(1, 8):
            add(f"flag_{flag}", lambda f=flag: self.toggle_flag(f), f"Ctrl+{flag}")
        add("flag_0", lambda: self.toggle_flag(0))
        add("act_demo", self.open_demo)  # D and E are letter shortcuts (ui/shortcuts.py)
        add("act_edit", self.request_edit)
        add("act_undo", self.undo, "Ctrl+Z")
        add("act_menu", self.show_menu_at_current, "Shift+F10", "Menu")

    def selected_cards(self) -> list[str]:
        """The selected cards in table order (or the current one when nothing is selected)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.card_id(row) for row in rows]

    def current_card(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.card_id(index.row()) if index.isValid() else None

    def toggle_suspend(self) -> None:
        self._act(lambda ids: actions.toggle_suspend(self.store, ids, self.now()))

    def toggle_bury(self) -> None:
        self._act(lambda ids: actions.toggle_bury(self.store, ids, self.now(), self.clock))

    def toggle_flag(self, flag: int) -> None:
        if flag == 0:
            self._act(lambda ids: actions.set_flag(self.store, ids, 0, self.now()))
        else:
            self._act(lambda ids: actions.toggle_flag(self.store, ids, flag, self.now()))

    def reset_progress(self) -> None:
        cards = self.selected_cards()
        if not cards:
            self.show_status("no_selection")
            return
        if self.confirm(tr("reset_confirm", self.mode, count=len(cards))):
            self._act(lambda ids: actions.reset_progress(self.store, ids, self.now()), cards)

    def set_due_date(self) -> None:
        cards = self.selected_cards()
        if not cards:
            self.show_status("no_selection")
            return
        days = self.ask_days()
        if days is None:
            return
        done = self._act(lambda ids: actions.set_due(self.store, ids, days, self.now(),
                                                     self.clock), cards)
        if done is not None and len(done.card_ids) < len(cards):
            self.show_status("done_set_due_new", count=len(cards) - len(done.card_ids))

    def confirm(self, text: str) -> bool:
        """Ask yes / no (No is the default, so Enter does not reset by accident)."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("browser_title", self.mode), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.exec()
        self.activateWindow()  # the keys come back here (without a window manager too)
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)

    def ask_days(self) -> int | None:
        """Ask in how many days the cards are due (None: cancelled)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(tr("browser_title", self.mode))
        dialog.setLabelText(tr("set_due_prompt", self.mode))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(0, actions.MAX_DUE_DAYS)
        dialog.setIntValue(1)
        accepted = dialog.exec()
        self.activateWindow()
        return dialog.intValue() if accepted else None

    def _act(self, action: Callable[[list[str]], AppliedAction],
             cards: list[str] | None = None) -> AppliedAction | None:
        """Run a card action on the selected cards (or ``cards``), then show what it did."""
        cards = self.selected_cards() if cards is None else cards
        if not cards:
            self.show_status("no_selection")
            return None
        try:
            done = action(cards)
        except UserError as err:  # a full disk, a read-only file: said in words
            self._report(err)
            return None
        self._report(None)
        if not done.card_ids:
            self.show_status("done_nothing")
            return done
        self.refresh_cards(list(done.card_ids))
        values: dict[str, object] = {"count": len(done.card_ids)}
        key = f"done_{done.kind}"
        if done.kind == "flag":
            flag = self.table_data.row(done.card_ids[0])
            if flag is None or flag.flag == 0:
                key = "done_unflag"
            else:
                values["flag"] = tr(f"flag_{flag.flag}", self.mode)
        elif done.kind == "set_due":
            row = self.table_data.row(done.card_ids[0])
            values["days"] = "?" if row is None or row.due is None else max(
                0, (self.clock.day_start(row.due) - self.clock.day_start(self.now())).days)
        self.show_status(key, undo=True, **values)
        self.cards_changed.emit(list(done.card_ids))
        return done

    def undo(self) -> Undone | None:
        """Ctrl+Z: undo the newest grade or card action (of this app, or else in the
        database), here or in the review screen."""
        try:
            undone = self.store.undo_last()
        except UserError as err:
            self._report(err)
            return None
        self._report(None)
        if undone is None:
            self.show_status("nothing_to_undo")
            return None
        self.refresh_cards(list(undone.card_ids))
        self.show_undone(undone)
        self.cards_changed.emit(list(undone.card_ids))
        return undone

    def show_undone(self, undone: Undone) -> None:
        if undone.kind == "grade":
            self.show_status("undone_grade", card=undone.card_id)
        else:
            self.show_status("undone_action", what=tr(f"kind_{undone.kind}", self.mode),
                             count=len(undone.card_ids))

    def open_demo(self) -> None:
        card = self.library.card(self.current_card() or "")
        if card is None:
            self.show_status("no_selection")
        elif card.demo is None:
            self.show_status("no_demo")
        else:
            self.demo_requested.emit(card.id)

    def request_edit(self) -> None:
        """E: ask the main window's card editor to edit the current card."""
        card_id = self.current_card()
        if card_id is None:
            self.show_status("no_selection")
            return
        self.edit_requested.emit(card_id)

    def show_context_menu(self, position: QPoint) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(position))

    def show_menu_at_current(self) -> None:
        """The Menu key or Shift+F10: the context menu at the current row."""
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else self.table.rect()
        self.show_context_menu(rect.bottomLeft() if index.isValid() else QPoint(0, 0))

    def context_menu(self) -> QMenu:
        """Every action on the selected cards, with its keys."""
        menu = QMenu(self)
        for key in ("act_suspend", "act_bury"):
            menu.addAction(self.actions_by_key[key])
        flags = menu.addMenu(tr("flag_menu", self.mode))
        for flag in (*range(1, 8), 0):
            flags.addAction(self.actions_by_key[f"flag_{flag}"])
        menu.addAction(self.actions_by_key["act_set_due"])
        menu.addAction(self.actions_by_key["act_reset"])
        menu.addSeparator()
        menu.addAction(self.actions_by_key["act_demo"])
        menu.addAction(self.actions_by_key["act_edit"])
        menu.addSeparator()
        menu.addAction(self.actions_by_key["act_undo"])
        return menu

    # -- search -----------------------------------------------------------------------------------

    def filters(self) -> Filters:
        return Filters(deck=self.deck_filter.currentData(), tag=self.tag_filter.currentData(),
                       state=self.state_filter.currentData())

    def run_search(self, typing: bool = False) -> None:
        """Show the cards matching the search box and filters; keep the current card. While
        ``typing``, the preview follows a moment after the last key."""
        self._search_timer.stop()
        current = self.current_card()
        found = self.table_data.search(self.search.text(), self.filters())
        self._searching = typing
        try:
            self.model.show(found)
            row = self.model.view_row(current) if current else None
            if row is None and self.model.rowCount():
                row = 0
            if row is not None:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._searching = False
        self.count.setText(tr("shown_count", self.mode, shown=len(found),
                              total=len(self.table_data.rows)))
        if self.current_card() != self._previewed:
            if typing:
                self._preview_timer.start()
            else:
                self.update_preview()

    def _current_moved(self) -> None:
        if self._searching:
            self._preview_timer.start()  # after the typing
        else:
            self._preview_timer.stop()
            self.update_preview()

    def show_linked_card(self, card_id: str) -> None:
        """A follow-up link in the preview: select that card (showing every card first when
        the search or a filter hides it)."""
        if self.model.view_row(card_id) is None:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            for combo in (self.deck_filter, self.tag_filter, self.state_filter):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.run_search()
        if self.select_card(card_id):
            self.table.scrollTo(self.table.currentIndex())

    def select_card(self, card_id: str) -> bool:
        row = self.model.view_row(card_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def use_library(self, library: Library) -> None:
        """New content (a card written or changed on disk): rebuild the rows, keep the search,
        the filters and the current card."""
        self.library = library
        self.table_data = CardTable(library, self.store, self.now)
        self.model.use_table(self.table_data)
        self._fill_filters()
        self.run_search()
        self.update_preview(force=True)

    def refresh_cards(self, card_ids: list[str] | None = None) -> None:
        """Re-read the progress of ``card_ids`` (all: None), e.g. after a grade elsewhere."""
        self.model.rows_changed(self.table_data.refresh(card_ids))
        self.update_preview(force=True)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus()

    # -- preview ----------------------------------------------------------------------------------

    def update_preview(self, force: bool = False) -> None:
        """Show the current card and its history (again only when it changed, or ``force``:
        its progress, the language or the theme did)."""
        card_id = self.current_card()
        if card_id == self._previewed and not force:
            return
        self._previewed = card_id
        card = self.library.card(card_id) if card_id else None
        row = self.table_data.row(card_id) if card_id else None
        follow_ups = [c for ref in card.follow_ups if (c := self.library.card(ref))] if card else []
        self.preview.show_card(card, revealed=True, follow_ups=follow_ups)
        self._fill_history(card_id)
        if card is None or row is None:
            self.preview_header.setText("")
            return
        mode = self.mode
        lang = chrome_language(mode)
        recall = "-" if row.retrievability is None else f"{row.retrievability:.0%}"
        tags = " ".join(f"#{html.escape(tag)}" for tag in row.tags)
        owner = f" · {tr('user_card', mode)}" if row.user_card else ""
        demo = f" · ▶ {tr('demo', mode)} (D)" if row.has_demo else ""
        summary = tr("preview_summary", mode, reviews=row.reviews, lapses=row.lapses,
                     recall=recall)
        if row.stability is not None and row.difficulty is not None:
            summary += " · " + tr("preview_memory", mode, stability=row.stability,
                                  difficulty=row.difficulty)
        self.preview_header.setText(
            f"<b>{html.escape(card.id)}</b> · {html.escape(row.deck_title.get(lang))}{owner}"
            f" · {html.escape(self.model.text(row, 'state'))}{demo}<br>{tags}<br>"
            f"{html.escape(summary)}")

    def _fill_history(self, card_id: str | None) -> None:
        mode = self.mode
        lang = chrome_language(mode)
        entries: list[tuple[str, list[str], int]] = []  # (when, cells, rating or 0)
        if card_id is not None:
            for log in self.store.log_rows(card_id):
                interval = log["interval_after_s"]
                entries.append((log["reviewed_at"], [
                    _local(datetime.fromisoformat(log["reviewed_at"]), with_time=True),
                    tr(RATING_KEYS.get(log["rating"], "again"), mode),
                    tr(f"state_{STATES[log['state_before'] or 0]}", mode),
                    "" if interval is None else format_interval(timedelta(seconds=interval),
                                                                lang),
                    f"{(log['duration_ms'] or 0) / 1000:.0f}s"], int(log["rating"])))
            for action in self.store.action_rows(card_id):
                what = tr(f"kind_{action['kind']}", mode)
                if action["kind"] == "flag":
                    what = tr(f"flag_{int(action['detail'].get('flag', 0))}", mode)
                elif action["kind"] == "set_due":
                    what += f" (+{action['detail'].get('days', '?')})"
                entries.append((action["done_at"], [
                    _local(datetime.fromisoformat(action["done_at"]), with_time=True),
                    f"[{what}]", "", "", ""], 0))
        entries.sort(key=lambda entry: entry[0], reverse=True)  # newest first, as Anki
        self.history.setRowCount(len(entries))
        palette = colors()
        for row, (_when, cells, rating) in enumerate(entries):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1 and rating in RATING_KEYS:
                    item.setForeground(QBrush(QColor(palette.grades[rating - 1])))
                self.history.setItem(row, column, item)
        self.history_label.setText(
            f"<b>{tr('history', mode)}</b>" + ("" if entries else
                                               f" — {tr('history_empty', mode)}"))
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setSectionResizeMode(
            self.history.columnCount() - 1, QHeaderView.ResizeMode.Stretch)

    # -- language, theme, status ------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.model.set_mode(mode)
        self.preview.set_mode(mode)
        self._fill_filters()
        self.retranslate()
        self.update_preview(force=True)

    def retranslate(self) -> None:
        mode = self.mode
        self.setWindowTitle(tr("browser_title", mode))
        self.search.setPlaceholderText(tr("search_placeholder", mode))
        for label, key in zip(self.filter_labels, ("filter_deck", "filter_tag", "filter_state"),
                              strict=True):
            label.setText(tr(key, mode))
        for key, action in self.actions_by_key.items():
            action.setText(tr(key, mode))
        self.actions_by_key["act_demo"].setText(f"{tr('act_demo', mode)}\tD")
        self.actions_by_key["act_edit"].setText(f"{tr('act_edit', mode)}\tE")
        self.history.setHorizontalHeaderLabels([tr(k, mode) for k in (
            "col_when", "col_grade", "col_state_before", "col_interval_after", "col_answer_time")])
        self.hint.setText(tr("browser_keys", mode))
        self._size_columns()
        self.count.setText(tr("shown_count", mode, shown=self.model.rowCount(),
                              total=len(self.table_data.rows)))
        self._update_status()

    def _size_columns(self) -> None:
        """Widths that fit each column's header and a typical value in this language."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        # A state is one word; a compound one ("review · suspended") is elided, its row
        # coloured and its tooltip whole, so the question keeps the width.
        states = [tr(f"state_{s}", self.mode) for s in ("new", "learning", "review", "relearning")]
        samples = {**WIDTH_SAMPLES, "state": max(states, key=metrics.horizontalAdvance)}
        for column in COLUMNS:
            if column == "question":
                continue
            title = header.horizontalAdvance(tr(f"col_{column}", self.mode)) + 20  # + arrow
            width = FIXED_WIDTHS.get(column) or metrics.horizontalAdvance(samples[column]) + 14
            self.table.setColumnWidth(COLUMNS.index(column), max(title, width))

    def _fill_filters(self) -> None:
        mode = self.mode
        lang = chrome_language(mode)
        choices: list[tuple[QComboBox, list[tuple[str, str | None]]]] = [
            (self.deck_filter, [(tr("any_deck", mode), None)] + [
                (deck.title.get(lang), deck.id) for deck in self.library.decks]),
            (self.tag_filter, [(tr("any_tag", mode), None)] + [
                (f"#{tag}", tag) for tag in self.table_data.tags()]),
            (self.state_filter, [(tr("any_state", mode), None)] + [
                (tr(name if name in FLAG_FILTERS else f"state_{name}", mode), name)
                for name in STATE_FILTERS]),
        ]
        for combo, items in choices:
            selected = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(selected)) if selected else 0)
            combo.blockSignals(False)
        palette = colors()
        for flag in range(1, 8):
            index = self.state_filter.findData(f"flag_{flag}")
            self.state_filter.setItemData(index, QColor(palette.flag_marks[flag - 1]),
                                          Role.DecorationRole)

    def restyle(self) -> None:
        palette = colors()
        self.hint.setStyleSheet(f"color: {palette.muted}; font-size: 11px;")
        self.preview_header.setStyleSheet(
            f"background: {palette.notice_bg}; border: 1px solid {palette.border}; "
            "border-radius: 4px; padding: 6px;")
        self.preview.restyle()
        self._fill_filters()
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(
                self.model.rowCount() - 1, len(COLUMNS) - 1))
        self._update_status()
        self.update_preview(force=True)

    def show_status(self, key: str, undo: bool = False, **values: object) -> None:
        self._status = (key, {**values, "_undo": undo})
        self._status_timer.start(STATUS_SECONDS * 1000)
        self._update_status()

    def clear_status(self) -> None:
        self._status = None
        self._update_status()

    def _update_status(self) -> None:
        palette = colors()
        if self.last_error is not None:
            self.status.setText(user_message(self.last_error, self.mode))
            self.status.setStyleSheet(f"background: {palette.problem_bg}; color: "
                                      f"{palette.problem_text}; padding: 6px;")
            self.status.show()
            return
        self.status.setStyleSheet("padding: 2px 6px; font-weight: 600;")
        if self._status is None:
            self.status.setText("")
            return
        key, values = self._status
        shown = {k: v for k, v in values.items() if k != "_undo"}
        text = tr(key, self.mode, **shown)
        if values.get("_undo"):
            text += f"  ({tr('undo_hint', self.mode)})"
        self.status.setText(text)

    def _report(self, err: UserError | None) -> None:
        self.last_error = err
        self._update_status()

    # -- keys and window --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        """In the search box: Down or Enter goes to the table, Esc clears the search."""
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self.focus_table()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self._search_timer.stop()
        self._status_timer.stop()
        self._preview_timer.stop()
        super().closeEvent(event)
        self.closed.emit()


