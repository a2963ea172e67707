"""Read and write review progress: card states, the review log, undo, and settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from quizapp.store.db import open_database


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


class ProgressStore:
    """The progress database of one user. Every write is committed before the method returns."""

    def __init__(self, db: Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    def close(self) -> None:
        self.db.close()

    def card_rows(self) -> dict[str, CardRow]:
        return {
            row["card_id"]: CardRow(row["card_id"], row["fsrs"], row["state"],
                                    datetime.fromisoformat(row["due"]))
            for row in self.db.table("cards").rows
        }

    def record(self, review: Review) -> int:
        """Write the new card state and its log row in one transaction; returns the log id."""
        card: dict[str, Any] = {
            "card_id": review.card_id,
            "fsrs": review.fsrs_after,
            "state": review.state_after,
            "due": review.due_after.isoformat(),
        }
        if review.fsrs_before is None:
            card["first_review"] = review.reviewed_at.isoformat()
        with self.db.atomic():
            self.db.table("cards").upsert(card, pk="card_id")
            table = self.db.table("revlog").insert(
                {
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
            )
            return int(table.last_rowid or 0)

    def undo_last(self) -> str | None:
        """Remove the newest log row and restore its card's previous state; returns the card id."""
        rows = list(self.db.table("revlog").rows_where(order_by="id desc", limit=1))
        if not rows:
            return None
        last = rows[0]
        with self.db.atomic():
            self.db.table("revlog").delete(last["id"])
            if last["fsrs_before"] is None:
                self.db.table("cards").delete_where("card_id = ?", [last["card_id"]])
            else:
                before = json.loads(last["fsrs_before"])
                self.db.table("cards").update(
                    last["card_id"],
                    {"fsrs": last["fsrs_before"], "state": before["state"], "due": before["due"]},
                )
        return str(last["card_id"])

    def review_count(self, since: datetime | None = None) -> int:
        if since is None:
            return int(self.db.table("revlog").count)
        return int(self.db.table("revlog").count_where("reviewed_at >= ?", [since.isoformat()]))

    def new_cards_reviewed_since(self, since: datetime) -> int:
        """How many cards were seen for the first time at or after ``since``."""
        return int(self.db.table("revlog").count_where(
            "state_before = 0 and reviewed_at >= ?", [since.isoformat()]))

    def log_rows(self, card_id: str | None = None) -> list[dict[str, Any]]:
        where = "card_id = ?" if card_id else None
        return list(self.db.table("revlog").rows_where(where, [card_id] if card_id else None,
                                                 order_by="id"))

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = list(self.db.table("config").rows_where("key = ?", [key]))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.db.atomic():
            self.db.table("config").upsert({"key": key, "value": json.dumps(value)}, pk="key")


@contextmanager
def open_store(path: Path) -> Iterator[ProgressStore]:
    """Open the progress database at ``path`` for the duration of a ``with`` block."""
    store = ProgressStore(open_database(path), path)
    try:
        yield store
    finally:
        store.close()
