"""Writing cards in the app: E edits the card on screen (a shipped card becomes a user copy),
Ctrl+N writes a new one, a refused card says why and writes nothing, the preview follows the
typing, and files changed on disk show up while a study session goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.content import load_library
from quizapp.ui.card_editor import CardEditor
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def editor_open() -> CardEditor:
    return next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, CardEditor) and w.isVisible())


def test_e_edits_the_card_on_screen_and_the_session_goes_on(
        qtbot: QtBot, window: MainWindow, small_content: Path, tmp_path: Path) -> None:
    window.open_study()
    review = window.review
    assert review.session is not None
    qtbot.keyClick(review, Qt.Key.Key_Space)
    counts = review.session.counts
    qtbot.keyClick(review, Qt.Key.Key_E)
    editor = editor_open()
    assert editor.windowTitle() == "카드 편집…" and editor.card_id.isReadOnly()
    assert editor.card_id.text() == "a1"
    answer = editor.texts[("answer", "ko")]
    answer.setPlainText("고친 답: 관성 $v_t$")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    qtbot.keyClick(answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible(), editor.problem.text()
    copy = tmp_path / "data" / "decks" / "alpha" / "01.md"
    assert "고친 답: 관성 $v_t$" in copy.read_text(encoding="utf-8")
    assert "고친 답" not in (small_content / "alpha" / "01.md").read_text(encoding="utf-8")
    # Same card, answer still shown, same counts: the session did not restart.
    assert review.session.current is not None and review.session.current.id == "a1"
    assert review.revealed and review.session.counts == counts
    assert "고친 답: 관성" in review.card_view.plain_text("ko")
    assert "a1" in window.statusBar().currentMessage()


def test_ctrl_n_writes_a_new_card_into_the_library(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path, small_content: Path) -> None:
    window.toggle_language()  # English
    qtbot.keyClick(window.home.decks, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = editor_open()
    assert editor.windowTitle() == "New card…" and not editor.card_id.isReadOnly()
    editor.deck.setCurrentIndex(editor.deck.findData("beta"))
    texts = {("question", "ko"): "레이블 스무딩이란?",
             ("answer", "ko"): "정답 확률을 1보다 낮춘다.",
             ("question", "en"): "What is label smoothing?",
             ("answer", "en"): "Targets of $1-\\epsilon$ instead of 1."}
    for key, text in texts.items():
        editor.texts[key].setPlainText(text)
    editor.tags.setText("regularization, loss")
    editor.follow_ups.setText("b1")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    written = tmp_path / "data" / "decks" / "beta" / "my-what-is-label-smoothing.md"
    assert written.is_file()
    card = load_library(small_content, user_dir=tmp_path / "data" / "decks").card(
        "my-what-is-label-smoothing")
    assert card is not None and card.tags == ("regularization", "loss")
    assert card.follow_ups == ("b1",) and card.answer.en == "Targets of $1-\\epsilon$ instead of 1."
    assert window.library.card(card.id) is not None
    beta = window.home.decks.topLevelItem(2)
    assert beta.text(0) == "Deck beta" and beta.text(1) == "3"  # three new cards now


def test_a_refused_card_says_why_and_writes_nothing(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    editor = window.open_card_editor(None)
    assert isinstance(editor, CardEditor)
    editor.texts[("question", "ko")].setPlainText("질문?")
    editor.texts[("question", "en")].setPlainText("Question?")
    editor.texts[("answer", "ko")].setPlainText("답")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.problem.text() == ("'답 (영어)' 칸이 비어 있습니다. 카드에는 두 언어의 질문과 "
                                     "답이 모두 필요합니다.")
    assert editor.sections.currentWidget() is editor.texts[("answer", "en")]  # taken there
    editor.texts[("answer", "en")].setPlainText("Answer")
    editor.follow_ups.setText("nope")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.problem.text() == "저장하지 못했습니다 — follow_ups: no card with id 'nope'"
    editor.follow_ups.setText("")
    editor.demo.setCurrentIndex(editor.demo.findData("optimizer-race"))
    editor.preset.setText("lr = 99")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.problem.text().startswith("저장하지 못했습니다 — demo: ")
    assert "lr" in editor.problem.text()
    editor.preset.setText("lr = ")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.problem.text().startswith(
        "저장하지 못했습니다 — demo preset: not name = value pairs")
    decks = tmp_path / "data" / "decks"
    assert not any(p.is_file() for p in decks.rglob("*"))


def test_the_preview_follows_the_typing(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_card_editor(None)
    assert isinstance(editor, CardEditor)
    editor.texts[("question", "ko")].setPlainText("드롭아웃 비율 $p$ 는?")
    editor.texts[("answer", "ko")].setPlainText("**무작위로** 끈다")
    qtbot.waitUntil(lambda: "드롭아웃 비율" in editor.preview.plain_text("ko"), timeout=3000)
    assert "무작위로" in editor.preview.plain_text("ko")
    assert "<b>" in editor.preview.html("ko") or "font-weight" in editor.preview.html("ko")


def test_a_file_changed_on_disk_shows_without_losing_the_session(
        qtbot: QtBot, window: MainWindow, small_content: Path) -> None:
    window.open_study()
    review = window.review
    assert review.session is not None
    qtbot.keyClick(review, Qt.Key.Key_3)  # not revealed: nothing happens
    qtbot.keyClick(review, Qt.Key.Key_Space)
    path = small_content / "alpha" / "01.md"
    path.write_text(path.read_text(encoding="utf-8").replace("모멘텀", "관성 모멘텀"),
                    encoding="utf-8")
    qtbot.waitUntil(lambda: "관성 모멘텀" in review.card_view.plain_text("ko"), timeout=5000)
    assert review.revealed and review.session.current is not None
    assert review.session.current.id == "a1"
    new_card = small_content / "beta" / "03.md"
    new_card.write_text(
        (small_content / "beta" / "02.md").read_text(encoding="utf-8").replace(
            'id = "b2"', 'id = "b3"'), encoding="utf-8")
    qtbot.waitUntil(lambda: window.library.card("b3") is not None, timeout=5000)
    assert review.session.current.id == "a1" and review.revealed


def test_esc_asks_before_throwing_away_what_was_written(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    answer = {"discard": False}

    def confirm(self: CardEditor) -> bool:
        asked.append(True)
        return answer["discard"]

    monkeypatch.setattr(CardEditor, "confirm_discard", confirm)
    qtbot.keyClick(window.home.decks, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = editor_open()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # nothing written: closes at once
    assert not editor.isVisible() and not asked

    qtbot.keyClick(window.home.decks, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = editor_open()
    editor.texts[("answer", "ko")].setPlainText("my long answer draft")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert asked == [True] and editor.isVisible()  # "keep editing": the draft is still there
    assert editor.texts[("answer", "ko")].toPlainText() == "my long answer draft"
    answer["discard"] = True
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert asked == [True, True] and not editor.isVisible()


def test_card_source_is_written_in_a_fixed_pitch_font(qtbot: QtBot, window: MainWindow) -> None:
    """The Korean UI font draws a backslash as ₩; TeX in the editor needs a real one."""
    from PySide6.QtGui import QFontDatabase

    qtbot.keyClick(window.home.decks, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = editor_open()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    assert fixed != window.font().family()
    assert {edit.font().family() for edit in editor.texts.values()} == {fixed}
    assert editor.preset.font().family() == fixed


def test_e_on_the_home_screen_says_where_it_works(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_E)
    assert not any(isinstance(w, CardEditor) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert window.statusBar().currentMessage().startswith("E는 공부 중인 카드를 편집합니다")
