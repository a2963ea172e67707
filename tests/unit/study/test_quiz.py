"""Quiz rounds: replayable questions, answers on disk at once, overrides, and missed cards sent
to review through the review path (so undo and the log agree)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.content import default_content_dir, load_library
from quizapp.store import ProgressStore, open_store
from quizapp.store.rehearsals import RehearsalLog
from quizapp.study.quiz import QuizConfig, QuizRound, build_questions, eligible_cards

LIBRARY = load_library(default_content_dir())
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        yield opened


def test_questions_are_replayable_from_the_seed_and_shuffled() -> None:
    config = QuizConfig(decks=("optimization",), count=8, seed=42)
    first, again = build_questions(LIBRARY, config), build_questions(LIBRARY, config)
    assert [q.card.id for q in first] == [q.card.id for q in again]
    assert [q.options for q in first] == [q.options for q in again]
    assert len(first) == 8 and all(q.card.deck == "optimization" for q in first)
    for question in first:
        assert question.card.quiz is not None and question.card.quiz.answer is not None
        assert question.options[question.correct_option or 0] == question.card.quiz.answer.ko
        assert len(set(question.options)) == 4
    positions = {q.correct_option for q in first}
    assert len(positions) > 1  # the right answer is not always in the same place
    other = build_questions(LIBRARY, QuizConfig(decks=("optimization",), count=8, seed=7))
    assert [q.card.id for q in other] != [q.card.id for q in first]


def test_tags_select_cards_across_decks() -> None:
    cards = eligible_cards(LIBRARY, tags=("dropout",))
    assert cards and all("dropout" in c.tags for c in cards)
    assert len({c.deck for c in cards}) > 1


def test_a_tag_narrows_the_chosen_decks() -> None:
    """Decks and tags are two filters (each: none = all); a tag never adds other decks."""
    deck = eligible_cards(LIBRARY, decks=("regularization",))
    both = eligible_cards(LIBRARY, decks=("regularization",), tags=("dropout",))
    assert both and {c.id for c in both} < {c.id for c in deck}
    assert all(c.deck == "regularization" and "dropout" in c.tags for c in both)


def test_every_answer_is_on_disk_before_the_next_question(store: ProgressStore,
                                                          tmp_path: Path) -> None:
    quiz = QuizRound(LIBRARY, store, QuizConfig(decks=("regularization",), count=3, seed=1),
                     now=lambda: NOW)
    first = quiz.current
    assert first is not None and first.correct_option is not None
    result = quiz.answer_choice(first.correct_option, 2100)
    assert result.correct
    conn = sqlite3.connect(tmp_path / "p.sqlite3")  # another connection: what is really on disk
    assert conn.execute("select card_id, correct, duration_ms from quiz_answers").fetchall() == [
        (first.card.id, 1, 2100)]
    second = quiz.current
    assert second is not None and second is not first
    wrong = (second.correct_option or 0) + 1
    assert not quiz.answer_choice(wrong % 4, 900).correct
    stored = RehearsalLog(store).quiz_round(quiz.round_id)
    assert stored["seed"] == 1 and stored["card_ids"] == [q.card.id for q in quiz.questions]
    conn.close()


def test_typed_answers_are_scored_and_can_be_overridden(store: ProgressStore) -> None:
    quiz = QuizRound(LIBRARY, store, QuizConfig(count=2, mode="typed", lang="ko", seed=3),
                     now=lambda: NOW)
    question = quiz.current
    assert question is not None
    result = quiz.answer_typed("잘 모르겠습니다", 5000)
    assert not result.correct and result.score is not None and result.score.score == 0
    quiz.override(0)
    assert quiz.results[0].correct
    [answer] = RehearsalLog(store).quiz_answers(quiz.round_id)
    assert answer.correct and answer.mode == "typed" and answer.missed


def test_missed_cards_go_to_review_as_again_grades(store: ProgressStore) -> None:
    quiz = QuizRound(LIBRARY, store, QuizConfig(count=3, seed=5), now=lambda: NOW)
    for _ in range(3):
        question = quiz.current
        assert question is not None
        quiz.answer_choice(((question.correct_option or 0) + 1) % 4, 1000)  # all wrong
    quiz.finish()
    assert quiz.send_missed_to_review() == 3
    rows = store.log_rows()
    assert [(r["card_id"], r["rating"]) for r in rows] == [
        (q.card.id, 1) for q in quiz.questions]
    undone = store.undo_last()  # the same undo as for a review grade
    assert undone is not None and undone.card_id == quiz.questions[-1].card.id
