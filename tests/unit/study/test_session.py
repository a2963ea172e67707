"""Studying: queue order, daily new-card limit, day boundary, grading, undo, history by id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quizapp.content import load_library
from quizapp.store import ProgressStore, open_store
from quizapp.study import DayClock, StudySession, StudySettings, collection_stats, deck_counts

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # 19:00 in Seoul


class FakeNow:
    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta: float) -> None:
        self.value += timedelta(**delta)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as s:
        yield s


def session(content: Path, store: ProgressStore, now: FakeNow, new_per_day: int = 20,
            deck: str | None = None, deck_new_per_day: int = 20) -> StudySession:
    return StudySession(load_library(content), store, deck, now=now,
                        settings=StudySettings(new_per_day=new_per_day,
                                               deck_new_per_day=deck_new_per_day),
                        clock=DayClock(4, ZoneInfo("Asia/Seoul")))


def test_new_cards_come_in_content_order_and_grades_are_stored(small_content: Path,
                                                               store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now)
    assert [s.current.id] == ["a1"] and s.counts.new == 5
    s.grade(3, duration_ms=4200)
    [row] = store.log_rows()
    assert (row["card_id"], row["rating"], row["state_before"], row["duration_ms"]) == (
        "a1", 3, 0, 4200)
    assert row["reviewed_at"] == START.isoformat() and row["interval_after_s"] == 600
    # a1 comes back in 10 minutes: counted as learning today (not yet in the queue's order)
    assert s.current.id == "a2" and s.counts.learning == 1 and s.counts.new == 4


def test_learning_card_returns_when_due_before_new_cards(small_content: Path,
                                                         store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now)
    s.grade(1)  # Again: due in 1 minute
    assert s.current.id == "a2"
    now.advance(minutes=2)
    s.refresh()
    assert s.current.id == "a1" and s.counts.learning == 1


def test_daily_new_limit_and_the_next_day(small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now, new_per_day=2)
    s.grade(4)  # Easy: straight to review, days away
    s.grade(4)
    assert s.current is None
    assert s.next_due == datetime(2026, 11, 21, 19, tzinfo=UTC)  # 4 am Seoul
    now.value = datetime(2026, 11, 21, 19, 1, tzinfo=UTC)
    s.refresh()
    assert s.current is not None and s.counts.new == 2


def test_review_due_later_today_is_shown_today(small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now, new_per_day=1)
    s.grade(4)
    due = datetime.fromisoformat(store.card_rows()["a1"].due.isoformat())
    now.value = due - timedelta(hours=1)  # same study day as the due time (day starts 19:00 UTC)
    assert now.value >= DayClock(4, ZoneInfo("Asia/Seoul")).day_start(due)
    s.refresh()
    assert s.counts.review == 1 and s.current.id == "a1"


def test_buttons_intervals_are_what_the_grade_gives(small_content: Path,
                                                    store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now)
    s.grade(4)  # a1: new -> review, due in days
    for _ in range(3):  # several long reviews, where interval fuzz applies
        now.value = store.card_rows()["a1"].due + timedelta(hours=1)
        s.refresh()
        assert s.current.id == "a1" and s.counts.review == 1
        shown = s.intervals()
        assert shown[1] < shown[2] < shown[3] < shown[4]
        s.grade(3)
        assert store.card_rows()["a1"].due - now() == shown[3]


def test_undo_restores_state_and_log(small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now)
    s.grade(3)  # a1: new -> learning
    before = store.card_rows()["a1"]
    now.advance(minutes=15)
    s.refresh()
    assert s.current.id == "a1"  # its learning step is due
    s.grade(4)
    assert store.card_rows()["a1"].state == 2
    assert s.undo() == "a1"
    assert store.card_rows()["a1"] == before  # previous state restored exactly
    assert [r["rating"] for r in store.log_rows()] == [3]
    assert s.current.id == "a1"
    assert s.undo() == "a1" and store.card_rows() == {} and store.log_rows() == []
    assert s.undo() is None


def test_progress_is_kept_by_id_when_text_changes_or_card_is_removed(
        small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now)
    s.grade(4)
    card_file = small_content / "alpha" / "01.md"
    card_file.write_text(card_file.read_text(encoding="utf-8").replace("모멘텀", "관성"),
                         encoding="utf-8")
    library = load_library(small_content)
    assert "관성" in library.card("a1").question.ko
    assert collection_stats(library, store, now()).review == 1
    card_file.unlink()
    library = load_library(small_content)
    stats = collection_stats(library, store, now())
    assert (stats.cards, stats.review, stats.reviews_total) == (4, 0, 1)
    assert "a1" in store.card_rows()  # history kept in the database


def test_stats_and_deck_counts(small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    s = session(small_content, store, now, deck="beta")
    assert [s.current.id] == ["b1"]
    s.grade(3)
    library = load_library(small_content)
    stats = collection_stats(library, store, now())
    assert stats.to_json() == {"cards": 5, "new": 4, "learning": 1, "review": 0, "due_now": 0,
                               "reviews_total": 1, "reviews_today": 1, "quiz_answers": 0,
                               "interviews": 0}
    counts = deck_counts(library, store, now())
    assert (counts["alpha"].new, counts["beta"].new, counts["beta"].learning) == (3, 1, 1)
    now.advance(minutes=11)
    assert collection_stats(library, store, now()).due_now == 1
    assert json.loads(json.dumps(stats.to_json())) == stats.to_json()


def test_counts_a_user_can_reconcile_with_stats(small_content: Path,
                                                store: ProgressStore) -> None:
    """Grading three new cards Again, Hard, Good puts all three in "learning" at once, as
    `stats` counts them, though none is due this minute."""
    now = FakeNow(START)
    s = session(small_content, store, now)
    for rating in (1, 2, 3):
        s.grade(rating)
    assert (s.counts.new, s.counts.learning, s.counts.review) == (2, 3, 0)
    assert collection_stats(load_library(small_content), store, now()).learning == 3
    now.advance(minutes=2)  # the Again card is due: the count does not jump
    s.refresh()
    assert s.current.id == "a1" and s.counts.learning == 3


def test_each_deck_has_its_own_new_limit_under_the_all_decks_limit(
        small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    alpha = session(small_content, store, now, deck="alpha", new_per_day=3, deck_new_per_day=2)
    assert alpha.counts.new == 2 and alpha.queue.new_stopped_by == "deck"
    alpha.grade(4)
    alpha.grade(4)
    assert alpha.current is None and alpha.queue.new_left == 1
    assert alpha.queue.new_stopped_by == "deck"  # why this deck is done: its own limit
    beta = session(small_content, store, now, deck="beta", new_per_day=3, deck_new_per_day=2)
    assert beta.counts.new == 1 and beta.queue.new_stopped_by == "all"  # 3 - 2 left in all
    beta.grade(4)
    assert beta.current is None and beta.queue.new_stopped_by == "all"
    everything = session(small_content, store, now, new_per_day=3, deck_new_per_day=2)
    assert everything.current is None and everything.queue.new_left == 2


def test_more_new_cards_today_in_one_deck(small_content: Path, store: ProgressStore) -> None:
    now = FakeNow(START)
    alpha = session(small_content, store, now, deck="alpha", new_per_day=1, deck_new_per_day=1)
    alpha.grade(4)
    assert alpha.current is None
    alpha.add_new_cards(1)
    assert alpha.current is not None and alpha.current.id == "a2" and alpha.counts.new == 1
    now.value = START + timedelta(days=1)  # only for that day
    tomorrow = session(small_content, store, now, deck="alpha", new_per_day=1,
                       deck_new_per_day=1)
    assert tomorrow.counts.new == 1
