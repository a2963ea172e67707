"""Mock interviews: weak cards asked first, follow-up chains walked, every answer on disk,
and a report a candidate can act on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.content import default_content_dir, load_library
from quizapp.store import ProgressStore, open_store
from quizapp.store.rehearsals import RehearsalLog
from quizapp.study.interview import (
    Interview,
    InterviewConfig,
    interview_report,
    send_to_review,
    weakness,
)
from quizapp.study.session import grade_again

LIBRARY = load_library(default_content_dir())
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.value = NOW

    def __call__(self) -> datetime:
        return self.value


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        yield opened


def test_follow_up_chains_are_walked_up_to_depth_three(store: ProgressStore) -> None:
    interview = Interview(LIBRARY, store, InterviewConfig(main_questions=2, seed=11),
                          now=Clock())
    asked = []
    while interview.current is not None:
        question = interview.current
        asked.append(question)
        if question.parent is not None:
            assert question.card.id in question.parent.follow_ups
            assert question.depth == next(q.depth for q in asked
                                          if q.card.id == question.parent.id) + 1
        interview.answer_typed("잘 모르겠습니다", 1000)
    assert sum(q.depth == 0 for q in asked) == 2
    assert max(q.depth for q in asked) <= 3
    assert any(q.depth >= 1 for q in asked)  # it dug in
    assert len({q.card.id for q in asked}) == len(asked)  # nothing twice
    report = interview.finish()
    assert [a.card_id for a in report.answers] == [q.card.id for q in asked]
    assert report.mean_score == 0 and report.to_review == [q.card.id for q in asked]


def test_a_reopened_report_never_sends_the_same_cards_twice(store: ProgressStore) -> None:
    clock = Clock()
    interview = Interview(LIBRARY, store, InterviewConfig(main_questions=1, seed=3), now=clock)
    while interview.current is not None:
        interview.answer_typed("모르겠어요", 1000)
    report = interview.finish()
    weak = list(report.to_review)
    assert weak
    clock.value = NOW + timedelta(minutes=5)
    assert send_to_review(store, report, clock.value) == len(weak)
    reopened = interview_report(LIBRARY, store, interview.interview_id)
    assert reopened.to_review == []  # graded since they were answered
    assert store.review_count() == len(weak)


def test_weak_and_lapsed_cards_weigh_more_and_recent_ones_less(store: ProgressStore) -> None:
    cards = LIBRARY.cards_in("optimization")
    weak, plain = cards[0], cards[1]
    grade_again(store, [weak.id, weak.id, weak.id], NOW - timedelta(days=2))
    weights = weakness(LIBRARY, store, NOW, [weak, plain])
    assert weights[weak.id] > 2 * weights[plain.id]


def test_a_killed_interview_keeps_every_answer_given(store: ProgressStore) -> None:
    clock = Clock()
    interview = Interview(LIBRARY, store, InterviewConfig(main_questions=3, mode="aloud",
                                                          seed=2), now=clock)
    for grade in (4, 1, 3):
        clock.value += timedelta(seconds=150)
        interview.answer_aloud(grade, 150_000)
    # no finish(): the process "died"; a new reader sees the three answers
    log = RehearsalLog(store)
    [row] = log.interviews()
    assert row["answers"] == 3 and row["finished_at"] is None
    assert row["mean_score"] == pytest.approx((1 + 0 + 2 / 3) / 3)  # self-grades count
    report = interview_report(LIBRARY, store, row["id"])
    assert [a.self_grade for a in report.answers] == [4, 1, 3]
    assert report.overtime == 3  # 150 s against the default 120 s
    assert report.to_review == [report.answers[1].card_id]
    assert report.weakest_topics and report.weakest_topics[0].mean_score == 0


def test_length_in_minutes(store: ProgressStore) -> None:
    clock = Clock()
    interview = Interview(LIBRARY, store, InterviewConfig(minutes=5, max_depth=0, seed=4),
                          now=clock)
    answered = 0
    while interview.current is not None:
        clock.value += timedelta(minutes=2)
        interview.answer_typed("x", 120_000)
        answered += 1
    assert answered == 3  # asked at 0, 2 and 4 minutes; at 6 minutes time is up


def test_a_typed_answer_returns_the_scoring_it_stored(store: ProgressStore) -> None:
    interview = Interview(LIBRARY, store, InterviewConfig(main_questions=1, seed=5), now=Clock())
    card = interview.current.card if interview.current else None
    assert card is not None
    stored, score = interview.answer_typed(card.answer.ko, 1000)  # the model answer
    assert stored.score == score.score and stored.missed == tuple(score.missed)
    assert score.score >= 0.8 and any(c.found for c in score.concepts)
    on_disk = interview_report(LIBRARY, store, interview.interview_id).answers[0]
    assert on_disk.score == score.score and on_disk.missed == tuple(score.missed)
