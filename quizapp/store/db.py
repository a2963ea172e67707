"""Open the progress database: WAL, durable commits, schema migrations, refusal of bad files.

Errors split the qutebrowser way: ``StoreError`` (a ``UserError``) for what the user can fix — a
corrupt file, a database from a newer version, an unwritable folder — and anything else is a bug.
A database that cannot be read is reported and left untouched, never recreated.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from quizapp.errors import UserError

MIGRATION_SET = "quizapp"
migrations = Migrations(MIGRATION_SET)


class StoreError(UserError):
    """The progress database cannot be used; the message says which file and what to do."""


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


def known_migration_names() -> set[str]:
    return {m.name for m in migrations._migrations}


def open_database(path: Path) -> Database:
    """Open (creating if absent) and migrate the database at ``path``.

    Raises ``StoreError`` for a file that is not a readable SQLite database, or one written by a
    newer version of the app; the file is left exactly as it was.
    """
    path = Path(path)
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"{path.parent}: cannot create the data folder ({err.strerror})") from err
    if existed:
        _check_readable(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None)  # autocommit; we BEGIN explicitly
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # a grade survives power loss, not only a crash
        db.execute("PRAGMA foreign_keys=ON")
        _refuse_newer(db, path)
        migrations.apply(db)
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot use the progress database ({err}). "
                         "The file was left untouched.") from err
    return db


def _check_readable(path: Path) -> None:
    """Fail with a clear message when ``path`` is not an intact SQLite database; never write it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(
            f"{path}: not a readable progress database ({err}). It was left untouched; "
            "move it aside (or restore a backup) and start again."
        ) from err
    if result is None or result[0] != "ok":
        detail = result[0] if result else "no answer"
        raise StoreError(
            f"{path}: the progress database is damaged ({detail}). It was left untouched; "
            "move it aside (or restore a backup) and start again."
        )


def _refuse_newer(db: Database, path: Path) -> None:
    applied = {m.name for m in migrations.applied(db)}
    unknown = sorted(applied - known_migration_names())
    if unknown:
        raise StoreError(
            f"{path}: this progress database was written by a newer version of QuizApp "
            f"(unknown schema steps: {', '.join(unknown)}). Update the app to open it; "
            "the file was left untouched."
        )
