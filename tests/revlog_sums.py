"""The review log's sums (m005) as stored, and as adding up the log from scratch gives them:
the two must always be equal, whoever wrote the log."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from quizapp.store.db import MATURE_S

Sums = tuple[dict[str, tuple[int, ...]], dict[int, tuple[int, ...]]]


def stored_sums(conn: sqlite3.Connection) -> Sums:
    cards = {row[0]: tuple(row[1:]) for row in conn.execute("select * from revlog_cards")}
    quarters = {row[0]: tuple(row[1:]) for row in conn.execute("select * from revlog_quarters")}
    return cards, quarters


def fresh_sums(conn: sqlite3.Connection) -> Sums:
    """The sums added up in Python from every row (the time parsed by Python, not SQLite)."""
    cards: dict[str, list[int]] = {}
    quarters: dict[int, list[int]] = {}
    for card_id, reviewed_at, rating, state, interval, duration in conn.execute(
            "select card_id, reviewed_at, rating, state_before, interval_before_s, duration_ms "
            "from revlog"):
        card = cards.setdefault(card_id, [0, 0, 0])
        card[0] += 1
        card[1] += rating == 1
        card[2] += rating == 1 and state == 2
        try:
            moment = datetime.fromisoformat(reviewed_at).astimezone(UTC)
            quarter = int(moment.timestamp()) // 900
        except ValueError:
            quarter = -1
        sums = quarters.setdefault(quarter, [0] * 10)
        review = state == 2
        mature = (interval or 0) >= MATURE_S
        for i, value in enumerate((1, (state or 0) == 0, state == 1, review, state == 3,
                                   duration or 0, review and not mature,
                                   review and not mature and rating != 1, review and mature,
                                   review and mature and rating != 1)):
            sums[i] += int(value)
    return ({k: tuple(v) for k, v in cards.items()}, {k: tuple(v) for k, v in quarters.items()})
