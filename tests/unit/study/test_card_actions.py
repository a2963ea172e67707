"""Card actions (suspend, bury, reset, set due date, flag) and leeches: what the database holds
after each, that one Ctrl+Z restores it exactly, that grades and actions undo newest first, and
that the queue, counts and statistics leave suspended and buried cards out."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quizapp.content import Library, load_library
from quizapp.store import (
    NO_STATUS,
    CardStatus,
    LeechRule,
    ProgressStore,
    UndoConflictError,
    open_store,
)
from quizapp.study import DayClock, StudySession, StudySettings, deck_counts
from quizapp.study import card_actions as actions
from quizapp.study.scheduling import CardScheduler
from quizapp.study.statistics import compute_statistics

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # 19:00 in Seoul
SEOUL = DayClock(4, ZoneInfo("Asia/Seoul"))
TOMORROW_4AM = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)  # 04:00 on the 22nd in Seoul
TABLES = ("cards", "card_status", "revlog", "actions", "action_cards")


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


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the progress tables, read by a separate connection (what is on disk)."""
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)
                for table in TABLES}
    finally:
        conn.close()


def grade(store: ProgressStore, card_id: str, rating: int, when: datetime,
          leech: LeechRule | None = None) -> int:
    scheduler = CardScheduler()
    return store.record_review(card_id, lambda row: scheduler.review(card_id, row, rating, when,
                                                                     0), leech=leech)


def review_card(store: ProgressStore, card_id: str, when: datetime = START) -> datetime:
    """Take a new card to the review state (Good, Good); returns the time after."""
    grade(store, card_id, 3, when)
    grade(store, card_id, 3, when + timedelta(minutes=11))
    assert store.card_row(card_id).state == 2  # type: ignore[union-attr]
    return when + timedelta(minutes=12)


def lapse(store: ProgressStore, card_id: str, when: datetime,
          leech: LeechRule | None = None) -> datetime:
    """One lapse (Again on a review card), then Good back to review; returns the time after."""
    assert store.card_row(card_id).state == 2  # type: ignore[union-attr]
    grade(store, card_id, 1, when, leech)
    if store.card_status(card_id).suspended:
        return when + timedelta(days=1)
    grade(store, card_id, 3, when + timedelta(minutes=11), leech)
    return when + timedelta(days=1)


def session(library: Library, store: ProgressStore, when: datetime,
            settings: StudySettings | None = None) -> StudySession:
    return StudySession(library, store, now=lambda: when, settings=settings or StudySettings(),
                        clock=SEOUL)


# -- each action: database after, and undo restores exactly ------------------------------------

def test_suspend_and_its_undo(store: ProgressStore, path: Path) -> None:
    review_card(store, "a1")
    before = snapshot(path)
    done = actions.suspend(store, ["a1", "b1"], START)
    assert done.card_ids == ("a1", "b1") and done.action_id is not None
    assert store.card_status("a1") == CardStatus(suspended=True)
    after = snapshot(path)
    assert after["cards"] == before["cards"] and after["revlog"] == before["revlog"]
    [(_id, kind, done_at, _seq, grade_id, _detail)] = after["actions"]
    assert (kind, done_at, grade_id) == ("suspend", START.isoformat(), None)
    assert [(c, s, r) for _, c, s, r in after["action_cards"]] == [
        ("a1", "null", None), ("b1", "null", None)]  # no status row before; schedule untouched
    undone = store.undo_last()
    assert undone is not None and (undone.kind, undone.card_ids) == ("suspend", ("a1", "b1"))
    assert snapshot(path) == before


def test_an_action_that_changes_nothing_writes_nothing(store: ProgressStore, path: Path) -> None:
    actions.suspend(store, ["a1"], START)
    before = snapshot(path)
    again = actions.suspend(store, ["a1"], START)
    assert again.action_id is None and again.card_ids == ()
    assert snapshot(path) == before
    assert actions.unsuspend(store, ["a2"], START).action_id is None


def test_toggle_suspend_suspends_a_mixed_selection_and_unsuspends_a_suspended_one(
        store: ProgressStore) -> None:
    actions.suspend(store, ["a1"], START)
    assert actions.toggle_suspend(store, ["a1", "a2"], START).kind == "suspend"
    assert store.card_status("a2").suspended
    done = actions.toggle_suspend(store, ["a1", "a2"], START)
    assert done.kind == "unsuspend" and done.card_ids == ("a1", "a2")
    assert store.card_statuses() == {}  # status rows with nothing set are removed


def test_bury_until_the_next_study_day(store: ProgressStore, path: Path,
                                       library: Library) -> None:
    before = snapshot(path)
    actions.bury(store, ["a1"], START, SEOUL)
    status = store.card_status("a1")
    assert status.buried_until == TOMORROW_4AM and status.buried(START)
    assert session(library, store, START).current.id == "a2"  # type: ignore[union-attr]
    assert not status.buried(TOMORROW_4AM)
    assert session(library, store, TOMORROW_4AM).current.id == "a1"  # type: ignore[union-attr]
    assert actions.toggle_bury(store, ["a1"], START, SEOUL).kind == "unbury"
    store.undo_last()
    store.undo_last()
    assert snapshot(path) == before


def test_reset_makes_a_card_new_and_keeps_its_history(store: ProgressStore, path: Path,
                                                      library: Library) -> None:
    later = review_card(store, "a1")
    actions.suspend(store, ["a1"], later)
    before = snapshot(path)
    actions.reset_progress(store, ["a1", "a2"], later)  # a2 is new already: not part of it
    after = snapshot(path)
    assert store.card_row("a1") is None and store.card_status("a1") == NO_STATUS
    assert after["revlog"] == before["revlog"]  # the history stays for the statistics
    [reset_id] = [a[0] for a in after["actions"] if a[1] == "reset"]
    assert [c for a, c, _, _ in after["action_cards"] if a == reset_id] == ["a1"]
    s = session(library, store, later)
    assert s.current.id == "a1" and s.counts.new == 5  # type: ignore[union-attr]
    s.grade(3)  # scheduled as a new card, and logged as one
    last = store.log_rows("a1")[-1]
    assert (last["state_before"], last["fsrs_before"]) == (0, None)
    store.undo_last()  # that grade
    assert snapshot(path) == after
    store.undo_last()  # the reset: schedule (first review included) and suspension back
    assert snapshot(path) == before


def test_set_due_date_moves_reviewed_cards_only(store: ProgressStore, path: Path,
                                                library: Library) -> None:
    later = review_card(store, "a1")
    old = store.card_row("a1")
    before = snapshot(path)
    done = actions.set_due(store, ["a1", "a2"], 3, later, SEOUL)
    assert done.card_ids == ("a1",)  # a2 is new: it has no schedule to move
    row = store.card_row("a1")
    assert row is not None and old is not None
    due = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # 04:00 on the 24th in Seoul: 3 days on
    assert row.due == due and json.loads(row.fsrs_json)["due"] == due.isoformat()
    assert (row.state, row.first_review) == (old.state, old.first_review)
    assert json.loads(row.fsrs_json)["stability"] == json.loads(old.fsrs_json)["stability"]
    store.undo_last()
    assert snapshot(path) == before
    actions.set_due(store, ["a1"], 0, later, SEOUL)  # today: due now, first in the queue
    s = session(library, store, later)
    assert s.queue.review == ["a1"]
    with pytest.raises(ValueError, match="days"):
        actions.set_due(store, ["a1"], -1, later, SEOUL)


def test_flags_toggle_like_anki(store: ProgressStore, path: Path) -> None:
    before = snapshot(path)
    actions.toggle_flag(store, ["a1", "a2"], 1, START)
    assert {c: s.flag for c, s in store.card_statuses().items()} == {"a1": 1, "a2": 1}
    actions.toggle_flag(store, ["a1"], 4, START)
    assert store.card_status("a1").flag == 4
    assert actions.toggle_flag(store, ["a1"], 4, START).card_ids == ("a1",)
    assert store.card_status("a1").flag == 0
    with pytest.raises(ValueError, match="flag"):
        actions.set_flag(store, ["a1"], 8, START)
    for _ in range(3):
        store.undo_last()
    assert snapshot(path) == before


# -- undo order and windows --------------------------------------------------------------------

def test_undo_takes_grades_and_actions_newest_first(store: ProgressStore, path: Path) -> None:
    empty = snapshot(path)
    grade(store, "a1", 3, START)
    after_grade = snapshot(path)
    actions.suspend(store, ["b1"], START)
    after_suspend = snapshot(path)
    grade(store, "a2", 3, START)
    assert store.undo_last().kind == "grade"  # type: ignore[union-attr]
    assert snapshot(path) == after_suspend
    assert store.undo_last().kind == "suspend"  # type: ignore[union-attr]
    assert snapshot(path) == after_grade
    assert store.undo_last().kind == "grade"  # type: ignore[union-attr]
    assert snapshot(path) == empty and store.undo_last() is None


def test_after_a_restart_undo_takes_the_newest_in_the_database(path: Path) -> None:
    with open_store(path) as first:
        grade(first, "a1", 3, START)
        actions.set_flag(first, ["a1"], 2, START)
        grade(first, "a2", 3, START)
        actions.suspend(first, ["b1"], START)
    with open_store(path) as restarted:
        assert [restarted.undo_last().kind for _ in range(4)] == [  # type: ignore[union-attr]
            "suspend", "grade", "flag", "grade"]
        assert restarted.undo_last() is None


def test_undo_refuses_an_action_on_a_card_changed_since_in_another_window(path: Path) -> None:
    with open_store(path) as first, open_store(path) as second:
        review_card(first, "a1")
        actions.suspend(first, ["a1", "a2"], START)
        actions.set_flag(second, ["a2"], 3, START)  # another window flags one of them after
        before = snapshot(path)
        with pytest.raises(UndoConflictError, match="'a2' was changed again"):
            first.undo_last()
        assert snapshot(path) == before
        grade(second, "a1", 3, START + timedelta(days=5))  # e.g. a quiz sends it to review
        second.undo_last()  # the grade
        second.undo_last()  # the flag
        assert first.undo_last().kind == "suspend"  # type: ignore[union-attr]


def test_undo_refuses_a_grade_of_a_card_changed_since_in_another_window(path: Path) -> None:
    with open_store(path) as first, open_store(path) as second:
        grade(first, "a1", 3, START)
        actions.reset_progress(second, ["a1"], START)
        before = snapshot(path)
        with pytest.raises(UndoConflictError, match="'a1' was changed in another window"):
            first.undo_last()
        assert snapshot(path) == before


def test_every_action_write_is_one_begin_immediate_transaction(store: ProgressStore) -> None:
    statements: list[str] = []
    review_card(store, "a1")
    store.db.conn.set_trace_callback(statements.append)
    for act in (lambda: actions.suspend(store, ["a1", "a2"], START),
                lambda: actions.bury(store, ["a1"], START, SEOUL),
                lambda: actions.set_due(store, ["a1"], 2, START, SEOUL),
                lambda: actions.set_flag(store, ["a1"], 1, START),
                lambda: actions.reset_progress(store, ["a1"], START),
                store.undo_last):
        statements.clear()
        act()
        kinds = [s.split()[0].upper() for s in statements]
        assert kinds.count("BEGIN") == 1 and statements[0].upper() == "BEGIN IMMEDIATE"
        assert kinds[-1] == "COMMIT" and kinds.count("COMMIT") == 1
    store.db.conn.set_trace_callback(None)


# -- the queue, counts and statistics ----------------------------------------------------------

def test_the_queue_skips_suspended_and_buried_cards(store: ProgressStore,
                                                    library: Library) -> None:
    settings = StudySettings(new_per_day=2, deck_new_per_day=2)
    actions.suspend(store, ["a1"], START)
    actions.bury(store, ["a2"], START, SEOUL)
    s = session(library, store, START, settings)
    assert s.queue.new == ["a3", "b1"]  # suspended and buried new cards use no new slot
    later = review_card(store, "b2")
    actions.set_due(store, ["b2"], 0, later, SEOUL)
    assert session(library, store, later).queue.review == ["b2"]
    actions.suspend(store, ["b2"], later)
    assert "b2" not in session(library, store, later).queue.order
    counts = deck_counts(library, store, later)
    assert (counts["alpha"].new, counts["beta"].new, counts["beta"].review) == (1, 1, 0)


def test_statistics_count_suspended_cards_as_suspended(store: ProgressStore,
                                                       library: Library) -> None:
    later = review_card(store, "a1")
    actions.suspend(store, ["a1", "b1"], later)  # one reviewed, one new
    stats = compute_statistics(library, store, later)
    assert stats.states == {"new": 3, "learning": 0, "young": 0, "mature": 0, "suspended": 2}
    assert sum(stats.forecast_year) == 0  # a suspended card is not coming due


# -- leeches -------------------------------------------------------------------------------------

def test_the_eighth_lapse_tags_and_suspends_in_the_grade_transaction(
        store: ProgressStore, path: Path) -> None:
    rule = StudySettings().leech_rule()
    assert rule == LeechRule(8, True)
    when = review_card(store, "a1")
    for _ in range(7):
        when = lapse(store, "a1", when, rule)
    assert store.card_status("a1") == NO_STATUS
    before = snapshot(path)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    log_id = grade(store, "a1", 1, when, rule)
    store.db.conn.set_trace_callback(None)
    assert [s.split()[0].upper() for s in statements].count("BEGIN") == 1
    commit = next(i for i, s in enumerate(statements) if s.upper() == "COMMIT")
    assert any("card_status" in s for s in statements[:commit])  # the same transaction
    assert store.card_status("a1") == CardStatus(suspended=True, leech=True)
    assert store.leech_lapses(log_id) == 8
    [leech] = [a for a in store.action_rows("a1") if a["kind"] == "leech"]
    assert leech["grade_id"] == log_id and leech["detail"] == {"lapses": 8}
    undone = store.undo_last()  # the grade, and with it the leech tag and the suspension
    assert undone is not None and undone.kind == "grade"
    assert snapshot(path) == before


def test_leech_tag_only_and_a_lower_threshold_and_again_at_half_steps(
        store: ProgressStore) -> None:
    rule = StudySettings(leech_threshold=4, leech_action="tag").leech_rule()
    when = review_card(store, "a1")
    lapses_at_leech = []
    for count in range(1, 9):
        when = lapse(store, "a1", when, rule)
        if store.card_status("a1").leech and not lapses_at_leech:
            lapses_at_leech.append(count)
        assert not store.card_status("a1").suspended  # tag only
    assert lapses_at_leech == [4]
    assert [a["detail"]["lapses"] for a in store.action_rows("a1")] == [4]  # 6, 8: tagged already
    assert [n for n in range(1, 20) if LeechRule(8).is_leech_lapse(n)] == [8, 12, 16]
    assert not any(LeechRule(0).is_leech_lapse(n) for n in range(20))


def test_a_study_session_reports_the_leech(store: ProgressStore, library: Library) -> None:
    settings = StudySettings(leech_threshold=1)
    when = review_card(store, "a1")
    actions.set_due(store, ["a1"], 0, when, SEOUL)
    s = session(library, store, when, settings)
    assert s.current.id == "a1"  # type: ignore[union-attr]
    assert s.grade(1) == 1  # the first lapse makes it a leech at threshold 1
    assert store.card_status("a1").suspended and "a1" not in s.queue.order
