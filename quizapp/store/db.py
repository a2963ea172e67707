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

import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quizapp.errors import UserError

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "quizapp"
#: Every schema step, oldest first. The steps themselves are sqlite-utils ``Migrations`` in
#: ``store/migrations.py``, imported only when an existing database has one still to apply
#: (sqlite-utils imports NumPy, ~0.3 s that the first card should not wait for).
MIGRATION_NAMES: tuple[str, ...] = (
    "m001_initial",
    "m002_revlog_ids_never_reused",
    "m003_rehearsals",
    "m004_card_status_and_actions",
    "m005_revlog_summaries",
)
SQLITE_HEADER = b"SQLite format 3\x00"
#: Free space below which an I/O error while writing is reported as a full disk.
FULL_DISK_BYTES = 1 << 20
#: How long a write waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 10.0
#: Where (in the data folder's cache folder) the files this app last closed intact are
#: remembered, so that opening one again need not read all of it (see ``inspect_existing``).
VERIFIED_FILE = "verified-databases.json"

#: The schema all of MIGRATION_NAMES give, for a new database: what sqlite-utils creates for
#: them, statement by statement, then m005's sums (``tests/unit/store/test_db.py`` compares the
#: two).
SCHEMA: tuple[str, ...] = (
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,'
    '\n   "name" TEXT,\n   "applied_at" TEXT\n)',
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n    ON '
    '"_sqlite_migrations" ("migration_set", "name")',
    'CREATE TABLE "cards" (\n   "card_id" TEXT PRIMARY KEY,\n   "fsrs" TEXT,\n   "state" INTEGER,'
    '\n   "due" TEXT,\n   "first_review" TEXT\n)',
    'CREATE INDEX "idx_cards_due"\n    ON "cards" ("due")',
    'CREATE TABLE "config" (\n   "key" TEXT PRIMARY KEY,\n   "value" TEXT\n)',
    'CREATE TABLE "revlog" (\n            id INTEGER PRIMARY KEY AUTOINCREMENT,\n'
    '            card_id TEXT NOT NULL,\n            reviewed_at TEXT NOT NULL,\n'
    '            rating INTEGER NOT NULL,\n            state_before INTEGER,\n'
    '            state_after INTEGER,\n            interval_before_s INTEGER,\n'
    '            interval_after_s INTEGER,\n            stability FLOAT,\n'
    '            difficulty FLOAT,\n            duration_ms INTEGER,\n'
    '            fsrs_before TEXT\n        )',
    'CREATE INDEX "idx_revlog_card_id"\n    ON "revlog" ("card_id")',
    'CREATE INDEX "idx_revlog_reviewed_at"\n    ON "revlog" ("reviewed_at")',
    'CREATE TABLE "quiz_rounds" (\n   "id" INTEGER PRIMARY KEY,\n   "started_at" TEXT NOT NULL,'
    '\n   "finished_at" TEXT,\n   "config" TEXT NOT NULL,\n   "seed" INTEGER NOT NULL,\n'
    '   "card_ids" TEXT NOT NULL\n)',
    'CREATE TABLE "quiz_answers" (\n   "id" INTEGER PRIMARY KEY,\n'
    '   "round_id" INTEGER NOT NULL REFERENCES "quiz_rounds"("id"),\n'
    '   "position" INTEGER NOT NULL,\n   "card_id" TEXT NOT NULL,\n   "lang" TEXT,\n'
    '   "mode" TEXT,\n   "answer" TEXT,\n   "choice" INTEGER,\n   "correct" INTEGER,\n'
    '   "score" REAL,\n   "missed" TEXT,\n   "overridden" INTEGER,\n   "duration_ms" INTEGER,\n'
    '   "answered_at" TEXT NOT NULL\n)',
    'CREATE UNIQUE INDEX "idx_quiz_answers_round_id_position"\n    ON "quiz_answers" '
    '("round_id", "position")',
    'CREATE TABLE "interviews" (\n   "id" INTEGER PRIMARY KEY,\n   "started_at" TEXT NOT NULL,'
    '\n   "finished_at" TEXT,\n   "config" TEXT NOT NULL,\n   "seed" INTEGER NOT NULL\n)',
    'CREATE TABLE "interview_answers" (\n   "id" INTEGER PRIMARY KEY,\n'
    '   "interview_id" INTEGER NOT NULL REFERENCES "interviews"("id"),\n'
    '   "position" INTEGER NOT NULL,\n   "card_id" TEXT NOT NULL,\n   "parent_card_id" TEXT,\n'
    '   "depth" INTEGER,\n   "lang" TEXT,\n   "mode" TEXT,\n   "answer" TEXT,\n'
    '   "score" REAL,\n   "missed" TEXT,\n   "self_grade" INTEGER,\n   "duration_ms" INTEGER,\n'
    '   "time_limit_ms" INTEGER,\n   "answered_at" TEXT NOT NULL\n)',
    'CREATE UNIQUE INDEX "idx_interview_answers_interview_id_position"\n    ON '
    '"interview_answers" ("interview_id", "position")',
    'CREATE INDEX "idx_interview_answers_card_id"\n    ON "interview_answers" ("card_id")',
    'CREATE TABLE card_status (\n            card_id TEXT PRIMARY KEY,\n'
    '            suspended INTEGER NOT NULL DEFAULT 0,\n            buried_until TEXT,\n'
    '            flag INTEGER NOT NULL DEFAULT 0,\n            leech INTEGER NOT NULL DEFAULT 0'
    '\n        )',
    'CREATE TABLE actions (\n            id INTEGER PRIMARY KEY AUTOINCREMENT,\n'
    '            kind TEXT NOT NULL,\n            done_at TEXT NOT NULL,\n'
    '            revlog_seq INTEGER NOT NULL,\n            grade_id INTEGER,\n'
    '            detail TEXT\n        )',
    'CREATE TABLE action_cards (\n            action_id INTEGER NOT NULL REFERENCES actions(id),'
    '\n            card_id TEXT NOT NULL,\n            status_before TEXT,\n'
    '            card_before TEXT,\n            PRIMARY KEY (action_id, card_id)\n        )',
    'CREATE INDEX "idx_action_cards_card_id"\n    ON "action_cards" ("card_id")',
    'CREATE INDEX "idx_actions_grade_id"\n    ON "actions" ("grade_id")',
)

#: Answers are "mature" when the card's interval before them was this long (Anki's 21 days);
#: the statistics' young/mature retention is summed with it (m005).
MATURE_S = 21 * 86400
#: The quarter of an hour (seconds since the epoch // 900, UTC) of a revlog row's
#: ``reviewed_at``, -1 when it is not a time; the fraction of a second is dropped first (SQLite
#: would round 09:14:59.9999 up into the next quarter). Every real time zone's offset is a
#: whole number of quarters, so a study day is a whole number of quarters too.
QUARTER_OF = ("coalesce(CAST(strftime('%s', substr({row}.reviewed_at, 1, 19) || "
              "substr({row}.reviewed_at, -6)) AS INTEGER) / 900, -1)")
#: What ``revlog_quarters`` adds up per quarter of an hour besides the answers: (column, value
#: of one revlog row). Never NULL, so that the sums stay numbers.
REVLOG_SUMS: tuple[tuple[str, str], ...] = (
    ("new_answers", "coalesce({row}.state_before, 0) = 0"),
    ("learning_answers", "{row}.state_before IS 1"),
    ("review_answers", "{row}.state_before IS 2"),
    ("relearning_answers", "{row}.state_before IS 3"),
    ("duration_ms", "coalesce({row}.duration_ms, 0)"),
    ("young_answers", f"({{row}}.state_before IS 2 AND "
                      f"coalesce({{row}}.interval_before_s, 0) < {MATURE_S})"),
    ("young_passed", f"({{row}}.state_before IS 2 AND "
                     f"coalesce({{row}}.interval_before_s, 0) < {MATURE_S} AND "
                     f"{{row}}.rating IS NOT 1)"),
    ("mature_answers", f"({{row}}.state_before IS 2 AND "
                       f"coalesce({{row}}.interval_before_s, 0) >= {MATURE_S})"),
    ("mature_passed", f"({{row}}.state_before IS 2 AND "
                      f"coalesce({{row}}.interval_before_s, 0) >= {MATURE_S} AND "
                      f"{{row}}.rating IS NOT 1)"),
)
_CARD_VALUES = ("{row}.card_id, 1, {row}.rating IS 1, "
                "({row}.rating IS 1 AND {row}.state_before IS 2)")


def _summary_schema() -> tuple[str, ...]:
    """m005: the review log's sums per card and per quarter of an hour, and the triggers that
    keep them equal to ``GROUP BY`` over revlog (rows whose sums fall to 0 are deleted). A
    later step that rebuilds revlog must create the triggers again."""
    columns = [name for name, _value in REVLOG_SUMS]
    add_card = (f"INSERT INTO revlog_cards (card_id, answers, again, lapses) "
                f"VALUES ({_CARD_VALUES.format(row='new')}) ON CONFLICT (card_id) DO UPDATE "
                "SET answers = answers + 1, again = again + excluded.again, "
                "lapses = lapses + excluded.lapses;")
    add_quarter = (
        f"INSERT INTO revlog_quarters (quarter, answers, {', '.join(columns)}) "
        f"VALUES ({QUARTER_OF.format(row='new')}, 1, "
        f"{', '.join(value.format(row='new') for _name, value in REVLOG_SUMS)}) "
        "ON CONFLICT (quarter) DO UPDATE SET answers = answers + 1, "
        + ", ".join(f"{name} = {name} + excluded.{name}" for name in columns) + ";")
    remove = (
        "UPDATE revlog_cards SET answers = answers - 1, again = again - (old.rating IS 1), "
        "lapses = lapses - (old.rating IS 1 AND old.state_before IS 2) "
        "WHERE card_id = old.card_id; "
        "DELETE FROM revlog_cards WHERE card_id = old.card_id AND answers = 0; "
        "UPDATE revlog_quarters SET answers = answers - 1, "
        + ", ".join(f"{name} = {name} - ({value.format(row='old')})"
                    for name, value in REVLOG_SUMS)
        + f" WHERE quarter = {QUARTER_OF.format(row='old')}; "
        f"DELETE FROM revlog_quarters WHERE quarter = {QUARTER_OF.format(row='old')} "
        "AND answers = 0;")
    return (
        "CREATE TABLE revlog_cards (card_id TEXT PRIMARY KEY, answers INTEGER NOT NULL, "
        "again INTEGER NOT NULL, lapses INTEGER NOT NULL)",
        "CREATE TABLE revlog_quarters (quarter INTEGER PRIMARY KEY, answers INTEGER NOT NULL, "
        + ", ".join(f"{name} INTEGER NOT NULL" for name in columns) + ")",
        f"CREATE TRIGGER revlog_sums_insert AFTER INSERT ON revlog BEGIN {add_card} "
        f"{add_quarter} END",
        f"CREATE TRIGGER revlog_sums_delete AFTER DELETE ON revlog BEGIN {remove} END",
        f"CREATE TRIGGER revlog_sums_update AFTER UPDATE ON revlog BEGIN {remove} {add_card} "
        f"{add_quarter} END",
    )


SUMMARY_SCHEMA = _summary_schema()
SCHEMA += SUMMARY_SCHEMA

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


def known_migration_names() -> set[str]:
    return set(MIGRATION_NAMES)


@dataclass(frozen=True)
class Opened:
    """What ``connect`` saw when it opened a file: how ``close_database`` knows whether the
    file was changed by anything but this connection while it was open."""

    path: Path
    inode: tuple[int, int]  # (st_dev, st_ino)
    data_version: int  # PRAGMA data_version: changes when another connection commits


def connect(path: Path) -> tuple[sqlite3.Connection, Opened]:
    """Open (creating if absent) and migrate the database at ``path``, with plain ``sqlite3``.

    Raises ``StoreError`` for a file that is not ours, damaged, or written by a newer version of
    the app (the file is then left exactly as it was), and ``StoreWriteError`` when the file or
    folder cannot be written. Close it with ``close_database``.
    """
    path = Path(path)
    _make_folder(path.parent)
    if path.exists() or path.is_symlink():
        inspect_existing(path, trusted=_known_intact(path))
    _require_writable(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        raise write_error(err, path) from err
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a grade survives power loss, not only a crash
        conn.execute("PRAGMA foreign_keys=ON")
        if _applied_migrations(conn) != set(MIGRATION_NAMES):
            with write_transaction(conn, path):
                # Inside one IMMEDIATE transaction: two processes opening a new file at once
                # cannot both apply the same step.
                _migrate(conn, path)
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        info = os.stat(path)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as err:
        conn.close()
        raise write_error(err, path) from err
    return conn, Opened(path, (info.st_dev, info.st_ino), version)


def open_database(path: Path) -> Database:
    """``connect`` wrapped in a sqlite-utils ``Database`` (for tools and tests that want its
    table API; the app itself uses the plain connection)."""
    from sqlite_utils import Database

    conn, _opened = connect(path)
    return Database(conn)


def close_database(conn: sqlite3.Connection, opened: Opened) -> None:
    """Close ``conn``; when nothing but this connection changed the file while it was open
    (no other connection committed, the same file is in place) and the close left no ``-wal``
    behind, remember the file as intact (see ``inspect_existing``)."""
    try:
        alone = int(conn.execute("PRAGMA data_version").fetchone()[0]) == opened.data_version
    except sqlite3.Error:
        alone = False
    conn.close()
    wal = opened.path.with_name(opened.path.name + "-wal")
    try:
        info = os.stat(opened.path)
    except OSError:
        return
    if alone and not wal.exists() and (info.st_dev, info.st_ino) == opened.inode:
        _remember_intact(opened.path, info)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the steps not yet applied (inside the caller's write transaction)."""
    applied = _applied_migrations(conn)
    _refuse_newer(applied, path)
    if applied == set(MIGRATION_NAMES):
        return  # another process applied them while we waited for the lock
    tables = {row[0] for row in conn.execute("select name from sqlite_master")}
    if not applied and not tables:  # a new database: the whole schema at once
        for statement in SCHEMA:
            conn.execute(statement)
        now = str(datetime.now(UTC))
        conn.executemany("insert into _sqlite_migrations (migration_set, name, applied_at) "
                         "values (?, ?, ?)", [(MIGRATION_SET, name, now)
                                              for name in MIGRATION_NAMES])
        return
    from sqlite_utils import Database

    from quizapp.store import migrations

    migrations.apply(Database(conn))


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: waits for other writers, commits or rolls back.

    SQLite errors a user can cause (read-only, full disk, lock held too long, I/O) become
    ``StoreWriteError``; every other exception propagates after the rollback.
    """
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


def inspect_existing(path: Path, trusted: bool = False) -> None:
    """Refuse ``path`` unless it is empty or an intact QuizApp database this version can use.

    Only reads: the file is opened read-only, and *immutable* when no ``-wal`` file exists, so
    that no ``-wal``/``-shm`` file is created beside a file that is then refused.

    ``PRAGMA quick_check`` reads every page (~0.4 s for a million reviews). It is left out when
    ``trusted``: the file is one this app closed itself after opening it intact, and it has not
    been touched since (``_known_intact``: same device, inode, size, mtime and ctime — a write
    by anything changes the ctime, which no program can set back — and no ``-wal`` beside it).
    The header, the tables and the schema steps are checked either way.
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
            check = ("ok",) if trusted else conn.execute("PRAGMA quick_check").fetchone()
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


def _stat_key(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _verified_file(path: Path) -> Path:
    return path.parent / "cache" / VERIFIED_FILE


def _known_intact(path: Path) -> bool:
    """True when ``path`` is, to the nanosecond, the file this app last closed intact."""
    try:
        remembered = json.loads(_verified_file(path).read_text(encoding="utf-8"))
        info = path.stat()
    except (OSError, ValueError):
        return False
    wal = path.with_name(path.name + "-wal")
    return (isinstance(remembered, dict) and not wal.exists()
            and remembered.get(path.name) == _stat_key(info))


def _remember_intact(path: Path, info: os.stat_result) -> None:
    """Note ``path``'s stat in the cache folder (atomically; a failure only costs a full check
    next time)."""
    target = _verified_file(path)
    try:
        remembered = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        remembered = {}
    if not isinstance(remembered, dict):
        remembered = {}
    remembered[path.name] = _stat_key(info)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(remembered), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        with suppress(OSError):
            partial.unlink()


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
