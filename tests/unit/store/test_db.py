"""The progress database: migrations, WAL, refusal of newer and damaged files, durability."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizapp.store import StoreError, open_database
from quizapp.store.db import MIGRATION_SET, known_migration_names


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(tmp_path / "sub" / "p.sqlite3")
    assert {"cards", "revlog", "config"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = {r["name"] for r in db["_sqlite_migrations"].rows}
    assert applied == known_migration_names()
    db.close()
    # Opening again applies nothing twice.
    db = open_database(tmp_path / "sub" / "p.sqlite3")
    assert db["_sqlite_migrations"].count == len(known_migration_names())


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values (?, 'm999_from_the_future', 'x')", [MIGRATION_SET])
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer version.*m999_from_the_future"):
        open_database(path)
    assert path.read_bytes() == before


def test_file_that_is_not_a_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is my diary, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"p\.sqlite3: not a readable progress database"):
        open_database(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.sqlite3"]


def test_truncated_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    db = open_database(path)
    db["revlog"].insert_all({"card_id": f"c{i}", "reviewed_at": "t", "rating": 3}
                            for i in range(3000))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match="left untouched"):
        open_database(path)


def test_a_committed_review_survives_the_process_being_killed(tmp_path: Path) -> None:
    """Grade in a child process that then dies with SIGKILL-like abruptness (os._exit)."""
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from datetime import datetime, timezone
        from quizapp.store import open_store, Review
        with open_store(Path({str(tmp_path / 'p.sqlite3')!r})) as store:
            now = datetime.now(timezone.utc)
            store.record(Review(card_id="k", reviewed_at=now, rating=3, state_before=0,
                state_after=1, interval_before_s=0, interval_after_s=600, stability=2.3,
                difficulty=2.1, duration_ms=5, fsrs_before=None, fsrs_after="{{}}",
                due_after=now))
            os.kill(os.getpid(), 9)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode != 0  # it really was killed
    conn = sqlite3.connect(tmp_path / "p.sqlite3")
    assert conn.execute("select card_id, rating from revlog").fetchall() == [("k", 3)]
    assert conn.execute("select card_id from cards").fetchall() == [("k",)]
