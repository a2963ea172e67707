"""Read and write review progress: card states, the review log, card status (suspended,
buried, flag, leech), card actions, undo, and settings."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
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
    first_review: str | None = None  # UTC ISO-8601 (None for a row written by an action)


@dataclass(frozen=True)
class CardStatus:
    """What Anki keeps per card beyond its schedule (all off for a card with no status row)."""

    suspended: bool = False
    buried_until: datetime | None = None  # the start of the study day the card comes back
    flag: int = 0  # 0 none, 1-7 Anki's flag colours
    leech: bool = False

    def buried(self, now: datetime) -> bool:
        """True while the card is buried (until a later study day than ``now``'s)."""
        return self.buried_until is not None and self.buried_until > now

    @property
    def is_default(self) -> bool:
        return self == NO_STATUS


NO_STATUS = CardStatus()
FLAGS = range(8)  # 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple
REVIEW_STATE = 2  # fsrs State.Review: Again on a card in this state is a lapse


@dataclass(frozen=True)
class LeechRule:
    """Anki's leech rule: a card is a leech at its ``threshold``-th lapse and again every half
    threshold after (8, 12, 16, ...); it is then tagged, and suspended when ``suspend``."""

    threshold: int = 8
    suspend: bool = True

    def is_leech_lapse(self, lapses: int) -> bool:
        if self.threshold <= 0 or lapses < self.threshold:
            return False
        return (lapses - self.threshold) % max(1, self.threshold // 2) == 0


#: What an action does to one card: from its status and scheduling row (None: new) to the new
#: ones. Returning them unchanged leaves the card out of the action.
CardChange = Callable[[str, CardStatus, "CardRow | None"], tuple[CardStatus, "CardRow | None"]]


@dataclass(frozen=True)
class Undone:
    """What an undo reverted: a grade (``kind`` "grade", ``log_id`` its revlog id) or a card
    action (``kind`` the action's, ``log_id`` its id in ``actions``)."""

    kind: str
    card_ids: tuple[str, ...]
    log_id: int

    @property
    def card_id(self) -> str:
        return self.card_ids[0]


#: The old name: an undo used to revert only grades.
UndoneReview = Undone


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


class UndoConflictError(UserError):
    """The grade or action to undo is no longer the newest change of its card (another window
    graded or changed it since)."""


#: Builds the review to record from the card's row as it is inside the write transaction.
MakeReview = Callable[["CardRow | None"], Review]


@dataclass(frozen=True)
class AppliedAction:
    """A card action as written: its id in ``actions`` (None when it changed nothing) and the
    cards it changed."""

    kind: str
    action_id: int | None
    card_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Change:
    """One card's part of an action: (before, after) of what it touched (None: untouched)."""

    card_id: str
    status: tuple[CardStatus, CardStatus] | None
    row: tuple[CardRow | None, CardRow | None] | None


#: How many ids go into one ``IN (...)`` (SQLite allows 999 parameters in old builds).
_CHUNK = 500


class ProgressStore:
    """The progress database of one user. Every write is one ``BEGIN IMMEDIATE`` transaction,
    committed before the method returns; read-modify-write reads inside that transaction."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        #: Grades ("grade", revlog id) and card actions ("action", actions id) this process
        #: wrote, newest last: what Ctrl+Z undoes first.
        self._undo_stack: list[tuple[str, int]] = []

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

    def card_statuses(self) -> dict[str, CardStatus]:
        """The status of every card that has one (a card not listed has ``NO_STATUS``)."""
        return {row[0]: _status(row[1:]) for row in self.db.execute(
            "select card_id, suspended, buried_until, flag, leech from card_status")}

    def card_status(self, card_id: str) -> CardStatus:
        row = self.db.execute("select suspended, buried_until, flag, leech from card_status "
                              "where card_id = ?", [card_id]).fetchone()
        return _status(row) if row else NO_STATUS

    def review_count(self, since: datetime | None = None) -> int:
        if since is None:
            return int(self.db.table("revlog").count)
        return int(self.db.table("revlog").count_where("reviewed_at >= ?", [since.isoformat()]))

    def new_cards_reviewed_since(self, since: datetime) -> list[str]:
        """The cards seen for the first time at or after ``since``."""
        return [row[0] for row in self.db.execute(
            "select card_id from revlog where state_before = 0 and reviewed_at >= ?",
            [since.isoformat()])]

    def review_summary(self, card_ids: Sequence[str] | None = None,
                       ) -> dict[str, tuple[int, int, int]]:
        """For each reviewed card (of ``card_ids``, or all): answers logged, how many were
        Again, and lapses (Again on a card in the review state)."""
        sql = ("select card_id, count(*), sum(rating = 1), sum(rating = 1 and state_before = 2) "
               "from revlog {} group by card_id")
        if card_ids is None:
            chunks: list[tuple[str, list[str]]] = [(sql.format(""), [])]
        else:
            chunks = [(sql.format(f"where card_id in ({','.join('?' * len(chunk))})"), chunk)
                      for chunk in _chunks(card_ids)]
        return {row[0]: (int(row[1]), int(row[2]), int(row[3]))
                for query, args in chunks for row in self.db.execute(query, args)}

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

    def action_rows(self, card_id: str) -> list[dict[str, Any]]:
        """The card actions that changed ``card_id``, oldest first: id, kind, done_at, detail
        (a dict), grade_id."""
        rows = self.db.execute(
            "select a.id, a.kind, a.done_at, a.detail, a.grade_id from actions a join "
            "action_cards c on c.action_id = a.id where c.card_id = ? order by a.id", [card_id])
        return [{"id": r[0], "kind": r[1], "done_at": r[2],
                 "detail": json.loads(r[3]) if r[3] else {}, "grade_id": r[4]} for r in rows]

    def leech_lapses(self, log_id: int) -> int | None:
        """The lapse count at which grade ``log_id`` made its card a leech (None: it did not)."""
        row = self.db.execute("select detail from actions where grade_id = ? and kind = 'leech'",
                              [log_id]).fetchone()
        return int(json.loads(row[0])["lapses"]) if row else None

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = list(self.db.table("config").rows_where("key = ?", [key]))
        return json.loads(rows[0]["value"]) if rows else default

    # -- writing ----------------------------------------------------------------------------

    def record_review(self, card_id: str, make_review: MakeReview,
                      leech: LeechRule | None = None) -> int:
        """Grade ``card_id``: read its row, build the review from it, write the new state and the
        log row — all in one transaction, so two processes can never both log a card's first
        review or schedule from a stale state. Returns the log row's id.

        With a ``leech`` rule, a lapse (Again on a card in the review state) that makes the card
        a leech tags it (and suspends it when the rule says so) in the same transaction, as an
        action that undoing this grade undoes too."""
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
            if leech is not None and review.rating == 1 and review.state_before == REVIEW_STATE:
                lapses = int(db.execute(
                    "select count(*) from revlog where card_id = ? and rating = 1 and "
                    "state_before = ?", [card_id, REVIEW_STATE]).fetchone()[0])
                if leech.is_leech_lapse(lapses):
                    before = self.card_status(card_id)
                    after = replace(before, leech=True,
                                    suspended=before.suspended or leech.suspend)
                    if after != before:
                        self._write_action(db, "leech", [_Change(card_id, (before, after), None)],
                                           review.reviewed_at, {"lapses": lapses},
                                           grade_id=log_id)
        self._undo_stack.append(("grade", log_id))
        return log_id

    def apply_action(self, kind: str, card_ids: Iterable[str], change: CardChange,
                     now: datetime, detail: dict[str, Any] | None = None) -> AppliedAction:
        """One undoable card action in one transaction: ``change`` maps each card's status and
        scheduling row, read inside the transaction, to the new ones; the cards it changes are
        written with their previous values in ``actions``/``action_cards``. Cards it leaves as
        they were are not part of the action; when none changes, nothing is written."""
        ids = list(dict.fromkeys(card_ids))
        with self.transaction() as db:
            statuses = self._statuses_of(db, ids)
            rows = self._rows_of(db, ids)
            changes = []
            for card_id in ids:
                status, row = statuses.get(card_id, NO_STATUS), rows.get(card_id)
                new_status, new_row = change(card_id, status, row)
                if new_row is not None and new_row.card_id != card_id:
                    raise ValueError("an action must not move a card's row to another card")
                touched = _Change(card_id, (status, new_status) if new_status != status else None,
                                  (row, new_row) if new_row != row else None)
                if touched.status or touched.row:
                    changes.append(touched)
            if not changes:
                return AppliedAction(kind, None, ())
            action_id = self._write_action(db, kind, changes, now, detail)
        self._undo_stack.append(("action", action_id))
        return AppliedAction(kind, action_id, tuple(c.card_id for c in changes))

    def record_practice(self, card_id: str, rating: int, duration_ms: int,
                        now: datetime) -> int:
        """Log an answer that changes no schedule (custom study's cram without rescheduling):
        an action of kind ``practice`` touching nothing, on the same undo stack as grades and
        card actions, committed when this returns. Returns its action id."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating}")
        with self.transaction() as db:
            action_id = self._write_action(
                db, "practice", [_Change(card_id, None, None)], now,
                {"rating": rating, "duration_ms": max(0, int(duration_ms))})
        self._undo_stack.append(("action", action_id))
        return action_id

    def undo_last(self) -> Undone | None:
        """Undo this process's newest grade or card action (or, when it has none left, the
        newest in the database): a grade's log row is deleted and the card's previous state
        restored (with any leech action of that grade); an action's cards get their previous
        status and schedule back and its log rows are deleted. Returns what was undone, or None
        when there is nothing to undo. Raises ``UndoConflictError`` when a card concerned has
        been graded or changed since (by another window), leaving everything as it was."""
        with self.transaction() as db:
            while self._undo_stack and not self._still_logged(db, *self._undo_stack[-1]):
                self._undo_stack.pop()  # already undone elsewhere
            target = self._undo_stack[-1] if self._undo_stack else self._newest(db)
            if target is None:
                return None
            kind, log_id = target
            undone = (self._undo_grade(db, log_id) if kind == "grade"
                      else self._undo_action(db, log_id))
        if self._undo_stack and self._undo_stack[-1] == target:
            self._undo_stack.pop()
        return undone

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

    # -- inside a write transaction -----------------------------------------------------------

    def _still_logged(self, db: Database, kind: str, log_id: int) -> bool:
        table = "revlog" if kind == "grade" else "actions"
        return db.execute(f"select 1 from {table} where id = ?", [log_id]).fetchone() is not None

    def _newest(self, db: Database) -> tuple[str, int] | None:
        """The newest grade or user action in the database."""
        grade = db.execute("select max(id) from revlog").fetchone()[0]
        action = db.execute("select id, revlog_seq from actions where grade_id is null "
                            "order by id desc limit 1").fetchone()
        if action is not None and (grade is None or action[1] >= grade):
            return ("action", int(action[0]))
        return ("grade", int(grade)) if grade is not None else None

    def _undo_grade(self, db: Database, log_id: int) -> Undone:
        last = dict(db.table("revlog").get(log_id))
        card_id = str(last["card_id"])
        newest = db.execute("select max(id) from revlog where card_id = ?",
                            [card_id]).fetchone()[0]
        if newest != log_id:
            raise UndoConflictError(f"'{card_id}' was reviewed again in another window "
                                    "after this grade; nothing was undone.")
        changed = db.execute(
            "select 1 from action_cards c join actions a on a.id = c.action_id where "
            "c.card_id = ? and a.revlog_seq >= ? and (a.grade_id is null or a.grade_id != ?)",
            [card_id, log_id, log_id]).fetchone()
        if changed:
            raise UndoConflictError(f"'{card_id}' was changed in another window after this "
                                    "grade; nothing was undone.")
        for (action_id,) in db.execute("select id from actions where grade_id = ? "
                                       "order by id desc", [log_id]).fetchall():
            self._revert_action(db, int(action_id))
        db.table("revlog").delete(log_id)
        if last["fsrs_before"] is None:
            db.table("cards").delete_where("card_id = ?", [card_id])
        else:
            before = json.loads(last["fsrs_before"])
            db.table("cards").update(
                card_id, {"fsrs": last["fsrs_before"], "state": before["state"],
                          "due": before["due"]})
        return Undone("grade", (card_id,), log_id)

    def _undo_action(self, db: Database, action_id: int) -> Undone:
        kind, seq = db.execute("select kind, revlog_seq from actions where id = ?",
                               [action_id]).fetchone()
        cards = tuple(row[0] for row in db.execute(
            "select card_id from action_cards where action_id = ? order by rowid", [action_id]))
        graded = db.execute(
            "select r.card_id from action_cards c join revlog r on r.card_id = c.card_id "
            "where c.action_id = ? and r.id > ? limit 1", [action_id, seq]).fetchone()
        if graded:
            raise UndoConflictError(f"'{graded[0]}' was reviewed again in another window "
                                    "after this action; nothing was undone.")
        changed = db.execute(
            "select later.card_id from action_cards c join action_cards later on "
            "later.card_id = c.card_id where c.action_id = ? and later.action_id > ? limit 1",
            [action_id, action_id]).fetchone()
        if changed:
            raise UndoConflictError(f"'{changed[0]}' was changed again in another window "
                                    "after this action; nothing was undone.")
        self._revert_action(db, action_id)
        return Undone(str(kind), cards, action_id)

    def _revert_action(self, db: Database, action_id: int) -> None:
        """Put back every card's values from before action ``action_id``; delete its rows."""
        for card_id, status_json, card_json in db.execute(
                "select card_id, status_before, card_before from action_cards "
                "where action_id = ?", [action_id]).fetchall():
            if status_json is not None:
                before = json.loads(status_json)
                self._write_status(db, card_id, NO_STATUS if before is None else _status(
                    (before["suspended"], before["buried_until"], before["flag"],
                     before["leech"])))
            if card_json is not None:
                before = json.loads(card_json)
                self._write_row(db, card_id, None if before is None else CardRow(
                    card_id, before["fsrs"], before["state"],
                    datetime.fromisoformat(before["due"]), before["first_review"]))
        db.execute("delete from action_cards where action_id = ?", [action_id])
        db.execute("delete from actions where id = ?", [action_id])

    def _write_action(self, db: Database, kind: str, changes: Sequence[_Change], now: datetime,
                      detail: dict[str, Any] | None, grade_id: int | None = None) -> int:
        seq = db.execute("select coalesce((select seq from sqlite_sequence where name = "
                         "'revlog'), 0)").fetchone()[0]
        action_id = int(db.table("actions").insert({
            "kind": kind, "done_at": now.isoformat(), "revlog_seq": int(seq),
            "grade_id": grade_id, "detail": json.dumps(detail) if detail else None,
        }).last_rowid or 0)
        db.table("action_cards").insert_all([{
            "action_id": action_id, "card_id": change.card_id,
            "status_before": None if change.status is None else json.dumps(
                None if change.status[0].is_default else _status_json(change.status[0])),
            "card_before": None if change.row is None else json.dumps(
                None if change.row[0] is None else _row_json(change.row[0])),
        } for change in changes])
        for change in changes:
            if change.status is not None:
                self._write_status(db, change.card_id, change.status[1])
            if change.row is not None:
                self._write_row(db, change.card_id, change.row[1])
        return action_id

    @staticmethod
    def _write_status(db: Database, card_id: str, status: CardStatus) -> None:
        if status.is_default:
            db.execute("delete from card_status where card_id = ?", [card_id])
        else:
            db.table("card_status").upsert({"card_id": card_id, **_status_json(status)},
                                           pk="card_id")

    @staticmethod
    def _write_row(db: Database, card_id: str, row: CardRow | None) -> None:
        if row is None:
            db.execute("delete from cards where card_id = ?", [card_id])
        else:
            db.table("cards").upsert({"card_id": card_id, **_row_json(row)}, pk="card_id")

    @staticmethod
    def _statuses_of(db: Database, ids: Sequence[str]) -> dict[str, CardStatus]:
        found: dict[str, CardStatus] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update((row[0], _status(row[1:])) for row in db.execute(
                "select card_id, suspended, buried_until, flag, leech from card_status "
                f"where card_id in ({marks})", chunk))
        return found

    @staticmethod
    def _rows_of(db: Database, ids: Sequence[str]) -> dict[str, CardRow]:
        found: dict[str, CardRow] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update((row["card_id"], _card_row(row)) for row in db.table("cards").rows_where(
                f"card_id in ({marks})", chunk))
        return found


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def _status(values: Sequence[Any]) -> CardStatus:
    suspended, buried_until, flag, leech = values
    return CardStatus(bool(suspended),
                      datetime.fromisoformat(buried_until) if buried_until else None,
                      int(flag or 0), bool(leech))


def _status_json(status: CardStatus) -> dict[str, Any]:
    return {"suspended": int(status.suspended),
            "buried_until": status.buried_until.isoformat() if status.buried_until else None,
            "flag": status.flag, "leech": int(status.leech)}


def _row_json(row: CardRow) -> dict[str, Any]:
    return {"fsrs": row.fsrs_json, "state": row.state, "due": row.due.isoformat(),
            "first_review": row.first_review}


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
    return CardRow(row["card_id"], row["fsrs"], row["state"], datetime.fromisoformat(row["due"]),
                   row.get("first_review"))


@contextmanager
def open_store(path: Path) -> Iterator[ProgressStore]:
    """Open the progress database at ``path`` for the duration of a ``with`` block."""
    store = ProgressStore(open_database(path), path)
    try:
        yield store
    finally:
        store.close()
