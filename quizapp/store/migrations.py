"""The schema steps of the progress database, as sqlite-utils ``Migrations``.

Importing this module imports sqlite-utils (and with it NumPy, ~0.3 s), so ``store/db.py`` loads
it only when an existing database has a step still to apply. A new database gets the schema
these steps produce in one go (``store/db.py: SCHEMA``); a test checks the two are the same.
Every step is recorded in ``_sqlite_migrations`` either way, and a database with a step this
version does not know is refused (``store/db.py``).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from quizapp.store.db import MIGRATION_NAMES, MIGRATION_SET, QUARTER_OF, REVLOG_SUMS

_CARD_SUMS = "card_id, count(*), sum(rating IS 1), sum(rating IS 1 AND state_before IS 2)"
_QUARTER_SUMS = (f"{QUARTER_OF.format(row='revlog')}, count(*), "
                 + ", ".join(f"sum({expression.format(row='revlog')})"
                             for _name, expression in REVLOG_SUMS))

migrations = Migrations(MIGRATION_SET)


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


@migrations()
def m005_revlog_summaries(db: Database) -> None:
    # The statistics and the browser add up the whole review log: per card (answers, Again,
    # lapses) and per study day (answers by state, time, young/mature retention). With a
    # million answers that is seconds of work for SQLite (each row carries ~350 bytes of
    # fsrs_before JSON). Two small tables hold those sums instead, kept right by triggers on
    # every insert, delete and update of revlog, whoever writes it; they are filled here from
    # the rows already logged. See store/db.py: SUMMARY_SCHEMA.
    from quizapp.store.db import SUMMARY_SCHEMA

    for statement in SUMMARY_SCHEMA:
        db.execute(statement)
    db.execute(f"INSERT INTO revlog_cards SELECT {_CARD_SUMS} FROM revlog GROUP BY card_id")
    db.execute(f"INSERT INTO revlog_quarters SELECT {_QUARTER_SUMS} FROM revlog GROUP BY 1")


def apply(db: Database) -> None:
    """Apply every step not yet recorded (inside the caller's write transaction)."""
    migrations.apply(db)


if tuple(m.name for m in migrations._migrations) != MIGRATION_NAMES:
    raise RuntimeError("store/db.py MIGRATION_NAMES must list the steps defined here, in order")
