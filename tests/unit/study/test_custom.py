"""Custom study: which cards each kind takes, that cram answers leave FSRS untouched unless the
user opts in (and are still on disk and undoable), that Again brings a card back at the end, and
that review ahead grades real reviews."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.content import Library, load_library
from quizapp.store import ProgressStore, open_store
from quizapp.study import DayClock
from quizapp.study import card_actions as actions
from quizapp.study.custom import CustomSession, CustomStudy, custom_cards
from quizapp.study.scheduling import CardScheduler

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
CLOCK = DayClock(4, UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "p.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[ProgressStore]:
    with open_store(path) as opened:
        yield opened


@pytest.fixture
def library(small_content: Path) -> Library:
    return load_library(small_content)


def review(store: ProgressStore, card_id: str, when: datetime, rating: int = 3) -> None:
    scheduler = CardScheduler()
    store.record_review(card_id, lambda row: scheduler.review(card_id, row, rating, when, 0))


def rows(path: Path, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"select * from {table} order by 1").fetchall()
    finally:
        conn.close()


def session(library: Library, store: ProgressStore, study: CustomStudy) -> CustomSession:
    return CustomSession(library, store, study, now=lambda: NOW, clock=CLOCK)


def test_cram_without_rescheduling_logs_practice_and_leaves_fsrs_alone(
        library: Library, store: ProgressStore, path: Path) -> None:
    review(store, "a1", NOW - timedelta(days=3))
    cards_before = rows(path, "cards")
    cram = session(library, store, CustomStudy("cram", deck_id="alpha", seed=1))
    order = cram.queue.order
    assert sorted(order) == ["a1", "a2", "a3"] and cram.intervals() == {}
    assert cram.counts.new == 2 and cram.counts.review == 1
    first = order[0]
    cram.grade(1, 1500)  # Again: back at the end
    assert cram.queue.order == [*order[1:], first]
    cram.grade(3)
    cram.grade(4)
    assert cram.queue.order == [first]
    cram.grade(3)
    assert cram.current is None
    assert rows(path, "cards") == cards_before and len(rows(path, "revlog")) == 1
    practice = [r for r in rows(path, "actions") if r[1] == "practice"]
    assert len(practice) == 4 and '"rating": 1' in str(practice[0][-1])
    assert '"duration_ms": 1500' in str(practice[0][-1])
    # Undo takes back the newest answer and shows that card again, first.
    cram.undo_last()
    assert cram.queue.order == [first] and len(rows(path, "actions")) == 3
    cram.undo_last()
    cram.undo_last()
    assert cram.queue.order[:2] == order[1:] and cram.queue.order[-1] == first
    cram.undo_last()  # the Again: the card is shown once again, first
    assert cram.queue.order == order and rows(path, "actions") == []


def test_cram_with_rescheduling_grades_reviews(library: Library, store: ProgressStore,
                                               path: Path) -> None:
    cram = session(library, store, CustomStudy("cram", deck_id="beta", reschedule=True))
    assert set(cram.intervals()) == {1, 2, 3, 4}
    cram.grade(3)
    cram.grade(3)
    assert cram.current is None
    assert sorted(str(r[1]) for r in rows(path, "revlog")) == ["b1", "b2"]
    assert len(rows(path, "cards")) == 2 and rows(path, "actions") == []


def test_review_ahead_takes_cards_due_within_the_days_soonest_first(
        library: Library, store: ProgressStore, path: Path) -> None:
    review(store, "a1", NOW - timedelta(hours=1))  # learning: due in minutes
    for card_id, days in (("a2", 3), ("b1", 30)):
        review(store, card_id, NOW - timedelta(days=days), rating=4)  # Easy: a long interval
    due = {c: r.due for c, r in store.card_rows().items()}
    horizon = CLOCK.next_day_start(NOW) + timedelta(days=40)
    expected = sorted((c for c in due if due[c] < horizon), key=lambda c: due[c])
    ahead = custom_cards(library, store, CustomStudy("ahead", days=40), NOW, CLOCK)
    assert ahead == expected and "a3" not in ahead  # never reviewed: not ahead of anything
    one_day = custom_cards(library, store, CustomStudy("ahead", days=1), NOW, CLOCK)
    assert one_day == [c for c in expected if due[c] < CLOCK.next_day_start(NOW)
                       + timedelta(days=1)]
    study = session(library, store, CustomStudy("ahead", days=40))
    study.grade(3)
    assert len(rows(path, "revlog")) == 4  # a real review


def test_flagged_and_leech_cards_and_what_is_left_out(library: Library,
                                                      store: ProgressStore) -> None:
    actions.set_flag(store, ["a2", "b1"], 3, NOW)
    actions.suspend(store, ["b1"], NOW)
    actions.bury(store, ["a3"], NOW, CLOCK)
    store.db.execute("insert into card_status (card_id, suspended, leech) values ('b2', 1, 1)")
    assert custom_cards(library, store, CustomStudy("flagged"), NOW, CLOCK) == ["a2"]
    assert custom_cards(library, store, CustomStudy("leech"), NOW, CLOCK) == ["b2"]
    cram = custom_cards(library, store, CustomStudy("cram"), NOW, CLOCK)
    assert sorted(cram) == ["a1", "a2"]  # suspended b1, b2 and buried a3 left out


def test_the_cram_order_follows_the_seed_and_the_limit(library: Library,
                                                       store: ProgressStore) -> None:
    def order(seed: int, limit: int = 100) -> list[str]:
        return custom_cards(library, store, CustomStudy("cram", seed=seed, limit=limit), NOW,
                            CLOCK)

    assert order(7) == order(7) and sorted(order(7)) == ["a1", "a2", "a3", "b1", "b2"]
    assert any(order(seed) != order(7) for seed in range(5))
    assert order(7, limit=2) == order(7)[:2]
    tagged = custom_cards(library, store, CustomStudy("cram", tag="nope"), NOW, CLOCK)
    assert tagged == []


@pytest.mark.parametrize("bad", [{"kind": "all"}, {"kind": "ahead", "days": 0},
                                 {"kind": "cram", "limit": 0}])
def test_bad_custom_study_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CustomStudy(**bad)  # type: ignore[arg-type]
