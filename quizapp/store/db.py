"""Open the progress database and write to it safely.

Errors split the qutebrowser way: ``StoreError`` (a ``UserError``) for what the user can fix — a
damaged file, another application's file, a database from a newer version, a read-only file, a
full disk — and anything else is a bug.

The promises (see docs/ARCHITECTURE.md, "Trust rules"):

- A file we refuse is left byte-for-byte untouched, with no ``-wal``/``-shm`` created beside it:
  it is inspected through a read-only (immutable when no WAL is present) connection before any
  connection that could write is opened.
- Only an empty file, or one that is ours, is adopted.
- Every write is one ``BEGIN IMMEDIATE`` transaction (``write_transaction``), so a second process
  waits for the lock (busy timeout) instead of failing on a lock upgrade, and a read-modify-write
  reads inside the transaction that writes.
- A write that fails because the file is read-only or the disk is full raises
  ``StoreWriteError`` with a message in words; SQLite rolls the transaction back, so nothing
  committed is lost, and the next write succeeds once the cause is gone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Literal

from sqlite_utils import Database, Migrations

from quizapp.errors import UserError

MIGRATION_SET = "quizapp"
SQLITE_HEADER = b"SQLite format 3\x00"
#: Free space below which an I/O error while writing is reported as a full disk.
FULL_DISK_BYTES = 1 << 20
#: How long a write waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 10.0
migrations = Migrations(MIGRATION_SET)

WriteProblem = Literal["read_only", "disk_full", "busy", "io"]


class StoreError(UserError):
    """The progress database cannot be used; the message says which file and what to do."""


class StoreWriteError(StoreError):
    """A write failed for a reason outside the program (read-only file, full disk, lock held).

    The transaction was rolled back: what was committed before is intact, and retrying after the
    cause is removed works. ``problem`` names the cause so the GUI can say it in the user's
    language.
    """

    def __init__(self, problem: WriteProblem, path: Path, detail: str) -> None:
        self.problem = problem
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: cannot save progress: {_PROBLEM_TEXT[problem]} ({detail}). "
                         "Nothing saved before was lost.")


_PROBLEM_TEXT: dict[WriteProblem, str] = {
    "read_only": "the file or its folder is read-only; make it writable or choose another "
                 "folder with --data-dir",
    "disk_full": "no space left on device; free some space and try again",
    "busy": f"another QuizApp process held the database for over {BUSY_TIMEOUT_S:g} s; "
            "try again",
    "io": "the disk reported an error; check the drive and try again",
}


@migrations()
def m001_initial(db: Database) -> None:
    # One row per card that has been reviewed at least once; a card with no row is new.
    db.table("cards").create(
        {
            "card_id": str,  # the content id (stable across text edits)
            "fsrs": str,  # py-fsrs Card.to_json()
            "state": int,  # fsrs State: 1 learning, 2 review, 3 relearning
            "due": str,  # UTC ISO-8601, copied out of the JSON for indexing
            "first_review": str,
        },
        pk="card_id",
    )
    db.table("cards").create_index(["due"])
    # Modelled on Anki's revlog: one row per answer, enough to undo it exactly.
    db.table("revlog").create(
        {
            "id": int,
            "card_id": str,
            "reviewed_at": str,  # UTC ISO-8601
            "rating": int,  # 1 Again, 2 Hard, 3 Good, 4 Easy
            "state_before": int,  # 0 new, else fsrs State
            "state_after": int,
            "interval_before_s": int,  # seconds from the previous review to its due time (0: new)
            "interval_after_s": int,  # seconds from this review to the new due time
            "stability": float,  # after the review
            "difficulty": float,
            "duration_ms": int,  # time from showing the question to the grade
            "fsrs_before": str,  # the card's JSON before (NULL when new): what undo restores
        },
        pk="id",
        not_null={"card_id", "reviewed_at", "rating"},
    )
    db.table("revlog").create_index(["card_id"])
    db.table("revlog").create_index(["reviewed_at"])
    db.table("config").create({"key": str, "value": str}, pk="key")


@migrations()
def m002_revlog_ids_never_reused(db: Database) -> None:
    # A plain INTEGER PRIMARY KEY hands the id of a deleted (undone) newest row to the next
    # insert, so an undo remembered by one window could remove another window's newer grade.
    # AUTOINCREMENT never reuses an id.
    columns = ", ".join(f'"{c.name}"' for c in db.table("revlog").columns)
    db.execute("""
        CREATE TABLE revlog_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            card_id TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,
            rating INTEGER NOT NULL,
            state_before INTEGER,
            state_after INTEGER,
            interval_before_s INTEGER,
            interval_after_s INTEGER,
            stability FLOAT,
            difficulty FLOAT,
            duration_ms INTEGER,
            fsrs_before TEXT
        )""")
    db.execute(f"INSERT INTO revlog_new ({columns}) SELECT {columns} FROM revlog")
    db.execute("DROP TABLE revlog")
    db.execute("ALTER TABLE revlog_new RENAME TO revlog")
    db.table("revlog").create_index(["card_id"])
    db.table("revlog").create_index(["reviewed_at"])


@migrations()
def m003_rehearsals(db: Database) -> None:
    # Quiz rounds and mock interviews, and every answer given in them (one row each, written
    # before the next question appears).
    db.table("quiz_rounds").create(
        {"id": int, "started_at": str, "finished_at": str, "config": str, "seed": int,
         "card_ids": str},  # config: JSON (decks, tags, count, mode, lang); card_ids: JSON list
        pk="id", not_null={"started_at", "config", "seed", "card_ids"})
    db.table("quiz_answers").create(
        {"id": int, "round_id": int, "position": int, "card_id": str, "lang": str,
         "mode": str,  # "choice" or "typed"
         "answer": str,  # typed text, or the text of the chosen option
         "choice": int,  # the chosen option's index (choice mode)
         "correct": int,  # 1 / 0
         "score": float,  # concept score 0-1 (typed mode)
         "missed": str,  # JSON list of missed concepts (typed mode)
         "overridden": int,  # 1 when the user said "I said it"
         "duration_ms": int, "answered_at": str},
        pk="id", not_null={"round_id", "position", "card_id", "answered_at"},
        foreign_keys=[("round_id", "quiz_rounds", "id")])
    db.table("quiz_answers").create_index(["round_id", "position"], unique=True)
    db.table("interviews").create(
        {"id": int, "started_at": str, "finished_at": str, "config": str, "seed": int},
        pk="id", not_null={"started_at", "config", "seed"})
    db.table("interview_answers").create(
        {"id": int, "interview_id": int, "position": int, "card_id": str,
         "parent_card_id": str,  # the question this one follows up (NULL: a main question)
         "depth": int,  # 0 main question, 1-3 follow-ups
         "lang": str, "mode": str,  # "typed" or "aloud"
         "answer": str, "score": float, "missed": str, "self_grade": int,
         "duration_ms": int, "time_limit_ms": int, "answered_at": str},
        pk="id", not_null={"interview_id", "position", "card_id", "answered_at"},
        foreign_keys=[("interview_id", "interviews", "id")])
    db.table("interview_answers").create_index(["interview_id", "position"], unique=True)
    db.table("interview_answers").create_index(["card_id"])


@migrations()
def m004_card_status_and_actions(db: Database) -> None:
    # What Anki keeps per card beyond the scheduling state: suspended, buried until a study day,
    # a flag colour, the leech tag. One row per card that has any of them (no row: none).
    db.execute("""
        CREATE TABLE card_status (
            card_id TEXT PRIMARY KEY,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            flag INTEGER NOT NULL DEFAULT 0,
            leech INTEGER NOT NULL DEFAULT 0
        )""")
    # Card actions (suspend, bury, flag, reset, set due date, leech), each undoable: one row per
    # action, and per card the values before it. ``revlog_seq`` is the newest revlog id handed
    # out when the action was done, so grades and actions have one order: a grade with a larger
    # id came after the action. ``grade_id`` names the grade an automatic action (a leech) was
    # part of; undoing that grade undoes it too. In ``action_cards`` a before-value is JSON:
    # an object (the row as it was) or ``null`` (there was no row); SQL NULL means the action
    # did not touch that table for that card.
    db.execute("""
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            done_at TEXT NOT NULL,
            revlog_seq INTEGER NOT NULL,
            grade_id INTEGER,
            detail TEXT
        )""")
    db.execute("""
        CREATE TABLE action_cards (
            action_id INTEGER NOT NULL REFERENCES actions(id),
            card_id TEXT NOT NULL,
            status_before TEXT,
            card_before TEXT,
            PRIMARY KEY (action_id, card_id)
        )""")
    db.table("action_cards").create_index(["card_id"])
    db.table("actions").create_index(["grade_id"])


def known_migration_names() -> set[str]:
    return {m.name for m in migrations._migrations}


def open_database(path: Path) -> Database:
    """Open (creating if absent) and migrate the database at ``path``.

    Raises ``StoreError`` for a file that is not ours, damaged, or written by a newer version of
    the app (the file is then left exactly as it was), and ``StoreWriteError`` when the file or
    folder cannot be written.
    """
    path = Path(path)
    _make_folder(path.parent)
    if path.exists() or path.is_symlink():
        inspect_existing(path)
    _require_writable(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        raise write_error(err, path) from err
    db = Database(conn)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a grade survives power loss, not only a crash
        conn.execute("PRAGMA foreign_keys=ON")
        with write_transaction(db, path):
            # Inside one IMMEDIATE transaction: two processes opening a new file at once cannot
            # both apply the same migration.
            _refuse_newer(_applied_migrations(conn), path)
            migrations.apply(db)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as err:
        conn.close()
        raise write_error(err, path) from err
    return db


@contextmanager
def write_transaction(db: Database, path: Path) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: waits for other writers, commits or rolls back.

    SQLite errors a user can cause (read-only, full disk, lock held too long, I/O) become
    ``StoreWriteError``; every other exception propagates after the rollback.
    """
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as err:
        raise write_error(err, path) from err
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as err:
        if conn.in_transaction:
            with suppress(sqlite3.Error):  # SQLite may have rolled back already (SQLITE_FULL)
                conn.execute("ROLLBACK")
        if isinstance(err, sqlite3.Error):
            raise write_error(err, path) from err
        raise


def write_error(err: sqlite3.Error, path: Path) -> Exception:
    """The error to raise for SQLite error ``err`` while writing ``path``.

    Causes outside the program become ``StoreWriteError``; damage becomes ``StoreError``;
    anything else (a bug: bad SQL, a constraint) is returned unchanged.
    """
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StoreWriteError("read_only", path, text)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StoreWriteError("disk_full", path, text)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StoreWriteError("busy", path, text)
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk I/O error" in text:
        # A full disk often surfaces as an I/O error (e.g. growing the WAL or its index).
        problem: WriteProblem = "disk_full" if _nearly_full(path.parent) else "io"
        return StoreWriteError(problem, path, f"{text}, {name}" if name else text)
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return StoreError(f"{path}: the progress database is damaged ({text}). Restore a "
                          "backup or move the file aside.")
    return err


def inspect_existing(path: Path) -> None:
    """Refuse ``path`` unless it is empty or an intact QuizApp database this version can use.

    Only reads: the file is opened read-only, and *immutable* when no ``-wal`` file exists, so
    that no ``-wal``/``-shm`` file is created beside a file that is then refused.
    """
    try:
        info = path.stat()
    except OSError as err:  # a broken or looping symlink, or no permission on the folder
        raise StoreError(f"{path}: cannot open the progress database ({err.strerror}).") from err
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: is not a file; the progress database must be a file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError(f"{path}: cannot read the progress database ({err.strerror}).") from err
    if info.st_size == 0:
        return  # an empty file: ours to fill
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: not a QuizApp progress database (not an SQLite file). It "
                         "was left untouched; move it aside or choose another folder with "
                         "--data-dir.")
    wal = path.with_name(path.name + "-wal")
    # Without a WAL file nothing is waiting to be checkpointed, and "immutable" reads the main
    # file without creating -wal/-shm. With one, a plain read-only open sees committed data.
    query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True,
                               timeout=BUSY_TIMEOUT_S)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in conn.execute(
                "select name from sqlite_master where type = 'table'")}
            applied = _applied_migrations(conn) if "_sqlite_migrations" in tables else set()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: the progress database is damaged ({err}). It was left "
                         "untouched; restore a backup or move it aside and start again.") from err
    if check is None or check[0] != "ok":
        detail = check[0] if check else "no answer"
        raise StoreError(f"{path}: the progress database is damaged ({detail}). It was left "
                         "untouched; restore a backup or move it aside and start again.")
    foreign = sorted(tables - {"sqlite_sequence"})
    if not applied and foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise StoreError(f"{path}: this SQLite file belongs to another application (tables: "
                         f"{shown}). QuizApp did not change it; choose another data folder "
                         "with --data-dir.")
    _refuse_newer(applied, path)


def _applied_migrations(conn: sqlite3.Connection) -> set[str]:
    exists = conn.execute("select 1 from sqlite_master where type = 'table' "
                          "and name = '_sqlite_migrations'").fetchone()
    if not exists:
        return set()
    return {row[0] for row in conn.execute(
        "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET])}


def _refuse_newer(applied: set[str], path: Path) -> None:
    unknown = sorted(applied - known_migration_names())
    if unknown:
        raise StoreError(
            f"{path}: this progress database was written by a newer version of QuizApp "
            f"(unknown schema steps: {', '.join(unknown)}). Update the app to open it; "
            "the file was left untouched."
        )


def _nearly_full(folder: Path) -> bool:
    """True when the file system holding ``folder`` has (almost) no space left for us."""
    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        if err.errno == 28:  # ENOSPC
            raise StoreWriteError("disk_full", folder, err.strerror or "ENOSPC") from err
        raise StoreError(f"{folder}: cannot create the data folder ({err.strerror}).") from err


def _require_writable(path: Path) -> None:
    """Refuse early, in words, a file or folder the OS says we cannot write (SQLite would open it
    read-only and fail at the first grade). Root passes this check; writes then still fail
    cleanly through ``write_transaction``."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    file_ok = not path.exists() or os.access(path, os.R_OK | os.W_OK)
    if not (folder_ok and file_ok):
        what = "the file" if folder_ok else "its folder"
        raise StoreWriteError("read_only", path, f"{what} is not writable")
