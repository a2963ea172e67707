"""Read and write review progress: card states, the review log, card status (suspended,
buried, flag, leech), card actions, undo, and settings."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from quizapp.errors import UserError
from quizapp.store.db import Opened, close_database, connect, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class CardRow:
    """A reviewed card's scheduling state as stored."""

    card_id: str
    fsrs_json: str
    state: int
    due: datetime
    first_review: str | None = None  # UTC ISO-8601 (None for a row written by an action)


class QueueRow(NamedTuple):
    """What the daily queue and the counts need of a reviewed card: its state and due time
    (without parsing its FSRS JSON)."""

    state: int
    due: datetime


#: A moment in the database's history as this connection sees it: (``PRAGMA data_version``,
#: which changes when another connection commits; ``total_changes`` of this connection, which
#: grows with every row it writes). Equal versions: nothing changed in between.
Version = tuple[int, int]


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


#: How many of its own writes the store remembers, for ``changed_cards``.
_KNOWN_WRITES = 64
_CARD_COLUMNS = "card_id, fsrs, state, due, first_review"


class ProgressStore:
    """The progress database of one user. Every write is one ``BEGIN IMMEDIATE`` transaction,
    committed before the method returns; read-modify-write reads inside that transaction.

    Reading is plain ``sqlite3`` (no sqlite-utils on the way to the first card). The store
    remembers which cards each of its own writes changed, with the database version before and
    after it (``Version``), so that a reader can ask which cards changed since it last read
    (``changed_cards``) and re-read only those — and is told "don't know" (re-read everything)
    as soon as anything else wrote: another connection, or a statement on this one that did
    not go through these methods."""

    def __init__(self, conn: sqlite3.Connection, path: Path, opened: Opened | None = None
                 ) -> None:
        self.conn = conn
        self.path = path
        self._opened = opened
        self._utils_db: Database | None = None
        #: Grades ("grade", revlog id) and card actions ("action", actions id) this process
        #: wrote, newest last: what Ctrl+Z undoes first.
        self._undo_stack: list[tuple[str, int]] = []
        #: This store's own writes: (version before, version after, cards changed).
        self._writes: list[tuple[Version, Version, frozenset[str]]] = []
        self._queue_rows: dict[str, QueueRow] = {}
        self._queue_rows_version: Version | None = None
        self._statuses: dict[str, CardStatus] = {}
        self._statuses_version: Version | None = None

    @classmethod
    def open(cls, path: Path) -> ProgressStore:
        """Open (creating and migrating as needed) the database at ``path``."""
        conn, opened = connect(path)
        return cls(conn, path, opened)

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils ``Database`` (imported on first use: it imports
        NumPy), for tools and tests that want its table API."""
        if self._utils_db is None or self._utils_db.conn is not self.conn:
            from sqlite_utils import Database

            self._utils_db = Database(self.conn)
        return self._utils_db

    def close(self) -> None:
        if self._opened is not None:
            close_database(self.conn, self._opened)
        else:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE write transaction (see ``store.db.write_transaction``).

        Inside an open one it joins it: writes that must stand or fall together (parameters and
        the memory states recomputed with them, a whole imported log) call the ordinary write
        methods within one outer ``transaction()``, and the outer one commits."""
        if self.conn.in_transaction:
            yield self.conn
            return
        with write_transaction(self.conn, self.path):
            yield self.conn

    @contextmanager
    def tracked_transaction(self, card_ids: Iterable[str]) -> Iterator[sqlite3.Connection]:
        """``transaction()`` for a write that changes the rows and statuses of ``card_ids``
        only (none: it writes other tables, such as quiz answers), remembered for
        ``changed_cards`` once committed. A write whose cards are not known in advance uses
        ``transaction()``, after which readers re-read everything."""
        with self._tracked(set(card_ids)) as conn:
            yield conn

    @contextmanager
    def _tracked(self, card_ids: set[str]) -> Iterator[sqlite3.Connection]:
        """``transaction()`` for one of the store's own writes: what it changes is added to
        ``card_ids`` by the body, and remembered for ``changed_cards`` once committed."""
        outer = self.conn.in_transaction
        with self.transaction() as conn:
            before = self.version()  # under the write lock: no other connection commits now
            yield conn
        if not outer:  # our own commit leaves data_version as it was
            self._writes.append((before, (before[0], self.conn.total_changes),
                                 frozenset(card_ids)))
            del self._writes[:-_KNOWN_WRITES]

    # -- what changed -------------------------------------------------------------------------

    def version(self) -> Version:
        """The database as this connection sees it now (see ``Version``)."""
        return (int(self.conn.execute("PRAGMA data_version").fetchone()[0]),
                self.conn.total_changes)

    def changed_cards(self, since: Version | None) -> set[str] | None:
        """The cards whose row or status changed since ``since`` (a ``version()`` taken before
        reading them), or None when that is not known: another connection committed, a write
        did not go through this store's tracked methods, or ``since`` is too old."""
        if since is None:
            return None
        now = self.version()
        changed: set[str] = set()
        position = since
        for before, after, cards in self._writes:
            if position == now:
                break
            if before == position:
                changed |= cards
                position = after
        return changed if position == now else None

    # -- reading ----------------------------------------------------------------------------

    def card_rows(self) -> dict[str, CardRow]:
        return {row[0]: _card_row(row) for row in self.conn.execute(
            f"select {_CARD_COLUMNS} from cards")}

    def card_row(self, card_id: str) -> CardRow | None:
        """One card's stored state (None: never reviewed)."""
        row = self.conn.execute(f"select {_CARD_COLUMNS} from cards where card_id = ?",
                                [card_id]).fetchone()
        return _card_row(row) if row else None

    def queue_rows(self) -> dict[str, QueueRow]:
        """State and due time of every reviewed card. Kept between calls and brought up to
        date from ``changed_cards``: only the cards changed since are read."""
        version = self.version()
        changed = self.changed_cards(self._queue_rows_version)
        if changed is None:
            self._queue_rows = {row[0]: QueueRow(row[1], datetime.fromisoformat(row[2]))
                                for row in self.conn.execute("select card_id, state, due "
                                                             "from cards")}
        else:
            for card_id in changed:
                row = self.conn.execute("select state, due from cards where card_id = ?",
                                        [card_id]).fetchone()
                if row is None:
                    self._queue_rows.pop(card_id, None)
                else:
                    self._queue_rows[card_id] = QueueRow(row[0], datetime.fromisoformat(row[1]))
        self._queue_rows_version = version
        return dict(self._queue_rows)  # a copy (~0.2 ms for 10,000): the kept one stays as read

    def card_statuses(self) -> dict[str, CardStatus]:
        """The status of every card that has one (a card not listed has ``NO_STATUS``); kept
        between calls as ``queue_rows`` is."""
        version = self.version()
        changed = self.changed_cards(self._statuses_version)
        if changed is None:
            self._statuses = {row[0]: _status(row[1:]) for row in self.conn.execute(
                "select card_id, suspended, buried_until, flag, leech from card_status")}
        else:
            for card_id in changed:
                status = self.card_status(card_id)
                if status.is_default:
                    self._statuses.pop(card_id, None)
                else:
                    self._statuses[card_id] = status
        self._statuses_version = version
        return dict(self._statuses)

    def card_status(self, card_id: str) -> CardStatus:
        row = self.conn.execute("select suspended, buried_until, flag, leech from card_status "
                                "where card_id = ?", [card_id]).fetchone()
        return _status(row) if row else NO_STATUS

    def review_count(self, since: datetime | None = None) -> int:
        if since is None:  # from the log's sums per card (m005): not a count of a million rows
            return int(self.conn.execute("select coalesce(sum(answers), 0) from revlog_cards"
                                         ).fetchone()[0])
        return int(self.conn.execute("select count(*) from revlog where reviewed_at >= ?",
                                     [since.isoformat()]).fetchone()[0])

    def quarter_sums(self) -> list[tuple[int, ...]]:
        """The review log added up per quarter of an hour (m005, ``store/db.py: REVLOG_SUMS``):
        (quarter = seconds since the epoch // 900, or -1 for a time that is not one, answers,
        new, learning, review, relearning answers, milliseconds, young answers, young passed,
        mature answers, mature passed), oldest first."""
        return [tuple(row) for row in self.conn.execute(
            "select * from revlog_quarters order by quarter")]

    def new_cards_reviewed_since(self, since: datetime) -> list[str]:
        """The cards seen for the first time at or after ``since``."""
        return [row[0] for row in self.conn.execute(
            "select card_id from revlog where state_before = 0 and reviewed_at >= ?",
            [since.isoformat()])]

    def review_summary(self, card_ids: Sequence[str] | None = None,
                       ) -> dict[str, tuple[int, int, int]]:
        """For each reviewed card (of ``card_ids``, or all): answers logged, how many were
        Again, and lapses (Again on a card in the review state), from the log's sums per card
        (m005)."""
        sql = "select card_id, answers, again, lapses from revlog_cards{}"
        if card_ids is None:
            chunks: list[tuple[str, list[str]]] = [(sql.format(""), [])]
        else:
            chunks = [(sql.format(f" where card_id in ({','.join('?' * len(chunk))})"), chunk)
                      for chunk in _chunks(card_ids)]
        return {row[0]: (int(row[1]), int(row[2]), int(row[3]))
                for query, args in chunks for row in self.conn.execute(query, args)}

    def log_rows(self, card_id: str | None = None) -> list[dict[str, Any]]:
        where = "where card_id = ? " if card_id else ""
        cursor = self.conn.execute(f"select * from revlog {where}order by id",
                                   [card_id] if card_id else [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def log_entries(self) -> list[LogEntry]:
        """Every answer in the log, card by card, each card's oldest first."""
        return [
            LogEntry(int(row[0]), str(row[1]), datetime.fromisoformat(row[2]), int(row[3]),
                     int(row[4] or 0), int(row[5] or 0))
            for row in self.conn.execute(
                "select id, card_id, reviewed_at, rating, state_before, duration_ms from revlog "
                "order by card_id, reviewed_at, id")
        ]

    def action_rows(self, card_id: str) -> list[dict[str, Any]]:
        """The card actions that changed ``card_id``, oldest first: id, kind, done_at, detail
        (a dict), grade_id."""
        rows = self.conn.execute(
            "select a.id, a.kind, a.done_at, a.detail, a.grade_id from actions a join "
            "action_cards c on c.action_id = a.id where c.card_id = ? order by a.id", [card_id])
        return [{"id": r[0], "kind": r[1], "done_at": r[2],
                 "detail": json.loads(r[3]) if r[3] else {}, "grade_id": r[4]} for r in rows]

    def leech_lapses(self, log_id: int) -> int | None:
        """The lapse count at which grade ``log_id`` made its card a leech (None: it did not)."""
        row = self.conn.execute("select detail from actions where grade_id = ? and "
                                "kind = 'leech'", [log_id]).fetchone()
        return int(json.loads(row[0])["lapses"]) if row else None

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("select value from config where key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    # -- writing ----------------------------------------------------------------------------

    def record_review(self, card_id: str, make_review: MakeReview,
                      leech: LeechRule | None = None) -> int:
        """Grade ``card_id``: read its row, build the review from it, write the new state and the
        log row — all in one transaction, so two processes can never both log a card's first
        review or schedule from a stale state. Returns the log row's id.

        With a ``leech`` rule, a lapse (Again on a card in the review state) that makes the card
        a leech tags it (and suspends it when the rule says so) in the same transaction, as an
        action that undoing this grade undoes too."""
        with self._tracked({card_id}) as conn:
            row = self.card_row(card_id)
            review = make_review(row)
            if review.card_id != card_id or review.fsrs_before != (row.fsrs_json if row else None):
                raise ValueError("make_review must build the review from the row it is given")
            if row is None:
                conn.execute("insert into cards (card_id, fsrs, state, due, first_review) "
                             "values (?, ?, ?, ?, ?)",
                             [card_id, review.fsrs_after, review.state_after,
                              review.due_after.isoformat(), review.reviewed_at.isoformat()])
            else:
                conn.execute("update cards set fsrs = ?, state = ?, due = ? where card_id = ?",
                             [review.fsrs_after, review.state_after,
                              review.due_after.isoformat(), card_id])
            log_id = _insert_log(conn, review)
            if leech is not None and review.rating == 1 and review.state_before == REVIEW_STATE:
                lapses = int(conn.execute(
                    "select count(*) from revlog where card_id = ? and rating = 1 and "
                    "state_before = ?", [card_id, REVIEW_STATE]).fetchone()[0])
                if leech.is_leech_lapse(lapses):
                    before = self.card_status(card_id)
                    after = replace(before, leech=True,
                                    suspended=before.suspended or leech.suspend)
                    if after != before:
                        self._write_action(conn, "leech",
                                           [_Change(card_id, (before, after), None)],
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
        touched_ids: set[str] = set()
        with self._tracked(touched_ids) as conn:
            statuses = self._statuses_of(conn, ids)
            rows = self._rows_of(conn, ids)
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
            touched_ids.update(c.card_id for c in changes)
            action_id = self._write_action(conn, kind, changes, now, detail)
        self._undo_stack.append(("action", action_id))
        return AppliedAction(kind, action_id, tuple(c.card_id for c in changes))

    def record_practice(self, card_id: str, rating: int, duration_ms: int,
                        now: datetime) -> int:
        """Log an answer that changes no schedule (custom study's cram without rescheduling):
        an action of kind ``practice`` touching nothing, on the same undo stack as grades and
        card actions, committed when this returns. Returns its action id."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating}")
        with self._tracked(set()) as db:  # no card's row or status changes: readers keep theirs
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
        touched: set[str] = set()
        with self._tracked(touched) as conn:
            while self._undo_stack and not self._still_logged(conn, *self._undo_stack[-1]):
                self._undo_stack.pop()  # already undone elsewhere
            target = self._undo_stack[-1] if self._undo_stack else self._newest(conn)
            if target is None:
                return None
            kind, log_id = target
            undone = (self._undo_grade(conn, log_id) if kind == "grade"
                      else self._undo_action(conn, log_id))
            touched.update(undone.card_ids)
        if self._undo_stack and self._undo_stack[-1] == target:
            self._undo_stack.pop()
        return undone

    def set_setting(self, key: str, value: Any) -> None:
        with self._tracked(set()) as conn:
            conn.execute("insert into config (key, value) values (?, ?) on conflict(key) "
                         "do update set value = excluded.value", [key, json.dumps(value)])

    def rewrite_history(self, card_id: str, reviews: Sequence[Review],
                        log_ids: Sequence[int | None]) -> None:
        """Make ``reviews`` (oldest first, as a replay of the card's whole history gave them)
        the card's log and its last state the card's row. ``log_ids[i]`` is the log row that
        ``reviews[i]`` replays, or None for an answer new to the log.

        Call it inside ``transaction()``, having read the history there. Log ids stay in time
        order per card (undo relies on it): when the card's existing rows come first, in id
        order, they are updated in place and the new ones appended; otherwise the card's rows
        are written again in time order, under new ids."""
        if not self.conn.in_transaction:
            raise RuntimeError("rewrite_history must run inside ProgressStore.transaction()")
        if not reviews or len(reviews) != len(log_ids):
            raise ValueError("one log id (or None) per review, and at least one review")
        conn = self.conn
        existing = [row[0] for row in conn.execute(
            "select id from revlog where card_id = ? order by id", [card_id])]
        if sorted(i for i in log_ids if i is not None) != existing:
            raise ValueError(f"the replay of '{card_id}' must cover each of its logged answers")
        in_place = list(log_ids[:len(existing)]) == existing
        if not in_place:
            conn.execute("delete from revlog where card_id = ?", [card_id])
        appended = []
        for review, log_id in zip(reviews, log_ids, strict=True):
            if review.card_id != card_id:
                raise ValueError("every review must be of the card whose history it rewrites")
            if in_place and log_id is not None:
                values = _log_values(review)
                conn.execute(f"update revlog set {', '.join(f'{k} = ?' for k in values)} "
                             "where id = ?", [*values.values(), log_id])
            else:
                appended.append(review)
        for review in appended:  # in order: ids follow time
            _insert_log(conn, review)
        last = reviews[-1]
        self._write_row(conn, card_id, CardRow(card_id, last.fsrs_after, last.state_after,
                                               last.due_after,
                                               reviews[0].reviewed_at.isoformat()))

    def set_card_fsrs(self, card_id: str, fsrs_json: str) -> None:
        """Replace a reviewed card's FSRS JSON (its memory state) keeping its state and due
        time: how memory states recomputed with new parameters are stored."""
        with self._tracked({card_id}) as conn:
            conn.execute("update cards set fsrs = ? where card_id = ?", [fsrs_json, card_id])

    # -- inside a write transaction -----------------------------------------------------------

    def _still_logged(self, conn: sqlite3.Connection, kind: str, log_id: int) -> bool:
        table = "revlog" if kind == "grade" else "actions"
        return conn.execute(f"select 1 from {table} where id = ?", [log_id]).fetchone() is not None

    def _newest(self, conn: sqlite3.Connection) -> tuple[str, int] | None:
        """The newest grade or user action in the database."""
        grade = conn.execute("select max(id) from revlog").fetchone()[0]
        action = conn.execute("select id, revlog_seq from actions where grade_id is null "
                              "order by id desc limit 1").fetchone()
        if action is not None and (grade is None or action[1] >= grade):
            return ("action", int(action[0]))
        return ("grade", int(grade)) if grade is not None else None

    def _undo_grade(self, conn: sqlite3.Connection, log_id: int) -> Undone:
        card_id, fsrs_before = conn.execute("select card_id, fsrs_before from revlog "
                                            "where id = ?", [log_id]).fetchone()
        card_id = str(card_id)
        newest = conn.execute("select max(id) from revlog where card_id = ?",
                              [card_id]).fetchone()[0]
        if newest != log_id:
            raise UndoConflictError(f"'{card_id}' was reviewed again in another window "
                                    "after this grade; nothing was undone.")
        changed = conn.execute(
            "select 1 from action_cards c join actions a on a.id = c.action_id where "
            "c.card_id = ? and a.revlog_seq >= ? and (a.grade_id is null or a.grade_id != ?)",
            [card_id, log_id, log_id]).fetchone()
        if changed:
            raise UndoConflictError(f"'{card_id}' was changed in another window after this "
                                    "grade; nothing was undone.")
        for (action_id,) in conn.execute("select id from actions where grade_id = ? "
                                         "order by id desc", [log_id]).fetchall():
            self._revert_action(conn, int(action_id))
        conn.execute("delete from revlog where id = ?", [log_id])
        if fsrs_before is None:
            conn.execute("delete from cards where card_id = ?", [card_id])
        else:
            before = json.loads(fsrs_before)
            conn.execute("update cards set fsrs = ?, state = ?, due = ? where card_id = ?",
                         [fsrs_before, before["state"], before["due"], card_id])
        return Undone("grade", (card_id,), log_id)

    def _undo_action(self, conn: sqlite3.Connection, action_id: int) -> Undone:
        kind, seq = conn.execute("select kind, revlog_seq from actions where id = ?",
                                 [action_id]).fetchone()
        cards = tuple(row[0] for row in conn.execute(
            "select card_id from action_cards where action_id = ? order by rowid", [action_id]))
        graded = conn.execute(
            "select r.card_id from action_cards c join revlog r on r.card_id = c.card_id "
            "where c.action_id = ? and r.id > ? limit 1", [action_id, seq]).fetchone()
        if graded:
            raise UndoConflictError(f"'{graded[0]}' was reviewed again in another window "
                                    "after this action; nothing was undone.")
        changed = conn.execute(
            "select later.card_id from action_cards c join action_cards later on "
            "later.card_id = c.card_id where c.action_id = ? and later.action_id > ? limit 1",
            [action_id, action_id]).fetchone()
        if changed:
            raise UndoConflictError(f"'{changed[0]}' was changed again in another window "
                                    "after this action; nothing was undone.")
        self._revert_action(conn, action_id)
        return Undone(str(kind), cards, action_id)

    def _revert_action(self, conn: sqlite3.Connection, action_id: int) -> None:
        """Put back every card's values from before action ``action_id``; delete its rows."""
        for card_id, status_json, card_json in conn.execute(
                "select card_id, status_before, card_before from action_cards "
                "where action_id = ?", [action_id]).fetchall():
            if status_json is not None:
                before = json.loads(status_json)
                self._write_status(conn, card_id, NO_STATUS if before is None else _status(
                    (before["suspended"], before["buried_until"], before["flag"],
                     before["leech"])))
            if card_json is not None:
                before = json.loads(card_json)
                self._write_row(conn, card_id, None if before is None else CardRow(
                    card_id, before["fsrs"], before["state"],
                    datetime.fromisoformat(before["due"]), before["first_review"]))
        conn.execute("delete from action_cards where action_id = ?", [action_id])
        conn.execute("delete from actions where id = ?", [action_id])

    def _write_action(self, conn: sqlite3.Connection, kind: str, changes: Sequence[_Change],
                      now: datetime, detail: dict[str, Any] | None,
                      grade_id: int | None = None) -> int:
        seq = conn.execute("select coalesce((select seq from sqlite_sequence where name = "
                           "'revlog'), 0)").fetchone()[0]
        cursor = conn.execute(
            "insert into actions (kind, done_at, revlog_seq, grade_id, detail) "
            "values (?, ?, ?, ?, ?)", [kind, now.isoformat(), int(seq), grade_id,
                                       json.dumps(detail) if detail else None])
        action_id = int(cursor.lastrowid or 0)
        conn.executemany(
            "insert into action_cards (action_id, card_id, status_before, card_before) "
            "values (?, ?, ?, ?)", [(
                action_id, change.card_id,
                None if change.status is None else json.dumps(
                    None if change.status[0].is_default else _status_json(change.status[0])),
                None if change.row is None else json.dumps(
                    None if change.row[0] is None else _row_json(change.row[0])),
            ) for change in changes])
        for change in changes:
            if change.status is not None:
                self._write_status(conn, change.card_id, change.status[1])
            if change.row is not None:
                self._write_row(conn, change.card_id, change.row[1])
        return action_id

    @staticmethod
    def _write_status(conn: sqlite3.Connection, card_id: str, status: CardStatus) -> None:
        if status.is_default:
            conn.execute("delete from card_status where card_id = ?", [card_id])
        else:
            values = _status_json(status)
            conn.execute(
                "insert into card_status (card_id, suspended, buried_until, flag, leech) "
                "values (?, ?, ?, ?, ?) on conflict(card_id) do update set "
                "suspended = excluded.suspended, buried_until = excluded.buried_until, "
                "flag = excluded.flag, leech = excluded.leech",
                [card_id, values["suspended"], values["buried_until"], values["flag"],
                 values["leech"]])

    @staticmethod
    def _write_row(conn: sqlite3.Connection, card_id: str, row: CardRow | None) -> None:
        if row is None:
            conn.execute("delete from cards where card_id = ?", [card_id])
        else:
            values = _row_json(row)
            conn.execute(
                "insert into cards (card_id, fsrs, state, due, first_review) "
                "values (?, ?, ?, ?, ?) on conflict(card_id) do update set fsrs = excluded.fsrs, "
                "state = excluded.state, due = excluded.due, "
                "first_review = excluded.first_review",
                [card_id, values["fsrs"], values["state"], values["due"],
                 values["first_review"]])

    @staticmethod
    def _statuses_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, CardStatus]:
        found: dict[str, CardStatus] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update((row[0], _status(row[1:])) for row in conn.execute(
                "select card_id, suspended, buried_until, flag, leech from card_status "
                f"where card_id in ({marks})", chunk))
        return found

    @staticmethod
    def _rows_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, CardRow]:
        found: dict[str, CardRow] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update((row[0], _card_row(row)) for row in conn.execute(
                f"select {_CARD_COLUMNS} from cards where card_id in ({marks})", chunk))
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


def _insert_log(conn: sqlite3.Connection, review: Review) -> int:
    values = _log_values(review)
    cursor = conn.execute(f"insert into revlog ({', '.join(values)}) "
                          f"values ({', '.join('?' * len(values))})", list(values.values()))
    return int(cursor.lastrowid or 0)


def _card_row(row: Sequence[Any]) -> CardRow:
    """A ``CardRow`` from (card_id, fsrs, state, due, first_review)."""
    return CardRow(row[0], row[1], row[2], datetime.fromisoformat(row[3]), row[4])


@contextmanager
def open_store(path: Path) -> Iterator[ProgressStore]:
    """Open the progress database at ``path`` for the duration of a ``with`` block."""
    store = ProgressStore.open(path)
    try:
        yield store
    finally:
        store.close()
