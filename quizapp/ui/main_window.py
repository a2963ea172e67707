"""The main window: the menu bar, the home, review, quiz and mock-interview screens, and the
windows it opens (demos, the demo gallery, statistics, the card browser, the card editor,
settings, help, the rehearsals' setup dialogs). It owns the library, the progress store and the
user's view settings (language, theme, card zoom, window sizes), which it keeps in the
database."""

from __future__ import annotations

import contextlib
import html
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.content import Card, Library, check_demo_links, load_library
from quizapp.errors import UserError
from quizapp.store import ProgressStore, StoreWriteError
from quizapp.study import (
    StudySession,
    StudySettings,
    collection_stats,
    deck_counts,
    load_settings,
    save_settings,
    today_counts,
    utc_now,
)
from quizapp.study.clock import DayClock
from quizapp.study.custom import CustomSession, CustomStudy
from quizapp.study.limits import add_new_today
from quizapp.ui.card_view import ZOOM_STEPS
from quizapp.ui.content_watcher import ContentWatcher
from quizapp.ui.errors import user_message
from quizapp.ui.help_dialogs import about_html, shortcuts_html, show_and_focus, show_text_dialog
from quizapp.ui.home_screen import HomeScreen
from quizapp.ui.math_images import MathImages
from quizapp.ui.menu_bar import MenuBar
from quizapp.ui.review_screen import ReviewScreen
from quizapp.ui.shortcuts import letter_shortcuts
from quizapp.ui.strings import LANGUAGE_MODES, next_mode, tr
from quizapp.ui.theme import THEMES, apply_theme, colors

if TYPE_CHECKING:
    from quizapp.study.interview import InterviewConfig
    from quizapp.study.quiz import QuizConfig
    from quizapp.ui.browser_screen import BrowserWindow
    from quizapp.ui.file_transfer import FileTransfer
    from quizapp.ui.interview_screen import InterviewScreen
    from quizapp.ui.quiz_screen import QuizScreen

LANGUAGE_SETTING = "ui_language"
THEME_SETTING = "theme"
ZOOM_SETTING = "card_zoom"
GEOMETRY_SETTING = "window_geometry"
DEMO_GEOMETRY_SETTING = "demo_window_geometry"
#: Work the first screen does not need starts this long after it is painted (later than the
#: rest of the event pass that painted it).
AFTER_FIRST_PAINT_MS = 100


class MainWindow(QMainWindow):
    """Owns the library and the progress store for the lifetime of the app."""

    def __init__(self, library: Library, store: ProgressStore, cache_dir: Path) -> None:
        super().__init__()
        self.library = library
        self.store = store
        mode = store.get_setting(LANGUAGE_SETTING, "ko")
        self.mode = mode if mode in LANGUAGE_MODES else "ko"
        theme = store.get_setting(THEME_SETTING, "system")
        self.theme = theme if theme in THEMES else "system"
        app = QApplication.instance()
        if isinstance(app, QApplication):  # before the screens: they are built in its colours
            apply_theme(app, self.theme)
        zoom = store.get_setting(ZOOM_SETTING, 1.0)
        self.zoom = zoom if zoom in ZOOM_STEPS else 1.0

        self.math_images = MathImages(cache_dir / "math")
        self.home = HomeScreen()
        self.review = ReviewScreen(self.math_images)
        # The quiz and interview screens (and their modules) are made when first used: the
        # first card does not wait for them.
        self._quiz: QuizScreen | None = None
        self._interview: InterviewScreen | None = None
        self._transfer: FileTransfer | None = None
        self.stack = QStackedWidget()
        for screen in (self.home, self.review):
            self.stack.addWidget(screen)
        # One place where problems the user must act on are shown (a full disk, a read-only
        # file): in words, until the next write succeeds.
        self.problem_banner = QLabel()
        self.problem_banner.setWordWrap(True)
        self.problem_banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.problem_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(720, 520)

        self.home.study_requested.connect(self.open_study)
        self.home.language_toggled.connect(self.toggle_language)
        self.review.back_requested.connect(self.show_home)
        self.review.demo_requested.connect(self.open_card_demo)
        self.review.problem.connect(self.show_problem)
        self.review.custom_requested.connect(self.open_custom_study)
        self.home.quiz_requested.connect(self.open_quiz_setup)
        self.home.interview_requested.connect(self.open_interview_setup)
        self.rehearsal_dialog: QDialog | None = None  # a quiz or interview setup, past interviews
        self.review.cards_changed.connect(self._refresh_browser)
        self.demo_windows: list[QWidget] = []
        self.card_demo: QWidget | None = None  # the demo window opened from a card (one)
        self.gallery: QWidget | None = None
        self.statistics: QWidget | None = None
        self.browser: BrowserWindow | None = None
        self._demo_links_checked = False
        self.watcher: ContentWatcher | None = None
        self._watch_content()

        self.menus = MenuBar(self)
        self._build_menus()
        shortcuts = letter_shortcuts()
        for letter, action in (("l", self.toggle_language), ("d", self.open_current_demo),
                               ("g", self.open_gallery), ("t", self.open_statistics),
                               ("e", self.edit_current_card), ("q", self.open_quiz_setup),
                               ("i", self.open_interview_setup), ("b", self.open_browser),
                               ("c", self.open_custom_study)):
            shortcuts.register(self, letter, action)
        style_hints = QApplication.styleHints()
        style_hints.colorSchemeChanged.connect(lambda *_: self._follow_system_theme())

        self._apply_zoom()
        self._apply_theme(app_too=False)  # applied to the application above
        self._apply_mode()
        self._restore_geometry()
        self.show_home()
        # The same demo-preset check `check` runs, once the first screen is painted (it imports
        # the demos, NumPy and matplotlib, ~0.5 s, which the first screen must not wait for; a
        # zero timer started here ran in the event pass that paints it). Opening a demo checks
        # first in any case.
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(AFTER_FIRST_PAINT_MS, self.check_demo_links)

    # -- menus ----------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        add, menus = self.menus.add, self.menus
        add("menu_file", "file_import", lambda: self.transfer.choose_import(),
            keys=("Ctrl+Shift+I",))  # as in Anki; Ctrl+O is the quiz's "I said it"
        add("menu_file", "export_apkg", lambda: self.transfer.choose_export_apkg())
        add("menu_file", "export_reviews", lambda: self.transfer.choose_export_reviews())
        menus.separator("menu_file")
        add("menu_file", "backup_now", self.backup_now)
        add("menu_file", "restore_backup", self.choose_backup)
        menus.separator("menu_file")
        add("menu_file", "quit", self.close, keys=(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        add("menu_study", "study_all", lambda: self.open_study(""))
        add("menu_study", "custom_study", self.open_custom_study, letter="C")
        add("menu_study", "quiz_menu", self.open_quiz_setup, letter="Q")
        add("menu_study", "interview_menu", self.open_interview_setup, letter="I")
        add("menu_study", "past_interviews", self.open_past_interviews)
        add("menu_study", "back_home", self.show_home)
        menus.separator("menu_study")
        add("menu_study", "undo", self.undo, keys=(QKeySequence.StandardKey.Undo,))
        menus.separator("menu_study")
        add("menu_study", "new_card", lambda: self.open_card_editor(None),
            keys=(QKeySequence.StandardKey.New, "Ctrl+N"))
        add("menu_study", "edit_card", self.edit_current_card, letter="E")
        add("menu_view", "toggle_language", self.toggle_language, letter="L")
        menus.separator("menu_view")
        add("menu_view", "zoom_in", lambda: self.set_zoom(+1),
            keys=("Ctrl+=", QKeySequence.StandardKey.ZoomIn))
        add("menu_view", "zoom_out", lambda: self.set_zoom(-1),
            keys=("Ctrl+-", QKeySequence.StandardKey.ZoomOut))
        add("menu_view", "zoom_reset", lambda: self.set_zoom(0), keys=("Ctrl+0",))
        menus.separator("menu_view")
        menus.add_theme_choices("menu_view", self.set_theme)
        add("menu_tools", "open_demo", self.open_current_demo, letter="D")
        add("menu_tools", "demo_gallery", self.open_gallery, letter="G")
        add("menu_tools", "statistics", self.open_statistics, letter="T")
        menus.separator("menu_tools")
        add("menu_tools", "settings", self.open_settings,
            keys=("Ctrl+,", QKeySequence.StandardKey.Preferences))
        add("menu_tools", "browse", self.open_browser, keys=("Ctrl+F",), letter="B")
        add("menu_help", "shortcuts", self.show_shortcuts,
            keys=(QKeySequence.StandardKey.HelpContents, "F1"))
        add("menu_help", "about", self.show_about)

    # -- screens ----------------------------------------------------------------------------

    @property
    def quiz(self) -> QuizScreen:
        """The quiz screen (made the first time it is needed)."""
        if self._quiz is None:
            from quizapp.ui.quiz_screen import QuizScreen

            self._quiz = QuizScreen(self.math_images)
            self._quiz.again_requested.connect(self.open_quiz_setup)
            self._add_rehearsal_screen(self._quiz)
        return self._quiz

    @property
    def interview(self) -> InterviewScreen:
        """The mock-interview screen (made the first time it is needed)."""
        if self._interview is None:
            from quizapp.ui.interview_screen import InterviewScreen

            self._interview = InterviewScreen(self.math_images)
            self._interview.again_requested.connect(self.open_interview_setup)
            self._add_rehearsal_screen(self._interview)
        return self._interview

    def _add_rehearsal_screen(self, screen: QuizScreen | InterviewScreen) -> None:
        """Put a newly made rehearsal screen in the stack, in the window's mode, zoom and
        colours."""
        self.stack.addWidget(screen)
        screen.back_requested.connect(self.show_home)
        screen.problem.connect(self.show_problem)
        screen.card_view.set_zoom(self.zoom)
        screen.restyle()
        screen.set_mode(self.mode)

    def _card_screens(self) -> list[Any]:
        """The screens made so far that show cards (each has a card_view)."""
        return [s for s in (self.review, self._quiz, self._interview) if s is not None]

    def _screens(self) -> list[Any]:
        """The screens made so far (each has set_mode and restyle)."""
        return [self.home, *self._card_screens()]

    @property
    def transfer(self) -> FileTransfer:
        """Import and export with progress (made the first time File's items are used)."""
        if self._transfer is None:
            from quizapp.ui.file_transfer import FileTransfer

            self._transfer = FileTransfer(self)
        return self._transfer

    def show_home(self) -> None:
        self.home.show_library(self.library, today_counts(self.library, self.store),
                               deck_counts(self.library, self.store),
                               collection_stats(self.library, self.store))
        self.stack.setCurrentWidget(self.home)
        self.home.decks.setFocus()

    def open_study(self, deck_id: str = "", tag: str | None = None) -> None:
        """Start studying one deck (or all decks for ``""``), or the cards with ``tag``."""
        deck = self.library.deck(deck_id) if deck_id else None
        session = StudySession(self.library, self.store, deck.id if deck else None, tag=tag)
        self.stack.setCurrentWidget(self.review)
        self.review.start(session)

    # -- quiz and mock interview ------------------------------------------------------------

    def open_quiz_setup(self) -> QDialog:
        """Q: the quiz setup; Start begins a round on the quiz screen."""
        from quizapp.ui.quiz_screen import QuizSetupDialog

        dialog = QuizSetupDialog(self.library, self.mode, self)
        dialog.chosen.connect(self.start_quiz)
        return self._open_rehearsal_dialog(dialog)

    def open_interview_setup(self) -> QDialog:
        """I: the mock-interview setup; Start begins the interview."""
        from quizapp.ui.interview_screen import InterviewSetupDialog

        dialog = InterviewSetupDialog(self.library, self.mode, self)
        dialog.chosen.connect(self.start_interview)
        return self._open_rehearsal_dialog(dialog)

    def open_past_interviews(self) -> QDialog:
        """Study → Past interviews: every interview, finished or not; Enter shows its report."""
        from quizapp.store.rehearsals import RehearsalLog
        from quizapp.ui.interview_screen import PastInterviewsDialog

        dialog = PastInterviewsDialog(RehearsalLog(self.store).interviews(), self.mode, self)
        dialog.report_requested.connect(self.show_interview_report)
        return self._open_rehearsal_dialog(dialog)

    def start_quiz(self, config: QuizConfig) -> None:
        from quizapp.study.quiz import QuizRound

        try:
            quiz = QuizRound(self.library, self.store, config)
        except UserError as err:  # the round could not be written: say why, stay here
            self.show_problem(user_message(err, self.mode))
            return
        self.show_problem("")
        self.stack.setCurrentWidget(self.quiz)
        self.quiz.start(quiz)

    def start_interview(self, config: InterviewConfig) -> None:
        from quizapp.study.interview import Interview

        try:
            interview = Interview(self.library, self.store, config)
        except UserError as err:
            self.show_problem(user_message(err, self.mode))
            return
        self.show_problem("")
        self.stack.setCurrentWidget(self.interview)
        self.interview.start(interview)

    def show_interview_report(self, interview_id: int) -> None:
        self.stack.setCurrentWidget(self.interview)
        self.interview.show_report(self.library, self.store, interview_id)

    def _open_rehearsal_dialog(self, dialog: QDialog) -> QDialog:
        if self.rehearsal_dialog is not None:
            self.rehearsal_dialog.close()
        self.rehearsal_dialog = dialog
        letter_shortcuts().register(dialog, "l", self.toggle_language)
        dialog.finished.connect(lambda *_: self._rehearsal_dialog_closed(dialog))
        show_and_focus(dialog)
        return dialog

    def _rehearsal_dialog_closed(self, dialog: QDialog) -> None:
        if self.rehearsal_dialog is dialog:
            self.rehearsal_dialog = None
        self.activateWindow()  # the keys come back to the screen

    def open_custom_study(self) -> QWidget:
        """C (or the done panel): more new cards, review ahead, cram, flagged or leech cards,
        for the deck being studied by default."""
        from quizapp.ui.custom_study_dialog import CustomStudyDialog

        session = self.review.session
        deck = (session.deck_id or "") if session is not None and \
            self.stack.currentWidget() is self.review else ""
        settings = load_settings(self.store)
        dialog = CustomStudyDialog(self.library, self.store, utc_now(),
                                   DayClock(settings.day_start_hour), self.mode, deck, self)
        dialog.more_new.connect(self._more_new_today)
        dialog.chosen.connect(self.start_custom_study)
        show_and_focus(dialog)
        return dialog

    def _more_new_today(self, deck_id: str, count: int) -> None:
        clock = DayClock(load_settings(self.store).day_start_hour)
        try:
            add_new_today(self.store, clock.day_start(utc_now()), deck_id or None, count)
        except UserError as err:
            self.show_problem(user_message(err, self.mode))
            return
        self.open_study(deck_id)

    def start_custom_study(self, study: CustomStudy) -> None:
        """Study a custom session on the review screen."""
        self.stack.setCurrentWidget(self.review)
        self.review.start(CustomSession(self.library, self.store, study))

    def check_demo_links(self) -> None:
        """Validate every card's demo preset as ``check`` does; bad links are dropped and
        counted in the home screen's content-problem banner."""
        if self._demo_links_checked:
            return
        from quizapp.demos import demo_ref_problems

        self._demo_links_checked = True
        before = len(self.library.issues)
        check_demo_links(self.library, demo_ref_problems)
        if len(self.library.issues) != before and self.stack.currentWidget() is self.home:
            self.show_home()

    # -- writing cards, and content changed on disk ------------------------------------------

    def open_card_editor(self, card: Card | None = None) -> QWidget:
        """Ctrl+N: a new card (in the deck being studied); E: edit the card on screen."""
        from quizapp.ui.card_editor import CardEditor

        session = self.review.session
        studying = session is not None and self.stack.currentWidget() is self.review
        deck = (session.deck_id or "") if session is not None and studying else ""
        editor = CardEditor(self.library, self._user_decks(), self.review.card_view.math,
                            self.mode, card, deck_id=deck, parent=self)
        editor.saved.connect(self._card_saved)
        show_and_focus(editor)
        return editor

    def edit_current_card(self) -> None:
        """E: edit the card on screen (the follow-up being read, if one is open)."""
        card = None
        if self.stack.currentWidget() is self.review and self.review.session is not None:
            card = self.review.preview or self.review.session.current
        if card is None:  # the home screen, a finished deck: say where E works
            self.statusBar().showMessage(tr("no_card_to_edit", self.mode), 6000)
            return
        self.open_card_editor(card)

    def _edit_card_by_id(self, card_id: str) -> None:
        card = self.library.card(card_id)
        if card is not None:
            self.open_card_editor(card)

    def _card_saved(self, card_id: str) -> None:
        self.reload_library()
        self.statusBar().showMessage(tr("card_saved", self.mode, path=card_id), 6000)

    def _user_decks(self) -> Path:
        assert self.library.user_dir is not None, "the app always loads a user decks folder"
        return self.library.user_dir

    def reload_library(self) -> bool:
        """Load the content again (a card saved, files changed on disk) and show it without
        losing the study session; False when nothing changed (the window is left as it is)."""
        if self.library.content_dir is None:
            return False
        library = load_library(self.library.content_dir, user_dir=self.library.user_dir,
                               cache_dir=self.library.cache_dir)
        if (library.cards, library.decks, library.issues) == (
                self.library.cards, self.library.decks, self.library.issues):
            return False
        self.library = library
        self._demo_links_checked = False
        self.check_demo_links()
        self.review.use_library(library)
        if self.browser is not None:
            self.browser.use_library(library)
        if self.stack.currentWidget() is self.home:
            self.show_home()
        return True

    def _watch_content(self) -> None:
        roots = [p for p in (self.library.content_dir, self.library.user_dir) if p is not None]
        if self.library.user_dir is not None:
            with contextlib.suppress(OSError):  # read-only data: the shipped cards are watched
                self.library.user_dir.mkdir(parents=True, exist_ok=True)
        self.watcher = ContentWatcher([p for p in roots if p.is_dir()], self)
        self.watcher.changed.connect(self._content_changed)

    def _content_changed(self) -> None:
        if self.reload_library():  # not when the window already shows it (a card it saved)
            self.statusBar().showMessage(tr("content_reloaded", self.mode), 4000)

    # -- demos ------------------------------------------------------------------------------

    def open_current_demo(self) -> None:
        """D: the demo of the card on screen (the review screen says when it has none)."""
        if self.stack.currentWidget() is self.review:
            self.review.open_demo()

    def open_card_demo(self, card_id: str) -> QWidget | None:
        """Open the demo of card ``card_id`` with its presets, once they have passed the same
        check ``check`` applies. One card demo window at a time: a new card's demo replaces the
        previous one, and the title says which card it belongs to."""
        self.check_demo_links()
        card = self.library.card(card_id)
        if card is None or card.demo is None:
            return None
        if self.card_demo is not None:
            self.card_demo.close()
        question = card.question.get("en" if self.mode == "en" else "ko").splitlines()[0]
        window = self.open_demo(card.demo.id, dict(card.demo.params), card_title=question)
        self.card_demo = window
        window.destroyed.connect(lambda *_: self._forget_card_demo(window))
        return window

    def _forget_card_demo(self, window: QWidget) -> None:
        if self.card_demo is window:
            self.card_demo = None

    def open_demo(self, demo_id: str, presets: dict[str, Any] | None = None,
                  card_title: str = "") -> QWidget:
        """Open a live demo window (matplotlib and the demos are imported on first use, which
        takes a second: the cursor says so)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            from quizapp.demos import get_demo
            from quizapp.ui.demo_window import DemoWindow

            window = DemoWindow(get_demo(demo_id), presets, self.mode, card_title=card_title)
            geometry = self.store.get_setting(DEMO_GEOMETRY_SETTING)
            if isinstance(geometry, str):
                window.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
            window.geometry_changed.connect(self._remember_demo_geometry)
            self.demo_windows.append(window)
            window.closed.connect(self._demo_closed)
            letter_shortcuts().register(window, "l", self.toggle_language)
            show_and_focus(window)
        finally:
            QApplication.restoreOverrideCursor()
        return window

    def open_gallery(self) -> QWidget:
        """G: the demo gallery, every demo with its picture."""
        from quizapp.demos import DEMOS
        from quizapp.demos.registry import thumbnail
        from quizapp.ui.demo_gallery import DemoGallery

        if self.gallery is not None:
            self.gallery.close()
        lang = "en" if self.mode == "en" else "ko"
        gallery = DemoGallery([(demo_id, demo.title.get(lang), str(thumbnail(demo_id, lang)))
                               for demo_id, demo in DEMOS.items()], self.mode)
        gallery.demo_chosen.connect(lambda demo_id: self.open_demo(demo_id))
        letter_shortcuts().register(gallery, "l", self.toggle_language)
        self.gallery = gallery
        gallery.destroyed.connect(lambda *_, g=gallery: self._gallery_closed(g))
        show_and_focus(gallery)
        return gallery

    def _demo_closed(self, window: QWidget) -> None:
        self.demo_windows.remove(window)
        self.activateWindow()  # the keys come back here (not every X setup does it)

    def _gallery_closed(self, gallery: QWidget) -> None:
        if self.gallery is gallery:
            self.gallery = None
            self.activateWindow()

    def _remember_demo_geometry(self, geometry: QByteArray) -> None:
        self._save_setting(DEMO_GEOMETRY_SETTING, bytes(geometry.toBase64().data()).decode())

    def open_statistics(self) -> QWidget:
        """S: the statistics window (its figures are computed now; matplotlib loads here)."""
        from quizapp.study.statistics import compute_statistics
        from quizapp.ui.statistics_screen import StatisticsWindow

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.statistics is not None:
                self.statistics.close()
            window = StatisticsWindow(compute_statistics(self.library, self.store), self.mode)
            window.study_topic.connect(self._study_topic)
            letter_shortcuts().register(window, "l", self.toggle_language)
            self.statistics = window
            window.destroyed.connect(lambda *_, w=window: self._statistics_closed(w))
            show_and_focus(window)
        finally:
            QApplication.restoreOverrideCursor()
        return window

    def _statistics_closed(self, window: QWidget) -> None:
        if self.statistics is window:
            self.statistics = None
            self.activateWindow()

    def _study_topic(self, kind: str, name: str) -> None:
        if self.statistics is not None:
            self.statistics.close()
        if kind == "deck":
            self.open_study(name)
        else:
            self.open_study("", tag=name)
        self.activateWindow()

    # -- settings ---------------------------------------------------------------------------

    def open_settings(self) -> QWidget:
        """Ctrl+,: the settings dialog; saving applies everything at once."""
        from quizapp.ui.settings_dialog import SettingsDialog, ViewSettings

        dialog = SettingsDialog(self.library, load_settings(self.store),
                                ViewSettings(self.mode, self.theme, self.zoom), self.store.path,
                                self.mode, self)
        dialog.saved.connect(self.apply_settings)
        dialog.optimized.connect(self._reschedule)
        show_and_focus(dialog)
        return dialog

    def apply_settings(self, settings: StudySettings, view: Any) -> None:
        """Store ``settings`` and the view settings, and show the schedule they give."""
        try:
            save_settings(self.store, settings)
        except UserError as err:
            self.show_problem(user_message(err, self.mode))
            return
        if view.theme != self.theme:
            self.set_theme(view.theme)
        if view.zoom != self.zoom:
            self.zoom = view.zoom
            self._apply_zoom()
            self._save_setting(ZOOM_SETTING, self.zoom)
        while self.mode != view.language:
            self.toggle_language()
        self._reschedule()
        self.statusBar().showMessage(tr("settings_saved", self.mode), 5000)

    def _reschedule(self) -> None:
        """New limits, steps, retention or parameters: rebuild what is on screen from them."""
        session = self.review.session
        if self.stack.currentWidget() is self.review and session is not None:
            self.open_study(session.deck_id or "", tag=session.tag)
        else:
            self.show_home()

    # -- the card browser -------------------------------------------------------------------

    def open_browser(self) -> BrowserWindow:
        """B or Ctrl+F: the card browser (one window; opening it again brings it to the front
        with fresh progress)."""
        if self.browser is not None:
            self.browser.refresh_cards()
            show_and_focus(self.browser)
            return self.browser
        from quizapp.ui.browser_screen import BrowserWindow

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            window = BrowserWindow(self.library, self.store, self.review.card_view.math,
                                   self.mode)
        finally:
            QApplication.restoreOverrideCursor()
        window.preview.set_zoom(self.zoom)
        window.demo_requested.connect(self.open_card_demo)
        window.cards_changed.connect(self._cards_changed_in_browser)
        window.edit_requested.connect(self._edit_card_by_id)
        letter_shortcuts().register(window, "l", self.toggle_language)
        self.browser = window
        window.closed.connect(lambda w=window: self._browser_closed(w))
        show_and_focus(window)
        return window

    def _browser_closed(self, window: QWidget) -> None:
        if self.browser is window:
            self.browser = None
            self.activateWindow()  # the keys come back here (not every X setup does it)

    def _cards_changed_in_browser(self, card_ids: list[str]) -> None:
        """Cards were suspended, buried, reset, ... (or an undo ran) in the browser: the
        queue on screen and the home counts follow."""
        if self.stack.currentWidget() is self.review:
            self.review.refresh_session()
        elif self.stack.currentWidget() is self.home:
            self.show_home()

    def _refresh_browser(self, card_ids: list[str]) -> None:
        if self.browser is not None:
            self.browser.refresh_cards(card_ids)

    def undo(self) -> None:
        """Ctrl+Z: undo the newest grade or card action. On the review screen it shows the card
        again; elsewhere the home counts and the browser follow."""
        if self.stack.currentWidget() is self.review and self.review.session is not None:
            self.review.undo()
            return
        try:
            undone = self.store.undo_last()
        except UserError as err:
            self.show_problem(user_message(err, self.mode))
            return
        self.show_problem("")
        self.show_home()
        if undone is None:
            self.home.show_message(tr("nothing_to_undo", self.mode))
            return
        what = (tr("undone_grade", self.mode, card=undone.card_id) if undone.kind == "grade"
                else tr("undone_other", self.mode, what=tr(f"kind_{undone.kind}", self.mode),
                        count=len(undone.card_ids)))
        self.home.show_message(what)
        self._refresh_browser(list(undone.card_ids))

    # -- help -------------------------------------------------------------------------------

    def show_shortcuts(self) -> QWidget:
        return show_text_dialog(self, tr("shortcuts", self.mode), shortcuts_html(self.mode),
                                (900, 640), self.mode)

    def show_about(self) -> QWidget:
        return show_text_dialog(self, tr("about", self.mode), about_html(self.mode), (640, 420),
                                self.mode)

    # -- view settings ----------------------------------------------------------------------

    def toggle_language(self) -> None:
        self.mode = next_mode(self.mode)
        active = QApplication.activeWindow()
        rebuilt = (self.gallery, self.statistics)
        self._apply_mode()
        for window in self.demo_windows:
            window.set_mode(self.mode)  # type: ignore[attr-defined]
        if self.gallery is not None:
            self.open_gallery()
        if self.statistics is not None:
            self.open_statistics()
        if active is not None and active not in rebuilt and active.isVisible():
            active.raise_()  # L pressed in a demo: the rebuilt gallery stays behind it
            active.activateWindow()
        if self.rehearsal_dialog is not None:
            self.rehearsal_dialog.set_mode(self.mode)  # type: ignore[attr-defined]
        if self.browser is not None:
            self.browser.set_mode(self.mode)
        self._save_setting(LANGUAGE_SETTING, self.mode)

    def set_zoom(self, direction: int) -> None:
        """Card text one step larger (+1), smaller (-1) or back to 100 % (0)."""
        index = ZOOM_STEPS.index(self.zoom)
        index = (ZOOM_STEPS.index(1.0) if direction == 0
                 else max(0, min(len(ZOOM_STEPS) - 1, index + direction)))
        self.zoom = ZOOM_STEPS[index]
        self._apply_zoom()
        self._save_setting(ZOOM_SETTING, self.zoom)

    def _apply_zoom(self) -> None:
        for screen in self._card_screens():
            screen.card_view.set_zoom(self.zoom)
        if self.browser is not None:
            self.browser.preview.set_zoom(self.zoom)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._apply_theme()
        self._save_setting(THEME_SETTING, theme)

    def _follow_system_theme(self) -> None:
        if self.theme == "system":
            self._apply_theme()

    def _apply_theme(self, app_too: bool = True) -> None:
        app = QApplication.instance()
        if app_too and isinstance(app, QApplication):
            apply_theme(app, self.theme)
        palette = colors()
        self.problem_banner.setStyleSheet(
            f"background: {palette.problem_bg}; color: {palette.problem_text}; padding: 8px; "
            f"border: 1px solid {palette.problem_border}; border-radius: 4px;")
        self.menus.check_theme(self.theme)
        for screen in self._screens():
            screen.restyle()
        if self.browser is not None:
            self.browser.restyle()

    def _apply_mode(self) -> None:
        self.setWindowTitle(tr("app_title", self.mode))
        self.menus.retranslate(self.mode)
        for screen in self._screens():
            screen.set_mode(self.mode)

    def show_problem(self, text: str) -> None:
        """Show ``text`` in the problem banner ("" hides it)."""
        self.problem_banner.setText(html.escape(text))
        self.problem_banner.setVisible(bool(text))

    def _save_setting(self, key: str, value: Any) -> None:
        try:
            self.store.set_setting(key, value)
        except StoreWriteError as err:  # the choice still applies to this session
            self.show_problem(user_message(err, self.mode))

    # -- window -----------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.store.get_setting(GEOMETRY_SETTING)
        if not (isinstance(geometry, str)
                and self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))):
            self.resize(1000, 720)

    # -- backups ----------------------------------------------------------------------------

    def backup_now(self) -> Path | None:
        """File → Back up now: a consistent copy in the backup folder, pruned as Anki does."""
        from quizapp.store.backups import backup_folder, create_backup, prune

        try:
            path = create_backup(self.store.path, utc_now())
            prune(backup_folder(self.store.path), utc_now())
        except UserError as err:
            self.show_problem(user_message(err, self.mode))
            return None
        self.statusBar().showMessage(tr("backup_made", self.mode, path=path.name), 8000)
        return path

    def choose_backup(self) -> None:
        """File → Restore backup…: pick one; the current database is backed up first."""
        from quizapp.store.backups import backup_folder, list_backups
        from quizapp.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(list_backups(backup_folder(self.store.path)), self.mode, self)
        dialog.chosen.connect(self.restore_backup)
        show_and_focus(dialog)

    def restore_backup(self, backup: Path) -> bool:
        """Replace the progress database with ``backup`` and show what it holds."""
        from quizapp.store.backups import restore

        path = self.store.path
        self.store.close()
        try:
            restore(path, backup, utc_now())
        except UserError as err:
            self.store = ProgressStore.open(path)
            self.show_problem(user_message(err, self.mode))
            return False
        self.store = ProgressStore.open(path)
        self.review.session = None
        self.show_home()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        from quizapp.store.backups import backup_due, backup_folder, create_backup, prune

        self._save_setting(GEOMETRY_SETTING, bytes(self.saveGeometry().toBase64().data()).decode())
        try:  # a copy on close, at most once a day; closing never fails because of it
            if backup_due(backup_folder(self.store.path), utc_now()):
                create_backup(self.store.path, utc_now())
                prune(backup_folder(self.store.path), utc_now())
        except UserError as err:
            print(f"warning: no backup made: {err}", file=sys.stderr)
        for window in [*self.demo_windows, self.gallery, self.statistics,
                       self.rehearsal_dialog, self.browser]:
            if window is not None:
                window.close()
        super().closeEvent(event)
