"""Opening the progress database: migrations, WAL, and files we refuse left truly untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizapp.store import StoreError, StoreWriteError, open_database
from quizapp.store.db import MIGRATION_SET, known_migration_names


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the sha256 of its bytes: equal before and after means
    untouched, and no -wal/-shm appeared."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def make_database(path: Path, reviews: int = 0) -> None:
    db = open_database(path)
    db["revlog"].insert_all({"card_id": f"c{i}", "reviewed_at": "t", "rating": 3}
                            for i in range(reviews))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


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
    db.close()
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["p.sqlite3"]


def test_an_empty_file_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.touch()
    db = open_database(path)
    assert "revlog" in db.table_names()
    db.close()


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    make_database(path)
    conn = sqlite3.connect(path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values (?, 'm999_from_the_future', 'x')", [MIGRATION_SET])
    conn.commit()
    conn.close()
    before = fingerprint(tmp_path)
    with pytest.raises(StoreError, match=r"newer version.*m999_from_the_future"):
        open_database(path)
    assert fingerprint(tmp_path) == before


def test_file_that_is_not_a_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is my diary, not a database\n" * 200)
    before = fingerprint(tmp_path)
    with pytest.raises(StoreError, match=r"p\.sqlite3: not a QuizApp progress database \(not an "
                                         r"SQLite file\)"):
        open_database(path)
    assert fingerprint(tmp_path) == before


def test_truncated_database_is_reported_as_damaged_with_no_files_beside_it(
        tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    make_database(path, reviews=3000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = fingerprint(tmp_path)
    with pytest.raises(StoreError, match=r"damaged.*left untouched"):
        open_database(path)
    assert fingerprint(tmp_path) == before


def test_another_applications_sqlite_file_is_refused_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("create table bookmarks (url text)")
    conn.execute("insert into bookmarks values ('https://example.org')")
    conn.commit()
    conn.close()
    before = fingerprint(tmp_path)
    with pytest.raises(StoreError, match=r"belongs to another application \(tables: "
                                         r"bookmarks\)"):
        open_database(path)
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize("kind", ["directory", "broken symlink", "looping symlink"])
def test_a_path_that_is_not_a_file_is_refused_in_words(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "p.sqlite3"
    if kind == "directory":
        path.mkdir()
    elif kind == "broken symlink":
        path.symlink_to(tmp_path / "missing")
    else:
        path.symlink_to(path)
    with pytest.raises(StoreError, match=r"p\.sqlite3: (is not a file|cannot open)"):
        open_database(path)


def test_a_data_folder_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        open_database(tmp_path / "file" / "sub" / "p.sqlite3")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not bind the root user")
def test_a_read_only_file_is_reported_as_read_only_not_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    make_database(path)
    path.chmod(0o444)
    before = fingerprint(tmp_path)
    with pytest.raises(StoreWriteError, match="read-only") as caught:
        open_database(path)
    assert caught.value.problem == "read_only"
    assert "damaged" not in str(caught.value) and "not a" not in str(caught.value)
    assert fingerprint(tmp_path) == before


def test_two_processes_opening_a_new_database_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    script = f"from quizapp.store import open_database; open_database({str(path)!r}).close()"
    children = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
                for _ in range(4)]
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err.decode()
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from _sqlite_migrations").fetchone()[0] == len(
        known_migration_names())
    conn.close()


def test_a_committed_review_survives_the_process_being_killed(tmp_path: Path) -> None:
    """Grade in a child process that then dies by SIGKILL right after the grade returns."""
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from datetime import datetime, timezone
        from quizapp.store import open_store, Review
        with open_store(Path({str(tmp_path / 'p.sqlite3')!r})) as store:
            now = datetime.now(timezone.utc)
            store.record_review("k", lambda row: Review(card_id="k", reviewed_at=now, rating=3,
                state_before=0, state_after=1, interval_before_s=0, interval_after_s=600,
                stability=2.3, difficulty=2.1, duration_ms=5, fsrs_before=None,
                fsrs_after="{{}}", due_after=now))
            os.kill(os.getpid(), 9)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode != 0  # it really was killed
    conn = sqlite3.connect(tmp_path / "p.sqlite3")
    assert conn.execute("select card_id, rating from revlog").fetchall() == [("k", 3)]
    assert conn.execute("select card_id from cards").fetchall() == [("k",)]


def test_m002_keeps_every_review_and_stops_id_reuse(tmp_path: Path) -> None:
    """A database written before m002 keeps its rows and ids; afterwards an undone (deleted)
    newest id is never handed out again."""
    from sqlite_utils import Database

    from quizapp.store.migrations import m001_initial, migrations

    path = tmp_path / "p.sqlite3"
    old = Database(path)
    migrations.apply(old, stop_before="m002_revlog_ids_never_reused")
    assert m001_initial.__name__ in {m.name for m in migrations.applied(old)}
    old["revlog"].insert_all([{"card_id": "a", "reviewed_at": "t1", "rating": 3},
                              {"card_id": "b", "reviewed_at": "t2", "rating": 1}])
    old.close()
    db = open_database(path)
    assert [(r["id"], r["card_id"]) for r in db["revlog"].rows] == [(1, "a"), (2, "b")]
    db.execute("delete from revlog where id = 2")
    new_id = db["revlog"].insert({"card_id": "c", "reviewed_at": "t3", "rating": 4}).last_rowid
    assert new_id == 3
    db.close()


def test_m004_adds_card_status_and_actions_and_keeps_every_review(tmp_path: Path) -> None:
    """A database from before the browser keeps its progress; the new tables start empty."""
    from sqlite_utils import Database

    from quizapp.store.migrations import migrations

    path = tmp_path / "p.sqlite3"
    old = Database(path)
    migrations.apply(old, stop_before="m004_card_status_and_actions")
    old["revlog"].insert({"card_id": "a", "reviewed_at": "t1", "rating": 3})
    old["cards"].insert({"card_id": "a", "fsrs": "{}", "state": 2, "due": "2026-01-01T00:00:00"})
    old.close()
    db = open_database(path)
    assert [r["card_id"] for r in db["revlog"].rows] == ["a"]
    assert [r["card_id"] for r in db["cards"].rows] == ["a"]
    assert {"card_status", "actions", "action_cards"} <= set(db.table_names())
    assert db["card_status"].count == db["actions"].count == 0
    db.close()


def _schema(conn: sqlite3.Connection) -> dict[str, object]:
    """What a schema means, whatever the SQL text: each table's columns (name, type, not null,
    default, primary key), indexes (name, unique, columns), foreign keys, AUTOINCREMENT."""
    found: dict[str, object] = {}
    for (table,) in conn.execute("select name from sqlite_master where type = 'table' "
                                 "order by name"):
        indexes = [(row[1], row[2], [c[2] for c in conn.execute(
            f"PRAGMA index_info('{row[1]}')")]) for row in conn.execute(
            f"PRAGMA index_list('{table}')")]
        found[table] = {
            "columns": conn.execute(f"PRAGMA table_info('{table}')").fetchall(),
            "indexes": sorted(indexes),
            "foreign_keys": conn.execute(f"PRAGMA foreign_key_list('{table}')").fetchall(),
        }
    found["triggers"] = sorted(conn.execute(
        "select name, tbl_name, sql from sqlite_master where type = 'trigger'").fetchall())
    found["autoincrement"] = sorted(
        name for name, sql in conn.execute("select name, sql from sqlite_master "
                                           "where type = 'table'")
        if sql and "AUTOINCREMENT" in sql.upper())
    return found


def test_a_new_database_gets_exactly_the_schema_the_migrations_make(tmp_path: Path) -> None:
    """New files get the whole schema at once (no sqlite-utils on the way to the first card);
    it must be what applying every step with sqlite-utils gives, and record every step."""
    from sqlite_utils import Database

    from quizapp.store.migrations import migrations

    stepped = Database(tmp_path / "stepped.sqlite3")
    migrations.apply(stepped)
    db = open_database(tmp_path / "new.sqlite3")
    assert _schema(db.conn) == _schema(stepped.conn)
    assert [r[0] for r in db.execute("select name from _sqlite_migrations order by id")] == [
        r[0] for r in stepped.execute("select name from _sqlite_migrations order by id")] == [
        m.name for m in migrations._migrations]
    db.close()
    stepped.close()


def test_m005_keeps_every_row_and_fills_the_review_log_sums(tmp_path: Path) -> None:
    """A database from before m005 keeps every review, card and status; the sums per card and
    per quarter of an hour start out as GROUP BY over the log gives them."""
    from revlog_sums import fresh_sums, stored_sums
    from sqlite_utils import Database

    from quizapp.store.migrations import migrations

    path = tmp_path / "p.sqlite3"
    old = Database(path)
    migrations.apply(old, stop_before="m005_revlog_summaries")
    old["revlog"].insert_all({"card_id": f"c{i % 7}",
                              "reviewed_at": f"2026-01-{i % 28 + 1:02d}T{i % 24:02d}:{i % 60:02d}"
                                             f":00.{i:06d}+09:00",
                              "rating": i % 4 + 1, "state_before": i % 3 if i % 11 else None,
                              "interval_before_s": i * 9000, "duration_ms": i,
                              "fsrs_before": "{}"} for i in range(500))
    old["revlog"].insert({"card_id": "odd", "reviewed_at": "not a time", "rating": 1})
    old["cards"].insert({"card_id": "c1", "fsrs": "{}", "state": 2, "due": "2026-02-01"})
    old.execute("insert into card_status (card_id, suspended) values ('c2', 1)")
    before = {table: old.execute(f"select * from {table} order by 1").fetchall()
              for table in ("revlog", "cards", "card_status")}
    old.close()
    db = open_database(path)
    assert {table: db.execute(f"select * from {table} order by 1").fetchall()
            for table in ("revlog", "cards", "card_status")} == before
    assert stored_sums(db.conn) == fresh_sums(db.conn)
    assert len(stored_sums(db.conn)[0]) == 8  # seven cards and "odd"
    db.close()


def close_as_the_app_does(path: Path) -> None:
    from quizapp.store import ProgressStore

    store = ProgressStore.open(path)
    store.set_setting("k", 1)
    store.close()


def test_a_file_closed_intact_is_opened_without_reading_all_of_it(tmp_path: Path) -> None:
    from quizapp.store.db import _known_intact

    path = tmp_path / "p.sqlite3"
    close_as_the_app_does(path)
    assert _known_intact(path)
    conn = sqlite3.connect(path)  # any change, by anything, and it is checked in full again
    conn.execute("update config set value = '2'")
    conn.commit()
    conn.close()
    assert not _known_intact(path)


def test_a_file_damaged_after_a_clean_close_is_still_refused_untouched(tmp_path: Path) -> None:
    """The shortcut trusts only a file whose stat is unchanged to the nanosecond, ctime
    included: damage written after the close (even with the old mtime put back) is found."""
    path = tmp_path / "p.sqlite3"
    make_database(path, reviews=3000)
    close_as_the_app_does(path)
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096  # one page of garbage
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    before = fingerprint(tmp_path)
    with pytest.raises(StoreError, match=r"(?s)damaged.*left untouched"):
        open_database(path)
    assert fingerprint(tmp_path) == before


def test_no_shortcut_after_another_connection_wrote_or_with_a_broken_record(
        tmp_path: Path) -> None:
    from quizapp.store import ProgressStore
    from quizapp.store.db import _known_intact

    path = tmp_path / "p.sqlite3"
    store = ProgressStore.open(path)
    other = sqlite3.connect(path)
    other.execute("insert into config (key, value) values ('other', '1')")
    other.commit()
    other.close()
    store.close()  # another connection committed while it was open: not remembered
    assert not _known_intact(path)
    close_as_the_app_does(tmp_path / "q.sqlite3")
    record = tmp_path / "cache" / "verified-databases.json"
    record.write_text("{not json", encoding="utf-8")
    assert not _known_intact(tmp_path / "q.sqlite3")
    open_database(tmp_path / "q.sqlite3").close()  # a full check, and no error
    close_as_the_app_does(tmp_path / "q.sqlite3")  # the broken record is written again
    assert _known_intact(tmp_path / "q.sqlite3")
