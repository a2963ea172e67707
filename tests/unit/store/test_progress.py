"""Writing progress: one IMMEDIATE transaction per write, two processes at once, undo that stays
consistent, and read-only files and full disks reported in words with nothing lost."""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from concurrent_grader import log_problems

from quizapp.store import (
    ProgressStore,
    Review,
    StoreWriteError,
    UndoConflictError,
    open_database,
    open_store,
)
from quizapp.study.scheduling import Answer, CardScheduler

GRADER = Path(__file__).resolve().parents[2] / "concurrent_grader.py"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with open_store(tmp_path / "p.sqlite3") as opened:
        yield opened


def grade(store: ProgressStore, card_id: str, rating: int = 3) -> int:
    scheduler = CardScheduler()
    return store.record_review(card_id, lambda row: scheduler.review(card_id, row, rating, NOW, 0))


def log(path: Path) -> list[tuple[int, str, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select id, card_id, rating from revlog order by id").fetchall()
    finally:
        conn.close()


def test_every_write_is_one_begin_immediate_transaction(store: ProgressStore) -> None:
    """Each statement that changes the database runs between BEGIN IMMEDIATE and COMMIT; no
    plain BEGIN (whose lock upgrade fails at once under contention) is ever issued."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    grade(store, "a")
    grade(store, "a", 1)
    store.set_setting("ui_language", "en")
    store.undo_last()
    store.db.conn.set_trace_callback(None)
    in_transaction = False
    writes = 0
    for sql in (s.strip().upper() for s in statements):
        if sql.startswith("BEGIN"):
            assert sql == "BEGIN IMMEDIATE", sql
            in_transaction = True
        elif sql.startswith(("COMMIT", "ROLLBACK")):
            in_transaction = False
        elif sql.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            writes += 1
            assert in_transaction, f"write outside a transaction: {sql}"
    assert writes >= 6


def test_the_card_row_is_read_inside_the_write_transaction(store: ProgressStore) -> None:
    """A review built from a stale row cannot be written: the row is read under the lock."""
    grade(store, "a")
    stale_new_card = Review(card_id="a", reviewed_at=NOW, rating=3, state_before=0,
                            state_after=1, interval_before_s=0, interval_after_s=600,
                            stability=1.0, difficulty=5.0, duration_ms=0, fsrs_before=None,
                            fsrs_after="{}", due_after=NOW)
    with pytest.raises(ValueError, match="from the row it is given"):
        store.record_review("a", lambda row: stale_new_card)
    assert len(store.log_rows("a")) == 1  # rolled back: no second "first review"


def test_undo_refuses_a_grade_that_is_no_longer_the_cards_newest(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with open_store(path) as first, open_store(path) as second:
        grade(first, "a", 3)
        grade(second, "a", 1)  # another window grades the same card afterwards
        with pytest.raises(UndoConflictError, match="'a' was reviewed again in another window"):
            first.undo_last()
        assert [r for _, _, r in log(path)] == [3, 1]  # nothing changed
        undone = second.undo_last()
        assert undone is not None and undone.card_id == "a"
        first_undone = first.undo_last()  # now its grade is the newest again
        assert first_undone is not None
        assert log(path) == [] and first.card_row("a") is None


def test_two_processes_grading_at_once_lose_nothing_and_never_double_log(
        tmp_path: Path) -> None:
    """Two processes grade and undo the same six cards for three seconds each (the one-minute
    run with figures is ``tests/benchmarks/stress_concurrency.py``)."""
    path = tmp_path / "p.sqlite3"
    open_database(path).close()
    children = [subprocess.Popen([sys.executable, str(GRADER), str(path), "3", str(seed)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for seed in (1, 2)]
    reports = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        reports.append(json.loads(out))
    graded = {i for r in reports for i in r["graded"]}
    undone = {i for r in reports for i in r["undone"]}
    assert len(graded) == sum(len(r["graded"]) for r in reports)  # no id reported twice
    assert min(len(r["graded"]) for r in reports) > 20
    owner = {i: n for n, r in enumerate(reports) for i in r["graded"]}
    ordered = [owner[i] for i in sorted(owner)]
    assert sum(a != b for a, b in itertools.pairwise(ordered)) > 20  # they really interleaved
    assert log_problems(path, expected_ids=graded - undone) == []


def test_a_full_disk_is_reported_in_words_and_nothing_committed_is_lost(
        store: ProgressStore) -> None:
    grade(store, "a")
    before = store.log_rows()
    # SQLite's own limit on the file's size: writes fail with SQLITE_FULL, as on a full disk.
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreWriteError, match="no space left on device") as caught:
        for index in range(200):  # until the file must grow
            grade(store, f"card-{index}")
    assert caught.value.problem == "disk_full"
    assert str(store.path) in str(caught.value)
    kept = store.log_rows()
    assert kept[: len(before)] == before and not store.db.conn.in_transaction
    store.db.execute("PRAGMA max_page_count = 1073741823")  # space returns
    grade(store, "after")
    assert store.log_rows()[-1]["card_id"] == "after"


def test_a_read_only_database_is_reported_in_words(store: ProgressStore) -> None:
    grade(store, "a")
    store.db.execute("PRAGMA query_only = ON")  # as a file the OS will not let us write
    with pytest.raises(StoreWriteError, match="read-only") as caught:
        grade(store, "b")
    assert caught.value.problem == "read_only"
    with pytest.raises(StoreWriteError, match="read-only"):
        store.set_setting("ui_language", "en")
    store.db.execute("PRAGMA query_only = OFF")
    grade(store, "b")
    assert [r["card_id"] for r in store.log_rows()] == ["a", "b"]


def test_a_writer_waits_for_another_process_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with open_store(path) as store:
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sqlite3, sys, time\n"
             f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
             "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
             "time.sleep(1.5); c.execute('COMMIT')\n"],
            stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        grade(store, "a")  # waits about 1.5 s for the lock, then succeeds
        holder.wait(timeout=30)
        assert [r["card_id"] for r in store.log_rows()] == ["a"]


def replayed(card_id: str, *days: float) -> list[Review]:
    return CardScheduler().replay(card_id, [Answer(NOW + timedelta(days=d), 3, 0) for d in days])


def test_rewrite_history_keeps_ids_when_new_answers_come_last(store: ProgressStore) -> None:
    first = grade(store, "a")
    with store.transaction():
        store.rewrite_history("a", replayed("a", 0, 1, 4), [first, None, None])
    rows = store.log_rows("a")
    assert rows[0]["id"] == first and [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert [r["reviewed_at"] for r in rows] == [
        (NOW + timedelta(days=d)).isoformat() for d in (0, 1, 4)]
    card = store.card_row("a")
    assert card is not None and card.fsrs_json == replayed("a", 0, 1, 4)[-1].fsrs_after


def test_rewrite_history_writes_rows_again_in_time_order(store: ProgressStore) -> None:
    logged = grade(store, "a")  # at NOW; an older answer arrives
    reviews = CardScheduler().replay("a", [Answer(NOW - timedelta(days=3), 4, 0),
                                          Answer(NOW, 3, 0)])
    with store.transaction():
        store.rewrite_history("a", reviews, [None, logged])
    rows = store.log_rows("a")
    assert [r["reviewed_at"] for r in rows] == [(NOW - timedelta(days=3)).isoformat(),
                                                NOW.isoformat()]
    assert logged not in {r["id"] for r in rows}  # written again: ids stay in time order
    assert rows[1]["fsrs_before"] == reviews[0].fsrs_after and rows[1]["state_before"] == 2
    # Undo takes back the newest answer and restores the state the older one gave.
    store.undo_last()
    card = store.card_row("a")
    assert card is not None and card.fsrs_json == reviews[0].fsrs_after


def test_rewrite_history_needs_a_transaction_and_every_logged_answer(
        store: ProgressStore) -> None:
    logged = grade(store, "a")
    with pytest.raises(RuntimeError, match="inside"):
        store.rewrite_history("a", replayed("a", 0), [logged])
    with store.transaction(), pytest.raises(ValueError, match="cover"):
        store.rewrite_history("a", replayed("a", 1), [None])
    assert [r["id"] for r in store.log_rows("a")] == [logged]


def test_writes_inside_a_transaction_join_it(store: ProgressStore) -> None:
    with pytest.raises(KeyError), store.transaction():
        store.set_setting("theme", "dark")
        grade(store, "a")
        raise KeyError("something failed after both writes")
    assert store.get_setting("theme") is None and store.review_count() == 0
    with store.transaction():
        store.set_setting("theme", "dark")
        grade(store, "a")
    assert store.get_setting("theme") == "dark" and store.review_count() == 1
