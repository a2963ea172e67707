"""What a new user meets in the main window: menus, letter shortcuts that nothing can steal,
language everywhere, zoom, themes, remembered sizes, follow-up links, the demo gallery, help,
and counts and done messages that explain themselves."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from quizapp.demos import DEMOS
from quizapp.study.clock import DayClock
from quizapp.ui import review_screen
from quizapp.ui.app import application, create_window
from quizapp.ui.backup_dialog import BackupDialog
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def korean_key(widget: object, jamo: str) -> None:
    """A key press as a Korean (2-set) layout sends it: no Latin letter, just the jamo."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0,
                                             Qt.KeyboardModifier.NoModifier, jamo))


def test_l_on_home_is_never_taken_by_the_deck_list(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.home.decks
    qtbot.mouseClick(window.home.lang_button, Qt.MouseButton.LeftButton)  # ko -> en
    assert window.mode == "en"
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(2))  # "Deck beta"
    qtbot.keyClick(tree, Qt.Key.Key_L)  # type-ahead would jump to a deck starting with L
    assert window.mode == "both" and tree.currentItem() is tree.topLevelItem(2)
    korean_key(tree, "ㅣ")
    assert window.mode == "ko" and tree.currentItem() is tree.topLevelItem(2)


def test_menus_in_both_languages_with_standard_shortcuts(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["파일(&F)", "학습(&S)", "보기(&V)", "도구(&T)", "도움말(&H)"]
    quit_action = window.menus.items["quit"].action
    assert "Ctrl+Q" in [s.toString() for s in quit_action.shortcuts()]
    zoom_keys = {s.toString() for s in window.menus.items["zoom_in"].action.shortcuts()}
    assert "Ctrl+=" in zoom_keys
    window.toggle_language()
    assert window.menus.menus["menu_file"].title() == "&File"
    assert window.menus.items["toggle_language"].action.text().endswith("\tL")
    quit_action.trigger()
    assert not window.isVisible()


def test_zoom_changes_card_text_and_is_remembered(qtbot: QtBot, window: MainWindow,
                                                  small_content: Path, tmp_path: Path) -> None:
    window.open_study()
    window.review.reveal()
    view = window.review.card_view

    def answer_text_px() -> set[int]:
        """The pixel sizes of the answer's paragraph text as Qt lays it out."""
        from PySide6.QtGui import QFontInfo

        document, sizes = view.panes["ko"].document(), set()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if "의 답" in fragment.text():  # the answer of write_card's cards
                    sizes.add(QFontInfo(fragment.charFormat().font()).pixelSize())
                iterator += 1
            block = block.next()
        return sizes

    before = answer_text_px()
    window.menus.items["zoom_in"].action.trigger()
    window.menus.items["zoom_in"].action.trigger()
    assert view.zoom == 1.25
    after = answer_text_px()
    assert before and after and min(after) > max(before)  # the paragraphs grew, not only headings
    again = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(again)
    assert again.review.card_view.zoom == 1.25
    again.menus.items["zoom_reset"].action.trigger()
    assert again.review.card_view.zoom == 1.0


def test_dark_theme_reaches_palette_card_html_and_math(qtbot: QtBot, window: MainWindow) -> None:
    window.set_theme("dark")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 60
    window.open_study()
    window.review.reveal()
    view = window.review.card_view
    assert "color: #e6edf3" in view.panes["ko"].document().defaultStyleSheet()
    qtbot.waitUntil(lambda: "<img" in view.html("ko"), timeout=20000)
    assert all(style.color == "#e6edf3" for *_, style in view._pending) or not view._pending
    window.set_theme("light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert window.store.get_setting("theme") == "light"


def test_window_size_is_remembered(qtbot: QtBot, window: MainWindow, small_content: Path,
                                   tmp_path: Path) -> None:
    window.resize(760, 560)  # inside the offscreen platform's 800x600 screen
    window.close()
    again = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (760, 560)


def test_a_follow_up_link_shows_that_card_without_grading(qtbot: QtBot, window: MainWindow,
                                                          tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    assert "href='card:a2'" in review.card_view.html("ko").replace('"', "'")
    review.card_view.panes["ko"].anchorClicked.emit(QUrl("card:a2"))
    assert review.preview is not None and review.preview.id == "a2"
    assert "네스테로프는?" in review.card_view.plain_text("ko")
    assert review.preview_bar.isVisible() and not review.grade_buttons[3].isVisible()
    qtbot.keyClick(review, Qt.Key.Key_3)  # no grade while reading a follow-up
    qtbot.keyClick(review, Qt.Key.Key_Backspace)
    assert review.preview is None and review.revealed and review.grade_buttons[3].isVisible()
    assert "모멘텀" in review.card_view.plain_text("ko")
    conn = sqlite3.connect(tmp_path / "data" / "progress.sqlite3")
    assert conn.execute("select count(*) from revlog").fetchone()[0] == 0
    conn.close()


def test_d_on_a_card_without_a_demo_says_so(qtbot: QtBot, window: MainWindow) -> None:
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_D)
    assert window.demo_windows == []
    assert "데모가 없습니다" in window.review.hint.text()


def test_undo_message_follows_the_language_and_fades(qtbot: QtBot, window: MainWindow,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_screen, "STATUS_SECONDS", 0.3)
    window.open_study()
    review = window.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_3)
    qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review.hint.text().startswith("되돌렸습니다") and "$" not in review.hint.text()
    window.toggle_language()
    assert review.hint.text() == "Undone: the card you just graded is back."
    assert review.title.text() == "All decks"  # the header follows the language too
    qtbot.waitUntil(lambda: review.hint.text().startswith("Space: answer"), timeout=3000)


def test_the_demo_gallery_opens_any_demo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_G)
    gallery = window.gallery
    assert gallery is not None
    items = [gallery.list.item(i) for i in range(gallery.list.count())]  # type: ignore[attr-defined]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in items] == list(DEMOS)
    assert all(not item.icon().isNull() for item in items), "a demo has no thumbnail"
    gallery.list.itemActivated.emit(items[1])  # type: ignore[attr-defined]
    [demo] = window.demo_windows
    assert demo.demo_class.id == list(DEMOS)[1]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo)
    qtbot.keyClick(demo, Qt.Key.Key_L)  # the language, pressed in the demo
    assert window.mode == "en" and window.gallery is not gallery  # the gallery was rebuilt...
    QApplication.processEvents()
    assert QApplication.activeWindow() is demo  # ...behind the demo, which keeps the keys
    demo.close()


def test_help_lists_the_shortcuts_in_both_languages_and_about_has_the_version(
        window: MainWindow) -> None:
    from quizapp import __version__

    dialog = window.show_shortcuts()
    text = dialog.findChild(QTextBrowser).toPlainText()  # type: ignore[union-attr]
    assert "언어: 한국어 → English → 나란히" in text and "Language: Korean" in text
    assert "Ctrl+Q" in text
    assert isinstance(dialog, QDialog)
    from PySide6.QtWidgets import QDialogButtonBox

    [close] = dialog.findChild(QDialogButtonBox).buttons()  # type: ignore[union-attr]
    assert close.text() == "닫기 (Esc)"  # the app's language, not Qt's untranslated "OK"
    about = window.show_about().findChild(QTextBrowser).toPlainText()  # type: ignore[union-attr]
    assert __version__ in about and "SIL Open Font License" in about


def test_a_deck_done_by_its_own_limit_says_why_and_offers_more(
        qtbot: QtBot, small_content: Path, tmp_path: Path) -> None:
    from quizapp.store import open_store
    from quizapp.study import StudySettings, save_settings

    with open_store(tmp_path / "data" / "progress.sqlite3") as store:
        save_settings(store, StudySettings(new_per_day=20, deck_new_per_day=1))
    application()
    win = create_window(small_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    win.open_study("alpha")
    review = win.review
    qtbot.keyClick(review, Qt.Key.Key_Space)
    qtbot.keyClick(review, Qt.Key.Key_4)
    assert review.body.currentWidget() is review.done_panel
    assert "이 덱의 오늘 새 카드 한도" in review.done_label.text()
    # the Easy card comes back on a later study day (days start at 4 am, as in Anki: between
    # midnight and 4 am that may be today's date): the panel says which day, not only the time
    assert review.session is not None and review.session.queue.next_due is not None
    due = review.session.queue.next_due.astimezone()
    assert due >= DayClock().next_day_start(datetime.now(UTC))
    today = datetime.now().astimezone().date()
    when = f"{due:%H:%M}" if due.date() == today else f"{due:%Y-%m-%d %H:%M}"
    assert when in review.done_label.text()  # with its date unless that is today's
    assert "2장" in review.done_label.text() and review.more_button.isVisible()
    qtbot.mouseClick(review.more_button, Qt.MouseButton.LeftButton)
    assert review.session is not None and review.session.current is not None
    assert review.session.counts.new == 2


def test_learning_count_in_the_header_matches_stats(qtbot: QtBot, window: MainWindow) -> None:
    window.open_study()
    review = window.review
    for rating in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(review, Qt.Key.Key_Space)
        qtbot.keyClick(review, rating)
    assert "학습 중 3" in review.counts.text()


def test_back_up_then_restore_brings_back_the_earlier_progress(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "data" / "progress.sqlite3"
    backup = window.backup_now()
    assert backup is not None and backup.exists()
    assert backup.name in window.statusBar().currentMessage()
    window.open_study()
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_3)

    def revlog_rows() -> int:
        conn = sqlite3.connect(database)
        try:
            return int(conn.execute("select count(*) from revlog").fetchone()[0])
        finally:
            conn.close()

    assert revlog_rows() == 1
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question",
                        lambda *args: QMessageBox.StandardButton.Yes)
    window.choose_backup()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, BackupDialog) and w.isVisible())
    assert dialog.list.count() == 1
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert revlog_rows() == 0
    assert window.stack.currentWidget() is window.home
    window.open_study()  # the restored database is the one in use
    qtbot.keyClick(window.review, Qt.Key.Key_Space)
    qtbot.keyClick(window.review, Qt.Key.Key_3)
    assert revlog_rows() == 1
    saved = [p for p in (tmp_path / "data" / "backups").iterdir() if p != backup]
    assert saved, "the progress before the restore was kept as a backup"


def test_closing_makes_at_most_one_backup_a_day(qtbot: QtBot, window: MainWindow,
                                                tmp_path: Path) -> None:
    window.close()
    folder = tmp_path / "data" / "backups"
    assert len(list(folder.iterdir())) == 1


def test_the_next_due_time_names_the_day_unless_it_is_today() -> None:
    from datetime import timedelta

    from quizapp.ui.review_screen import due_text

    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    later_today = now + timedelta(minutes=10)
    assert due_text(later_today, now) == later_today.astimezone().strftime("%H:%M")
    in_six_days = now + timedelta(days=6)
    assert due_text(in_six_days, now) == in_six_days.astimezone().strftime("%Y-%m-%d %H:%M")


def test_labels_with_their_own_style_follow_the_theme(qtbot: QtBot, window: MainWindow) -> None:
    """A widget with a style sheet of its own (a size, a weight) kept the colours of the theme
    it was first drawn in: black titles on the dark theme, white tables on the light one."""
    from quizapp.ui.theme import DARK

    def text_and_base(widget: QWidget) -> tuple[int, int]:
        palette = widget.palette()
        return (palette.color(QPalette.ColorRole.WindowText).lightness(),
                palette.color(QPalette.ColorRole.Base).lightness())

    styled = [window.home.title, window.home.decks, window.home.study_button,
              window.review.title, window.review.done_label]
    assert all(widget.styleSheet() for widget in styled)
    window.set_theme("dark")
    for widget in styled:
        text, base = text_and_base(widget)
        assert text == QColor(DARK.text).lightness() and base < 60, widget.objectName()
    window.set_theme("light")
    for widget in styled:
        text, base = text_and_base(widget)
        assert text < 60 and base > 200, widget.objectName()
