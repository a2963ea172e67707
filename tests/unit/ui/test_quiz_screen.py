"""The quiz, driven from the keyboard in the real window: setup, multiple choice and typed
answers (Korean input method included), "I said it", the summary and sending missed cards to
review; after every answer the database (read through a second connection) holds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from rehearsal_helpers import REHEARSAL_CARDS, ime, query, type_korean

from quizapp.ui.app import application, create_window
from quizapp.ui.main_window import MainWindow
from quizapp.ui.quiz_screen import QuizScreen, QuizSetupDialog

pytestmark = pytest.mark.gui
DIGITS = {1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3, 4: Qt.Key.Key_4}


@pytest.fixture
def window(qtbot: QtBot, rehearsal_content: Path, tmp_path: Path) -> MainWindow:
    application()
    win = create_window(rehearsal_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    return win


def open_setup(qtbot: QtBot, window: MainWindow) -> QuizSetupDialog:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_Q)
    dialog = window.rehearsal_dialog
    assert isinstance(dialog, QuizSetupDialog) and dialog.isVisible()
    return dialog


def start_quiz(qtbot: QtBot, window: MainWindow, *, typed: bool = False,
               deck_rows: tuple[int, ...] = (), count: int | None = None) -> QuizScreen:
    """Set up a round with the keyboard (deck rows checked with Space) and start it with
    Enter."""
    dialog = open_setup(qtbot, window)
    for row in deck_rows:
        dialog.decks.setCurrentRow(row)
        qtbot.keyClick(dialog.decks, Qt.Key.Key_Space)
    if count is not None:
        dialog.count.setFocus()
        dialog.count.selectAll()
        qtbot.keyClicks(dialog.count, str(count))
    if typed:
        qtbot.mouseClick(dialog.mode_buttons["typed"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.stack.currentWidget() is window.quiz
    return window.quiz


def shown(screen: QuizScreen) -> str:
    return screen.card_view.plain_text(screen.card_lang)


def test_multiple_choice_round_in_korean_with_summary_and_review(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_setup(qtbot, window)
    assert dialog.windowTitle() == "퀴즈 설정"
    assert dialog.lang_buttons["ko"].isChecked() and dialog.count.value() == 10
    assert dialog.available.text() == "조건에 맞는 문제 5개 · 이번에 5문제를 냅니다."
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    screen = window.quiz
    assert window.stack.currentWidget() is screen and screen.round is not None
    questions = screen.round.questions
    assert len(questions) == 5

    for number, question in enumerate(questions, 1):
        assert screen.progress.text() == f"{number} / 5번 문제"
        assert REHEARSAL_CARDS[question.card.id][3].split(" $")[0] in shown(screen)
        assert "의 답" not in shown(screen)  # the answer only after answering
        assert [tile.text.text() for tile in screen.options] == list(question.options)
        assert screen.hint.text().startswith("1-4: 답 고르기")
        right = (question.correct_option or 0) + 1
        key = right if number != 2 else right % 4 + 1  # question 2 answered wrong
        qtbot.keyClick(screen, DIGITS[key])
        rows = query(tmp_path, "select position, card_id, choice, correct from quiz_answers "
                               "order by position")
        assert rows[-1] == (number - 1, question.card.id, key - 1, int(number != 2))
        assert len(rows) == number
        assert screen.options[right - 1].look == "right"
        if number == 2:
            assert screen.verdict.text() == f"✗ 틀렸습니다. 정답은 {right}번입니다."
            assert screen.options[key - 1].look == "wrong"
        else:
            assert screen.verdict.text() == "✓ 정답입니다!"
        assert "의 답" in shown(screen)  # the card's full answer
        qtbot.keyClick(screen, Qt.Key.Key_1)  # no second answer to the same question
        assert len(query(tmp_path, "select * from quiz_answers")) == number
        qtbot.keyClick(screen, Qt.Key.Key_Return if number % 2 else Qt.Key.Key_Space)

    assert screen.finished
    text = shown(screen)
    assert "라운드 끝" in text and "4 / 5 정답 (80%)" in text
    missed = questions[1]
    assert REHEARSAL_CARDS[missed.card.id][3].split(" $")[0] in text
    assert query(tmp_path, "select finished_at is not null from quiz_rounds") == [(1,)]
    assert screen.send_button.isVisible()
    assert screen.send_button.text() == "틀린 카드 1장을 오늘 복습으로 보내기 (S)"
    assert "S: 틀린 카드를 복습으로" in screen.hint.text()

    screen.card_view.panes["ko"].anchorClicked.emit(QUrl(f"card:{missed.card.id}"))
    assert screen.preview is not None and screen.preview_bar.isVisible()
    assert "의 답" in shown(screen) and not screen.send_button.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_Backspace)
    assert screen.preview is None and "라운드 끝" in shown(screen)

    korean_s = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, "ㄴ")
    QApplication.sendEvent(screen, korean_s)  # S under a Korean layout
    assert query(tmp_path, "select card_id, rating from revlog") == [(missed.card.id, 1)]
    qtbot.keyClick(screen, Qt.Key.Key_S)  # sent once only
    assert len(query(tmp_path, "select * from revlog")) == 1
    assert screen.verdict.text() == "1장을 오늘 복습으로 보냈습니다 ('다시'로 채점)."
    assert not screen.send_button.isVisible()
    assert "S:" not in screen.hint.text() and "Q: 새 퀴즈" in screen.hint.text()  # S is done
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert window.home.decks.topLevelItem(0).text(2) == "1"  # learning: the missed card


def test_multiple_choice_in_english_from_one_deck(qtbot: QtBot, window: MainWindow,
                                                  tmp_path: Path) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_L)  # English
    screen = start_quiz(qtbot, window, deck_rows=(1,), count=1)
    assert screen.round is not None and screen.round.config.decks == ("beta",)
    assert screen.round.config.lang == "en"
    question = screen.round.questions[0]
    assert question.card.deck == "beta" and len(screen.round.questions) == 1
    assert screen.title.text() == "Quiz · Deck beta"
    assert screen.progress.text() == "Question 1 of 1"
    assert all(option.startswith(f"{question.card.id} wrong") or option ==
               REHEARSAL_CARDS[question.card.id][6] for option in question.options)
    right = (question.correct_option or 0) + 1
    qtbot.keyClick(screen, DIGITS[right])
    assert screen.verdict.text() == "✓ Right!"
    assert "Answer to" in shown(screen)
    assert query(tmp_path, "select lang, correct from quiz_answers") == [("en", 1)]
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    assert "1 of 1 right (100 %)" in shown(screen) and "All right!" in shown(screen)
    assert not screen.send_button.isVisible()
    assert screen.hint.text() == "Card links: read · Q: another quiz · L: language · Esc: home"


def test_setup_counts_what_decks_and_tags_select(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_setup(qtbot, window)
    tags = {str(item.data(Qt.ItemDataRole.UserRole)): item for item in dialog.tags.all_items()}
    assert sorted(tags) == ["dropout", "norm", "overfit", "reg"]
    assert tags["reg"].text() == "reg (2)"
    tags["reg"].setCheckState(Qt.CheckState.Checked)
    assert dialog.available.text().startswith("조건에 맞는 문제 2개")
    dialog.decks.item(0).setCheckState(Qt.CheckState.Checked)  # alpha: the tag narrows it
    assert dialog.available.text().startswith("조건에 맞는 문제 1개")
    dialog.tag_filter.setText("drop")
    assert [t for t, item in tags.items() if not item.isHidden()] == ["dropout"]
    tags["reg"].setCheckState(Qt.CheckState.Unchecked)
    dialog.decks.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.decks.item(1).setCheckState(Qt.CheckState.Checked)
    tags["overfit"].setCheckState(Qt.CheckState.Checked)  # beta has no 'overfit' card
    assert dialog.available.text() == "조건에 맞는 문제가 없습니다. 다른 덱이나 태그를 고르세요."
    assert not dialog.start_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # nothing to ask: Enter starts nothing
    assert dialog.isVisible() and window.stack.currentWidget() is window.home
    qtbot.keyClick(dialog.decks, Qt.Key.Key_L)  # L follows the language here too
    assert dialog.windowTitle() == "Quiz setup"
    assert dialog.available.text().startswith("No question matches")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and window.rehearsal_dialog is None


def test_typed_answer_with_the_korean_input_method(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path) -> None:
    screen = start_quiz(qtbot, window, typed=True, count=2)
    box = screen.answer_box
    assert box.isVisible() and box.hasFocus()
    question = screen.round.questions[0] if screen.round else None
    assert question is not None
    keyword = REHEARSAL_CARDS[question.card.id][7][0].split("|")[0]  # first concept, Korean
    ime(box, preedit=keyword[0])
    assert box.toPlainText() == ""  # still being composed: not text yet
    type_korean(box, keyword)
    ime(box, preedit="이")
    ime(box, commit="이")
    qtbot.keyClicks(box, " ok")
    ime(box, preedit="다")  # the last syllable is still being composed when Ctrl+Enter comes
    assert box.toPlainText() == f"{keyword}이 ok"
    assert query(tmp_path, "select count(*) from quiz_answers") == [(0,)]

    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    answer = f"{keyword}이 ok다"
    [(stored, score, missed, correct)] = query(
        tmp_path, "select answer, score, missed, correct from quiz_answers")
    keywords = REHEARSAL_CARDS[question.card.id][7]
    concepts = len(keywords)
    assert stored == answer and score == pytest.approx(1 / concepts)
    assert json.loads(missed) == [k.split("|")[0] for k in keywords[1:]]
    assert correct == int(1 / concepts >= 0.5)
    html = screen.card_view.html("ko")
    assert "#fff1a8" in html  # the words that named a concept are marked
    text = shown(screen)
    assert f"내 답\n{answer}" in text
    assert f"점수 {1 / concepts:.2f} · 개념 {concepts}개 중 1개" in text
    assert "빠진 개념: " in text and "의 답" in text  # missed concepts, model answer
    assert not box.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.progress.text() == "2 / 2번 문제" and box.isVisible()
    assert box.toPlainText() == "" and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc leaves from the answer box too
    assert window.stack.currentWidget() is window.home


def test_i_said_it_counts_a_typed_answer_right(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    screen = start_quiz(qtbot, window, typed=True, count=2)
    qtbot.keyClicks(screen.answer_box, "no idea")
    qtbot.keyClick(screen.answer_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert screen.verdict.text() == "✗ 아직 부족합니다. 빠진 개념을 확인하세요."
    assert screen.override_button.isVisible()
    assert query(tmp_path, "select correct, overridden from quiz_answers") == [(0, 0)]
    qtbot.keyClick(screen, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert query(tmp_path, "select correct, overridden from quiz_answers") == [(1, 1)]
    assert screen.verdict.text() == "✓ 말한 것으로 인정해 맞힌 것으로 기록했습니다."
    assert not screen.override_button.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    qtbot.keyClick(screen.answer_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.finished
    assert "1 / 2 정답 (50%)" in shown(screen)  # the overridden answer is not a miss
    assert screen.send_button.text() == "틀린 카드 1장을 오늘 복습으로 보내기 (S)"


def test_l_switches_the_quiz_screen_language(qtbot: QtBot, window: MainWindow) -> None:
    screen = start_quiz(qtbot, window, count=1)
    assert screen.home_button.text() == "← 홈"
    qtbot.keyClick(screen, Qt.Key.Key_L)
    assert window.mode == "en"
    assert screen.progress.text() == "Question 1 of 1"
    assert screen.hint.text().startswith("1-4: choose")
    assert "Question" in shown(screen)  # the pane's labels follow too ...
    assert screen.card_lang == "ko"  # ... while the card stays in the round's language
    QApplication.sendEvent(screen, QKeyEvent(QEvent.Type.KeyPress, 0,
                                             Qt.KeyboardModifier.NoModifier, "ㅣ"))
    assert window.mode == "both" and screen.progress.text() == "1 / 1번 문제"
    qtbot.keyClick(screen, Qt.Key.Key_L)
    assert screen.round is not None
    wrong = 2 if screen.round.questions[0].correct_option == 0 else 1  # a miss: S is offered
    qtbot.keyClick(screen, DIGITS[wrong])
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.hint.text().startswith("카드 링크: 읽기 · S: 틀린 카드를 복습으로")
    qtbot.keyClick(screen, Qt.Key.Key_L)
    assert screen.hint.text().startswith("Card links: read · S: missed cards to review")
    assert "Round over" in shown(screen)


def test_esc_leaves_mid_round_with_the_answers_on_disk(qtbot: QtBot, window: MainWindow,
                                                       tmp_path: Path) -> None:
    screen = start_quiz(qtbot, window, count=3)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert query(tmp_path, "select count(*) from quiz_answers") == [(1,)]
    assert query(tmp_path, "select finished_at from quiz_rounds") == [(None,)]


def test_setup_fields_have_alt_keys_and_a_typed_round_in_english(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_setup(qtbot, window)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    qtbot.keyClick(dialog.decks, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.mode_buttons["typed"].isChecked, timeout=2000)  # an animated click
    qtbot.keyClick(dialog.decks, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.lang_buttons["en"].isChecked, timeout=2000)
    qtbot.keyClick(dialog.decks, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.count.hasFocus()
    qtbot.keyClick(dialog.count, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert dialog.tag_filter.hasFocus()
    qtbot.keyClicks(dialog.tag_filter, "norm")
    qtbot.keyClick(dialog.tag_filter, Qt.Key.Key_Return)  # Enter starts from any field
    screen = window.quiz
    assert screen.round is not None
    assert (screen.round.config.mode, screen.round.config.lang) == ("typed", "en")
    card_id = screen.round.questions[0].card.id
    keywords = REHEARSAL_CARDS[card_id][8]
    assert REHEARSAL_CARDS[card_id][4].split(" $")[0] in shown(screen)  # the English question
    qtbot.keyClicks(screen.answer_box, f"I would say {keywords[0].split('|')[0]}.")
    qtbot.keyClick(screen.answer_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    text = shown(screen)  # an English round, labels in the screen's language (Korean)
    assert f"점수 {1 / len(keywords):.2f} · 개념 {len(keywords)}개 중 1개" in text
    assert "Answer to" in text and "빠진 개념: " + " · ".join(
        k.split("|")[0] for k in keywords[1:]) in text
    qtbot.keyClick(screen, Qt.Key.Key_L)
    text = shown(screen)
    assert f"Score {1 / len(keywords):.2f} · 1 of {len(keywords)} concepts" in text
    assert "Your answer" in text and "Missed concepts: " in text
    assert query(tmp_path, "select lang, mode, score from quiz_answers") == [
        ("en", "typed", pytest.approx(1 / len(keywords)))]


def test_english_counts_are_singular_or_plural() -> None:
    from quizapp.ui.strings import tr

    assert tr("sent_missed", "en", count=1) == "Sent 1 card to today's review (graded Again)."
    assert tr("sent_missed", "en", count=2).startswith("Sent 2 cards")
    assert tr("sent_missed", "ko", count=1).startswith("1장을")


def test_a_failed_write_keeps_the_question_and_the_key_works_again(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.menus.items["quiz_menu"].action.text() == "퀴즈…\tQ"
    qtbot.mouseClick(window.home.quiz_button, Qt.MouseButton.LeftButton)
    assert isinstance(window.rehearsal_dialog, QuizSetupDialog)
    qtbot.keyClick(window.rehearsal_dialog, Qt.Key.Key_Return)
    screen = window.quiz
    window.store.db.execute("PRAGMA query_only = ON")
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert "읽기 전용" in window.problem_banner.text() and window.problem_banner.isVisible()
    assert screen.result is None and screen.options[0].look == "plain"  # not shown as answered
    assert query(tmp_path, "select count(*) from quiz_answers") == [(0,)]
    window.store.db.execute("PRAGMA query_only = OFF")
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert screen.result is not None and not window.problem_banner.isVisible()
    assert query(tmp_path, "select count(*) from quiz_answers") == [(1,)]
