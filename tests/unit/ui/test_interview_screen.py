"""The mock interview, driven from the keyboard in the real window: setup, follow-up chains,
typed (Korean input method) and aloud answers, the countdown turning into overtime, the
report and its cards sent to review, an interview killed mid-way, and Past interviews."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from rehearsal_helpers import REHEARSAL_CARDS, query, type_korean

from quizapp.content import load_library
from quizapp.store import open_store
from quizapp.study.interview import Interview, InterviewConfig
from quizapp.ui import interview_screen
from quizapp.ui.app import application, create_window
from quizapp.ui.interview_screen import InterviewScreen, InterviewSetupDialog, PastInterviewsDialog
from quizapp.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def window(qtbot: QtBot, rehearsal_content: Path, tmp_path: Path) -> Iterator[MainWindow]:
    application()
    win = create_window(rehearsal_content, str(tmp_path / "data"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.interview.timer.stop()


class FakeClock:
    """Stands in for ``time.monotonic``: seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def seed_asking_first(content: Path, tmp_path: Path, card_id: str, **config: object) -> int:
    """A seed whose interview (on a fresh database) asks ``card_id`` first."""
    library = load_library(content)
    with open_store(tmp_path / "seeds.sqlite3") as store:
        for seed in range(200):
            interview = Interview(library, store, InterviewConfig(seed=seed, **config))
            if interview.current is not None and interview.current.card.id == card_id:
                return seed
    raise AssertionError(f"no seed asks {card_id} first")


def shown(screen: InterviewScreen) -> str:
    return screen.card_view.plain_text(screen.card_lang)


def question_text(card_id: str, lang: str = "ko") -> str:
    card = REHEARSAL_CARDS[card_id]
    return (card[3] if lang == "ko" else card[4]).split(" $")[0]


def ctrl_enter(qtbot: QtBot, widget: object) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def open_setup(qtbot: QtBot, window: MainWindow) -> InterviewSetupDialog:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_I)
    dialog = window.rehearsal_dialog
    assert isinstance(dialog, InterviewSetupDialog) and dialog.isVisible()
    return dialog


def test_typed_interview_walks_the_follow_up_chain(
        qtbot: QtBot, window: MainWindow, rehearsal_content: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed = seed_asking_first(rehearsal_content, tmp_path, "r1", decks=("alpha",),
                             main_questions=1)
    monkeypatch.setattr(interview_screen, "new_seed", lambda: seed)
    dialog = open_setup(qtbot, window)
    assert dialog.windowTitle() == "모의 면접 설정"
    assert dialog.available.text() == "물어볼 수 있는 카드 5장"
    assert dialog.per_answer.value() == 2.0 and dialog.per_answer.suffix() == " 분"
    dialog.decks.setCurrentRow(0)
    qtbot.keyClick(dialog.decks, Qt.Key.Key_Space)  # alpha only
    assert dialog.available.text() == "물어볼 수 있는 카드 3장"
    dialog.questions.setFocus()
    dialog.questions.selectAll()
    qtbot.keyClicks(dialog.questions, "1")
    qtbot.keyClick(dialog.questions, Qt.Key.Key_Return)
    screen = window.interview
    assert window.stack.currentWidget() is screen and not dialog.isVisible()
    assert screen.interview is not None and screen.interview.config.decks == ("alpha",)

    # main question: r1, typed in English (the scorer takes both languages)
    assert screen.progress.text() == "본 질문 1 / 1"
    assert question_text("r1") in shown(screen) and "앞 질문에 이어서" not in shown(screen)
    assert "남은 시간" in screen.countdown.text() and "2:00" in screen.countdown.text()
    assert screen.answer_box.hasFocus()
    qtbot.keyClicks(screen.answer_box, "regularization and dropout")
    ctrl_enter(qtbot, screen.answer_box)
    rows = query(tmp_path, "select position, card_id, parent_card_id, depth, score, missed, "
                           "time_limit_ms from interview_answers order by position")
    assert rows == [(0, "r1", None, 0, pytest.approx(2 / 3), '["조기 종료"]', 120_000)]
    text = shown(screen)
    assert "점수 0.67 · 개념 3개 중 2개" in text and "빠진 개념: 조기 종료" in text
    assert "정규화로 가중치를 줄인다" not in text and "의 답" in text  # the model answer
    assert "걸린 시간" in screen.countdown.text()
    assert screen.hint.text() == "Enter: 다음 질문 · L: 언어 · Esc: 나가기"

    # follow-up on r1: r2, typed with the Korean input method
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.progress.text() == "꼬리 질문 · 깊이 1 · 본 질문 1 / 1"
    text = shown(screen)
    assert text.index("앞 질문에 이어서:") < text.index(question_text("r1")) < text.index(
        question_text("r2"))
    type_korean(screen.answer_box, "끈다")
    ctrl_enter(qtbot, screen.answer_box)
    assert query(tmp_path, "select card_id, parent_card_id, depth, answer, score "
                           "from interview_answers where position = 1") == [
        ("r2", "r1", 1, "끈다", 0.5)]

    # follow-up on r2: r3, no answer at all
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.progress.text() == "꼬리 질문 · 깊이 2 · 본 질문 1 / 1"
    ctrl_enter(qtbot, screen.answer_box)
    assert "(빈 답)" in shown(screen)
    assert query(tmp_path, "select count(*), max(depth) from interview_answers") == [(3, 2)]
    assert query(tmp_path, "select finished_at from interviews") == [(None,)]

    # the report
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.phase == "report"
    assert query(tmp_path, "select finished_at is not null from interviews") == [(1,)]
    text = shown(screen)
    assert "면접 리포트" in text and "답변 3개" in text and "평균 점수 0.39" in text
    assert "시간 초과 0개" in text and "완료" in text
    assert "빠진 개념" in text and "조기 종료" in text  # r1's missed concept
    assert "약한 주제" in text and "#dropout: 평균 0.25 (답변 2개)" in text
    assert screen.send_button.text() == "이 카드 1장을 복습에 추가 (S)"  # r3 scored 0
    assert "S: 약한 카드를 복습에 추가" in screen.hint.text()
    screen.card_view.panes["ko"].anchorClicked.emit(QUrl("card:r2"))
    assert screen.preview is not None and "의 답" in shown(screen)
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert screen.preview is None and window.stack.currentWidget() is screen
    qtbot.keyClick(screen, Qt.Key.Key_S)
    assert query(tmp_path, "select card_id, rating from revlog") == [("r3", 1)]
    assert screen.verdict.text() == "1장을 오늘 복습에 추가했습니다 ('다시'로 채점)."
    assert not screen.send_button.isVisible()
    assert "S:" not in screen.hint.text() and "I: 새 면접" in screen.hint.text()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def test_the_countdown_turns_into_overtime(qtbot: QtBot, window: MainWindow,
                                           tmp_path: Path) -> None:
    screen = window.interview
    clock = FakeClock()
    screen.clock = clock
    window.start_interview(InterviewConfig(main_questions=1, max_depth=0, lang="ko"))
    assert "2:00" in screen.countdown.text()
    clock.now += 60.4
    qtbot.waitUntil(lambda: ">1:00<" in screen.countdown.text(), timeout=3000)
    assert "남은 시간" in screen.countdown.text() and "#cf222e" not in screen.countdown.text()
    clock.now += 64.6  # 125 s in all: 5 s over
    qtbot.waitUntil(lambda: ">+0:05<" in screen.countdown.text(), timeout=3000)
    assert "시간 초과" in screen.countdown.text() and "#cf222e" in screen.countdown.text()
    assert screen.answer_box.isVisible()  # not cut off: the answer can still be given
    qtbot.keyClicks(screen.answer_box, "weights")
    ctrl_enter(qtbot, screen.answer_box)
    assert query(tmp_path, "select duration_ms, time_limit_ms from interview_answers") == [
        (125_000, 120_000)]
    assert "걸린 시간" in screen.countdown.text() and "2:05 (+0:05)" in screen.countdown.text()
    clock.now += 30
    qtbot.wait(400)
    assert "2:05 (+0:05)" in screen.countdown.text()  # stopped with the answer
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.phase == "report"
    assert "2:05 (+0:05)" in shown(screen) and "시간 초과 1개" in shown(screen)


def test_leaving_stops_the_countdown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.start_interview(InterviewConfig(main_questions=2, max_depth=0, mode="aloud"))
    screen = window.interview
    assert screen.timer.isActive()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home and not screen.timer.isActive()
    assert query(tmp_path, "select count(*), max(finished_at) from interviews") == [(1, None)]


def test_aloud_interview_in_english(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_L)  # English
    dialog = open_setup(qtbot, window)
    assert dialog.windowTitle() == "Mock interview setup"
    qtbot.mouseClick(dialog.answer_buttons["aloud"], Qt.MouseButton.LeftButton)
    dialog.questions.setValue(2)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    screen = window.interview
    assert screen.interview is not None and screen.interview.config.mode == "aloud"
    assert screen.interview.config.lang == "en"
    grades = []
    while screen.phase != "report":
        assert len(grades) < 6
        position = len(grades)
        assert screen.verdict.text().startswith("Answer aloud.")
        assert "Answer to" not in shown(screen)
        qtbot.keyClick(screen, Qt.Key.Key_3)  # no grade before the model answer is shown
        assert query(tmp_path, "select count(*) from interview_answers") == [(position,)]
        qtbot.keyClick(screen, Qt.Key.Key_Space)
        assert "Answer to" in shown(screen)
        assert screen.grade_buttons[4].text() == "Fully\n[4]"
        grade = (1, 4, 2, 3)[position % 4]
        qtbot.keyClick(screen, {1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3,
                                4: Qt.Key.Key_4}[grade])
        grades.append(grade)
        assert query(tmp_path, "select self_grade, mode, lang from interview_answers "
                               f"where position = {position}") == [(grade, "aloud", "en")]
    text = shown(screen)
    assert "Interview report" in text and f"{len(grades)} answers" in text
    assert "self 1/4" in text and "self 4/4" in text
    assert "Missed" not in text  # answers given aloud have no missed concepts
    to_review = [g for g in grades if g <= 2]
    if to_review:
        plural = "" if len(to_review) == 1 else "s"
        assert screen.send_button.text() == (
            f"Add the {len(to_review)} weak card{plural} to review (S)")
        qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
        assert screen.verdict.text().startswith(f"Added {len(to_review)} card{plural} to")
    assert len(query(tmp_path, "select * from revlog where rating = 1")) == len(to_review)


def test_interview_length_in_minutes(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_setup(qtbot, window)
    assert not dialog.minutes.isEnabled()
    qtbot.mouseClick(dialog.by_minutes, Qt.MouseButton.LeftButton)
    assert dialog.minutes.isEnabled() and not dialog.questions.isEnabled()
    dialog.minutes.setValue(15)
    dialog.per_answer.setValue(1.5)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    screen = window.interview
    assert screen.interview is not None
    assert (screen.interview.config.minutes, screen.interview.config.seconds_per_answer) == (
        15, 90)
    assert screen.progress.text() == "본 질문 1 · 면접 시간 15:00 남음"
    assert "1:30" in screen.countdown.text()


def test_l_switches_the_interview_screen_language(qtbot: QtBot, window: MainWindow) -> None:
    window.start_interview(InterviewConfig(main_questions=1, max_depth=0, mode="aloud"))
    screen = window.interview
    assert screen.reveal_button.text() == "모범 답안 보기 (Space)"
    qtbot.keyClick(screen, Qt.Key.Key_L)
    assert screen.reveal_button.text() == "Show the model answer (Space)"
    assert screen.progress.text() == "Main question 1 of 1"
    assert "Time left" in screen.countdown.text()
    assert screen.card_lang == "ko"  # the card stays in the interview's language
    qtbot.keyClick(screen, Qt.Key.Key_Space)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    assert "Interview report" in shown(screen)
    qtbot.keyClick(screen, Qt.Key.Key_L)  # both: the labels in Korean
    assert "면접 리포트" in shown(screen) and screen.hint.text().startswith("카드 링크")

    window.start_interview(InterviewConfig(main_questions=1, max_depth=0, mode="typed"))
    qtbot.keyClick(screen.answer_box, Qt.Key.Key_L)  # in the answer box L is a letter
    assert screen.answer_box.toPlainText() == "l" and window.mode == "both"


KILLED = textwrap.dedent("""
    import os, signal, sys
    from quizapp.study.interview import InterviewConfig
    from quizapp.ui.app import application, create_window

    application()
    window = create_window(sys.argv[1], sys.argv[2])
    window.start_interview(InterviewConfig(main_questions=3, max_depth=0, seed=5))
    screen = window.interview
    for text in ("가중치를 작게", "dropout"):
        screen.answer_box.setPlainText(text)
        assert screen.submit_typed()
        screen.next_question()
    print(screen.question.card.id, flush=True)  # the third question is on screen
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_an_interview_killed_mid_way_keeps_its_answers_and_is_listed(
        qtbot: QtBot, rehearsal_content: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLED, str(rehearsal_content),
                             str(tmp_path / "data")], env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    rows = query(tmp_path, "select position, answer from interview_answers order by position")
    assert rows == [(0, "가중치를 작게"), (1, "dropout")]

    application()
    window = create_window(rehearsal_content, str(tmp_path / "data"))
    qtbot.addWidget(window)
    window.show()
    window.menus.items["past_interviews"].action.trigger()
    dialog = window.rehearsal_dialog
    assert isinstance(dialog, PastInterviewsDialog) and dialog.windowTitle() == "지난 모의 면접"
    item = dialog.tree.topLevelItem(0)
    assert item is not None and dialog.tree.topLevelItemCount() == 1
    assert [item.text(c) for c in (1, 3, 4)] == ["2", "직접 입력", "중간에 나감"]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_L)
    assert dialog.windowTitle() == "Past interviews" and item is not dialog.tree.topLevelItem(0)
    assert dialog.tree.topLevelItem(0).text(4) == "left unfinished"  # type: ignore[union-attr]
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    screen = window.interview
    assert window.stack.currentWidget() is screen and screen.phase == "report"
    text = shown(screen)
    assert "2 answers" in text and "left unfinished" in text
    mean = json.loads(str(query(tmp_path, "select avg(score) from interview_answers")[0][0]))
    assert f"mean score {mean:.2f}" in text


def test_past_interviews_when_there_are_none(window: MainWindow) -> None:
    dialog = window.open_past_interviews()
    assert isinstance(dialog, PastInterviewsDialog)
    assert dialog.empty.isVisible() and dialog.empty.text().startswith("아직 모의 면접 기록이")
    assert dialog.tree.topLevelItemCount() == 0


def test_a_failed_write_keeps_the_typed_answer(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    window.start_interview(InterviewConfig(main_questions=1, max_depth=0))
    screen = window.interview
    qtbot.keyClicks(screen.answer_box, "weights small")
    window.store.db.execute("PRAGMA query_only = ON")
    ctrl_enter(qtbot, screen.answer_box)
    assert "읽기 전용" in window.problem_banner.text()
    assert screen.phase == "asking" and screen.answer_box.toPlainText() == "weights small"
    window.store.db.execute("PRAGMA query_only = OFF")
    ctrl_enter(qtbot, screen.answer_box)
    assert screen.phase == "result" and not window.problem_banner.isVisible()
    assert query(tmp_path, "select answer from interview_answers") == [("weights small",)]
