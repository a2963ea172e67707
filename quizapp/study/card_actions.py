"""What the card browser does to cards, as in Anki: suspend / unsuspend, bury until the next
study day, reset progress (forget), set the due date, flag. Each is one undoable action in one
transaction (``ProgressStore.apply_action``); Ctrl+Z undoes the newest grade or action.

- **Suspend**: the card leaves the queue (and the counts) until unsuspended; its schedule is
  kept.
- **Bury**: the card leaves today's queue and comes back at the start of the next study day
  (``buried_until``).
- **Reset progress** (Anki's *Forget*): the card is new again — its scheduling row is removed,
  so the queue and the scheduler treat it as never reviewed (its next grade is logged as a new
  card's) — while its review history stays in the log for the statistics (and its lapses for
  the leech rule). As in Anki, it also lifts suspension and burial; flag and leech tag stay.
- **Set due date**: a reviewed card becomes due at the start of the study day ``days`` from
  today (0: today), keeping its memory state; a new card has no schedule to move and is left
  as it is (bury or suspend it instead).
- **Flag**: one of Anki's seven colours (0 removes it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from quizapp.store import FLAGS, AppliedAction, CardRow, CardStatus, ProgressStore
from quizapp.study.clock import DayClock

#: The action kinds, as logged in ``actions.kind`` ("leech" is written by a grade, "practice"
#: by an answer in custom study that does not reschedule: see ``study/custom.py``).
ACTION_KINDS = ("suspend", "unsuspend", "bury", "unbury", "reset", "set_due", "flag", "leech",
                "practice")
MAX_DUE_DAYS = 36500


def suspend(store: ProgressStore, card_ids: Iterable[str], now: datetime) -> AppliedAction:
    return store.apply_action("suspend", card_ids, lambda _id, status, row: (
        replace(status, suspended=True), row), now)


def unsuspend(store: ProgressStore, card_ids: Iterable[str], now: datetime) -> AppliedAction:
    return store.apply_action("unsuspend", card_ids, lambda _id, status, row: (
        replace(status, suspended=False), row), now)


def toggle_suspend(store: ProgressStore, card_ids: Sequence[str],
                   now: datetime) -> AppliedAction:
    """Anki's Ctrl+J: unsuspend when every card given is suspended, else suspend them all."""
    statuses = store.card_statuses()
    if card_ids and all(_status(statuses, cid).suspended for cid in card_ids):
        return unsuspend(store, card_ids, now)
    return suspend(store, card_ids, now)


def bury(store: ProgressStore, card_ids: Iterable[str], now: datetime,
         clock: DayClock) -> AppliedAction:
    """Hide the cards until the next study day starts."""
    until = clock.next_day_start(now)
    return store.apply_action("bury", card_ids, lambda _id, status, row: (
        replace(status, buried_until=until), row), now, {"until": until.isoformat()})


def unbury(store: ProgressStore, card_ids: Iterable[str], now: datetime) -> AppliedAction:
    return store.apply_action("unbury", card_ids, lambda _id, status, row: (
        replace(status, buried_until=None), row), now)


def toggle_bury(store: ProgressStore, card_ids: Sequence[str], now: datetime,
                clock: DayClock) -> AppliedAction:
    """Unbury when every card given is buried now, else bury them all until tomorrow."""
    statuses = store.card_statuses()
    if card_ids and all(_status(statuses, cid).buried(now) for cid in card_ids):
        return unbury(store, card_ids, now)
    return bury(store, card_ids, now, clock)


def reset_progress(store: ProgressStore, card_ids: Iterable[str],
                   now: datetime) -> AppliedAction:
    """Forget: the cards are new again; their review log stays."""
    return store.apply_action("reset", card_ids, lambda _id, status, row: (
        replace(status, suspended=False, buried_until=None), None), now)


def set_due(store: ProgressStore, card_ids: Iterable[str], days: int, now: datetime,
            clock: DayClock) -> AppliedAction:
    """Make each reviewed card due at the start of the study day ``days`` from today."""
    if not 0 <= days <= MAX_DUE_DAYS:
        raise ValueError(f"days must be 0-{MAX_DUE_DAYS}, got {days}")
    today = clock.day_start(now)
    # Noon of the target day, then its day start: right across daylight-saving changes.
    due = clock.day_start(today + timedelta(days=days, hours=12))

    def change(_id: str, status: CardStatus, row: CardRow | None) -> tuple[
            CardStatus, CardRow | None]:
        if row is None:
            return status, None  # a new card has no schedule to move
        fsrs = json.loads(row.fsrs_json)
        fsrs["due"] = due.isoformat()
        return status, replace(row, fsrs_json=json.dumps(fsrs), due=due)

    return store.apply_action("set_due", card_ids, change, now, {"days": days})


def set_flag(store: ProgressStore, card_ids: Iterable[str], flag: int,
             now: datetime) -> AppliedAction:
    if flag not in FLAGS:
        raise ValueError(f"flag must be 0-{len(FLAGS) - 1}, got {flag}")
    return store.apply_action("flag", card_ids, lambda _id, status, row: (
        replace(status, flag=flag), row), now, {"flag": flag})


def toggle_flag(store: ProgressStore, card_ids: Sequence[str], flag: int,
                now: datetime) -> AppliedAction:
    """Anki's Ctrl+1..7: remove the flag when every card given has it, else set it on all."""
    statuses = store.card_statuses()
    if card_ids and all(_status(statuses, cid).flag == flag for cid in card_ids):
        return set_flag(store, card_ids, 0, now)
    return set_flag(store, card_ids, flag, now)


def _status(statuses: dict[str, CardStatus], card_id: str) -> CardStatus:
    return statuses.get(card_id, CardStatus())
