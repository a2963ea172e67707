"""Backups: consistent copies while another connection writes, Anki's daily/weekly/monthly
pruning, at most one a day, and a restore that first saves the current database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.store import StoreError, open_store
from quizapp.store.backups import (
    backup_due,
    backup_folder,
    create_backup,
    list_backups,
    prune,
    restore,
)
from quizapp.study.scheduling import CardScheduler

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def grade(store, card_id: str) -> None:  # type: ignore[no-untyped-def]
    scheduler = CardScheduler()
    store.record_review(card_id, lambda row: scheduler.review(card_id, row, 3, NOW, 0))


def reviews(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("select card_id from revlog order by id")]
    finally:
        conn.close()


def test_a_backup_is_a_consistent_copy_while_the_app_has_it_open(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    with open_store(database) as store:
        grade(store, "a")
        grade(store, "b")  # still in the WAL: the copy must include it
        copy = create_backup(database, NOW)
        grade(store, "c")
    assert copy.parent == backup_folder(database)
    assert reviews(copy) == ["a", "b"]
    assert [b.path for b in list_backups(copy.parent)] == [copy]
    assert not backup_due(copy.parent, NOW + timedelta(hours=23))
    assert backup_due(copy.parent, NOW + timedelta(hours=24))


def test_pruning_keeps_the_newest_of_each_day_week_and_month(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    open_store(database).__enter__().close()
    made = [NOW - timedelta(days=d, hours=h) for d in range(0, 400, 3) for h in (0, 5)]
    for moment in made:
        create_backup(database, moment)
    folder = backup_folder(database)
    prune(folder, NOW, daily=3, weekly=2, monthly=2)
    kept = [b.made_at for b in list_backups(folder)]
    days = sorted({m.date() for m in made}, reverse=True)
    newest_of = {day: max(m for m in made if m.date() == day) for day in days}
    expected = {newest_of[day] for day in days[:3]}  # the last three days with a backup
    weeks = sorted({tuple(m.isocalendar())[:2] for m in made}, reverse=True)[:2]
    expected |= {max(m for m in made if tuple(m.isocalendar())[:2] == w) for w in weeks}
    months = sorted({(m.year, m.month) for m in made}, reverse=True)[:2]
    expected |= {max(m for m in made if (m.year, m.month) == mo) for mo in months}
    assert set(kept) == expected and len(kept) < len(made)


def test_restore_saves_the_current_database_first(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    with open_store(database) as store:
        grade(store, "a")
    old = create_backup(database, NOW - timedelta(days=2))
    with open_store(database) as store:
        grade(store, "b")
    safety = restore(database, old, NOW)
    assert reviews(database) == ["a"] and reviews(safety) == ["a", "b"]
    with open_store(database) as store:  # the restored file opens as usual
        assert [r["card_id"] for r in store.log_rows()] == ["a"]


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    with open_store(database) as store:
        grade(store, "a")
    bad = tmp_path / "backups" / "progress-20260101-000000.sqlite3"
    bad.parent.mkdir()
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="not a QuizApp progress database"):
        restore(database, bad, NOW)
    assert reviews(database) == ["a"] and len(list_backups(bad.parent)) == 1


def test_two_backups_in_one_second_keep_both(tmp_path: Path) -> None:
    database = tmp_path / "progress.sqlite3"
    with open_store(database) as store:
        grade(store, "a1")
        first = create_backup(database, NOW)
        grade(store, "a2")
        second = create_backup(database, NOW)
    assert first != second and first.exists() and second.exists()
    assert [b.path for b in list_backups(backup_folder(database))] == [second, first]
    assert reviews(first) == ["a1"] and reviews(second) == ["a1", "a2"]
