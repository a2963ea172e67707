"""Read and write review progress: card states, the review log, undo, and settings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from quizapp.errors import UserError
from quizapp.store.db import open_database, write_transaction


@dataclass(frozen=True)
class CardRow:
    """A reviewed card's scheduling state as stored."""

    card_id: str
    fsrs_json: str
    state: int
    due: datetime


@dataclass(frozen=True)
class Review:
    """One answer, ready to be written: the card's new state and its revlog row."""

    card_id: str
    reviewed_at: datetime
    rating: int
    state_before: int
    state_after: int
    interval_before_s: int
    interval_after_s: int
    stability: float | None
    difficulty: float | None
    duration_ms: int
    fsrs_before: str | None  # None: the card was new
    fsrs_after: str
    due_after: datetime


@dataclass(frozen=True)
class LogEntry:
    """One answer in the review log, as read (what FSRS fitting and replays need)."""

    log_id: int
    card_id: str
    reviewed_at: datetime
    rating: int
    state_before: int
    duration_ms: int


@dataclass(frozen=True)
class UndoneReview:
    """The grade an undo removed."""

    card_id: str
    log_id: int


class UndoConflictError(UserError):
    """The grade to undo is no longer the card's newest (another window reviewed it since)."""


#: Builds the review to record from the card's row as it is inside the write transaction.
MakeReview = Callable[["CardRow | None"], Review]


class ProgressStore:
    """The progress database of one user. Every write is one ``BEGIN IMMEDIATE`` transaction,
    committed before the method returns; read-modify-write reads inside that transaction."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        #: Log ids this process wrote, newest last: what Ctrl+Z undoes first.
        self._undo_stack: list[int] = []

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One BEGIN IMMEDIATE write transaction (see ``store.db.write_transaction``).

        Inside an open one it joins it: writes that must stand or fall together (parameters and
        the memory states recomputed with them, a whole imported log) call the ordinary write
        methods within one outer ``transaction()``, and the outer one commits."""
        if self.db.conn.in_transaction:
            yield self.db
            return
        with write_transaction(self.db, self.path):
            yield self.db

    # -- reading ----------------------------------------------------------------------------

    def card_rows(self) -> dict[str, CardRow]:
        return {row["card_id"]: _card_row(row) for row in self.db.table("cards").rows}

    def card_row(self, card_id: str) -> CardRow | None:
        """One card's stored state (None: never reviewed)."""
        rows = list(self.db.table("cards").rows_where("card_id = ?", [card_id]))
        return _card_row(rows[0]) if rows else None

    def review_count(self, since: datetime | None = None) -> int:
        if since is None:
            return int(self.db.table("revlog").count)
        return int(self.db.table("revlog").count_where("reviewed_at >= ?", [since.isoformat()]))

    def new_cards_reviewed_since(self, since: datetime) -> list[str]:
        """The cards seen for the first time at or after ``since``."""
        return [row[0] for row in self.db.execute(
            "select card_id from revlog where state_before = 0 and reviewed_at >= ?",
            [since.isoformat()])]

    def review_summary(self) -> dict[str, tuple[int, int, int]]:
        """For each reviewed card: answers logged, how many were Again, and lapses (Again on a
        card in the review state)."""
        return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in self.db.execute(
            "select card_id, count(*), sum(rating = 1), sum(rating = 1 and state_before = 2) "
            "from revlog group by card_id")}

    def log_rows(self, card_id: str | None = None) -> list[dict[str, Any]]:
        where = "card_id = ?" if card_id else None
        return list(self.db.table("revlog").rows_where(where, [card_id] if card_id else None,
                                                       order_by="id"))

    def log_entries(self) -> list[LogEntry]:
        """Every answer in the log, card by card, each card's oldest first."""
        return [
            LogEntry(int(row[0]), str(row[1]), datetime.fromisoformat(row[2]), int(row[3]),
                     int(row[4] or 0), int(row[5] or 0))
            for row in self.db.execute(
                "select id, card_id, reviewed_at, rating, state_before, duration_ms from revlog "
                "order by card_id, reviewed_at, id")
        ]

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = list(self.db.table("config").rows_where("key = ?", [key]))
        return json.loads(rows[0]["value"]) if rows else default

    # -- writing ----------------------------------------------------------------------------

    def record_review(self, card_id: str, make_review: MakeReview) -> int:
        """Grade ``card_id``: read its row, build the review from it, write the new state and the
        log row — all in one transaction, so two processes can never both log a card's first
        review or schedule from a stale state. Returns the log row's id."""
        with self.transaction() as db:
            row = self.card_row(card_id)
            review = make_review(row)
            if review.card_id != card_id or review.fsrs_before != (row.fsrs_json if row else None):
                raise ValueError("make_review must build the review from the row it is given")
            card: dict[str, Any] = {
                "card_id": card_id,
                "fsrs": review.fsrs_after,
                "state": review.state_after,
                "due": review.due_after.isoformat(),
            }
            if row is None:
                card["first_review"] = review.reviewed_at.isoformat()
            db.table("cards").upsert(card, pk="card_id")
            table = db.table("revlog").insert(_log_values(review))
            log_id = int(table.last_rowid or 0)
        self._undo_stack.append(log_id)
        return log_id

    def undo_last(self) -> UndoneReview | None:
        """Undo this process's newest grade (or, when it has made none, the newest in the log):
        delete its log row and restore the card's previous state. Returns what was undone, or
        None when there is nothing to undo. Raises ``UndoConflictError`` when the card has been
        reviewed again since (by another window), leaving everything as it was."""
        with self.transaction() as db:
            while self._undo_stack and not db.execute(
                    "select 1 from revlog where id = ?", [self._undo_stack[-1]]).fetchone():
                self._undo_stack.pop()  # already undone elsewhere
            if self._undo_stack:
                where, args = "id = ?", [self._undo_stack[-1]]
            else:
                where, args = "id = (select max(id) from revlog)", []
            rows = list(db.table("revlog").rows_where(where, args))
            if not rows:
                return None
            last = rows[0]
            newest = db.execute("select max(id) from revlog where card_id = ?",
                                [last["card_id"]]).fetchone()[0]
            if newest != last["id"]:
                raise UndoConflictError(f"'{last['card_id']}' was reviewed again in another window "
                                   "after this grade; nothing was undone.")
            db.table("revlog").delete(last["id"])
            if last["fsrs_before"] is None:
                db.table("cards").delete_where("card_id = ?", [last["card_id"]])
            else:
                before = json.loads(last["fsrs_before"])
                db.table("cards").update(
                    last["card_id"],
                    {"fsrs": last["fsrs_before"], "state": before["state"], "due": before["due"]},
                )
        if self._undo_stack and self._undo_stack[-1] == last["id"]:
            self._undo_stack.pop()
        return UndoneReview(card_id=str(last["card_id"]), log_id=int(last["id"]))

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as db:
            db.table("config").upsert({"key": key, "value": json.dumps(value)}, pk="key")

    def rewrite_history(self, card_id: str, reviews: Sequence[Review],
                        log_ids: Sequence[int | None]) -> None:
        """Make ``reviews`` (oldest first, as a replay of the card's whole history gave them)
        the card's log and its last state the card's row. ``log_ids[i]`` is the log row that
        ``reviews[i]`` replays, or None for an answer new to the log.

        Call it inside ``transaction()``, having read the history there. Log ids stay in time
        order per card (undo relies on it): when the card's existing rows come first, in id
        order, they are updated in place and the new ones appended; otherwise the card's rows
        are written again in time order, under new ids."""
        if not self.db.conn.in_transaction:
            raise RuntimeError("rewrite_history must run inside ProgressStore.transaction()")
        if not reviews or len(reviews) != len(log_ids):
            raise ValueError("one log id (or None) per review, and at least one review")
        db = self.db
        existing = [row[0] for row in db.execute(
            "select id from revlog where card_id = ? order by id", [card_id])]
        if sorted(i for i in log_ids if i is not None) != existing:
            raise ValueError(f"the replay of '{card_id}' must cover each of its logged answers")
        in_place = list(log_ids[:len(existing)]) == existing
        if not in_place:
            db.execute("delete from revlog where card_id = ?", [card_id])
        appended = []
        for review, log_id in zip(reviews, log_ids, strict=True):
            if review.card_id != card_id:
                raise ValueError("every review must be of the card whose history it rewrites")
            if in_place and log_id is not None:
                db.table("revlog").update(log_id, _log_values(review))
            else:
                appended.append(_log_values(review))
        db.table("revlog").insert_all(appended)  # in order: ids follow time
        last = reviews[-1]
        db.table("cards").upsert({
            "card_id": card_id,
            "fsrs": last.fsrs_after,
            "state": last.state_after,
            "due": last.due_after.isoformat(),
            "first_review": reviews[0].reviewed_at.isoformat(),
        }, pk="card_id")

    def set_card_fsrs(self, card_id: str, fsrs_json: str) -> None:
        """Replace a reviewed card's FSRS JSON (its memory state) keeping its state and due
        time: how memory states recomputed with new parameters are stored."""
        with self.transaction() as db:
            db.table("cards").update(card_id, {"fsrs": fsrs_json})


def _log_values(review: Review) -> dict[str, Any]:
    return {
        "card_id": review.card_id,
        "reviewed_at": review.reviewed_at.isoformat(),
        "rating": review.rating,
        "state_before": review.state_before,
        "state_after": review.state_after,
        "interval_before_s": review.interval_before_s,
        "interval_after_s": review.interval_after_s,
        "stability": review.stability,
        "difficulty": review.difficulty,
        "duration_ms": review.duration_ms,
        "fsrs_before": review.fsrs_before,
    }


def _card_row(row: dict[str, Any]) -> CardRow:
    return CardRow(row["card_id"], row["fsrs"], row["state"], datetime.fromisoformat(row["due"]))


@contextmanager
def open_store(path: Path) -> Iterator[ProgressStore]:
    """Open the progress database at ``path`` for the duration of a ``with`` block."""
    store = ProgressStore(open_database(path), path)
    try:
        yield store
    finally:
        store.close()
