"""The card browser driven from the keyboard in the real window: opening it (B, Ctrl+F), typing
a search, filters, the actions (Ctrl+J, Ctrl+Shift+J, Ctrl+1-7, Ctrl+Shift+D, Ctrl+Alt+N) with
what the database says after each, Ctrl+Z, the preview and history, both languages and the
dark theme — and the review screen and the browser following each other."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from card_files import write_card
from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from quizapp.study import card_actions as actions
from quizapp.study import utc_now
from quizapp.study.browse import COLUMNS
from quizapp.ui.app import application, create_window
from quizapp.ui.browser_screen import BrowserWindow
from quizapp.ui.card_editor import CardEditor
from quizapp.ui.main_window import MainWindow
from quizapp.ui.theme import colors

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> MainWindow:
    write_card(small_content / "beta", "03.md", "b3", extra='tags = ["demo-card"]\n'
               '[demo]\nid = "dropout"\n', ko="드롭아웃 데모 카드", en="Dropout demo card")
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def db(tmp_path: Path) -> Callable[[str], list[tuple[object, ...]]]:
    """A query on the database file through its own connection: what is really on disk."""
    def query(sql: str) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    return query


def open_browser(qtbot: QtBot, window: MainWindow) -> BrowserWindow:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_B)
    browser = window.browser  # closed (and deleted) with the main window
    assert browser is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)  # keys go to it now
    return browser


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` a key at a time, as an input method sends Hangul (QTest's keyClicks only
    knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))


def shown_ids(browser: BrowserWindow) -> list[str]:
    return [browser.model.card_id(row) for row in range(browser.model.rowCount())]


def cell(browser: BrowserWindow, card_id: str, column: str) -> str:
    row = browser.model.view_row(card_id)
    assert row is not None
    return str(browser.model.index(row, COLUMNS.index(column)).data())


def go_to(qtbot: QtBot, browser: BrowserWindow, card_id: str) -> None:
    """Select ``card_id`` with the arrow keys, from the table."""
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Home, CTRL)  # the first row
    for _ in range(browser.model.rowCount()):
        if browser.current_card() == card_id:
            return
        qtbot.keyClick(browser.table, Qt.Key.Key_Down)
    raise AssertionError(f"{card_id} is not in the table")


def answer_modal(answer: Callable[[QWidget], None]) -> list[str]:
    """Run ``answer`` on the modal dialog the next key opens (at once: a key that opens none
    fails the test); returns the dialog's text."""
    seen: list[str] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "no dialog opened"
        seen.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        answer(dialog)

    QTimer.singleShot(0, handle)
    return seen


# -- opening and searching ---------------------------------------------------------------------

def test_b_and_ctrl_f_open_the_browser_on_every_card(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    assert shown_ids(browser) == ["a1", "a2", "a3", "b1", "b2", "b3"]
    assert browser.count.text() == "6 / 6장" and browser.windowTitle() == "카드 찾아보기"
    assert browser.search.hasFocus() or QApplication.focusWidget() is browser.search
    browse = window.menus.items["browse"].action
    assert "Ctrl+F" in [k.toString() for k in browse.shortcuts()] and browse.text().endswith("B")
    browser.close()
    QApplication.sendEvent(window.home.decks, QKeyEvent(  # B under a Korean layout: ㅠ
        QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, "ㅠ"))
    assert window.browser is not None and window.browser is not browser
    window.browser.close()
    browse.trigger()  # Tools → Browse (Ctrl+F)
    assert window.browser is not None


def test_typing_a_search_filters_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    qtbot.keyClicks(browser.search, "DROP")
    qtbot.waitUntil(lambda: shown_ids(browser) == ["b1", "b3"])
    assert browser.count.text() == "2 / 6장"
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)  # clears the search
    assert browser.search.text() == ""
    qtbot.waitUntil(lambda: len(shown_ids(browser)) == 6)
    type_text(browser.search, "배치")
    qtbot.waitUntil(lambda: shown_ids(browser) == ["b2"])
    browser.search.clear()
    type_text(browser.search, "ㄴㅅㅌ")  # 네스테로프 by its initial consonants
    qtbot.waitUntil(lambda: shown_ids(browser) == ["a2"])
    qtbot.waitUntil(lambda: "네스테로프는?" in browser.preview.plain_text("ko"))  # and the preview
    browser.search.clear()
    qtbot.keyClicks(browser.search, "answer to what -nesterov -adam")  # English answers
    qtbot.waitUntil(lambda: shown_ids(browser) == ["a1", "b1", "b2"])
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)  # on to the table
    assert browser.table.hasFocus() or QApplication.focusWidget() is browser.table
    qtbot.keyClick(browser.table, Qt.Key.Key_F, CTRL)  # and back to the search box
    assert QApplication.focusWidget() is browser.search


def test_filters_by_deck_tag_and_state(qtbot: QtBot, window: MainWindow) -> None:
    actions.suspend(window.store, ["a2"], utc_now())
    browser = open_browser(qtbot, window)
    browser.deck_filter.setFocus()
    qtbot.keyClick(browser.deck_filter, Qt.Key.Key_Down)  # All decks → Deck alpha
    assert shown_ids(browser) == ["a1", "a2", "a3"]
    browser.state_filter.setCurrentIndex(browser.state_filter.findData("suspended"))
    assert shown_ids(browser) == ["a2"]
    browser.deck_filter.setCurrentIndex(0)
    browser.state_filter.setCurrentIndex(browser.state_filter.findData("new"))
    assert shown_ids(browser) == ["a1", "a2", "a3", "b1", "b2", "b3"]  # as Anki's is:new
    browser.state_filter.setCurrentIndex(browser.state_filter.findData("due_today"))
    assert shown_ids(browser) == []
    browser.state_filter.setCurrentIndex(0)
    browser.tag_filter.setCurrentIndex(browser.tag_filter.findData("demo-card"))
    assert shown_ids(browser) == ["b3"] and browser.count.text() == "1 / 6장"


# -- actions and undo --------------------------------------------------------------------------

def test_ctrl_j_suspends_the_database_says_so_and_ctrl_z_undoes_it(
        qtbot: QtBot, window: MainWindow, db: Callable[[str], list[tuple[object, ...]]]) -> None:
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "a2")
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert db("select card_id, suspended from card_status") == [("a2", 1)]
    assert db("select kind from actions") == [("suspend",)]
    assert cell(browser, "a2", "state") == "새 카드 · 보류"
    assert "1장을 보류했습니다" in browser.status.text() and "Ctrl+Z" in browser.status.text()
    assert "a2" not in window.home.counts or window.home.total.new == 5  # home counts follow
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert db("select * from card_status") == [] and db("select * from actions") == []
    assert cell(browser, "a2", "state") == "새 카드"
    assert browser.status.text().startswith("되돌렸습니다: 보류 (1장)")
    assert window.home.total.new == 6
    # Several cards at once (Shift+Down extends the selection): one action, one undo step.
    qtbot.keyClick(browser.table, Qt.Key.Key_Down, SHIFT)
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert db("select card_id from card_status order by card_id") == [("a2",), ("a3",)]
    window.menus.items["undo"].action.trigger()  # Ctrl+Z of the main window undoes it too
    assert db("select * from card_status") == []
    assert window.home.hint.text() == "되돌렸습니다: 보류 (2장)."


def test_bury_and_flags_from_the_keyboard(qtbot: QtBot, window: MainWindow,
                                          db: Callable[[str], list[tuple[object, ...]]]) -> None:
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "b1")
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL | SHIFT)
    [(card, until)] = db("select card_id, buried_until from card_status")
    assert card == "b1" and str(until) > utc_now().isoformat()
    assert "내일로 미룸" in cell(browser, "b1", "state")
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL | SHIFT)  # again: unbury
    assert db("select * from card_status") == []
    qtbot.keyClick(browser.table, Qt.Key.Key_1, CTRL)
    assert db("select card_id, flag from card_status") == [("b1", 1)]
    row = browser.model.view_row("b1")
    assert row is not None
    background = browser.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == QColor(colors().flags[0])
    qtbot.keyClick(browser.table, Qt.Key.Key_4, CTRL)
    assert db("select flag from card_status") == [(4,)]
    qtbot.keyClick(browser.table, Qt.Key.Key_4, CTRL)  # the same flag again removes it
    assert db("select * from card_status") == []
    for _ in range(5):
        qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert db("select * from card_status") == [] and db("select * from actions") == []


def test_reset_asks_first(qtbot: QtBot, window: MainWindow,
                          db: Callable[[str], list[tuple[object, ...]]]) -> None:
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_4)  # a1: Easy, days away
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "a1")
    assert cell(browser, "a1", "state") == "복습"
    questions = answer_modal(lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    qtbot.keyClick(browser.table, Qt.Key.Key_N, CTRL | ALT)
    assert questions and "초기화할까요" in questions[0]
    assert db("select card_id from cards") == [("a1",)] and db("select * from actions") == []
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)  # back from the dialog
    # Enter takes the default button, which is No: nothing is reset by accident.
    asked = answer_modal(lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Return))
    qtbot.keyClick(browser.table, Qt.Key.Key_N, CTRL | ALT)
    assert asked and db("select card_id from cards") == [("a1",)]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)
    asked = answer_modal(lambda dialog: dialog.button(  # type: ignore[attr-defined]
        QMessageBox.StandardButton.Yes).click())
    qtbot.keyClick(browser.table, Qt.Key.Key_N, CTRL | ALT)
    assert asked
    assert db("select * from cards") == [] and db("select count(*) from revlog") == [(1,)]
    assert cell(browser, "a1", "state") == "새 카드" and cell(browser, "a1", "due") == ""
    assert window.review.session is not None and window.review.session.current is not None
    assert window.review.session.current.id == "a1"  # the review screen has it as new again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is browser)
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert db("select card_id, state from cards") == [("a1", 2)]


def test_set_due_date_asks_the_days(qtbot: QtBot, window: MainWindow,
                                    db: Callable[[str], list[tuple[object, ...]]]) -> None:
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_4)  # a1 reviewed
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "a1")
    before = db("select due from cards")

    def type_days(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setIntValue(0)  # today
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    asked = answer_modal(type_days)
    qtbot.keyClick(browser.table, Qt.Key.Key_D, CTRL | SHIFT)
    assert asked and "며칠 뒤에" in asked[0]
    [(due,)] = db("select due from cards")
    assert due != before[0][0] and str(due) <= utc_now().isoformat()
    assert "0일 뒤로" in browser.status.text()
    assert window.review.session is not None and window.review.session.counts.review == 1


# -- preview, keys, languages, theme -----------------------------------------------------------

def test_the_preview_shows_the_selected_card_and_its_history(qtbot: QtBot,
                                                              window: MainWindow) -> None:
    window.open_study()
    for key in (Qt.Key.Key_Space, Qt.Key.Key_1, Qt.Key.Key_Space, Qt.Key.Key_3):
        qtbot.keyClick(window.review, key)  # a1 Again, then a2 Good
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "a1")
    text = browser.preview.plain_text("ko")
    assert "모멘텀" in text and "답변" in text  # question and answer
    assert browser.history.rowCount() == 1
    assert browser.history.item(0, 1).text() == "다시"
    assert "복습 1회" in browser.preview_header.text()
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert browser.history.rowCount() == 2 and browser.history.item(0, 1).text() == "[보류]"
    qtbot.keyClick(browser.table, Qt.Key.Key_Down)
    assert "네스테로프는?" in browser.preview.plain_text("ko")
    assert browser.history.item(0, 1).text() == "알맞음"
    # a1's follow-up link (a2) selects that card, even when the search hides it
    go_to(qtbot, browser, "a1")
    assert "href='card:a2'" in browser.preview.html("ko").replace('"', "'")
    type_text(browser.search, "모멘텀")
    qtbot.waitUntil(lambda: shown_ids(browser) == ["a1"])
    browser.preview.panes["ko"].anchorClicked.emit(QUrl("card:a2"))
    assert browser.current_card() == "a2" and len(shown_ids(browser)) == 6


def test_sorting_by_a_column_keeps_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "b2")
    browser.table.sortByColumn(COLUMNS.index("question"), Qt.SortOrder.AscendingOrder)
    assert shown_ids(browser) == ["a2", "b3", "b1", "a1", "b2", "a3"]  # 네 < 드 < 모 < 배 < 아
    assert browser.current_card() == "b2"
    browser.table.sortByColumn(COLUMNS.index("deck"), Qt.SortOrder.DescendingOrder)
    assert shown_ids(browser) == ["b1", "b2", "b3", "a1", "a2", "a3"]


def test_the_context_menu_lists_every_action_with_its_keys(qtbot: QtBot,
                                                           window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    menu = browser.context_menu()
    entries = {a.text(): a.shortcut().toString() for a in menu.actions() if a.text()}
    assert entries["보류 / 보류 풀기"] == "Ctrl+J"
    assert entries["내일로 미루기 / 되돌리기"] == "Ctrl+Shift+J"
    assert entries["복습 날짜 정하기…"] == "Ctrl+Shift+D"
    assert entries["학습 기록 초기화…"] == "Ctrl+Alt+N"
    assert entries["되돌리기"] == "Ctrl+Z"
    assert entries["라이브 데모 열기\tD"] == "" and entries["카드 편집\tE"] == ""
    flags = next(a.menu() for a in menu.actions() if a.text() == "깃발")
    assert [a.shortcut().toString() for a in flags.actions()][:4] == [
        "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    # From the keyboard: the Menu key and Shift+F10 open it on the table.
    go_to(qtbot, browser, "a1")
    for key, modifier in ((Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_F10, SHIFT)):
        shown: list[str] = []

        def close_popup(seen: list[str] = shown) -> None:
            popup = QApplication.activePopupWidget()
            assert popup is not None, "no menu opened"
            seen.extend(a.text() for a in popup.actions() if a.text())
            popup.close()

        QTimer.singleShot(50, close_popup)
        qtbot.keyClick(browser.table, key, modifier)
        qtbot.waitUntil(lambda seen=shown: bool(seen))
        assert "보류 / 보류 풀기" in shown


def test_d_asks_for_the_cards_demo_and_e_for_the_editor(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    demos: list[str] = []
    browser.demo_requested.disconnect()
    browser.demo_requested.connect(demos.append)
    go_to(qtbot, browser, "a1")
    qtbot.keyClick(browser.table, Qt.Key.Key_D)
    assert demos == [] and "데모가 없습니다" in browser.status.text()
    go_to(qtbot, browser, "b3")
    qtbot.keyClick(browser.table, Qt.Key.Key_D)
    assert demos == ["b3"]
    qtbot.keyClick(browser.table, Qt.Key.Key_E)  # the card editor opens on that card
    editor = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, CardEditor) and w.isVisible())
    assert editor.card_id.text() == "b3" and editor.card_id.isReadOnly()


def test_both_languages(qtbot: QtBot, window: MainWindow) -> None:
    browser = open_browser(qtbot, window)
    go_to(qtbot, browser, "b1")
    header = browser.model.headerData(COLUMNS.index("question"), Qt.Orientation.Horizontal)
    assert header == "질문" and cell(browser, "b1", "question") == "드롭아웃은?"
    qtbot.keyClick(browser.table, Qt.Key.Key_L)  # L in the browser switches everywhere
    assert window.mode == "en" and browser.windowTitle() == "Browse cards"
    assert cell(browser, "b1", "question") == "What is dropout?"
    assert cell(browser, "b1", "deck") == "Deck beta" and cell(browser, "b1", "state") == "new"
    assert browser.model.headerData(COLUMNS.index("due"), Qt.Orientation.Horizontal) == "Due"
    assert browser.count.text() == "6 of 6 cards"
    widths = {c: browser.table.columnWidth(COLUMNS.index(c)) for c in COLUMNS}
    # the question is what a user reads: the widest column in either language
    assert widths["question"] == max(widths.values()), widths
    # a state is one word; "review · suspended" once took the width the question needed
    assert widths["question"] >= 2.5 * widths["state"] and widths["question"] >= 200, widths
    assert browser.deck_filter.itemText(0) == "All decks"
    assert "What is dropout?" in browser.preview.plain_text("en")
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert browser.status.text().startswith("Suspended 1 card(s).")
    assert browser.current_card() == "b1"  # the language change kept the card selected


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(color: QColor) -> float:
        channels = [c / 255 for c in (color.red(), color.green(), color.blue())]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_rows_are_readable_in_both_themes(qtbot: QtBot, window: MainWindow, theme: str) -> None:
    window.set_theme(theme)
    now = utc_now()
    actions.set_flag(window.store, ["a1"], 1, now)
    actions.suspend(window.store, ["a2"], now)
    actions.bury(window.store, ["a3"], now, window_clock())
    browser = open_browser(qtbot, window)
    base = browser.table.palette().color(QPalette.ColorRole.Base)
    assert (base.lightness() < 60) == (theme == "dark")
    text = browser.table.palette().color(QPalette.ColorRole.Text)
    for card_id in ("a1", "a2", "a3", "b1"):
        index = browser.model.index(browser.model.view_row(card_id) or 0, 1)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        bg = background.color() if background is not None else base
        fg = foreground.color() if foreground is not None else text
        assert _contrast(fg, bg) >= 4.5, (theme, card_id, fg.name(), bg.name())
    for flag in range(7):  # every flag colour, and the suspended tint
        assert _contrast(QColor(colors().text), QColor(colors().flags[flag])) >= 4.5
    assert _contrast(QColor(colors().text), QColor(colors().suspended_bg)) >= 4.5
    assert f"color: {colors().text}" in browser.preview.panes["ko"].document().defaultStyleSheet()


def window_clock():  # type: ignore[no-untyped-def]
    from quizapp.study import DayClock

    return DayClock(4)


# -- the review screen and the browser follow each other ----------------------------------------

def test_the_review_screen_and_the_browser_follow_each_other(
        qtbot: QtBot, window: MainWindow) -> None:
    window.open_study()
    browser = open_browser(qtbot, window)
    review = window.review
    assert review.session is not None and review.session.current is not None
    assert review.session.current.id == "a1"
    go_to(qtbot, browser, "a1")
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)  # suspend the card being studied
    assert review.session.current.id == "a2"  # the review screen moved on
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert review.session.current.id == "a1"
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_3)  # a grade in the review screen...
    assert cell(browser, "a1", "state") == "학습 중"  # ...shows in the browser at once
    assert cell(browser, "a1", "interval") == "10분"
    qtbot.keyClick(review, Qt.Key.Key_Z, CTRL)  # and its undo too
    assert cell(browser, "a1", "state") == "새 카드"


def test_a_leech_is_reported_on_the_review_screen(qtbot: QtBot, small_content: Path,
                                                  tmp_path: Path) -> None:
    from quizapp.store import open_store
    from quizapp.study import StudySettings, save_settings
    from quizapp.study.scheduling import CardScheduler

    path = tmp_path / "data" / "progress.sqlite3"
    with open_store(path) as store:
        save_settings(store, StudySettings(leech_threshold=1))
        scheduler = CardScheduler()
        when = utc_now() - timedelta(days=10)
        store.record_review("a1", lambda row: scheduler.review("a1", row, 4, when, 0))
        actions.set_due(store, ["a1"], 0, utc_now(), window_clock())
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    win.open_study()
    review = win.review
    assert review.session is not None and review.session.current is not None
    assert review.session.current.id == "a1"
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_1)  # the first lapse: a leech at threshold 1
    assert "거머리 카드" in review.hint.text() and "보류" in review.hint.text()
    assert review.session.current.id == "a2"  # suspended: out of the queue
    qtbot.keyClick(review, Qt.Key.Key_Z, CTRL)  # undo takes the leech and the grade back
    assert review.session.current.id == "a1"
    assert win.store.card_status("a1").suspended is False


def test_card_text_is_never_html_outside_the_card_pane(qtbot: QtBot, small_content: Path,
                                                       tmp_path: Path) -> None:
    """A hostile card's question and tags reach the table, its tooltips and the preview's
    header as text; only CardPane (locked down) renders card Markdown."""
    write_card(small_content / "beta", "09.md", "evil",
               extra='tags = ["<b>tag</b>"]\n',
               ko="<img src='file:///etc/hostname'> 질문", en="<b>bold</b> question")
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    browser = open_browser(qtbot, win)
    go_to(qtbot, browser, "evil")
    row = browser.model.view_row("evil")
    assert row is not None
    question = browser.model.index(row, COLUMNS.index("question"))
    assert question.data() == "<img src='file:///etc/hostname'> 질문"  # shown as typed
    tooltip = question.data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tooltip and "&lt;img" in tooltip and "&lt;b&gt;bold" in tooltip
    tags = browser.model.index(row, COLUMNS.index("tags")).data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tags
    assert "&lt;b&gt;tag" in browser.preview_header.text()
    assert "<img" not in browser.preview_header.text()
    assert browser.status.textFormat() == Qt.TextFormat.PlainText
